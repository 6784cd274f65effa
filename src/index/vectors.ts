import { promises as fs } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

const { HierarchicalNSW } = hnswlib;
type VectorIndex = InstanceType<typeof HierarchicalNSW>;

/** Graph parameters: M=16 and efConstruction=100 build fast and, with the search ef below, keep recall@10 near 1. */
const M = 16;
const EF_CONSTRUCTION = 100;
/**
 * hnswlib's search default of ef=10 (which LangChain's HNSWLib wrapper keeps) loses about a quarter of
 * the true neighbours; the bench measures recall against exact search with this value.
 */
export const SEARCH_EF = 256;

const BASE_FILE = 'vectors.hnsw';
const DELTA_FILE = 'vectors-delta.hnsw';
/**
 * The delta and the base's removed passages are merged into a new base once they exceed this share of
 * the base: a large delta slows searches and makes each reindex rewrite more.
 */
const COMPACT_SHARE = 0.1;
/**
 * Removed vectors stay in the graph as deleted entries (searches still pass through them: reusing their
 * slots for new vectors cuts the graph apart). Once they outnumber the live ones, a compaction builds
 * the graph anew from the live vectors.
 */
const REBUILD_WHEN_DEAD_PER_LIVE = 1;

/**
 * A generation's vectors are a base file, written by a full build or a compaction and then shared by
 * the generations after it (hard-linked, never rewritten), and a small delta file holding the passages
 * added since. A reindex that changes a few documents writes only the delta, so its cost does not grow
 * with the corpus. Recorded in the manifest.
 */
export interface VectorFiles {
  base: string;
  delta: string | null;
  /** Labels below this are in the base, the others in the delta (labels only grow). */
  baseLabelLimit: number;
  /** Vectors in the base when it was written. */
  baseCount: number;
  /** Base labels whose passages were removed since the base was written. */
  removedFromBase: number[];
}

/** A generation's vectors opened for searching. */
export class PassageVectors {
  private constructor(
    private readonly base: VectorIndex,
    private readonly delta: VectorIndex | null,
    private readonly baseLabelLimit: number,
  ) {}

  static async open(generationDir: string, files: VectorFiles, dimensions: number): Promise<PassageVectors> {
    const base = await readVectorIndex(path.join(generationDir, files.base), dimensions);
    for (const label of files.removedFromBase) base.markDelete(label);
    const delta = files.delta ? await readVectorIndex(path.join(generationDir, files.delta), dimensions) : null;
    return new PassageVectors(base, delta, files.baseLabelLimit);
  }

  /** The k passages whose vectors are nearest the query, best first (similarity = inner product). */
  search(query: number[], k: number): { label: number; similarity: number }[] {
    const hits = [...searchIndex(this.base, query, k), ...(this.delta ? searchIndex(this.delta, query, k) : [])];
    return hits.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  /** The stored vector of a passage (the bench compares the search with exact search over these). */
  vector(label: number): number[] {
    return (label < this.baseLabelLimit ? this.base : this.delta!).getPoint(label);
  }
}

/**
 * The vectors of the generation being written: started from the previous generation's files (or
 * empty), given the removed and added passages, then written into the new generation's folder.
 */
export class VectorUpdate {
  private readonly removedFromBase: number[];

  private constructor(
    private readonly dimensions: number,
    private readonly previous: { dir: string; files: VectorFiles } | null,
    /** The index new vectors go into: the whole new base in a full build, else the delta. */
    private readonly target: VectorIndex,
  ) {
    this.removedFromBase = [...(previous?.files.removedFromBase ?? [])];
  }

  /** A full build: every vector goes into a new base. */
  static empty(dimensions: number): VectorUpdate {
    return new VectorUpdate(dimensions, null, createVectorIndex(dimensions, 1024));
  }

  /** An update of the previous generation: the base stays as it is, changes go to the delta. */
  static async from(previousDir: string, files: VectorFiles, dimensions: number): Promise<VectorUpdate> {
    const delta = files.delta ? await readVectorIndex(path.join(previousDir, files.delta), dimensions) : createVectorIndex(dimensions, 1024);
    return new VectorUpdate(dimensions, { dir: previousDir, files }, delta);
  }

  remove(labels: number[]): void {
    for (const label of labels) {
      if (this.previous && label < this.previous.files.baseLabelLimit) this.removedFromBase.push(label);
      else this.target.markDelete(label);
    }
  }

  add(entries: { label: number; vector: number[] }[]): void {
    addPoints(this.target, entries);
  }

  /**
   * Writes the generation's vector files and says what they are. `liveLabels` lists the passages the
   * generation holds (its store knows them); it is read only when the delta is merged into a new base.
   */
  async write(generationDir: string, nextLabel: number, liveLabels: () => number[]): Promise<VectorFiles> {
    const base = path.join(generationDir, BASE_FILE);
    if (!this.previous) {
      await writeVectorIndex(this.target, base);
      return { base: BASE_FILE, delta: null, baseLabelLimit: nextLabel, baseCount: this.target.getCurrentCount(), removedFromBase: [] };
    }
    const { dir, files } = this.previous;
    const changed = this.target.getCurrentCount() + this.removedFromBase.length;
    if (changed > COMPACT_SHARE * files.baseCount) return this.compact(base, nextLabel, liveLabels());
    await linkOrCopy(path.join(dir, files.base), base);
    const hasDelta = this.target.getCurrentCount() > 0;
    if (hasDelta) await writeVectorIndex(this.target, path.join(generationDir, DELTA_FILE));
    return { ...files, base: BASE_FILE, delta: hasDelta ? DELTA_FILE : null, removedFromBase: this.removedFromBase };
  }

  /** Merges the delta into a copy of the base, leaving the removed passages out. */
  private async compact(baseFile: string, nextLabel: number, liveLabels: number[]): Promise<VectorFiles> {
    const { dir, files } = this.previous!;
    let merged = await readVectorIndex(path.join(dir, files.base), this.dimensions);
    for (const label of this.removedFromBase) merged.markDelete(label);
    const delta = this.target;
    addPoints(
      merged,
      liveLabels.filter((label) => label >= files.baseLabelLimit).map((label) => ({ label, vector: delta.getPoint(label) })),
    );
    const dead = merged.getCurrentCount() - liveLabels.length;
    if (dead > REBUILD_WHEN_DEAD_PER_LIVE * liveLabels.length) {
      const old = merged;
      merged = createVectorIndex(this.dimensions, liveLabels.length);
      addPoints(
        merged,
        liveLabels.map((label) => ({ label, vector: old.getPoint(label) })),
      );
    }
    await writeVectorIndex(merged, baseFile);
    return { base: BASE_FILE, delta: null, baseLabelLimit: nextLabel, baseCount: liveLabels.length, removedFromBase: [] };
  }
}

/** Adds vectors as new entries, growing the index as needed. */
function addPoints(index: VectorIndex, entries: { label: number; vector: number[] }[]): void {
  const needed = index.getCurrentCount() + entries.length;
  if (needed > index.getMaxElements()) index.resizeIndex(Math.ceil(needed * 1.25));
  for (const { label, vector } of entries) index.addPoint(vector, label);
}

function createVectorIndex(dimensions: number, capacity: number): VectorIndex {
  const index = new HierarchicalNSW('ip', dimensions);
  index.initIndex({ maxElements: Math.max(capacity, 16), m: M, efConstruction: EF_CONSTRUCTION, randomSeed: 100 });
  return index;
}

/**
 * hnswlib writes through a C++ stream that ignores write errors: on a full disk it leaves a short file
 * and reports success. So the file is checked against the length its own header implies, and a short
 * one fails like the write that was cut short (which is, but for a rare I/O error, a full disk or quota).
 */
async function writeVectorIndex(index: VectorIndex, file: string): Promise<void> {
  await index.writeIndex(file);
  if (!(await isWholeVectorFile(file))) {
    throw Object.assign(new Error(`the vectors file ${file} was written only in part (no space left on device?)`), { code: 'ENOSPC' });
  }
}

/**
 * hnswlib's file layout (hnswalg.h, saveIndex): a 96-byte header of size_t fields, with the element count
 * at byte 16 and the size of an element's level-0 record at byte 24; the level-0 records; then per element
 * a 32-bit length and that many bytes of upper-level links.
 */
const HNSW_HEADER_BYTES = 96;

/** Whether an hnswlib index file is as long as its header and link-list lengths say it must be. */
export async function isWholeVectorFile(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size < HNSW_HEADER_BYTES) return false;
    const header = Buffer.alloc(HNSW_HEADER_BYTES);
    await handle.read(header, 0, HNSW_HEADER_BYTES, 0);
    const count = Number(header.readBigUInt64LE(16));
    const linksStart = HNSW_HEADER_BYTES + count * Number(header.readBigUInt64LE(24));
    if (linksStart > size) return false;
    const links = Buffer.alloc(size - linksStart);
    await handle.read(links, 0, links.length, linksStart);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      if (offset + 4 > links.length) return false;
      offset += 4 + links.readUInt32LE(offset);
    }
    return offset === links.length;
  } finally {
    await handle.close();
  }
}

/** Read on libuv's thread pool: a large file takes a second that a running bot should not stop for. */
async function readVectorIndex(file: string, dimensions: number): Promise<VectorIndex> {
  const index = new HierarchicalNSW('ip', dimensions);
  await index.readIndex(file);
  return index;
}

function searchIndex(index: VectorIndex, query: number[], k: number): { label: number; similarity: number }[] {
  const limit = Math.min(k, index.getMaxElements());
  if (limit <= 0 || index.getCurrentCount() === 0) return [];
  index.setEf(Math.max(SEARCH_EF, limit));
  const { neighbors, distances } = index.searchKnn(query, limit);
  // For the inner-product space hnswlib's distance is 1 - dot product.
  return neighbors.map((label, i) => ({ label, similarity: 1 - distances[i] }));
}

/** A hard link where the filesystem allows one (the base is never modified), a copy elsewhere. */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await fs.link(from, to).catch(() => fs.copyFile(from, to));
}
