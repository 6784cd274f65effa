import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../src/bench/index.js';
import { LocalHashEmbeddings } from '../src/embeddings/index.js';
import { IndexSnapshot, readCurrentGeneration, reindex } from '../src/index/index.js';
import { queryTerms } from '../src/text/tokenize.js';
import { tempDir } from './support/corpus.js';
import { openEngine } from '../src/engine/index.js';
import { CountingEmbeddings, testConfig } from './support/engine.js';

let root: string;
let cleanup: () => Promise<void>;
let docsDir: string;
const embeddings = new LocalHashEmbeddings(384);

beforeEach(async () => {
  ({ dir: root, cleanup } = await tempDir());
  docsDir = path.join(root, 'docs');
});
afterEach(() => cleanup());

/** Everything a generation stores about passages and figures, and the passages' vectors, in a comparable form. */
async function storedContent(indexDir: string) {
  const snapshot = await IndexSnapshot.open(indexDir);
  const db = new Database(path.join(indexDir, snapshot.generation, 'index.sqlite'), { readonly: true });
  try {
    const passages = db.prepare('SELECT * FROM passages ORDER BY id').all() as { id: number }[];
    return {
      documents: db.prepare('SELECT * FROM documents ORDER BY id').all(),
      passages,
      terms: db.prepare('SELECT rowid, terms FROM passages_fts ORDER BY rowid').all(),
      figures: db.prepare('SELECT * FROM figures ORDER BY id').all(),
      vectors: passages.map(({ id }) => snapshot.passageVector(id)),
    };
  } finally {
    db.close();
    snapshot.close();
  }
}

/** Rewrites each of these documents with one more sentence, so each is a changed file. */
async function editDocuments(files: string[], round: number): Promise<void> {
  for (const file of files) {
    const target = path.join(docsDir, file);
    await fs.appendFile(target, `\n\nRevision ${round} of ${file} added a closing remark on delivery schedules.\n`);
  }
}

/** Every stored passage is found by its own vector, and no removed passage is found at all. */
async function expectVectorsMatchStore(indexDir: string, removed: { id: number; vector: number[] }[]): Promise<void> {
  const snapshot = await IndexSnapshot.open(indexDir);
  try {
    const db = new Database(path.join(indexDir, snapshot.generation, 'index.sqlite'), { readonly: true });
    const ids = db.prepare('SELECT id FROM passages').pluck().all() as number[];
    db.close();
    const live = new Set(ids);
    for (const id of ids) {
      const hits = snapshot.vectorSearch(snapshot.passageVector(id), 3);
      expect(hits.map((hit) => hit.id)).toContain(id);
      expect(hits.every((hit) => live.has(hit.id))).toBe(true);
    }
    for (const { vector } of removed) {
      expect(snapshot.vectorSearch(vector, 10).every((hit) => live.has(hit.id))).toBe(true);
    }
  } finally {
    snapshot.close();
  }
}

describe('a large reindex', () => {
  it('stores the same passages, terms, figures and vectors whether documents are prepared (and embedded) in a worker thread or not', async () => {
    const corpus = await generateCorpus(docsDir, { passages: 300, questions: 1 });
    expect(corpus.documents).toBeGreaterThanOrEqual(10);
    const inWorker = await reindex({ docsDir, indexDir: path.join(root, 'worker'), embeddings, prepareInWorker: true });
    const inThread = await reindex({ docsDir, indexDir: path.join(root, 'thread'), embeddings, prepareInWorker: false });
    // An embedder other than the local one is called by the indexer itself.
    const counting = new CountingEmbeddings();
    await reindex({ docsDir, indexDir: path.join(root, 'counting'), embeddings: counting, prepareInWorker: true });
    expect(counting.embeddedTexts).toHaveLength(inWorker.passages);

    const summary = ({ seconds: _s, generation: _g, ...rest }: typeof inWorker) => rest;
    expect(summary(inWorker)).toEqual(summary(inThread));
    expect(inWorker.passages).toBeGreaterThanOrEqual(300);
    const stored = await storedContent(path.join(root, 'thread'));
    expect(await storedContent(path.join(root, 'worker'))).toEqual(stored);
    expect(await storedContent(path.join(root, 'counting'))).toEqual(stored);
  });

  it('fails with the reason, keeping the previous index, when a file cannot be read in the worker', async () => {
    const corpus = await generateCorpus(docsDir, { passages: 300, questions: 1 });
    const indexDir = path.join(root, 'index');
    await reindex({ docsDir, indexDir, embeddings });
    const before = await readCurrentGeneration(indexDir);
    const files = (await fs.readdir(docsDir)).sort();
    await editDocuments(files, 1);
    const last = path.join(docsDir, files.at(-1)!);
    const failing = reindex({
      docsDir,
      indexDir,
      embeddings,
      prepareInWorker: true,
      // The last file disappears after the scan, before the worker reaches it.
      onProgress: ({ done }) => {
        if (done === 0) void fs.rm(last);
      },
    });
    await expect(failing).rejects.toThrow(/ENOENT.*no such file/);
    expect(await readCurrentGeneration(indexDir)).toBe(before);
    expect(corpus.documents).toBe(files.length);
  });
});

describe('retrieval in a corpus large enough that common terms only rescore candidates', () => {
  it('finds the passage each question paraphrases among the first ten', async () => {
    // Over 1,000 passages share words such as "technology" and "enterprises": the lexical search then takes
    // candidates by each question's rarer terms and ranks them by BM25 over all its terms.
    const corpus = await generateCorpus(docsDir, { passages: 2_500, questions: 40 });
    const indexDir = path.join(root, 'index');
    await reindex({ docsDir, indexDir, embeddings });
    const engine = await openEngine(testConfig(docsDir, indexDir));
    let found = 0;
    for (const question of corpus.questions) {
      const passages = await engine.retrieve(question.question, 10);
      if (passages.some((passage) => passage.docId === question.docId && passage.text.includes(question.fact))) found++;
    }
    await engine.close();
    expect(found / corpus.questions.length).toBeGreaterThanOrEqual(0.9);

    // Searching by rare terms only (as for a question's words in the other language): a common word alone finds nothing.
    const snapshot = await IndexSnapshot.open(indexDir);
    expect(snapshot.lexicalSearch(['technolog'], 10).length).toBeGreaterThan(0);
    expect(snapshot.lexicalSearch(['technolog'], 10, { rareOnly: true })).toEqual([]);
    const question = corpus.questions[0];
    const byRareTerms = snapshot.lexicalSearch(queryTerms(question.question), 10, { rareOnly: true }).map(({ id }) => snapshot.passage(id)!);
    expect(byRareTerms.some((passage) => passage.docId === question.docId && passage.text.includes(question.fact))).toBe(true);
    snapshot.close();
  });
});

describe('vectors after incremental reindexes', () => {
  it('keep the base file shared, find changed and added passages, never removed ones, and merge into a new base in time', async () => {
    await generateCorpus(docsDir, { passages: 1500, questions: 1 });
    const indexDir = path.join(root, 'index');
    await reindex({ docsDir, indexDir, embeddings });
    const first = await IndexSnapshot.open(indexDir);
    const files = (await fs.readdir(docsDir)).sort();
    const baseInode = (await fs.stat(path.join(indexDir, first.generation, first.manifest.vectors.base))).ino;
    const db = new Database(path.join(indexDir, first.generation, 'index.sqlite'), { readonly: true });
    const oldIds = db.prepare('SELECT id FROM passages WHERE doc_id IN (?, ?)').pluck().all(files[0], files[1]) as number[];
    db.close();
    const removed = oldIds.map((id) => ({ id, vector: first.passageVector(id) }));
    first.close();

    // One document edited, one deleted, one added.
    await editDocuments([files[0]], 1);
    await fs.rm(path.join(docsDir, files[1]));
    await fs.writeFile(path.join(docsDir, 'added.md'), '# Added\n\nThe Riverside Incubator admitted 31 hydrogen start-ups in its spring intake.\n');
    const summary = await reindex({ docsDir, indexDir, embeddings });
    expect(summary).toMatchObject({ changed: [files[0]], removed: [files[1]], added: ['added.md'] });
    const second = await IndexSnapshot.open(indexDir);
    expect(second.manifest.vectors.delta).not.toBeNull();
    expect(second.manifest.vectors.removedFromBase.sort((a, b) => a - b)).toEqual(oldIds.sort((a, b) => a - b));
    expect((await fs.stat(path.join(indexDir, second.generation, second.manifest.vectors.base))).ino).toBe(baseInode);
    second.close();
    await expectVectorsMatchStore(indexDir, removed);

    // Changing every document again and again grows the delta until it is merged into a new base; the
    // second merge finds more removed entries than live ones and builds the graph anew, smaller.
    const mergedBaseSizes: number[] = [];
    for (let round = 2; round <= 8 && mergedBaseSizes.length < 2; round++) {
      await editDocuments(files.slice(2), round);
      await reindex({ docsDir, indexDir, embeddings });
      const snapshot = await IndexSnapshot.open(indexDir);
      if (snapshot.manifest.vectors.delta === null)
        mergedBaseSizes.push((await fs.stat(path.join(indexDir, snapshot.generation, snapshot.manifest.vectors.base))).size);
      snapshot.close();
      await expectVectorsMatchStore(indexDir, removed);
    }
    expect(mergedBaseSizes).toHaveLength(2);
    expect(mergedBaseSizes[1]).toBeLessThan(mergedBaseSizes[0]);
  });
});
