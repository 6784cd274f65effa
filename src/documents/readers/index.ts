import { UnreadableFileError, type DocumentReader, type PageProgress, type ReadResult } from './types.js';

export { UnreadableFileError, type BlockKind, type DocumentReader, type PageProgress, type ReadResult, type TextBlock } from './types.js';

/**
 * The readers, each loaded the first time a file of its format is read: a library of text files never loads
 * the PDF, HTML or Word parsers (they cost start-up time and memory in every indexing worker).
 */
const READERS: readonly { extensions: readonly string[]; load: () => Promise<DocumentReader> }[] = [
  { extensions: ['.txt'], load: async () => (await import('./text.js')).textReader },
  { extensions: ['.md', '.markdown'], load: async () => (await import('./markdown.js')).markdownReader },
  { extensions: ['.html', '.htm'], load: async () => (await import('./html.js')).htmlReader },
  { extensions: ['.pdf'], load: async () => (await import('./pdf.js')).pdfReader },
  { extensions: ['.docx'], load: async () => (await import('./docx.js')).docxReader },
];

/** Formats agencies publish in that no reader here reads; they are named in the summary with what to do. */
const UNSUPPORTED = new Set(['.doc', '.wps', '.wpt', '.rtf', '.odt', '.pages', '.hwp', '.ofd', '.xls', '.xlsx', '.ppt', '.pptx', '.et', '.dps']);

const SUPPORTED_EXTENSIONS: readonly string[] = READERS.flatMap((reader) => reader.extensions);

/** Why a file of this extension is not read, or null when a reader reads it. */
export function unsupportedReason(extension: string): string | null {
  if (SUPPORTED_EXTENSIONS.includes(extension)) return null;
  if (UNSUPPORTED.has(extension)) return `unsupported format "${extension}" (save as .docx or PDF)`;
  return `unsupported file type "${extension || '(none)'}"`;
}

export async function readFile(extension: string, bytes: Buffer, onPage?: PageProgress): Promise<ReadResult> {
  const entry = READERS.find((candidate) => candidate.extensions.includes(extension));
  if (!entry) throw new UnreadableFileError(unsupportedReason(extension) ?? `unsupported file type "${extension}"`);
  return (await entry.load()).read(bytes, onPage);
}
