import { constants as fsConstants, promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/index.js';
import { findCopyGroups, scanDocuments, SIGNATURE_SCHEME, type DocumentFile } from '../documents/index.js';
import type { NamedEmbeddings } from '../embeddings/index.js';
import { FIGURE_EXTRACTION_VERSION, mergeCopyFigures, removeDocumentFigures, replaceDocumentFigures } from '../figures/index.js';
import { ANALYZER_VERSION } from '../text/tokenize.js';
import {
  acquireLock,
  DATABASE_FILE,
  DiskFullError,
  MANIFEST_FILE,
  newGenerationName,
  publishGeneration,
  pruneGenerations,
  readCurrentGeneration,
} from './layout.js';
import { MANIFEST_VERSION, type Manifest } from './manifest.js';
import { loadManifest } from './snapshot.js';
import { deleteDocument, insertDocument, openWritableStore, readCopyCandidates, writeCopies } from './store.js';
import { createFilePreparer, passageEmbeddingText, type PreparedFile } from './prepare.js';
import { VectorUpdate } from './vectors.js';

export interface ReindexOptions {
  docsDir: string;
  indexDir: string;
  /** Rebuild every document (needed after changing the embedder). */
  full?: boolean;
  embeddings: NamedEmbeddings;
  onProgress?: (event: { done: number; total: number; file: string }) => void;
  /** Prepare documents in a worker thread (default: when there are enough files to read for it to pay). */
  prepareInWorker?: boolean;
}

export interface ReindexSummary {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
  skipped: { file: string; reason: string }[];
  /** Files indexed with a caveat (e.g. read as Latin-1). */
  warnings: { file: string; warning: string }[];
  /** Documents read in this run that state no date anywhere (sidecar, meta, dateline, file name, file properties). */
  undated: string[];
  passages: number;
  embedded: number;
  figures: number;
  /** Every indexed document that is a copy of another (the same release republished), after this reindex. */
  duplicates: { file: string; copyOf: string }[];
  seconds: number;
  generation: string;
}

const EMBED_BATCH = 128;
/** Files prepared ahead of the one being indexed (they wait in memory). */
const PREPARE_AHEAD = 16;
/** Error codes of a full disk or quota: Node's fs (ENOSPC, EDQUOT) and better-sqlite3 (SQLITE_FULL). */
const DISK_FULL_CODES = ['ENOSPC', 'EDQUOT', 'SQLITE_FULL'];

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
    let vectors: VectorUpdate;
    let dimensions: number;
    if (previous && previousName) {
      // Copy-on-write where the filesystem can (btrfs, xfs, APFS); a plain copy elsewhere.
      await fs.copyFile(path.join(indexDir, previousName, DATABASE_FILE), dbFile, fsConstants.COPYFILE_FICLONE);
      vectors = await VectorUpdate.from(path.join(indexDir, previousName), previous.vectors, previous.dimensions);
      dimensions = previous.dimensions;
    } else {
      dimensions = (await embeddings.embedQuery('dimension probe')).length;
      vectors = VectorUpdate.empty(dimensions);
    }
    db = openWritableStore(dbFile);

    // The vectors' files are known once they are written, at the end.
    const manifest: Omit<Manifest, 'vectors'> = {
      version: MANIFEST_VERSION,
      analyzer: ANALYZER_VERSION,
      figureExtraction: FIGURE_EXTRACTION_VERSION,
      signatures: SIGNATURE_SCHEME,
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
      added: [],
      changed: [],
      removed: [],
      unchanged: 0,
      skipped: [...scan.ignored],
      warnings: [],
      undated: [],
      passages: 0,
      embedded: 0,
      figures: 0,
      duplicates: [],
      seconds: 0,
      generation,
    };

    const present = new Set(scan.files.map((file) => file.id));
    for (const docId of Object.keys(manifest.documents)) {
      if (present.has(docId)) continue;
      const labels = removeFromStore(db, docId);
      vectors.remove(labels);
      delete manifest.documents[docId];
      summary.removed.push(docId);
    }

    // Files whose size and time match the index are not read; the others are prepared ahead of indexing.
    const toRead: DocumentFile[] = [];
    for (const file of scan.files) {
      const known = manifest.documents[file.id];
      const knownSkip = previous?.skipped[file.id];
      if (known && known.size === file.size && known.mtimeMs === file.mtimeMs && known.sidecarMtimeMs === file.sidecarMtimeMs) {
        summary.unchanged++;
      } else if (knownSkip && knownSkip.size === file.size && knownSkip.mtimeMs === file.mtimeMs) {
        manifest.skipped[file.id] = knownSkip;
        summary.skipped.push({ file: file.id, reason: knownSkip.reason });
      } else {
        toRead.push(file);
      }
    }
    let done = scan.files.length - toRead.length;
    const preparer = createFilePreparer({
      files: toRead.length,
      embeddings,
      inWorker: options.prepareInWorker,
      // A large PDF shows its pages as they are read (the file may be one of those prepared ahead).
      onPage: (file, page, pages) => options.onProgress?.({ done, total: scan.files.length, file: `${file} (page ${page} of ${pages})` }),
    });
    try {
      const ahead: { file: DocumentFile; prepared: Promise<PreparedFile> }[] = [];
      let nextToRead = 0;
      const readAhead = () => {
        while (ahead.length < PREPARE_AHEAD && nextToRead < toRead.length) {
          const file = toRead[nextToRead++];
          const prepared = preparer.prepare({ file, indexedHash: manifest.documents[file.id]?.hash ?? null });
          prepared.catch(() => {}); // awaited in turn below; a failure of one ahead of it must not go unhandled
          ahead.push({ file, prepared });
        }
      };
      readAhead();
      while (ahead.length) {
        const { file, prepared } = ahead.shift()!;
        options.onProgress?.({ done, total: scan.files.length, file: file.id });
        const result = await prepared;
        readAhead();
        await indexFile(file, result);
        done++;
      }
    } finally {
      await preparer.close();
    }
    options.onProgress?.({ done, total: scan.files.length, file: '' });

    // Copies are grouped over the whole library, whatever changed: a new copy, or the removal of a canonical one,
    // changes the groups of documents that were not read again (their signatures are in the store).
    const groups = findCopyGroups(readCopyCandidates(db));
    writeCopies(db, groups);
    mergeCopyFigures(db, groups);
    summary.duplicates = groups.flatMap(({ canonical, copies }) => copies.map((file) => ({ file, copyOf: canonical })));

    manifest.counts = {
      documents: db.prepare('SELECT count(*) FROM documents').pluck().get() as number,
      passages: db.prepare('SELECT count(*) FROM passages').pluck().get() as number,
      figures: countFigures(db),
    };
    const store = db;
    const vectorFiles = await vectors.write(generationDir, manifest.nextLabel, () => store.prepare('SELECT id FROM passages').pluck().all() as number[]);
    db.close();
    db = null;
    for (const name of [DATABASE_FILE, vectorFiles.base, vectorFiles.delta]) {
      if (name) manifest.files[name] = (await fs.stat(path.join(generationDir, name))).size;
    }
    await fs.writeFile(path.join(generationDir, MANIFEST_FILE), JSON.stringify({ ...manifest, vectors: vectorFiles } satisfies Manifest));
    await publishGeneration(indexDir, generation);
    await pruneGenerations(indexDir, [generation, ...(previousName ? [previousName] : [])]);

    summary.passages = manifest.counts.passages;
    summary.figures = manifest.counts.figures;
    summary.seconds = (performance.now() - started) / 1000;
    return summary;

    async function indexFile(file: DocumentFile, prepared: PreparedFile): Promise<void> {
      const known = manifest.documents[file.id];
      if (prepared.kind === 'unchanged') {
        manifest.documents[file.id] = { ...known, size: file.size, mtimeMs: file.mtimeMs, sidecarMtimeMs: file.sidecarMtimeMs };
        summary.unchanged++;
        return;
      }
      if (prepared.kind === 'unreadable') {
        const reason = known ? `${prepared.reason}; its previous version stays indexed` : prepared.reason;
        manifest.skipped[file.id] = { hash: prepared.hash, size: file.size, mtimeMs: file.mtimeMs, reason };
        summary.skipped.push({ file: file.id, reason });
        return;
      }
      const { doc, figures, vectors: preparedVectors, signature } = prepared.document;
      if (doc.warning) summary.warnings.push({ file: file.id, warning: doc.warning });
      if (!doc.meta.date) summary.undated.push(doc.id);
      const passages = prepared.document.passages.map((draft, ordinal) => ({ ...draft, id: manifest.nextLabel + ordinal, docId: doc.id, ordinal }));
      const vectorsOfPassages =
        preparedVectors ??
        (await embedInBatches(
          embeddings,
          passages.map((passage) => passageEmbeddingText(doc, passage)),
        ));
      manifest.nextLabel += passages.length;

      const oldLabels = known ? removeFromStore(db!, doc.id) : [];
      db!.transaction(() => {
        insertDocument(db!, doc, passages, signature);
        replaceDocumentFigures(db!, doc, figures);
      })();
      vectors.remove(oldLabels);
      vectors.add(passages.map((passage, i) => ({ label: passage.id, vector: vectorsOfPassages[i] })));
      manifest.documents[doc.id] = {
        hash: prepared.hash,
        size: file.size,
        mtimeMs: file.mtimeMs,
        sidecarMtimeMs: file.sidecarMtimeMs,
        passages: passages.length,
      };
      summary.embedded += passages.length;
      (known ? summary.changed : summary.added).push(doc.id);
    }
  } catch (error) {
    db?.close();
    const serving = await readCurrentGeneration(indexDir);
    // A failure after `CURRENT` was switched (syncing the folder) leaves the new generation serving.
    if (serving !== generation) await fs.rm(generationDir, { recursive: true, force: true });
    if (isDiskFull(error)) throw new DiskFullError(indexDir, serving !== null && serving !== generation, error);
    throw error;
  } finally {
    await release();
  }
}

/** A full disk, named by the error or by what caused it. */
function isDiskFull(error: unknown): boolean {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (DISK_FULL_CODES.includes(String((cause as NodeJS.ErrnoException).code))) return true;
  }
  return false;
}

function removeFromStore(db: ReturnType<typeof openWritableStore>, docId: string): number[] {
  return db.transaction(() => {
    removeDocumentFigures(db, docId);
    return deleteDocument(db, docId);
  })();
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
  // A copy's figure merged into the canonical document's is one figure of the catalog.
  return table ? (db.prepare('SELECT count(*) FROM figures WHERE merged_into IS NULL').pluck().get() as number) : 0;
}
