import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig, type Config } from '../config/index.js';
import { createEmbeddings } from '../embeddings/index.js';
import { openEngine } from '../engine/index.js';
import { IndexSnapshot, readCurrentGeneration, reindex } from '../index/index.js';
import { DATABASE_FILE } from '../index/layout.js';
import { directorySizeMb, peakRssMb, percentile, recallAtK, share, timed } from './measure.js';
import type { BuildFigures, ServeFigures, WorkerJob } from './types.js';

const WARMUP_QUERIES = 5;

function benchConfig(job: WorkerJob): Config {
  return loadConfig({ DOCS_DIR: job.docsDir, INDEX_DIR: job.storeDir, EMBEDDINGS_PROVIDER: 'local' });
}

/** Full build with reindex(), then one document edited and reindexed (the incremental path). */
export async function buildOurs(job: WorkerJob): Promise<BuildFigures> {
  const config = benchConfig(job);
  const embeddings = await createEmbeddings(config.embeddings);
  const full = await timed(() => reindex({ docsDir: job.docsDir, indexDir: job.storeDir, embeddings, full: true }));
  await fs.writeFile(path.join(job.docsDir, job.change.docId), job.change.text);
  const incremental = await timed(() => reindex({ docsDir: job.docsDir, indexDir: job.storeDir, embeddings }));
  if (incremental.value.changed.length !== 1) throw new Error(`the incremental reindex changed ${incremental.value.changed.length} documents, expected 1`);
  const generation = await readCurrentGeneration(job.storeDir);
  return {
    build_s: full.ms / 1000,
    incremental_s: incremental.ms / 1000,
    disk_mb: await directorySizeMb(path.join(job.storeDir, generation!)),
    passages: full.value.passages,
    build_rss_mb: peakRssMb(),
  };
}

/** Startup (openEngine), then each question asked (engine.ask) and retrieved (engine.retrieve, k=10). */
export async function serveOurs(job: WorkerJob): Promise<ServeFigures> {
  const base = peakRssMb();
  const config = benchConfig(job);
  const load = await timed(() => openEngine(config));
  const engine = load.value;
  const questions = job.questions.slice(0, job.queryLimit);
  for (const { question } of job.questions.slice(-WARMUP_QUERIES)) await engine.ask(question);

  const askMs: number[] = [];
  const retrieveMs: number[] = [];
  const hits: boolean[] = [];
  let answered = 0;
  for (const q of questions) {
    const ask = await timed(() => engine.ask(q.question));
    askMs.push(ask.ms);
    if (!ask.value.refused) answered++;
    const found = await timed(() => engine.retrieve(q.question, 10));
    retrieveMs.push(found.ms);
    hits.push(found.value.some((passage) => passage.docId === q.docId && passage.text.includes(q.fact)));
  }
  const rss = peakRssMb();
  await engine.close();

  return {
    load_s: load.ms / 1000,
    query_p50_ms: percentile(askMs, 50),
    query_p95_ms: percentile(askMs, 95),
    retrieve_p50_ms: percentile(retrieveMs, 50),
    retrieve_p95_ms: percentile(retrieveMs, 95),
    hit_at_10: share(hits),
    hits,
    answered: answered / Math.max(1, questions.length),
    recall_at_10: await vectorRecall(job),
    rss_mb: rss,
    process_base_rss_mb: base,
    queries: questions.length,
  };
}

/** The serving index's HNSW search (with the engine's ef) against brute force over the same stored vectors. */
async function vectorRecall(job: WorkerJob): Promise<number> {
  const config = benchConfig(job);
  const embeddings = await createEmbeddings(config.embeddings);
  const snapshot = await IndexSnapshot.open(job.storeDir);
  const generationDir = path.join(job.storeDir, snapshot.generation);
  const db = new Database(path.join(generationDir, DATABASE_FILE), { readonly: true });
  const labels = db.prepare('SELECT id FROM passages').pluck().all() as number[];
  db.close();
  const points = labels.map((label) => ({ label, vector: snapshot.passageVector(label) }));
  const queries = await embeddings.embedDocuments(job.questions.map((q) => q.question));
  const recall = recallAtK('ip', points, queries, (query, k) => snapshot.vectorSearch(query, k).map((hit) => hit.id), 10);
  snapshot.close();
  return recall;
}
