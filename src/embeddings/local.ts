import { Embeddings } from '@langchain/core/embeddings';
import { normalizeText, tokenize } from '../text/tokenize.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const WORD_SEED = fnvString(FNV_OFFSET, 'w:');
const TRIGRAM_SEED = fnvString(FNV_OFFSET, 'c:');
const TRIGRAM_WEIGHT = 0.25;
const NON_HAN_WORD = /[[\p{L}\p{N}]--\p{Script=Han}]{4,}/gv;

/**
 * An embedder that needs no model: the text's index terms (stemmed words, Chinese words and character
 * pairs) and the character trigrams of its longer words are hashed into a fixed number of signed
 * dimensions (term frequency counted linearly; passages are short) and L2-normalized. It measures shared vocabulary
 * and word forms, not meaning: synonyms and translations do not meet (see README).
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly id: string;

  constructor(readonly dimensions: number) {
    super({});
    this.id = `local-hash-v2-${dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  embed(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    // Each feature adds its weight to one dimension, with a sign from its hash (so collisions tend to cancel).
    const add = (hash: number, weight: number) => {
      vector[hash % this.dimensions] += hash & 0x80000000 ? -weight : weight;
    };
    for (const term of tokenize(text)) add(fnvString(WORD_SEED, term), 1);
    for (const [word] of normalizeText(text).matchAll(NON_HAN_WORD)) {
      const padded = `^${word}$`;
      // Hashing char codes directly avoids building a string per trigram.
      for (let i = 0; i + 3 <= padded.length; i++) {
        let hash = TRIGRAM_SEED;
        for (let j = i; j < i + 3; j++) hash = Math.imul(hash ^ padded.charCodeAt(j), FNV_PRIME) >>> 0;
        add(hash, TRIGRAM_WEIGHT);
      }
    }
    let norm = 0;
    for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
    norm = Math.sqrt(norm);
    return Array.from(vector, (value) => (norm > 0 ? value / norm : 0));
  }
}

function fnvString(seed: number, text: string): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME) >>> 0;
  return hash;
}
