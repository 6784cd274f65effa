import path from 'node:path';

/**
 * The title a document gets from its file name when it states none ("xixian-new-area_2024.txt" → "xixian new area
 * 2024"). Its own module: comparing copies at serving time needs it without the date parser that reading documents
 * loads (chrono-node takes most of a second to import).
 */
export function titleFromFileName(docId: string): string {
  const base = path.posix.basename(docId).replace(/\.[^.]+$/, '');
  return base.replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim() || docId;
}

/** Whether a title is only the one made from the file name (the document states none). */
export function isFileNameTitle(docId: string, title: string): boolean {
  return title === titleFromFileName(docId);
}
