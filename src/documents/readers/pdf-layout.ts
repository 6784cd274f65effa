import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { firstLine } from './decode.js';
import { UnreadableFileError } from './types.js';

export interface PdfText {
  /** Lines in reading order; '' marks a paragraph gap. */
  lines: string[];
  pages: number;
  title?: string;
  /** CreationDate as YYYY-MM-DD. */
  createdDate?: string;
}

/** The PDF's text layer as lines (placeholder until the layout reader lands). */
export async function extractPdfText(bytes: Uint8Array): Promise<PdfText> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document;
  try {
    document = await pdfjs.getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, verbosity: 0 }).promise;
  } catch (error) {
    throw new UnreadableFileError(`not a readable PDF (${firstLine(error)})`);
  }
  try {
    const lines: string[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      let lastY: number | null = null;
      let line = '';
      for (const item of content.items.filter((entry): entry is TextItem => 'str' in entry)) {
        if (!item.str) continue;
        const y = item.transform[5];
        if (lastY !== null && Math.abs(y - lastY) > 0.5) {
          lines.push(line);
          if (Math.abs(lastY - y) > Math.max(item.height, 1) * 1.8) lines.push('');
          line = '';
        }
        line += item.str;
        lastY = y;
      }
      lines.push(line, '');
      page.cleanup();
    }
    if (!lines.some((line) => line.trim())) throw new UnreadableFileError('PDF has no text layer (scanned images need OCR first)');
    const { info } = (await document.getMetadata().catch(() => ({ info: {} }))) as { info: Record<string, unknown> };
    const created = typeof info?.CreationDate === 'string' ? /D:(\d{4})(\d{2})(\d{2})/.exec(info.CreationDate) : null;
    return {
      lines,
      pages: document.numPages,
      title: typeof info?.Title === 'string' ? info.Title : undefined,
      createdDate: created ? `${created[1]}-${created[2]}-${created[3]}` : undefined,
    };
  } finally {
    await document.destroy();
  }
}
