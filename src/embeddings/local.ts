import { Embeddings } from '@langchain/core/embeddings';
import { normalizeText, tokenize } from '../text/tokenize.js';

/**
 * An embedder that needs no model: the text's index terms (stemmed words, Chinese words and character
 * pairs) and the character trigrams of its words are hashed into a fixed number of signed dimensions,
 * weighted by sublinear term frequency, and L2-normalized. It measures shared vocabulary and word
 * forms, not meaning: synonyms and translations do not meet (see README).
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly id: string;

  constructor(readonly dimensions: number) {
    super({});
    this.id = `local-hash-v1-${dimensions}`;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.embed(text));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }

  embed(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
    for (const term of tokenize(text)) add(`w:${term}`, 1);
    for (const word of normalizeText(text).match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (/\p{Script=Han}/u.test(word) || word.length < 4) continue;
      const padded = `^${word}$`;
      for (let i = 0; i + 3 <= padded.length; i++) add(`c:${padded.slice(i, i + 3)}`, 0.25);
    }
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const [feature, count] of counts) {
      const hash = fnv1a(feature);
      const sign = hash & 0x80000000 ? -1 : 1;
      vector[hash % this.dimensions] += sign * (1 + Math.log(count));
    }
    const norm = Math.hypot(...vector);
    return norm > 0 ? vector.map((value) => value / norm) : vector;
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
