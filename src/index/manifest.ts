import { SIGNATURE_SCHEME } from '../documents/duplicates.js';
import { FIGURE_EXTRACTION_VERSION } from '../figures/index.js';
import { ANALYZER_VERSION } from '../text/tokenize.js';
import type { VectorFiles } from './vectors.js';

/** What a generation records about itself; written last, so a generation without it is incomplete. */
export interface Manifest {
  version: typeof MANIFEST_VERSION;
  /** The tokenizer version its lexical terms were made with. */
  analyzer: number;
  /** The figure extraction its figures were made with: another version's unchanged documents would keep stale figures. */
  figureExtraction: number;
  /** How its documents' MinHash signatures were made (src/documents/duplicates.ts). */
  signatures: string;
  embedder: string;
  dimensions: number;
  builtAt: string;
  /** The next free vector label; labels are never reused for another passage within an index's life. */
  nextLabel: number;
  documents: Record<string, ManifestDocument>;
  vectors: VectorFiles;
  /** Files that could not be indexed, so an unchanged one is reported again without being re-read. */
  skipped: Record<string, { hash: string; size: number; mtimeMs: number; reason: string }>;
  /** Byte sizes of the generation's files, to detect truncation before loading. */
  files: Record<string, number>;
  counts: { documents: number; passages: number; figures: number };
}

export interface ManifestDocument {
  hash: string;
  size: number;
  mtimeMs: number;
  sidecarMtimeMs: number | null;
  passages: number;
}

/**
 * 2: vectors in a shared base and a delta. 3: documents carry a MinHash signature and the copy they
 * duplicate, figures the copies they were merged with. An index of another version is rebuilt.
 */
export const MANIFEST_VERSION = 3;

export function isManifest(value: unknown): value is Manifest {
  const manifest = value as Manifest;
  return (
    typeof manifest === 'object' &&
    manifest !== null &&
    manifest.version === MANIFEST_VERSION &&
    manifest.analyzer === ANALYZER_VERSION &&
    manifest.figureExtraction === FIGURE_EXTRACTION_VERSION &&
    manifest.signatures === SIGNATURE_SCHEME &&
    typeof manifest.embedder === 'string' &&
    typeof manifest.nextLabel === 'number' &&
    typeof manifest.vectors === 'object' &&
    typeof manifest.documents === 'object' &&
    typeof manifest.files === 'object'
  );
}
