import type { BenchQuestion } from './corpus.js';

/** The figures measured for one pipeline at one size (the fields, then details). */
export interface SideResult {
  build_s: number;
  passages_per_s: number;
  incremental_s: number;
  query_p50_ms: number | null;
  query_p95_ms: number | null;
  hit_at_10: number;
  recall_at_10: number;
  disk_mb: number;
  load_s: number;
  /** Peak RSS of the serving process (load + queries), in MiB. */
  rss_mb: number;
  /** Peak RSS of the building process (full build + incremental), in MiB. */
  build_rss_mb: number;
  /** RSS of the serving worker before any work (Node, tsx and the pipeline's modules), included in rss_mb. */
  process_base_rss_mb: number;
  passages: number;
  /** How many questions were timed and scored. */
  queries: number;
  /** For ours: retrieval alone (engine.retrieve, k=10), the part comparable with the baseline's invoke. */
  retrieve_p50_ms?: number | null;
  retrieve_p95_ms?: number | null;
  /** For ours: hit@10 on the questions the baseline was asked (the same subset when it is bounded). */
  hit_at_10_on_baseline_queries?: number;
  /** For ours: share of questions answered (not refused) by the extractive answerer. */
  answered?: number;
}

/** What a worker process is asked to do; written as JSON to a file the worker reads. */
export interface WorkerJob {
  side: 'ours' | 'baseline';
  phase: 'build' | 'serve';
  docsDir: string;
  /** Ours: the index folder; baseline: the folder HNSWLib.save writes. */
  storeDir: string;
  questions: BenchQuestion[];
  /** How many of the questions to time (the baseline's may be bounded). */
  queryLimit: number;
  change: { docId: string; text: string };
  resultFile: string;
}

export type BuildFigures = Pick<SideResult, 'build_s' | 'incremental_s' | 'disk_mb' | 'passages' | 'build_rss_mb'>;
/** What a serving worker returns: its figures and, per question, whether the right passage was in the top 10. */
export type ServeFigures = Omit<SideResult, keyof BuildFigures | 'passages_per_s'> & { hits: boolean[] };
