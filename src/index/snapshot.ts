import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CopyRef, CorpusStats } from '../answering/types.js';
import { compareCopies } from '../documents/duplicates.js';
import type { Passage } from '../documents/types.js';
import { FigureCatalog, yieldToEventLoop } from '../figures/index.js';
import { DATABASE_FILE, MANIFEST_FILE, readCurrentGeneration } from './layout.js';
import { isManifest, type Manifest } from './manifest.js';
import { openReadonlyStore, readDocuments, type Db, type StoredDocument } from './store.js';
import { PassageVectors } from './vectors.js';

/** An index that is missing, incomplete or damaged; the message says which and how to fix it. */
export class IndexUnavailableError extends Error {
  constructor(
    message: string,
    readonly missing: boolean,
  ) {
    super(message);
  }
}

/** Terms in at most this share of passages (or this many) are "rare": they find the lexical candidates. */
const RARE_TERM_SHARE = 0.01;
const RARE_TERM_MIN_DF = 1_000;
const MIN_RARE_TERMS = 2;
/** Document frequencies read ahead when an index opens (a term each: about 100 bytes), and how long a slice of it may hold the event loop. */
const MAX_PRELOADED_TERMS = 2_000_000;
const PRELOAD_SLICE_MS = 10;
/** How many candidates the rare terms bring to be ranked by all the question's terms. */
const RESCORED_CANDIDATES = 100;
const BM25_K1 = 1.2;
const BM25_B = 0.75;
/** How many documents' terms `documentHas` keeps, and how many copies' passages `documentPassages`. */
const CACHED_DOCUMENTS = 64;

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
    if (actual !== size)
      throw new IndexUnavailableError(`index file ${path.join(generationDir, name)} is ${actual === undefined ? 'missing' : 'truncated or altered'}`, false);
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
  private readonly candidateTermsQuery;
  /** Document frequencies read ahead (preloadFrequencies) or asked so far: fts5vocab counts a common term by walking its whole posting list. */
  private readonly documentFrequencies = new Map<string, number>();
  private readonly documentTermsQuery;
  /** Index terms of the documents asked about lately (a question checks a few documents, term by term). */
  private readonly documentTerms = new Map<string, Set<string>>();
  private readonly documentPassagesQuery;
  private readonly passagesOfDocuments = new Map<string, Passage[]>();
  /** Each group of copies, canonical first, under each of its members' ids. */
  private readonly groups = new Map<string, string[]>();
  readonly passageCount: number;

  private constructor(
    readonly generation: string,
    readonly manifest: Manifest,
    private readonly db: Db,
    private readonly vectors: PassageVectors,
    readonly documents: Map<string, StoredDocument>,
    readonly figures: FigureCatalog,
    /** The generation's database file. */
    readonly databasePath: string,
  ) {
    this.lexicalQuery = db.prepare('SELECT rowid AS id, bm25(passages_fts) AS score FROM passages_fts WHERE passages_fts MATCH ? ORDER BY score LIMIT ?');
    this.passageQuery = db.prepare('SELECT id, doc_id AS docId, ordinal, heading, text FROM passages WHERE id = ?');
    this.documentFrequencyQuery = db.prepare('SELECT doc FROM passages_vocab WHERE term = ?').pluck();
    this.candidateTermsQuery = db.prepare('SELECT rowid AS id, terms FROM passages_fts WHERE rowid IN (SELECT value FROM json_each(?))');
    this.documentTermsQuery = db.prepare('SELECT terms FROM passages_fts WHERE rowid IN (SELECT id FROM passages WHERE doc_id = ?)').pluck();
    this.documentPassagesQuery = db.prepare('SELECT id, doc_id AS docId, ordinal, heading, text FROM passages WHERE doc_id = ? ORDER BY ordinal');
    this.passageCount = manifest.counts.passages;
    for (const [id, { copyOf }] of documents) {
      if (!copyOf) continue;
      let group = this.groups.get(copyOf);
      if (!group) this.groups.set(copyOf, (group = [copyOf]));
      group.push(id);
      this.groups.set(id, group);
    }
    // The copies in their canonical order (best metadata first), as the reindex ranked them.
    const byRank = (a: string, b: string) =>
      compareCopies({ id: a, meta: documents.get(a)!, signature: null }, { id: b, meta: documents.get(b)!, signature: null });
    for (const group of new Set(this.groups.values())) group.splice(1, group.length - 1, ...group.slice(1).sort(byRank));
  }

  /**
   * Reads every term's document frequency ahead, a slice at a time with the event loop free in between, on a
   * connection of its own. Counting a term on first use walks its whole posting list (up to 1.6 ms for a common
   * word), and a question's translations and senses are many such words: read ahead, a freshly opened index answers
   * its first questions nearly as fast as later ones (first 50 questions at 100,000 passages, p95 24–33 → 17–25 ms in
   * alternating runs; the whole vocabulary, 55,000 terms, in about 0.2 s). A library with more terms than
   * MAX_PRELOADED_TERMS keeps counting the rest on use.
   * Returns how many terms were read.
   */
  async preloadFrequencies(): Promise<number> {
    const db = openReadonlyStore(this.databasePath);
    let read = 0;
    try {
      const rows = db.prepare('SELECT term, doc FROM passages_vocab').iterate() as IterableIterator<{ term: string; doc: number }>;
      let sliceStarted = performance.now();
      for (const { term, doc } of rows) {
        if (read >= MAX_PRELOADED_TERMS) break;
        this.documentFrequencies.set(term, doc);
        read++;
        if (performance.now() - sliceStarted > PRELOAD_SLICE_MS) {
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
      }
    } finally {
      db.close();
    }
    return read;
  }

  /** The canonical copy of a document: itself, unless it is a copy of another. */
  canonicalOf(docId: string): string {
    return this.documents.get(docId)?.copyOf ?? docId;
  }

  /** The other copies of a document (canonical first): the same release published elsewhere. */
  copiesOf(docId: string): CopyRef[] {
    const group = this.groups.get(docId);
    if (!group) return [];
    return group.flatMap((id) => {
      const meta = id === docId ? undefined : this.documents.get(id);
      return meta ? [{ source: id, title: meta.title, url: meta.url, publisher: meta.publisher }] : [];
    });
  }

  /** A document's passages in order (a release's few; kept for the documents asked about lately). */
  documentPassages(docId: string): Passage[] {
    let passages = this.passagesOfDocuments.get(docId);
    if (!passages) {
      passages = this.documentPassagesQuery.all(docId) as Passage[];
      if (this.passagesOfDocuments.size >= CACHED_DOCUMENTS) this.passagesOfDocuments.clear();
      this.passagesOfDocuments.set(docId, passages);
    }
    return passages;
  }

  static async open(indexDir: string): Promise<IndexSnapshot> {
    const generation = await readCurrentGeneration(indexDir);
    if (!generation) throw new IndexUnavailableError(`no index in ${indexDir}`, true);
    const generationDir = path.join(indexDir, generation);
    const manifest = await loadManifest(generationDir);
    let db: Db | null = null;
    try {
      const file = path.join(generationDir, DATABASE_FILE);
      db = openReadonlyStore(file);
      const documents = readDocuments(db);
      const vectors = await PassageVectors.open(generationDir, manifest.vectors, manifest.dimensions);
      return new IndexSnapshot(generation, manifest, db, vectors, documents, FigureCatalog.load(db, generationDir), file);
    } catch (error) {
      db?.close();
      if (error instanceof IndexUnavailableError) throw error;
      throw new IndexUnavailableError(`index in ${generationDir} could not be read (${error instanceof Error ? error.message : String(error)})`, false);
    }
  }

  /**
   * BM25 over the passages' index terms; any term may match. Higher score is better.
   *
   * In a small corpus this is one FTS5 query. In a large one, a question's common words ("new", "year")
   * match most passages, and FTS5 would score every one of them before sorting. So FTS5 first finds the
   * best candidates by the question's rarer terms, and those candidates are then ranked by BM25 over all
   * the question's terms (k1 = 1.2, b = 0.75, as FTS5; the candidates' mean length stands in for the
   * corpus's). A passage that shares no rare term with the question can still come from the vector search.
   * With `rareOnly`, candidates come from the rare terms alone, and there are none without one.
   */
  lexicalSearch(terms: string[], k: number, { rareOnly = false }: { rareOnly?: boolean } = {}): { id: number; score: number }[] {
    if (!terms.length || k <= 0) return [];
    const known = terms.map((term) => ({ term, df: this.documentFrequency(term) })).filter(({ df }) => df > 0);
    if (!known.length) return [];
    const rareLimit = Math.max(RARE_TERM_SHARE * this.passageCount, RARE_TERM_MIN_DF);
    let rare = known.filter(({ df }) => df <= rareLimit);
    if (rareOnly && !rare.length) return [];
    if (rare.length === known.length)
      return this.fts5Search(
        known.map(({ term }) => term),
        k,
      );
    if (rare.length < MIN_RARE_TERMS && !rareOnly) rare = [...known].sort((a, b) => a.df - b.df).slice(0, MIN_RARE_TERMS);
    const candidates = this.fts5Search(
      rare.map(({ term }) => term),
      Math.max(k, RESCORED_CANDIDATES),
    );
    const idf = new Map(known.map(({ term }) => [term, this.idf(term)]));
    // One query for all the candidates' terms: a hundred single-row lookups cost several times more.
    const candidateTerms = new Map(
      (this.candidateTermsQuery.all(JSON.stringify(candidates.map(({ id }) => id))) as { id: number; terms: string }[]).map((row) => [row.id, row.terms]),
    );
    const lengths: number[] = [];
    const frequencies = candidates.map(({ id }) => {
      const tokens = candidateTerms.get(id)!.split(' ');
      lengths.push(tokens.length);
      const tf = new Map<string, number>();
      for (const token of tokens) if (idf.has(token)) tf.set(token, (tf.get(token) ?? 0) + 1);
      return tf;
    });
    const meanLength = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length);
    return candidates
      .map(({ id }, i) => {
        let score = 0;
        for (const [term, f] of frequencies[i])
          score += (idf.get(term)! * f * (BM25_K1 + 1)) / (f + BM25_K1 * (1 - BM25_B + (BM25_B * lengths[i]) / meanLength));
        return { id, score };
      })
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, k);
  }

  private fts5Search(terms: string[], k: number): { id: number; score: number }[] {
    const rows = this.lexicalQuery.all(terms.map(quoteTerm).join(' OR '), k) as { id: number; score: number }[];
    // FTS5's bm25() is negative, more negative for better matches.
    return rows.map((row) => ({ id: row.id, score: -row.score }));
  }

  vectorSearch(vector: number[], k: number): { id: number; score: number }[] {
    return this.vectors.search(vector, k).map(({ label, similarity }) => ({ id: label, score: similarity }));
  }

  /** A passage's stored vector. */
  passageVector(id: number): number[] {
    return this.vectors.vector(id);
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

  /** Each passage's index terms (its document's title, its heading and its text), in one query. */
  passageTerms(ids: number[]): Map<number, Set<string>> {
    const rows = this.candidateTermsQuery.all(JSON.stringify(ids)) as { id: number; terms: string }[];
    return new Map(rows.map(({ id, terms }) => [id, new Set(terms.split(' '))]));
  }

  documentHas(docId: string, term: string): boolean {
    let terms = this.documentTerms.get(docId);
    if (!terms) {
      // One query for the document's passages, as for the lexical candidates above.
      terms = new Set<string>();
      for (const passageTerms of this.documentTermsQuery.all(docId) as string[]) for (const term of passageTerms.split(' ')) terms.add(term);
      if (this.documentTerms.size >= CACHED_DOCUMENTS) this.documentTerms.clear();
      this.documentTerms.set(docId, terms);
    }
    return terms.has(term);
  }

  private documentFrequency(term: string): number {
    let df = this.documentFrequencies.get(term);
    if (df === undefined) {
      df = (this.documentFrequencyQuery.get(term) as number | undefined) ?? 0;
      this.documentFrequencies.set(term, df);
    }
    return df;
  }

  close(): void {
    this.db.close();
  }
}

/** An index term as an FTS5 string literal, so that no term is read as query syntax. */
function quoteTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}
