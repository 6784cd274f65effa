import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EnsembleRetriever } from '@langchain/classic/retrievers/ensemble';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import { HNSWLib } from '@langchain/community/vectorstores/hnswlib';
import { Document } from '@langchain/core/documents';
import { loadConfig } from '../config/index.js';
import { loadDocument, scanDocuments, splitIntoPassages } from '../documents/index.js';
import { createEmbeddings, type NamedEmbeddings } from '../embeddings/index.js';
import { directorySizeMb, peakRssMb, percentile, recallAtK, share, timed } from './measure.js';
import type { BuildFigures, ServeFigures, WorkerJob } from './types.js';

/**
 * The pipeline a LangChain.js user assembles from stock parts, each with its defaults: HNSWLib
 * (cosine space, hnswlib's M=16, efConstruction=200, search ef=10) and BM25Retriever (whitespace
 * tokens, every document rescored per query) fused by EnsembleRetriever (equal weights, RRF c=60).
 * Both retrievers return k=10, so hit@10 compares like with like. The passages are ours (our loader
 * and splitter) and the embedder is ours, so only the indexing and retrieval differ.
 */

const WARMUP_QUERIES = 1;

function embedder(): Promise<NamedEmbeddings> {
  return createEmbeddings(loadConfig({ EMBEDDINGS_PROVIDER: 'local' }).embeddings);
}

async function readPassages(docsDir: string): Promise<Document[]> {
  const documents: Document[] = [];
  for (const file of (await scanDocuments(docsDir)).files) {
    const doc = await loadDocument(file);
    for (const passage of splitIntoPassages(doc.text)) {
      // The same text our index embeds: title and heading travel with the passage.
      const pageContent = [doc.meta.title, passage.heading, passage.text].filter(Boolean).join('\n');
      documents.push(new Document({ pageContent, metadata: { source: doc.id } }));
    }
  }
  return documents;
}

async function buildAndSave(docsDir: string, storeDir: string): Promise<number> {
  const passages = await readPassages(docsDir);
  const store = await HNSWLib.fromDocuments(passages, await embedder());
  // BM25Retriever keeps its documents in memory and has no saved form; it is rebuilt from the docstore at load.
  BM25Retriever.fromDocuments(passages, { k: 10 });
  await fs.rm(storeDir, { recursive: true, force: true });
  await store.save(storeDir);
  return passages.length;
}

/**
 * Full build; then the edit of one document. HNSWLib cannot delete or replace a document's vectors
 * (it only appends), so the stock way to apply an edit correctly is to build again; that is what is timed.
 */
export async function buildBaseline(job: WorkerJob): Promise<BuildFigures> {
  const full = await timed(() => buildAndSave(job.docsDir, job.storeDir));
  await fs.writeFile(path.join(job.docsDir, job.change.docId), job.change.text);
  const incremental = await timed(() => buildAndSave(job.docsDir, job.storeDir));
  return {
    build_s: full.ms / 1000,
    incremental_s: incremental.ms / 1000,
    disk_mb: await directorySizeMb(job.storeDir),
    passages: full.value,
    build_rss_mb: peakRssMb(),
  };
}

/** Startup (HNSWLib.load, BM25Retriever over the loaded docstore, the ensemble), then ensemble.invoke per question. */
export async function serveBaseline(job: WorkerJob): Promise<ServeFigures> {
  const base = peakRssMb();
  const embeddings = await embedder();
  const load = await timed(async () => {
    const store = await HNSWLib.load(job.storeDir, embeddings);
    const bm25 = BM25Retriever.fromDocuments([...store.docstore._docs.values()], { k: 10 });
    return { store, ensemble: new EnsembleRetriever({ retrievers: [bm25, store.asRetriever({ k: 10 })] }) };
  });
  const { store, ensemble } = load.value;
  const questions = job.questions.slice(0, job.queryLimit);
  for (const { question } of job.questions.slice(-WARMUP_QUERIES)) await ensemble.invoke(question);

  const latencies: number[] = [];
  const hits: boolean[] = [];
  for (const q of questions) {
    const found = await timed(() => ensemble.invoke(q.question));
    latencies.push(found.ms);
    hits.push(found.value.slice(0, 10).some((doc) => doc.metadata.source === q.docId && doc.pageContent.includes(q.fact)));
  }
  const rss = peakRssMb();

  const index = store.index;
  const points = Array.from({ length: index.getCurrentCount() }, (_, label) => ({ label, vector: index.getPoint(label) }));
  const queries = await embeddings.embedDocuments(job.questions.map((q) => q.question));
  // What HNSWLib's similarity search does: searchKnn with the index's default ef.
  const recall = recallAtK('cosine', points, queries, (query, k) => index.searchKnn(query, k).neighbors, 10);

  return {
    load_s: load.ms / 1000,
    query_p50_ms: percentile(latencies, 50),
    query_p95_ms: percentile(latencies, 95),
    hit_at_10: share(hits),
    hits,
    recall_at_10: recall,
    rss_mb: rss,
    process_base_rss_mb: base,
    queries: questions.length,
  };
}
