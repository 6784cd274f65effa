import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { BaseDocumentLoader } from '@langchain/core/document_loaders/base';
import { loadDocument } from './load.js';
import { SIDECAR_SUFFIX } from './scan.js';

/**
 * One file of any supported format as a LangChain document (`pageContent` plus `metadata`), read by the same
 * readers and metadata rules as the index: LangChain pipelines can use this project's readers as a loader.
 */
export class PolicyFileLoader extends BaseDocumentLoader {
  constructor(
    private readonly filePath: string,
    /** The folder ids are relative to (default: the file's own folder). */
    private readonly docsDir = path.dirname(filePath),
  ) {
    super();
  }

  async load(): Promise<Document[]> {
    const absolutePath = path.resolve(this.filePath);
    const [stat, sidecar] = await Promise.all([fs.stat(absolutePath), fs.stat(absolutePath + SIDECAR_SUFFIX).catch(() => null)]);
    const id = path.relative(path.resolve(this.docsDir), absolutePath).split(path.sep).join('/');
    const doc = await loadDocument({
      id,
      absolutePath,
      extension: path.extname(absolutePath).toLowerCase(),
      size: stat.size,
      mtimeMs: stat.mtimeMs,
      sidecarMtimeMs: sidecar?.mtimeMs ?? null,
    });
    return [new Document({ pageContent: doc.text, metadata: { source: doc.id, ...doc.meta } })];
  }
}
