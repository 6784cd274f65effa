export { scanDocuments, readDocumentFile, type DocumentFile, type ScanResult } from './scan.js';
export { loadDocument } from './load.js';
export { splitIntoPassages, type PassageDraft } from './split.js';
export { UnreadableFileError, type DocumentReader, type PageProgress, type ReadResult, type TextBlock } from './readers/index.js';
export { PolicyFileLoader } from './loader.js';
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
