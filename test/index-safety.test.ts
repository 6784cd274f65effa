import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import hnswlib from 'hnswlib-node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openEngineForScript } from '../src/cli/engine.js';
import { openEngine } from '../src/engine/index.js';
import { findRunningReindex, reindex } from '../src/index/index.js';
import { readCurrentGeneration } from '../src/index/layout.js';
import { isWholeVectorFile } from '../src/index/vectors.js';
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
  vi.restoreAllMocks();
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

describe('a full disk during a reindex', () => {
  const fullDisk = (indexDirName: string, previousServes: boolean) =>
    `no space left on device while writing ${indexDirName} — free space and run the reindex again${previousServes ? '; the previous index still serves' : ''}`;

  /** Makes `fs.promises.writeFile` (which the reindex uses) fail with `code` for the files `matches` picks. */
  function failWrites(matches: (file: string) => boolean, code: string): void {
    const writeFile = fs.writeFile;
    vi.spyOn(fs, 'writeFile').mockImplementation((file, ...rest) => {
      const name = typeof file === 'string' ? file : '';
      if (!matches(name)) return writeFile(file, ...rest);
      return Promise.reject(Object.assign(new Error(`${code}: no space left on device, open '${name}'`), { code }));
    });
  }

  async function expectPreviousServes(before: string | null, failing: Promise<unknown>): Promise<void> {
    await expect(failing).rejects.toThrow(fullDisk(indexDir, true));
    await expect(failing).rejects.toHaveProperty('name', 'UserError');
    expect(await readCurrentGeneration(indexDir)).toBe(before);
    expect((await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-'))).toEqual([before]);
    expect((await fs.readdir(indexDir)).filter((name) => name.includes('.tmp'))).toEqual([]);
    expect(await answers()).toContain('412');
  }

  it('says so in words when a file write fails with ENOSPC, and the previous index still serves', async () => {
    await build();
    const before = await readCurrentGeneration(indexDir);
    await writeFiles(docsDir, { 'parks/pine-ridge.txt': 'Pine Ridge Park hosts 18 battery makers.' });
    failWrites((file) => file.endsWith('manifest.json'), 'ENOSPC');
    const failing = build();
    await expectPreviousServes(before, failing);
    await expect(failing).rejects.toHaveProperty('cause.code', 'ENOSPC');
    vi.restoreAllMocks();
    await expect(build()).resolves.toMatchObject({ added: ['parks/pine-ridge.txt'] });
  });

  it('treats a quota exceeded (EDQUOT) while switching CURRENT the same way', async () => {
    await build();
    const before = await readCurrentGeneration(indexDir);
    await writeFiles(docsDir, { 'parks/pine-ridge.txt': 'Pine Ridge Park hosts 18 battery makers.' });
    failWrites((file) => path.basename(file).startsWith('CURRENT.'), 'EDQUOT');
    await expectPreviousServes(before, build());
  });

  it("says so in words when SQLite's store fills the disk (SQLITE_FULL), and the previous index still serves", async () => {
    await build();
    const before = await readCurrentGeneration(indexDir);
    await writeFiles(docsDir, { 'parks/long.txt': `Long Park Report\n\n${'The Long Park hosts many laboratories and workshops. '.repeat(400)}` });
    // The new generation's store may not grow past its present size: SQLite itself fails the insert with SQLITE_FULL.
    const prepare: Database.Database['prepare'] = Reflect.get(Database.prototype, 'prepare');
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      if (sql.startsWith('INSERT INTO passages ')) this.pragma(`max_page_count = ${String(this.pragma('page_count', { simple: true }))}`);
      return prepare.call(this, sql);
    });
    const failing = build();
    await expectPreviousServes(before, failing);
    await expect(failing).rejects.toHaveProperty('cause.code', 'SQLITE_FULL');
  });

  it('says there is no previous index when the first build fills the disk', async () => {
    failWrites((file) => file.endsWith('manifest.json'), 'ENOSPC');
    await expect(build()).rejects.toThrow(new RegExp(`^${fullDisk(indexDir, false).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    expect((await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-'))).toEqual([]);
  });

  it('lets the scripts answer from the previous index when bringing it up to date runs out of space', async () => {
    await build();
    await writeFiles(docsDir, { 'parks/pine-ridge.txt': 'Pine Ridge Park hosts 18 battery makers.' });
    failWrites((file) => file.endsWith('manifest.json'), 'ENOSPC');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { engine, notice } = await openEngineForScript(testConfig(docsDir, indexDir), { refresh: true });
    try {
      expect(notice).toBe(`could not bring the index up to date: ${fullDisk(indexDir, true)}`);
      expect(stderr).toHaveBeenCalledWith(`note: ${notice}\n`);
      expect((await engine.ask(QUESTION)).answer).toContain('412');
    } finally {
      await engine.close();
    }
  });

  it('detects a vectors file that hnswlib wrote only in part (it ignores write errors)', async () => {
    const { generation } = await build();
    const file = path.join(indexDir, generation, 'vectors.hnsw');
    expect(await isWholeVectorFile(file)).toBe(true);
    const { size } = await fs.stat(file);
    for (const cut of [10, 200, size - 1]) {
      const copy = path.join(root, `cut-${cut}.hnsw`);
      await fs.copyFile(file, copy);
      await fs.truncate(copy, cut);
      expect(await isWholeVectorFile(copy)).toBe(false);
    }
    // hnswlib itself reads the file the check accepts.
    const index = new hnswlib.HierarchicalNSW('ip', 384);
    await index.readIndex(file);
    expect(index.getCurrentCount()).toBeGreaterThan(0);
  });
});
