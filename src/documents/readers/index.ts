import { docxReader } from './docx.js';
import { htmlReader } from './html.js';
import { markdownReader } from './markdown.js';
import { pdfReader } from './pdf.js';
import { textReader } from './text.js';
import { UnreadableFileError, type DocumentReader, type ReadResult } from './types.js';

export { UnreadableFileError, type BlockKind, type DocumentReader, type ReadResult, type TextBlock } from './types.js';

const READERS: readonly DocumentReader[] = [textReader, markdownReader, htmlReader, pdfReader, docxReader];

/** Formats agencies publish in that no reader here reads; they are named in the summary with what to do. */
const UNSUPPORTED = new Set(['.doc', '.wps', '.wpt', '.rtf', '.odt', '.pages', '.hwp', '.ofd', '.xls', '.xlsx', '.ppt', '.pptx', '.et', '.dps']);

export const SUPPORTED_EXTENSIONS: readonly string[] = READERS.flatMap((reader) => reader.extensions);

/** Why a file of this extension is not read, or null when a reader reads it. */
export function unsupportedReason(extension: string): string | null {
  if (SUPPORTED_EXTENSIONS.includes(extension)) return null;
  if (UNSUPPORTED.has(extension)) return `unsupported format "${extension}" (save as .docx or PDF)`;
  return `unsupported file type "${extension || '(none)'}"`;
}

export function readFile(extension: string, bytes: Buffer): Promise<ReadResult> {
  const reader = READERS.find((candidate) => candidate.extensions.includes(extension));
  if (!reader) throw new UnreadableFileError(unsupportedReason(extension) ?? `unsupported file type "${extension}"`);
  return reader.read(bytes);
}
