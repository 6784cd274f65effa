import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
export type VectorIndex = InstanceType<typeof HierarchicalNSW>;

/** Graph parameters: M=16 and efConstruction=100 build fast and, with the search ef below, keep recall@10 near 1. */
const M = 16;
const EF_CONSTRUCTION = 100;
/**
 * hnswlib's search default of ef=10 (which LangChain's HNSWLib wrapper keeps) loses about a quarter of
 * the true neighbours; the bench measures recall against exact search with this value.
 */
export const SEARCH_EF = 256;

export function createVectorIndex(dimensions: number, capacity: number): VectorIndex {
  const index = new HierarchicalNSW('ip', dimensions);
  index.initIndex({ maxElements: Math.max(capacity, 16), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100, allowReplaceDeleted: true });
  return index;
}

export function readVectorIndex(file: string, dimensions: number): VectorIndex {
  const index = new HierarchicalNSW('ip', dimensions);
  index.readIndexSync(file, true);
  index.setEf(SEARCH_EF);
  return index;
}

/** Adds vectors, growing the index as needed and reusing the slots of deleted ones. */
export function addVectors(index: VectorIndex, entries: { label: number; vector: number[] }[]): void {
  const needed = index.getCurrentCount() + entries.length;
  if (needed > index.getMaxElements()) index.resizeIndex(Math.ceil(needed * 1.25));
  for (const { label, vector } of entries) index.addPoint(vector, label, true);
}

export function deleteVectors(index: VectorIndex, labels: number[]): void {
  for (const label of labels) index.markDelete(label);
}

export function searchVectors(index: VectorIndex, query: number[], k: number, live: number): { label: number; similarity: number }[] {
  const limit = Math.min(k, live);
  if (limit <= 0) return [];
  index.setEf(Math.max(SEARCH_EF, limit));
  const { neighbors, distances } = index.searchKnn(query, limit);
  // For the inner-product space hnswlib's distance is 1 - dot product.
  return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
}
