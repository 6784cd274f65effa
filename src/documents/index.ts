import path from 'node:path';
import { parseFile, UnreadableFileError } from './formats.js';
import { resolveMeta, type PartialMeta } from './metadata.js';
import { readDocumentFile, SIDECAR_SUFFIX, type DocumentFile } from './scan.js';
import type { LoadedDocument } from './types.js';

export { scanDocuments, readDocumentFile, type DocumentFile, type ScanResult } from './scan.js';
export { splitIntoPassages, type PassageDraft } from './split.js';
export { UnreadableFileError } from './formats.js';
export {
  documentSignature,
  findCopyGroups,
  signatureFromBytes,
  signatureToBytes,
  SIGNATURE_SCHEME,
  type CopyGroup,
  type DuplicateCandidate,
} from './duplicates.js';
export type { DocumentMeta, LoadedDocument, Passage } from './types.js';

/** Reads, parses and describes one document. Throws UnreadableFileError with the reason when it cannot be indexed. */
export async function loadDocument(file: DocumentFile, read?: Awaited<ReturnType<typeof readDocumentFile>>): Promise<LoadedDocument & { warning?: string }> {
  const { bytes, sidecar, hash } = read ?? (await readDocumentFile(file));
  if (bytes.length === 0) throw new UnreadableFileError('empty file');
  const sidecarMeta = sidecar ? parseSidecar(sidecar, path.basename(file.absolutePath) + SIDECAR_SUFFIX) : {};
  const parsed = await parseFile(file.extension, bytes);
  const text = parsed.text.replace(/\r\n?/g, '\n').replaceAll('\u0000', '').trim();
  if (!text) throw new UnreadableFileError('no text in the file');
  return { id: file.id, meta: resolveMeta(file.id, text, sidecarMeta, parsed.meta), text, hash, warning: parsed.warning };
}

function parseSidecar(bytes: Buffer, name: string): PartialMeta {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new UnreadableFileError(`its metadata file ${name} is not a JSON object`);
}
