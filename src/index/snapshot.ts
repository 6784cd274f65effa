import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CorpusStats } from '../answering/types.js';
import type { DocumentMeta, Passage } from '../documents/types.js';
import { FigureCatalog } from '../figures/index.js';
import { DATABASE_FILE, MANIFEST_FILE, readCurrentGeneration, VECTORS_FILE } from './layout.js';
import { isManifest, type Manifest } from './manifest.js';
import { openReadonlyStore, readDocuments, type Db } from './store.js';
import { readVectorIndex, searchVectors, type VectorIndex } from './vectors.js';

/** An index that is missing, incomplete or damaged; the message says which and how to fix it. */
export class IndexUnavailableError extends Error {
  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

/** Reads a generation's manifest and checks that its files are whole. */
export async function loadManifest(generationDir: string): Promise<Manifest> {
  const raw = await fs.readFile(path.join(generationDir, MANIFEST_FILE), 'utf8').catch(() => null);
  if (raw === null) throw new IndexUnavailableError(`index generation ${generationDir} has no manifest`, false);
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw);
  } catch {
    throw new IndexUnavailableError(`index manifest in ${generationDir} is damaged`, false);
  }
  if (!isManifest(manifest)) throw new IndexUnavailableError(`index manifest in ${generationDir} is from another version or damaged`, false);
  for (const [name, size] of Object.entries(manifest.files)) {
    const actual = (await fs.stat(path.join(generationDir, name)).catch(() => null))?.size;
    if (actual !== size) throw new IndexUnavailableError(`index file ${path.join(generationDir, name)} is ${actual === undefined ? 'missing' : 'truncated or altered'}`, false);
  }
  return manifest;
}

/**
 * One generation of the index opened for reading: the passage store with its lexical index, the
 * vectors, the documents' metadata and the figures catalog. Immutable once open; a newer
 * generation is a new snapshot.
 */
export class IndexSnapshot implements CorpusStats {
  private readonly lexicalQuery;
  private readonly passageQuery;
  private readonly documentFrequencyQuery;
  private readonly documentTermQuery;
  readonly passageCount: number;

  private constructor(
    readonly generation: string,
    readonly manifest: Manifest,
    private readonly db: Db,
    private readonly vectors: VectorIndex,
    readonly documents: Map<string, DocumentMeta & { passages: number }>,
    readonly figures: FigureCatalog,
  ) {
    this.lexicalQuery = db.prepare('SELECT rowid AS id, bm25(passages_fts) AS score FROM passages_fts WHERE passages_fts MATCH ? ORDER BY score LIMIT ?');
    this.passageQuery = db.prepare('SELECT id, doc_id AS docId, ordinal, heading, text FROM passages WHERE id = ?');
    this.documentFrequencyQuery = db.prepare('SELECT doc FROM passages_vocab WHERE term = ?').pluck();
    this.documentTermQuery = db.prepare('SELECT 1 FROM passages_fts JOIN passages ON passages.id = passages_fts.rowid WHERE passages_fts MATCH ? AND passages.doc_id = ? LIMIT 1').pluck();
    this.passageCount = manifest.counts.passages;
  }

  static async open(indexDir: string): Promise<IndexSnapshot> {
    const generation = await readCurrentGeneration(indexDir);
    if (!generation) throw new IndexUnavailableError(`no index in ${indexDir}`, true);
    const generationDir = path.join(indexDir, generation);
    const manifest = await loadManifest(generationDir);
    let db: Db | null = null;
    try {
      db = openReadonlyStore(path.join(generationDir, DATABASE_FILE));
      const documents = readDocuments(db);
      const vectors = readVectorIndex(path.join(generationDir, VECTORS_FILE), manifest.dimensions);
      return new IndexSnapshot(generation, manifest, db, vectors, documents, FigureCatalog.load(db));
    } catch (error) {
      db?.close();
      if (error instanceof IndexUnavailableError) throw error;
      throw new IndexUnavailableError(`index in ${generationDir} could not be read (${error instanceof Error ? error.message : String(error)})`, false);
    }
  }

  /** BM25 over the passages' index terms; any term may match. Higher score is better. */
  lexicalSearch(terms: string[], k: number): { id: number; score: number }[] {
    if (!terms.length || k <= 0) return [];
    const match = terms.map(quoteTerm).join(' OR ');
    const rows = this.lexicalQuery.all(match, k) as { id: number; score: number }[];
    // FTS5's bm25() is negative, more negative for better matches.
    return rows.map((row) => ({ id: row.id, score: -row.score }));
  }

  vectorSearch(vector: number[], k: number): { id: number; score: number }[] {
    return searchVectors(this.vectors, vector, k, this.passageCount).map(({ label, similarity }) => ({ id: label, score: similarity }));
  }

  passage(id: number): Passage | undefined {
    return this.passageQuery.get(id) as Passage | undefined;
  }

  /** Inverse document frequency of an index term; a term no passage has gets the highest value. */
  idf(term: string): number {
    const df = this.documentFrequency(term);
    return Math.log(1 + (this.passageCount - df + 0.5) / (df + 0.5));
  }

  has(term: string): boolean {
    return this.documentFrequency(term) > 0;
  }

  documentHas(docId: string, term: string): boolean {
    return this.documentTermQuery.get(quoteTerm(term), docId) !== undefined;
  }

  private documentFrequency(term: string): number {
    return (this.documentFrequencyQuery.get(term) as number | undefined) ?? 0;
  }

  close(): void {
    this.db.close();
  }
}

/** An index term as an FTS5 string literal, so that no term is read as query syntax. */
function quoteTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}
