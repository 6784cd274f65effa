import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../config/index.js';
import { runBotBench, type BotBenchResult } from './bot.js';
import { generateCorpus, type GeneratedCorpus } from './corpus.js';
import { round, share } from './measure.js';
import type { BuildFigures, ServeFigures, SideResult, WorkerJob } from './types.js';

export interface BenchOptions {
  sizes: number[];
  queries: number;
  /** Run the bot benchmark over the largest size's corpus and index. */
  bot: boolean;
  /** Progress lines (to stderr in the script). */
  log?: (line: string) => void;
}

export interface BenchRun {
  size: number;
  documents: number;
  ours: SideResult;
  baseline: SideResult;
  /** ours / baseline for each figure (below 1 is ours smaller: faster, smaller, lighter). */
  ratios: Record<string, number | null>;
}

export interface BenchReport {
  machine: { cpu: string; cores: number; memory_gb: number; os: string };
  node: string;
  date: string;
  /** The project's checked-out commit, read from .git (null outside a checkout). */
  commit: string | null;
  runs: BenchRun[];
  /** The bot on the wire, over the largest size's corpus (absent with --skip-bot). */
  bot?: (BotBenchResult & { passages: number }) | { passages: number; error: string };
  notes: string[];
}

/** The bot benchmark's shape: one user asking in turn, then waves of users asking at once. */
const BOT_RUN = { sequential: 50, concurrentUsers: 50, waves: 4, figures: 10_000 };

/**
 * BM25Retriever rescores every passage for every question, so at large sizes the baseline is asked
 * fewer questions: about 3 million passage scorings in all, and never fewer than 20 questions.
 */
export function baselineQueryLimit(size: number, queries: number): number {
  return Math.min(queries, Math.max(20, Math.ceil(3_000_000 / size)));
}

const WORKER = path.join(import.meta.dirname, 'worker.ts');

export const NOTES = [
  'ours query = engine.ask (validation, hybrid retrieval of 12 passages: FTS5 BM25 + HNSW at depth 50, RRF; candidate sentences scored by the answer model, cited answer); ours retrieve = engine.retrieve(k=10) alone.',
  'baseline query = EnsembleRetriever.invoke over BM25Retriever(k=10) + HNSWLib.asRetriever(k=10): retrieval only (the stock parts have no offline answerer).',
  'build = from the docs folder to a saved index (read, split, embed, index, write). Baseline incremental = a second full build: HNSWLib cannot delete or replace vectors, so rebuilding is the only correct update.',
  'load = opening a saved index in a fresh process until the first question can be asked (ours: openEngine; baseline: HNSWLib.load + BM25Retriever over its docstore + EnsembleRetriever).',
  "rss_mb = peak RSS (getrusage maxrss) of a separate process per pipeline that loads and answers; build_rss_mb the same for building. Both include Node, tsx and the pipeline's modules (process_base_rss_mb).",
  "recall@10 = share of the exact 10 nearest neighbours (hnswlib BruteforceSearch over the same stored vectors) that the index's search returns: ours with the engine's ef (256, over the base and delta files), baseline with HNSWLib's default ef (10).",
  'hit@10 = the passage holding the fact a question paraphrases is among the first 10 retrieved. The baseline is asked a bounded number of questions at large sizes (see `queries`); hit_at_10_on_baseline_queries is ours on that same subset.',
];

const BOT_NOTES = [
  `bot: the real bot (discord.js, in its own process, BOT_CONCURRENCY=4) against the local Discord-compatible server, over the largest size's corpus and index; times are taken by the server from sending INTERACTION_CREATE to receiving the acknowledgement (deferred reply) and the first answer message. ${BOT_RUN.sequential} questions from one user, then ${BOT_RUN.waves} waves of ${BOT_RUN.concurrentUsers} users asking at the same moment.`,
  `autocomplete: FigureCatalog.autocomplete over ${BOT_RUN.figures.toLocaleString('en-US')} figures (the corpus's figures, repeated if fewer) for typed prefixes; through_bot = /figure autocomplete interaction to its choices on the wire (the bot's catalog is the corpus's own).`,
];

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const runs: BenchRun[] = [];
  let bot: BenchReport['bot'];
  const largest = Math.max(...options.sizes);
  for (const size of options.sizes) {
    const workDir = await fs.mkdtemp(path.join(os.tmpdir(), `policy-qa-bench-${size}-`));
    try {
      const { run, corpus } = await runSize(size, options.queries, workDir, log);
      runs.push(run);
      if (options.bot && size === largest && !bot) {
        const served = { docsDir: path.join(workDir, 'docs'), indexDir: path.join(workDir, 'ours'), questions: corpus.questions.map((q) => q.question) };
        // A failed bot run is reported in the report rather than losing the retrieval figures.
        bot = await runBotBench({ ...served, ...BOT_RUN, log }).then(
          (result) => ({ passages: run.ours.passages, ...result }),
          (error: unknown) => ({ passages: run.ours.passages, error: error instanceof Error ? error.message : String(error) }),
        );
      }
    } finally {
      await fs.rm(workDir, { recursive: true, force: true });
    }
  }
  return {
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      memory_gb: round(os.totalmem() / 1024 ** 3, 1),
      os: `${os.type()} ${os.release()}`,
    },
    node: process.version,
    date: new Date().toISOString(),
    commit: await currentCommit(),
    runs,
    bot,
    notes: options.bot ? [...NOTES, ...BOT_NOTES] : NOTES,
  };
}

async function runSize(size: number, queries: number, workDir: string, log: (line: string) => void): Promise<{ run: BenchRun; corpus: GeneratedCorpus }> {
  const docsDir = path.join(workDir, 'docs');
  log(`[${size}] generating documents`);
  const corpus = await generateCorpus(docsDir, { passages: size, questions: queries });
  const changedFile = path.join(docsDir, corpus.change.docId);
  const original = await fs.readFile(changedFile);
  const job = (side: WorkerJob['side'], phase: WorkerJob['phase'], queryLimit: number): WorkerJob => ({
    side,
    phase,
    docsDir,
    storeDir: path.join(workDir, side),
    questions: corpus.questions,
    queryLimit,
    change: corpus.change,
    resultFile: path.join(workDir, `${side}-${phase}.json`),
  });
  const baselineQueries = baselineQueryLimit(size, corpus.questions.length);

  log(`[${size}] ours: build (${corpus.documents} documents) and incremental reindex`);
  const oursBuild = await runWorker<BuildFigures>(job('ours', 'build', 0), workDir);
  log(`[${size}] ours: load and ${corpus.questions.length} questions`);
  const oursServe = await runWorker<ServeFigures>(job('ours', 'serve', corpus.questions.length), workDir);
  // The baseline starts from the same documents as ours did, then makes the same edit.
  await fs.writeFile(changedFile, original);
  log(`[${size}] baseline: build and rebuild after the edit`);
  const baselineBuild = await runWorker<BuildFigures>(job('baseline', 'build', 0), workDir);
  log(`[${size}] baseline: load and ${baselineQueries} questions`);
  const baselineServe = await runWorker<ServeFigures>(job('baseline', 'serve', baselineQueries), workDir);

  const ours = side(oursBuild, oursServe);
  ours.hit_at_10_on_baseline_queries = round(share(oursServe.hits.slice(0, baselineQueries)));
  const baseline = side(baselineBuild, baselineServe);
  return { run: { size, documents: corpus.documents, ours, baseline, ratios: ratios(ours, baseline) }, corpus };
}

function side(build: BuildFigures, serve: ServeFigures): SideResult {
  const { hits: _hits, ...figures } = serve;
  const result: SideResult = { ...build, ...figures, passages_per_s: build.passages / build.build_s };
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'number') (result as unknown as Record<string, number>)[key] = round(value, key.endsWith('_ms') || key.endsWith('_mb') ? 1 : 3);
  }
  return result;
}

const RATIO_FIELDS = ['build_s', 'incremental_s', 'query_p50_ms', 'query_p95_ms', 'disk_mb', 'load_s', 'rss_mb'] as const;

function ratios(ours: SideResult, baseline: SideResult): Record<string, number | null> {
  const result: Record<string, number | null> = {};
  for (const field of RATIO_FIELDS) {
    const [a, b] = [ours[field], baseline[field]];
    result[field] = a !== null && b !== null && b > 0 ? round(a / b, 4) : null;
  }
  result.retrieve_p95_vs_query_p95 = ours.retrieve_p95_ms != null && baseline.query_p95_ms ? round(ours.retrieve_p95_ms / baseline.query_p95_ms, 4) : null;
  return result;
}

/** Runs one phase in a fresh Node process (TypeScript through tsx) and returns what it wrote. */
async function runWorker<T>(job: WorkerJob, workDir: string): Promise<T> {
  const jobFile = path.join(workDir, `${job.side}-${job.phase}.job.json`);
  await fs.writeFile(jobFile, JSON.stringify(job));
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, jobFile], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`the ${job.side} ${job.phase} worker failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(await fs.readFile(job.resultFile, 'utf8')) as T;
}

async function currentCommit(): Promise<string | null> {
  const git = path.join(PROJECT_ROOT, '.git');
  const head = (await fs.readFile(path.join(git, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (!head.startsWith('ref: ')) return head || null;
  const ref = head.slice(5);
  const loose = await fs.readFile(path.join(git, ref), 'utf8').catch(() => null);
  if (loose) return loose.trim();
  const packed = await fs.readFile(path.join(git, 'packed-refs'), 'utf8').catch(() => '');
  return (
    packed
      .split('\n')
      .find((line) => line.endsWith(` ${ref}`))
      ?.split(' ')[0] ?? null
  );
}
