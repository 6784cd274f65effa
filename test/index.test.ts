import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEngine } from '../src/engine/index.js';
import { reindex } from '../src/index/index.js';
import { STORED_LOOKUP_FILE } from '../src/figures/stored-lookup.js';
import { readCurrentGeneration } from '../src/index/layout.js';
import { CountingEmbeddings, testConfig } from './support/engine.js';
import { makePdf, tempDir, writeFiles } from './support/corpus.js';

const CORPUS = {
  'parks/harbor-park.txt':
    'Harbor Science Park Annual Note\n\nHarbor Science Park hosted 412 robotics companies at the end of 2023, up from 300 a year earlier.\n\nThe park opened a marine sensor testing center in Qingwan Bay to serve the robotics companies.',
  'funds/seed-fund.md':
    '---\ntitle: Seed Fund Rules\ndate: 2024-02-01\n---\n# Eligibility\n\nThe Lantern Seed Fund supports university spin-offs with grants of up to 2 million yuan each.\n\n# Review\n\nApplications are reviewed every quarter by an expert panel of nine members.',
  'press/orchard-valley.html':
    '<html><head><title>Orchard Valley Accelerator</title></head><body><h1>Orchard Valley</h1><p>The Orchard Valley accelerator graduated 57 agritech startups in its first cohort.</p></body></html>',
};

let root: string;
let cleanup: () => Promise<void>;
let docsDir: string;
let indexDir: string;

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  docsDir = path.join(root, 'docs');
  indexDir = path.join(root, 'index');
  await writeFiles(docsDir, CORPUS);
});
afterEach(() => cleanup());

async function build(embeddings = new CountingEmbeddings(), full = false) {
  const summary = await reindex({ docsDir, indexDir, embeddings, full });
  return { summary, embeddings };
}

describe('reindex', () => {
  it('indexes every document, then re-reads nothing when nothing changed', async () => {
    const first = await build();
    expect(first.summary.added.sort()).toEqual(Object.keys(CORPUS).sort());
    expect(first.summary.passages).toBeGreaterThanOrEqual(4);
    expect(first.embeddings.embeddedTexts).toHaveLength(first.summary.passages);

    const second = await build();
    expect(second.summary).toMatchObject({ added: [], changed: [], removed: [], unchanged: 3, embedded: 0 });
    expect(second.embeddings.embeddedTexts).toHaveLength(0);
  });

  it('re-embeds only a changed file, and answers from its new text', async () => {
    await build();
    await writeFiles(docsDir, {
      'press/orchard-valley.html':
        '<html><body><h1>Orchard Valley</h1><p>The Orchard Valley accelerator graduated 64 agritech startups in its second cohort.</p></body></html>',
    });
    const { summary, embeddings } = await build();
    expect(summary.changed).toEqual(['press/orchard-valley.html']);
    expect(summary.unchanged).toBe(2);
    expect(embeddings.embeddedTexts.length).toBe(summary.embedded);
    expect(embeddings.embeddedTexts.every((text) => text.includes('Orchard Valley'))).toBe(true);

    const engine = await openEngine(testConfig(docsDir, indexDir));
    const answer = await engine.ask('How many agritech startups did the Orchard Valley accelerator graduate?');
    await engine.close();
    expect(answer.answer).toContain('64');
    expect(answer.answer).not.toContain('57');
  });

  it('notices a changed sidecar even when the document itself is unchanged', async () => {
    await build();
    await writeFiles(docsDir, { 'parks/harbor-park.txt.meta.json': '{"title":"Harbor Park Note","date":"2024-01-10"}' });
    const { summary } = await build();
    expect(summary.changed).toEqual(['parks/harbor-park.txt']);
    const engine = await openEngine(testConfig(docsDir, indexDir));
    expect(engine.sources().find((s) => s.id === 'parks/harbor-park.txt')?.meta).toMatchObject({ title: 'Harbor Park Note', date: '2024-01-10' });
    await engine.close();
  });

  it('removes a deleted file from answers', async () => {
    await build();
    const question = 'How many agritech startups did the Orchard Valley accelerator graduate?';
    let engine = await openEngine(testConfig(docsDir, indexDir));
    expect((await engine.ask(question)).citations.map((c) => c.source)).toContain('press/orchard-valley.html');
    await engine.close();

    await fs.rm(path.join(docsDir, 'press/orchard-valley.html'));
    const { summary } = await build();
    expect(summary.removed).toEqual(['press/orchard-valley.html']);
    engine = await openEngine(testConfig(docsDir, indexDir));
    const answer = await engine.ask(question);
    const retrieved = await engine.retrieve(question, 20);
    await engine.close();
    expect(answer.citations.map((c) => c.source)).not.toContain('press/orchard-valley.html');
    expect(retrieved.map((p) => p.docId)).not.toContain('press/orchard-valley.html');
  });

  it('leaves the previous index serving when a reindex fails midway, and releases its lock', async () => {
    await build();
    const before = await readCurrentGeneration(indexDir);
    await writeFiles(docsDir, { 'parks/new-park.txt': 'Pine Ridge Park hosts 18 battery makers.' });
    const failing = reindex({
      docsDir,
      indexDir,
      embeddings: new CountingEmbeddings(),
      onProgress: ({ file }) => {
        if (file === 'parks/new-park.txt') throw new Error('simulated crash');
      },
    });
    await expect(failing).rejects.toThrow('simulated crash');
    expect(await readCurrentGeneration(indexDir)).toBe(before);
    expect((await fs.readdir(indexDir)).filter((name) => name.startsWith('gen-'))).toEqual([before]);

    const engine = await openEngine(testConfig(docsDir, indexDir));
    const answer = await engine.ask('How many robotics companies did Harbor Science Park host?');
    await engine.close();
    expect(answer.answer).toContain('412');
    await expect(build()).resolves.toBeTruthy();
  });

  it('refuses a second reindex while one runs, and is not blocked by the lock file of an earlier version', async () => {
    const slow = reindex({ docsDir, indexDir, embeddings: new CountingEmbeddings(384, 300) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(build()).rejects.toThrow(/another reindex \(pid \d+.*\) is running/);
    await slow;

    await fs.writeFile(path.join(indexDir, 'reindex.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, started: 'yesterday' }));
    await expect(build()).resolves.toBeTruthy();
  });

  it('asks for --full when the configured embedder differs from the one that built the index', async () => {
    await build();
    await expect(build(new CountingEmbeddings(64))).rejects.toThrow(/built with the embedder "local-hash-v2-384".*--full/);
    const { summary } = await build(new CountingEmbeddings(64), true);
    expect(summary.added).toHaveLength(3);
  });

  it('skips unreadable files with their reason and indexes the rest', async () => {
    await writeFiles(docsDir, {
      'bad/empty.txt': '',
      'bad/random.txt': Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)),
      'bad/corrupt.pdf': '%PDF-1.4 this is not really a pdf',
      'bad/latin.txt': Buffer.from('Résumé of the Lantern Seed Fund: 30 grants were made.', 'latin1'),
      'bad/picture.jpg': 'jpeg',
    });
    const { summary } = await build();
    const reasons = Object.fromEntries(summary.skipped.map(({ file, reason }) => [file, reason]));
    expect(Object.keys(reasons).sort()).toEqual(['bad/corrupt.pdf', 'bad/empty.txt', 'bad/picture.jpg', 'bad/random.txt']);
    expect(reasons['bad/empty.txt']).toMatch(/empty/);
    expect(reasons['bad/random.txt']).toMatch(/not a text file/);
    expect(summary.added).toContain('bad/latin.txt');
    expect(summary.warnings).toEqual([{ file: 'bad/latin.txt', warning: expect.stringMatching(/Latin-1/) }]);
  });

  it('shows the pages of a long PDF as they are read, in this thread and in the preparation worker', async () => {
    const paragraphs = Array.from({ length: 120 }, (_, i) => `Paragraph ${i + 1} of the annual report describes the laboratories the zone opened this year.`);
    await writeFiles(docsDir, { 'reports/long.pdf': await makePdf(paragraphs, 'Long report') });
    for (const prepareInWorker of [false, true]) {
      const events: string[] = [];
      await reindex({ docsDir, indexDir, embeddings: new CountingEmbeddings(), full: true, prepareInWorker, onProgress: ({ file }) => events.push(file) });
      const pages = events.filter((file) => file.startsWith('reports/long.pdf (page '));
      expect(pages.length, `in worker: ${prepareInWorker}`).toBeGreaterThanOrEqual(3);
      expect(pages.at(-1)).toMatch(/^reports\/long\.pdf \(page (\d+) of \1\)$/);
    }
  });

  it('names the files left with nothing but page furniture, the unsupported formats, and the documents with no date', async () => {
    await writeFiles(docsDir, {
      'bar.html': '<html><body><p>Share - WeChat</p><p>Print</p></body></html>',
      'scripts.html': '<html><head><script>var a = 1;</script></head><body><script>x()</script></body></html>',
      'old.doc': 'Word 97',
      'dated/release.txt': 'Zone news\n\nMarch 24, 2023 /Wire/ -- The zone opened a laboratory for sensor chips.',
    });
    const { summary } = await build();
    const reasons = Object.fromEntries(summary.skipped.map(({ file, reason }) => [file, reason]));
    expect(reasons['bar.html']).toMatch(/page furniture only/);
    expect(reasons['scripts.html']).toMatch(/no readable text/);
    expect(reasons['old.doc']).toMatch(/save as .docx or PDF/);
    // harbor-park.txt and the HTML page state no date anywhere; the release's dateline and the front matter do.
    expect(summary.undated.sort()).toEqual(['parks/harbor-park.txt', 'press/orchard-valley.html']);
  });
});

describe('a missing or damaged index', () => {
  it('is built on first use', async () => {
    const reasons: string[] = [];
    const engine = await openEngine(testConfig(docsDir, indexDir), { onBuild: (reason) => reasons.push(reason) });
    expect(reasons).toEqual(['no index yet']);
    expect(engine.indexInfo()).toMatchObject({ documents: 3, embedder: 'local-hash-v2-384' });
    await engine.close();
  });

  it.each(['vectors.hnsw', 'index.sqlite', 'manifest.json'])('is rebuilt when %s is truncated', async (file) => {
    await build();
    const generation = (await readCurrentGeneration(indexDir))!;
    const target = path.join(indexDir, generation, file);
    const { size } = await fs.stat(target);
    await fs.truncate(target, Math.floor(size / 2));

    const reasons: string[] = [];
    const engine = await openEngine(testConfig(docsDir, indexDir), { onBuild: (reason) => reasons.push(reason) });
    expect(reasons[0]).toMatch(/truncated|damaged/);
    const answer = await engine.ask('How many robotics companies did Harbor Science Park host?');
    await engine.close();
    expect(answer.answer).toContain('412');
  });
});

describe('an index made by another version', () => {
  it('is rebuilt when its figures were extracted by another version, so no stale figure is served', async () => {
    await build();
    const generation = (await readCurrentGeneration(indexDir))!;
    const file = path.join(indexDir, generation, 'manifest.json');
    const manifest = JSON.parse(await fs.readFile(file, 'utf8'));
    await fs.writeFile(file, JSON.stringify({ ...manifest, figureExtraction: manifest.figureExtraction - 1 }));

    const reasons: string[] = [];
    const engine = await openEngine(testConfig(docsDir, indexDir), { onBuild: (reason) => reasons.push(reason) });
    await engine.close();
    expect(reasons[0]).toMatch(/another version/);
    const rebuilt = JSON.parse(await fs.readFile(path.join(indexDir, (await readCurrentGeneration(indexDir))!, 'manifest.json'), 'utf8'));
    expect(rebuilt.figureExtraction).toBe(manifest.figureExtraction);
  });
});

describe('a running engine', () => {
  it('reads its figures lookup only once warmed up (the bot logs in first), stores it, and a restart reads it back', async () => {
    await build();
    const lookupFile = path.join(indexDir, (await readCurrentGeneration(indexDir))!, STORED_LOOKUP_FILE);
    const first = await openEngine(testConfig(docsDir, indexDir), { watch: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fs.stat(lookupFile)).rejects.toThrow();
    first.warmUp();
    await first.figuresReady();
    const expected = first.searchFigures('Harbor Science Park robotics companies');
    await first.close();
    const written = (await fs.stat(lookupFile)).mtimeMs;

    const restarted = await openEngine(testConfig(docsDir, indexDir), { watch: true });
    restarted.warmUp();
    await restarted.figuresReady();
    const found = restarted.searchFigures('Harbor Science Park robotics companies');
    await restarted.close();
    expect(expected[0]?.figure.raw).toMatch(/412/);
    expect(found).toEqual(expected);
    expect((await fs.stat(lookupFile)).mtimeMs).toBe(written);
  });

  it('serves a new generation after a reindex without being reopened', async () => {
    await build();
    const engine = await openEngine(testConfig(docsDir, indexDir), { watch: true });
    const question = 'How many battery makers does Pine Ridge Park host?';
    expect((await engine.ask(question)).refused).toBe(true);

    await writeFiles(docsDir, { 'parks/pine-ridge.txt': 'Pine Ridge Park hosts 18 battery makers and two recycling plants.' });
    await build();
    const deadline = Date.now() + 10_000;
    let answer = await engine.ask(question);
    while (answer.refused && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await engine.ask(question);
    }
    // The figures catalog follows once the new generation's lookup is built.
    let figures = engine.figures().search('Pine Ridge battery makers');
    while (!figures.some((match) => match.figure.source.id === 'parks/pine-ridge.txt') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      figures = engine.figures().search('Pine Ridge battery makers');
    }
    await engine.close();
    expect(answer.citations[0]?.source).toBe('parks/pine-ridge.txt');
    expect(answer.answer).toContain('18 battery makers');
    expect(figures[0]?.figure.source.id).toBe('parks/pine-ridge.txt');
  });
});
