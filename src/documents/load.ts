import path from 'node:path';
import { withoutPageFurniture } from './furniture.js';
import { resolveMeta, type PartialMeta } from './metadata.js';
import { readFile, UnreadableFileError, type PageProgress, type TextBlock } from './readers/index.js';
import { readDocumentFile, SIDECAR_SUFFIX, type DocumentFile } from './scan.js';
import type { LoadedDocument } from './types.js';

/** Reads, parses and describes one document. Throws UnreadableFileError with the reason when it cannot be indexed. */
export async function loadDocument(
  file: DocumentFile,
  read?: Awaited<ReturnType<typeof readDocumentFile>>,
  onPage?: PageProgress,
): Promise<LoadedDocument & { warning?: string }> {
  const { bytes, sidecar, hash } = read ?? (await readDocumentFile(file));
  if (bytes.length === 0) throw new UnreadableFileError('empty file');
  const sidecarMeta = sidecar ? parseSidecar(sidecar, path.basename(file.absolutePath) + SIDECAR_SUFFIX) : {};
  const parsed = await readFile(file.extension, bytes, onPage);
  const all = blocksToText(parsed.blocks);
  if (!all) throw new UnreadableFileError('no readable text in the file');
  // The metadata is read from the whole text: an update stamp is furniture, but its date is the release's.
  const meta = resolveMeta(file.id, all, [sidecarMeta, parsed.meta], parsed.createdDate);
  const text = blocksToText(withoutPageFurniture(parsed.blocks, meta.title));
  if (!text) throw new UnreadableFileError('no readable text left (the file is page furniture only)');
  return { id: file.id, meta, text, hash, warning: parsed.warning };
}

/**
 * A document's text as the splitter reads it: blocks apart by blank lines, a list's items and a table's rows
 * on consecutive lines (one passage keeps them together), headings as `# ` lines.
 */
export function blocksToText(blocks: TextBlock[]): string {
  let text = '';
  let previous: TextBlock['kind'] | null = null;
  for (const block of blocks) {
    const line = block.text.replaceAll('\0', '').trim();
    if (!line) continue;
    // A list stays with the line that introduces it ("… include:").
    const together =
      previous !== null &&
      previous !== 'heading' &&
      block.kind !== 'heading' &&
      (block.sameGroup || ((block.kind === 'item' || block.kind === 'row') && (previous === block.kind || /[:：]$/.test(text))));
    text += (previous === null ? '' : together ? '\n' : '\n\n') + (block.kind === 'heading' ? `# ${line}` : line);
    previous = block.kind;
  }
  return text;
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
