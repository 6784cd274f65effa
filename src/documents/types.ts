/** Metadata an admin may give a document (front matter or a `FILE.meta.json` sidecar); title falls back to the file name. */
export interface DocumentMeta {
  title: string;
  date: string | null;
  url: string | null;
  publisher: string | null;
  language: string | null;
}

/** A document read from the docs folder; its id is its path relative to that folder, with `/` separators. */
export interface LoadedDocument {
  id: string;
  meta: DocumentMeta;
  text: string;
  /** Hash of the file's bytes and its sidecar's, so a metadata edit also counts as a change. */
  hash: string;
}

/** A passage as stored in the index. `id` is its label in the vector index. */
export interface Passage {
  id: number;
  docId: string;
  ordinal: number;
  heading: string | null;
  text: string;
}
