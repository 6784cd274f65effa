import Database from 'better-sqlite3';
import { signatureFromBytes, signatureToBytes, type CopyGroup, type DuplicateCandidate } from '../documents/duplicates.js';
import type { DocumentMeta, LoadedDocument, Passage } from '../documents/types.js';
import { ensureFigureSchema } from '../figures/index.js';

export type Db = Database.Database;

/** A document as the index knows it: its metadata, passage count, and the document it is a copy of (null for none). */
export type StoredDocument = DocumentMeta & { passages: number; copyOf: string | null };

/**
 * The passage store and the lexical index live in one SQLite file per generation: documents,
 * passages, and an FTS5 table over each passage's index terms (our tokenizer's output, so English
 * stems and Chinese character pairs are matched the same way in questions and passages) ranked by
 * FTS5's BM25.
 */
export function openWritableStore(file: string): Db {
  const db = new Database(file);
  // A generation is written once, by one process, and published only when complete: a crash leaves an
  // unpublished folder that is discarded, so journaling and syncing each commit would buy nothing.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.exec(`
    CREATE TABLE IF NOT EXISTS documents (
      id TEXT PRIMARY KEY, title TEXT NOT NULL, date TEXT, url TEXT, publisher TEXT, language TEXT, passages INTEGER NOT NULL,
      -- The MinHash signature (src/documents/duplicates.ts, little-endian 32-bit values) and the canonical copy, if a copy.
      signature BLOB, copy_of TEXT
    );
    CREATE TABLE IF NOT EXISTS passages (
      id INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL, heading TEXT, text TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS passages_by_doc ON passages(doc_id);
    CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(terms, tokenize = "unicode61 tokenchars '.'''");
    CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, row);
  `);
  ensureFigureSchema(db);
  return db;
}

export function openReadonlyStore(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('query_only = ON');
  return db;
}

/** Removes a document and returns the labels of its passages (to delete from the vector index). */
export function deleteDocument(db: Db, docId: string): number[] {
  const labels = db.prepare('SELECT id FROM passages WHERE doc_id = ?').pluck().all(docId) as number[];
  const deleteFts = db.prepare('DELETE FROM passages_fts WHERE rowid = ?');
  for (const label of labels) deleteFts.run(label);
  db.prepare('DELETE FROM passages WHERE doc_id = ?').run(docId);
  db.prepare('DELETE FROM documents WHERE id = ?').run(docId);
  return labels;
}

/** Stores a document, its signature and its passages, each with its lexical index terms (space-separated). */
export function insertDocument(db: Db, doc: LoadedDocument, passages: (Passage & { terms: string })[], signature: Uint32Array): void {
  db.prepare('INSERT INTO documents (id, title, date, url, publisher, language, passages, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    doc.id,
    doc.meta.title,
    doc.meta.date,
    doc.meta.url,
    doc.meta.publisher,
    doc.meta.language,
    passages.length,
    signatureToBytes(signature),
  );
  const insertPassage = db.prepare('INSERT INTO passages (id, doc_id, ordinal, heading, text) VALUES (?, ?, ?, ?, ?)');
  const insertFts = db.prepare('INSERT INTO passages_fts (rowid, terms) VALUES (?, ?)');
  for (const passage of passages) {
    insertPassage.run(passage.id, passage.docId, passage.ordinal, passage.heading, passage.text);
    insertFts.run(passage.id, passage.terms);
  }
}

export function readDocuments(db: Db): Map<string, StoredDocument> {
  const rows = db.prepare('SELECT id, title, date, url, publisher, language, passages, copy_of AS copyOf FROM documents ORDER BY id').all() as ({
    id: string;
  } & StoredDocument)[];
  return new Map(rows.map(({ id, ...stored }) => [id, stored]));
}

/** Every document with its stored signature, for grouping copies. */
export function readCopyCandidates(db: Db): DuplicateCandidate[] {
  const rows = db.prepare('SELECT id, title, date, url, publisher, signature FROM documents ORDER BY id').all() as ({
    id: string;
    signature: Buffer | null;
  } & DocumentMeta)[];
  return rows.map(({ id, signature, ...meta }) => ({ id, meta, signature: signatureFromBytes(signature) }));
}

/** Records the groups of copies: each copy's `copy_of` names its canonical document; every other document's is null. */
export function writeCopies(db: Db, groups: CopyGroup[]): void {
  db.transaction(() => {
    db.prepare('UPDATE documents SET copy_of = NULL WHERE copy_of IS NOT NULL').run();
    const mark = db.prepare('UPDATE documents SET copy_of = ? WHERE id = ?');
    for (const { canonical, copies } of groups) for (const copy of copies) mark.run(canonical, copy);
  })();
}
