import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/index.js';
import { unsupportedReason } from './readers/index.js';

export const SIDECAR_SUFFIX = '.meta.json';

/** A file found in the docs folder, before it is read. */
export interface DocumentFile {
  id: string;
  absolutePath: string;
  extension: string;
  size: number;
  mtimeMs: number;
  /** The sidecar's modification time too, so a metadata edit is noticed without hashing. */
  sidecarMtimeMs: number | null;
}

export interface ScanResult {
  files: DocumentFile[];
  /** Files that are not documents (unsupported types), with the reason. */
  ignored: { file: string; reason: string }[];
}

/** Lists the documents under `docsDir` (nested folders, hidden files and sidecars excluded), sorted by id. */
export async function scanDocuments(docsDir: string): Promise<ScanResult> {
  const stat = await fs.stat(docsDir).catch(() => null);
  if (!stat) throw new UserError(`docs folder not found: ${docsDir}`);
  if (!stat.isDirectory()) throw new UserError(`docs folder is not a folder: ${docsDir}`);

  const ignored: ScanResult['ignored'] = [];
  const entries = await fs.readdir(docsDir, { recursive: true, withFileTypes: true });
  const names = new Set(entries.map((entry) => path.join(entry.parentPath, entry.name)));
  const found: { id: string; absolutePath: string; extension: string }[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolutePath = path.join(entry.parentPath, entry.name);
    const id = path.relative(docsDir, absolutePath).split(path.sep).join('/');
    if (id.split('/').some((part) => part.startsWith('.')) || entry.name.endsWith(SIDECAR_SUFFIX)) continue;
    const extension = path.extname(entry.name).toLowerCase();
    const unsupported = unsupportedReason(extension);
    if (unsupported) {
      ignored.push({ file: id, reason: unsupported });
      continue;
    }
    found.push({ id, absolutePath, extension });
  }
  // Stats in parallel: a library of thousands of files is scanned on every reindex.
  const files: DocumentFile[] = await Promise.all(
    found.map(async ({ id, absolutePath, extension }) => {
      const sidecar = absolutePath + SIDECAR_SUFFIX;
      const [fileStat, sidecarStat] = await Promise.all([fs.stat(absolutePath), names.has(sidecar) ? fs.stat(sidecar) : null]);
      return { id, absolutePath, extension, size: fileStat.size, mtimeMs: fileStat.mtimeMs, sidecarMtimeMs: sidecarStat?.mtimeMs ?? null };
    }),
  );
  files.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  ignored.sort((a, b) => a.file.localeCompare(b.file));
  return { files, ignored };
}

/** The file's bytes and its sidecar's (if any), and a hash over both. */
export async function readDocumentFile(file: DocumentFile): Promise<{ bytes: Buffer; sidecar: Buffer | null; hash: string }> {
  const bytes = await fs.readFile(file.absolutePath);
  const sidecar = file.sidecarMtimeMs === null ? null : await fs.readFile(file.absolutePath + SIDECAR_SUFFIX);
  const hash = createHash('sha256')
    .update(bytes)
    .update('\0')
    .update(sidecar ?? '')
    .digest('hex');
  return { bytes, sidecar, hash };
}
