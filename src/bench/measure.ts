import { promises as fs } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';

/** Nearest-rank percentile of a list of milliseconds; null for an empty list. */
export function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The process's peak resident set size so far (the kernel's high-water mark), in MiB. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export async function directorySizeMb(dir: string): Promise<number> {
  let bytes = 0;
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) bytes += (await fs.stat(path.join(entry.parentPath, entry.name))).size;
  }
  return bytes / (1024 * 1024);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/**
 * Recall@k of an approximate search against exact search over the same vectors: the share of the
 * true k nearest neighbours (hnswlib's brute-force index in the same space) the approximate one returns.
 */
export function recallAtK(
  space: 'ip' | 'cosine',
  points: { label: number; vector: number[] }[],
  queries: number[][],
  approximate: (query: number[], k: number) => number[],
  k: number,
): number {
  const exact = new hnswlib.BruteforceSearch(space, queries[0]?.length ?? 1);
  exact.initIndex(points.length);
  for (const { label, vector } of points) exact.addPoint(vector, label);
  let found = 0;
  let wanted = 0;
  for (const query of queries) {
    const truth = new Set(exact.searchKnn(query, Math.min(k, points.length)).neighbors);
    found += approximate(query, truth.size).filter((label) => truth.has(label)).length;
    wanted += truth.size;
  }
  return wanted ? found / wanted : 1;
}

export const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** The share of true flags (0 for none). */
export function share(flags: boolean[]): number {
  return flags.length ? flags.filter(Boolean).length / flags.length : 0;
}
