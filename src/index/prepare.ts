import { Worker } from 'node:worker_threads';
import { LocalHashEmbeddings, type NamedEmbeddings } from '../embeddings/index.js';
import {
  documentSignature,
  loadDocument,
  readDocumentFile,
  splitIntoPassages,
  UnreadableFileError,
  type DocumentFile,
  type LoadedDocument,
  type PageProgress,
} from '../documents/index.js';
import { extractFigures, type Figure } from '../figures/index.js';
import { tokenizeDated } from '../text/tokenize.js';

/** What indexing a document needs that depends only on its file: its text, passages, their terms, its figures. */
export interface PreparedDocument {
  doc: LoadedDocument & { warning?: string };
  /** Each passage with its lexical index terms (space-separated). */
  passages: { heading: string | null; text: string; terms: string }[];
  figures: Figure[];
  /** The passages' vectors, when the embedder is the local one (a remote embedder is called by the indexer). */
  vectors: number[][] | null;
  /** The document's MinHash signature, for finding its copies (a typed array: it crosses postMessage as one). */
  signature: Uint32Array;
}

export type PreparedFile =
  /** Same bytes as the indexed version (only its time changed). */
  { kind: 'unchanged'; hash: string } | { kind: 'unreadable'; hash: string; reason: string } | { kind: 'document'; hash: string; document: PreparedDocument };

export interface PrepareRequest {
  file: DocumentFile;
  /** The hash of the version in the index, if any. */
  indexedHash: string | null;
}

/** Reads, parses, splits, analyses and (with the local embedder) embeds one file: the part of indexing that needs no index. */
export async function prepareFile(
  { file, indexedHash }: PrepareRequest,
  localEmbeddings: LocalHashEmbeddings | null,
  onPage?: PageProgress,
): Promise<PreparedFile> {
  const read = await readDocumentFile(file);
  if (read.hash === indexedHash) return { kind: 'unchanged', hash: read.hash };
  let doc: LoadedDocument & { warning?: string };
  try {
    doc = await loadDocument(file, read, onPage);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    return { kind: 'unreadable', hash: read.hash, reason: error.message };
  }
  const passages = splitIntoPassages(doc.text).map((draft) => ({
    ...draft,
    // The title and heading are indexed with the passage: they say what it is about.
    terms: tokenizeDated([doc.meta.title, draft.heading ?? '', draft.text].join('\n'), doc.meta.date).join(' '),
  }));
  const vectors = localEmbeddings ? passages.map((passage) => localEmbeddings.embed(passageEmbeddingText(doc, passage))) : null;
  return { kind: 'document', hash: read.hash, document: { doc, passages, figures: extractFigures(doc), vectors, signature: documentSignature(doc.text) } };
}

/** The title and heading travel with the passage into its vector, as into its lexical terms. */
export function passageEmbeddingText(doc: LoadedDocument, passage: { heading: string | null; text: string }): string {
  return [doc.meta.title, passage.heading, passage.text].filter(Boolean).join('\n');
}

/** Prepares files in order, some ahead of the one being indexed. */
export interface FilePreparer {
  prepare(request: PrepareRequest): Promise<PreparedFile>;
  close(): Promise<void>;
}

/**
 * Below this many files to read, preparing them in this thread is faster than starting a worker
 * (about 0.3 s to load its modules).
 */
const WORKER_MIN_FILES = 16;

/**
 * Preparing a document (parsing, figure extraction, tokenizing, local embedding) costs about as much
 * as adding it to the vector graph and the store, so a large reindex prepares in a worker thread while
 * this thread writes.
 */
export function createFilePreparer(options: {
  files: number;
  embeddings: NamedEmbeddings;
  inWorker?: boolean;
  /** Each page read of a file with pages (a large PDF), wherever it is prepared. */
  onPage?: FilePageProgress;
}): FilePreparer {
  const local = options.embeddings instanceof LocalHashEmbeddings ? options.embeddings : null;
  const onPage = options.onPage ?? (() => {});
  if (options.inWorker ?? options.files >= WORKER_MIN_FILES) return new WorkerPreparer(local?.dimensions ?? null, onPage);
  return { prepare: (request) => prepareFile(request, local, (page, pages) => onPage(request.file.id, page, pages)), close: async () => {} };
}

export type FilePageProgress = (file: string, page: number, pages: number) => void;

/** What the worker posts back: a file's result or failure, or a page of a file being read. */
export type WorkerReply = { id: number; result: PreparedFile } | { id: number; error: string } | { id: number; page: number; pages: number };

class WorkerPreparer implements FilePreparer {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { file: string; resolve: (result: PreparedFile) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    localEmbeddingDimensions: number | null,
    private readonly onPage: FilePageProgress,
  ) {
    // The worker runs TypeScript as the rest of the project does: tsx is registered inside it first.
    const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./prepare-worker.ts', import.meta.url).href)}); });`;
    this.worker = new Worker(bootstrap, { eval: true, workerData: { localEmbeddingDimensions } });
    this.worker.on('message', (reply: WorkerReply) => {
      const waiting = this.pending.get(reply.id);
      if ('page' in reply) {
        if (waiting) this.onPage(waiting.file, reply.page, reply.pages);
        return;
      }
      this.pending.delete(reply.id);
      if ('error' in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.result);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`the document preparation worker stopped (exit ${code})`)));
  }

  prepare(request: PrepareRequest): Promise<PreparedFile> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { file: request.file.id, resolve, reject });
      this.worker.postMessage({ id, request });
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.pending.values()) reject(this.failure);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
