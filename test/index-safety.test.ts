import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/index.js';
import { findRunningReindex, reindex } from '../src/index/index.js';
import { readCurrentGeneration } from '../src/index/layout.js';
import { tempDir, writeFiles } from './support/corpus.js';
import { CountingEmbeddings, testConfig } from './support/engine.js';
import { exited, processState, startReindex, type ReindexProcess } from './support/processes.js';

const CORPUS = {
  'parks/harbor-park.txt':
    'Harbor Science Park Annual Note\n\nHarbor Science Park hosted 412 robotics companies at the end of 2023, up from 300 a year earlier.',
  'funds/seed-fund.md':
    '---\ntitle: Seed Fund Rules\ndate: 2024-02-01\n---\n# Eligibility\n\nThe Lantern Seed Fund supports university spin-offs with grants of up to 2 million yuan each.',
};
const QUESTION = 'How many robotics companies did Harbor Science Park host?';
const RUNNING = /another reindex \(pid \d+, started [^)]+\) is running on .*; wait for it to finish/;

let root: string;
let cleanup: () => Promise<void>;
let docsDir: string;
let indexDir: string;
const processes: ReindexProcess[] = [];

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  docsDir = path.join(root, 'docs');
  indexDir = path.join(root, 'index');
  await writeFiles(docsDir, CORPUS);
});
afterEach(async () => {
  for (const { pid, parent } of processes.splice(0)) {
    for (const target of [pid, parent.pid!]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await exited(parent);
  }
  await cleanup();
});

const build = () => reindex({ docsDir, indexDir, embeddings: new CountingEmbeddings() });

/** A reindex in another process, held open (its embedder waits a minute) with a new file to index. */
async function holdingReindex(options: { unreaped?: boolean } = {}): Promise<ReindexProcess> {
  await writeFiles(docsDir, { 'parks/pine-ridge.txt': 'Pine Ridge Park hosts 18 battery makers.' });
  const child = await startReindex(docsDir, indexDir, 60_000, options);
  processes.push(child);
  return child;
}

async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function answers(): Promise<string> {
  const engine = await openEngine(testConfig(docsDir, indexDir));
  try {
    return (await engine.ask(QUESTION)).answer;
  } finally {
    await engine.close();
  }
}

describe('the reindex lock', () => {
  it('refuses a second reindex while another process holds the lock, even a stopped one, and is free once it is killed', async () => {
    await build();
    const child = await holdingReindex();
    await expect(build()).rejects.toThrow(RUNNING);
    await expect(build()).rejects.toThrow(`(pid ${child.pid},`);

    process.kill(child.pid, 'SIGSTOP');
    if (process.platform === 'linux') await until(async () => (await processState(child.pid)) === 'T', 'the child to stop');
    await expect(build()).rejects.toThrow(RUNNING);

    process.kill(child.pid, 'SIGKILL');
    await exited(child.parent);
    const started = performance.now();
    await expect(build()).resolves.toMatchObject({ added: ['parks/pine-ridge.txt'] });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await answers()).toContain('412');
  });

  it.runIf(process.platform === 'linux')('is free as soon as its holder is killed, before the dead process is reaped (a zombie)', async () => {
    await build();
    const before = await readCurrentGeneration(indexDir);
    const child = await holdingReindex({ unreaped: true });
    await expect(build()).rejects.toThrow(RUNNING);

    process.kill(child.pid, 'SIGKILL');
    // Dead but not reaped: every thread has exited (the leader alone shows Z while the others still exit).
    await until(
      async () => (await processState(child.pid)) === 'Z' && (await fs.readdir(`/proc/${child.pid}/task`)).length === 1,
      'the killed child to become a zombie',
    );
    // The pid still exists (a zombie answers kill(pid, 0)), which the old pid-file lock took for a running reindex.
    expect(() => process.kill(child.pid, 0)).not.toThrow();
    expect(await findRunningReindex(indexDir)).toBeNull();
    const summary = await build();
    expect(summary.added).toEqual(['parks/pine-ridge.txt']);
    expect(await processState(child.pid)).toBe('Z');
    // The killed reindex's partial generation is gone, the previous one kept for readers still loading it.
    expect((await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-')).sort()).toEqual([before, summary.generation].sort());
  });

  it('does not let the pid file of an earlier version block, even one naming a live process', async () => {
    await fs.mkdir(indexDir, { recursive: true });
    await fs.writeFile(path.join(indexDir, 'reindex.lock'), JSON.stringify({ pid: process.pid, started: 'yesterday' }));
    expect(await findRunningReindex(indexDir)).toBeNull();
    await expect(build()).resolves.toBeTruthy();
    await expect(build()).resolves.toBeTruthy();
  });
});

describe('a reader while a reindex runs', () => {
  it('opens the serving generation without waiting, and finds the running reindex', async () => {
    await build();
    const child = await holdingReindex();
    expect(await findRunningReindex(indexDir)).toEqual({ pid: child.pid, started: expect.any(String) });
    const waits: unknown[] = [];
    const engine = await openEngine(testConfig(docsDir, indexDir), { onWaitForReindex: (running) => waits.push(running) });
    expect((await engine.ask(QUESTION)).answer).toContain('412');
    await engine.close();
    expect(waits).toEqual([]);
  });

  it('waits for a reindex that is building the first index, then answers from it', async () => {
    const slow = reindex({ docsDir, indexDir, embeddings: new CountingEmbeddings(384, 400) });
    await until(async () => (await findRunningReindex(indexDir)) !== null, 'the reindex to start');
    const waits: unknown[] = [];
    const builds: string[] = [];
    const engine = await openEngine(testConfig(docsDir, indexDir), {
      onWaitForReindex: (running) => waits.push(running),
      onBuild: (reason) => builds.push(reason),
    });
    const { generation } = await slow;
    expect(waits).toEqual([{ pid: process.pid, started: expect.any(String) }]);
    expect(builds).toEqual([]);
    expect(engine.indexInfo().documents).toBe(2);
    expect((await engine.ask(QUESTION)).answer).toContain('412');
    await engine.close();
    expect(await readCurrentGeneration(indexDir)).toBe(generation);
  });

  it('gives up waiting after the time allowed, saying to try again', async () => {
    const slow = reindex({ docsDir, indexDir, embeddings: new CountingEmbeddings(384, 1_500) });
    await until(async () => (await findRunningReindex(indexDir)) !== null, 'the reindex to start');
    await expect(openEngine(testConfig(docsDir, indexDir), { reindexWaitMs: 300 })).rejects.toThrow(
      /the reindex \(pid \d+, started .+\) running on .* has not finished building the index after 0 s; run this again once it has finished/,
    );
    await slow;
  });
});
