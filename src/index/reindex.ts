import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../cli/errors.js';
import { loadDocument, readDocumentFile, scanDocuments, splitIntoPassages, UnreadableFileError, type DocumentFile, type LoadedDocument, type Passage } from '../documents/index.js';
import type { NamedEmbeddings } from '../embeddings/index.js';
import { removeDocumentFigures, replaceDocumentFigures } from '../figures/index.js';
import { ANALYZER_VERSION } from '../text/tokenize.js';
import { acquireLock, DATABASE_FILE, MANIFEST_FILE, newGenerationName, publishGeneration, pruneGenerations, readCurrentGeneration, VECTORS_FILE } from './layout.js';
import { MANIFEST_VERSION, type Manifest } from './manifest.js';
import { loadManifest } from './snapshot.js';
import { deleteDocument, insertDocument, openWritableStore } from './store.js';
import { addVectors, createVectorIndex, deleteVectors, readVectorIndex, type VectorIndex } from './vectors.js';

export interface ReindexOptions {
  docsDir: string;
  indexDir: string;
  /** Rebuild every document (needed after changing the embedder). */
  full?: boolean;
  embeddings: NamedEmbeddings;
  onProgress?: (event: { done: number; total: number; file: string }) => void;
}

export interface ReindexSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  skipped: { file: string; reason: string }[];
  /** Files indexed with a caveat (e.g. read as Latin-1). */
  warnings: { file: string; warning: string }[];
  passages: number;
  embedded: number;
  figures: number;
  seconds: number;
  generation: string;
}

const EMBED_BATCH = 128;

/**
 * Brings the index up to date with the docs folder. Unchanged files (same size and time, or same
 * hash) are not read again; changed and new ones are parsed, split, embedded and replace their old
 * passages; deleted ones are removed. The result is a new generation, published only when complete.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const started = performance.now();
  const { docsDir, indexDir, embeddings } = options;
  const scan = await scanDocuments(docsDir);
  await fs.mkdir(indexDir, { recursive: true });
  const release = await acquireLock(indexDir);
  const generation = newGenerationName();
  const generationDir = path.join(indexDir, generation);
  let db: ReturnType<typeof openWritableStore> | null = null;
  try {
    const previousName = await readCurrentGeneration(indexDir);
    const previous = previousName && !options.full ? await loadManifest(path.join(indexDir, previousName)).catch(() => null) : null;
    if (previous && previous.embedder !== embeddings.id) {
      throw new UserError(
        `the index in ${indexDir} was built with the embedder "${previous.embedder}" but "${embeddings.id}" is configured; run \`npm run reindex -- --full\` to rebuild it`,
      );
    }
    await fs.mkdir(generationDir, { recursive: true });
    const dbFile = path.join(generationDir, DATABASE_FILE);
    let vectors: VectorIndex;
    let dimensions: number;
    if (previous && previousName) {
      // Copy-on-write where the filesystem can (btrfs, xfs, APFS); a plain copy elsewhere.
      await fs.copyFile(path.join(indexDir, previousName, DATABASE_FILE), dbFile, fsConstants.COPYFILE_FICLONE);
      vectors = readVectorIndex(path.join(indexDir, previousName, VECTORS_FILE), previous.dimensions);
      dimensions = previous.dimensions;
    } else {
      dimensions = (await embeddings.embedQuery('dimension probe')).length;
      vectors = createVectorIndex(dimensions, 1024);
    }
    db = openWritableStore(dbFile);

    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      analyzer: ANALYZER_VERSION,
      embedder: embeddings.id,
      dimensions,
      builtAt: new Date().toISOString(),
      nextLabel: previous?.nextLabel ?? 0,
      documents: { ...(previous?.documents ?? {}) },
      skipped: {},
      files: {},
      counts: { documents: 0, passages: 0, figures: 0 },
    };
    const summary: ReindexSummary = {
      added: [], changed: [], removed: [], unchanged: 0, skipped: [...scan.ignored], warnings: [],
      passages: 0, embedded: 0, figures: 0, seconds: 0, generation,
    };

    const present = new Set(scan.files.map((file) => file.id));
    for (const docId of Object.keys(manifest.documents)) {
      if (present.has(docId)) continue;
      const labels = removeFromStore(db, docId);
      deleteVectors(vectors, labels);
      delete manifest.documents[docId];
      summary.removed.push(docId);
    }

    let done = 0;
    for (const file of scan.files) {
      options.onProgress?.({ done, total: scan.files.length, file: file.id });
      await indexFile(file);
      done++;
    }
    options.onProgress?.({ done, total: scan.files.length, file: '' });

    manifest.counts = {
      documents: db.prepare('SELECT count(*) FROM documents').pluck().get() as number,
      passages: db.prepare('SELECT count(*) FROM passages').pluck().get() as number,
      figures: countFigures(db),
    };
    db.close();
    db = null;
    await vectors.writeIndex(path.join(generationDir, VECTORS_FILE));
    for (const name of [DATABASE_FILE, VECTORS_FILE]) manifest.files[name] = (await fs.stat(path.join(generationDir, name))).size;
    await fs.writeFile(path.join(generationDir, MANIFEST_FILE), JSON.stringify(manifest));
    await publishGeneration(indexDir, generation);
    await pruneGenerations(indexDir, [generation, ...(previousName ? [previousName] : [])]);

    summary.passages = manifest.counts.passages;
    summary.figures = manifest.counts.figures;
    summary.seconds = (performance.now() - started) / 1000;
    return summary;

    async function indexFile(file: DocumentFile): Promise<void> {
      const known = manifest.documents[file.id];
      const knownSkip = previous?.skipped[file.id];
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs && known.sidecarMtimeMs === file.sidecarMtimeMs) {
        summary.unchanged++;
        return;
      }
      if (knownSkip && knownSkip.size === file.size && knownSkip.mtimeMs === file.mtimeMs) {
        manifest.skipped[file.id] = knownSkip;
        summary.skipped.push({ file: file.id, reason: knownSkip.reason });
        return;
      }
      const read = await readDocumentFile(file);
      if (known && known.hash === read.hash) {
        manifest.documents[file.id] = { ...known, size: file.size, mtimeMs: file.mtimeMs, sidecarMtimeMs: file.sidecarMtimeMs };
        summary.unchanged++;
        return;
      }
      let doc: LoadedDocument & { warning?: string };
      try {
        doc = await loadDocument(file, read);
      } catch (error) {
        if (!(error instanceof UnreadableFileError)) throw error;
        const reason = known ? `${error.message}; its previous version stays indexed` : error.message;
        manifest.skipped[file.id] = { hash: read.hash, size: file.size, mtimeMs: file.mtimeMs, reason };
        summary.skipped.push({ file: file.id, reason });
        return;
      }
      if (doc.warning) summary.warnings.push({ file: file.id, warning: doc.warning });
      const drafts = splitIntoPassages(doc.text);
      const passages: Passage[] = drafts.map((draft, ordinal) => ({ id: manifest.nextLabel + ordinal, docId: doc.id, ordinal, heading: draft.heading, text: draft.text }));
      const vectorsOfPassages = await embedInBatches(embeddings, passages.map((passage) => passageEmbeddingText(doc, passage)));
      manifest.nextLabel += passages.length;

      const oldLabels = known ? removeFromStore(db!, doc.id) : [];
      db!.transaction(() => {
        insertDocument(db!, doc, passages);
        replaceDocumentFigures(db!, doc);
      })();
      deleteVectors(vectors, oldLabels);
      addVectors(vectors, passages.map((passage, i) => ({ label: passage.id, vector: vectorsOfPassages[i] })));
      manifest.documents[doc.id] = { hash: read.hash, size: file.size, mtimeMs: file.mtimeMs, sidecarMtimeMs: file.sidecarMtimeMs, passages: passages.length };
      summary.embedded += passages.length;
      (known ? summary.changed : summary.added).push(doc.id);
    }
  } catch (error) {
    db?.close();
    await fs.rm(generationDir, { recursive: true, force: true });
    throw error;
  } finally {
    await release();
  }
}

function removeFromStore(db: ReturnType<typeof openWritableStore>, docId: string): number[] {
  return db.transaction(() => {
    removeDocumentFigures(db, docId);
    return deleteDocument(db, docId);
  })();
}

/** The title and heading travel with the passage into its vector, as into its lexical terms. */
function passageEmbeddingText(doc: LoadedDocument, passage: Passage): string {
  return [doc.meta.title, passage.heading, passage.text].filter(Boolean).join('\n');
}

async function embedInBatches(embeddings: NamedEmbeddings, texts: string[]): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += EMBED_BATCH) {
    vectors.push(...(await embeddings.embedDocuments(texts.slice(start, start + EMBED_BATCH))));
  }
  return vectors;
}

function countFigures(db: ReturnType<typeof openWritableStore>): number {
  const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'figures'").pluck().get();
  return table ? (db.prepare('SELECT count(*) FROM figures').pluck().get() as number) : 0;
}
