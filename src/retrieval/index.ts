import type { RetrievedPassage } from '../answering/types.js';
import type { NamedEmbeddings } from '../embeddings/index.js';
import type { IndexSnapshot } from '../index/index.js';
import { synonymsOf } from '../text/synonyms.js';
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
 * How much the vector ranking counts against the lexical one. The local embedder hashes the same
 * words the lexical index matches, only more coarsely, so its ranking counts half (the eval sets'
 * answers improve, their hit@k does not drop); a model's embeddings bring meaning and count fully.
 */
function vectorWeight(embeddings: NamedEmbeddings): number {
  return embeddings.id.startsWith('local-') ? 0.5 : 1;
}

/**
 * Hybrid retrieval: the lexical ranking (FTS5 BM25 over our index terms) and the vector ranking
 * (HNSW over the embedder's vectors) fused by reciprocal rank. Lexical matching finds exact names
 * and figures; vectors find passages that share word forms and fragments the terms miss.
 */
export async function retrieve(snapshot: IndexSnapshot, embeddings: NamedEmbeddings, question: string, options: RetrievalOptions): Promise<RetrievedPassage[]> {
  const depth = Math.max(options.depth ?? 50, options.k);
  const vector = await embeddings.embedQuery(question);
  const terms = queryTerms(question);
  const lexical = snapshot.lexicalSearch([...new Set([...terms, ...terms.flatMap(synonymsOf)])], depth);
  const semantic = snapshot.vectorSearch(vector, depth);
  return fuseRankings([
    { ranking: lexical, weight: 1 },
    { ranking: semantic, weight: vectorWeight(embeddings) },
  ])
    .slice(0, options.k)
    .flatMap(({ id, score }) => {
      const passage = snapshot.passage(id);
      const meta = passage && snapshot.documents.get(passage.docId);
      if (!passage || !meta) return [];
      const { passages: _count, ...docMeta } = meta;
      return [{ id, docId: passage.docId, meta: docMeta, heading: passage.heading, text: passage.text, score }];
    });
}

/** Sums weight/(RRF_K + rank) over the rankings an item appears in; best first. */
export function fuseRankings(rankings: { ranking: { id: number }[]; weight: number }[]): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const { ranking, weight } of rankings) {
    ranking.forEach(({ id }, rank) => scores.set(id, (scores.get(id) ?? 0) + weight / (RRF_K + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
