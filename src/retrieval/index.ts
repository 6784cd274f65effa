import type { RetrievedPassage } from '../answering/types.js';
import type { NamedEmbeddings } from '../embeddings/index.js';
import type { IndexSnapshot } from '../index/index.js';
import { queryTerms } from '../text/tokenize.js';

export interface RetrievalOptions {
  /** How many passages to return. */
  k: number;
  /** How deep each ranking is read before fusion. */
  depth?: number;
}

/** Reciprocal rank fusion's constant: 60 is the value of the original paper and holds up on our eval sets. */
const RRF_K = 60;

/**
 * Hybrid retrieval: the lexical ranking (FTS5 BM25 over our index terms) and the vector ranking
 * (HNSW over the embedder's vectors) fused by reciprocal rank. Lexical matching finds exact names
 * and figures; vectors find passages that share word forms and fragments the terms miss.
 */
export async function retrieve(snapshot: IndexSnapshot, embeddings: NamedEmbeddings, question: string, options: RetrievalOptions): Promise<RetrievedPassage[]> {
  const depth = Math.max(options.depth ?? 50, options.k);
  const vector = await embeddings.embedQuery(question);
  const lexical = snapshot.lexicalSearch(queryTerms(question), depth);
  const semantic = snapshot.vectorSearch(vector, depth);
  return fuseRankings([lexical, semantic])
    .slice(0, options.k)
    .flatMap(({ id, score }) => {
      const passage = snapshot.passage(id);
      const meta = passage && snapshot.documents.get(passage.docId);
      if (!passage || !meta) return [];
      const { passages: _count, ...docMeta } = meta;
      return [{ id, docId: passage.docId, meta: docMeta, heading: passage.heading, text: passage.text, score }];
    });
}

/** Sums 1/(RRF_K + rank) over the rankings an item appears in; best first. */
export function fuseRankings(rankings: { id: number }[][]): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    ranking.forEach(({ id }, rank) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
