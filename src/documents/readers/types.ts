import type { PartialMeta } from '../metadata.js';

/**
 * The structure a reader keeps: headings, paragraphs (one per block, hard wraps joined), list items and
 * table rows. Passages are cut along it, and a quote is never a piece of a wrapped line.
 */
export type BlockKind = 'heading' | 'paragraph' | 'item' | 'row';

export interface TextBlock {
  kind: BlockKind;
  text: string;
  /** The source put no blank line before it: it shares a passage with the block before, as it did before the wraps were joined. */
  sameGroup?: boolean;
}

/** What a reader makes of a file's bytes: its text's structure and whatever metadata the format carries. */
export interface ReadResult {
  blocks: TextBlock[];
  /** Metadata the file states about itself (HTML meta, front matter, a Word file's core properties). */
  meta: PartialMeta;
  /**
   * The file's creation date (a PDF's CreationDate, a Word file's created property): the weakest date
   * source, since for a web page printed to PDF it is the day it was printed.
   */
  createdDate?: string;
  /** A caveat shown in the reindex summary; the file is still indexed. */
  warning?: string;
}

/** One format's reader: bytes in, structured text and metadata out. Adding a format adds one of these (and its line in readers/index.ts). */
export interface DocumentReader {
  /** `onPage` hears of each page read, for formats with pages (a 2,000-page PDF takes a while). */
  read(bytes: Buffer, onPage?: PageProgress): Promise<ReadResult>;
}

export type PageProgress = (page: number, pages: number) => void;

/** A file that cannot be indexed; its message names the reason (shown with the file name). */
export class UnreadableFileError extends Error {}
