import matter from 'gray-matter';
import { convert } from 'html-to-text';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { PartialMeta } from './metadata.js';

/** What one file yields before metadata is resolved. `warning` is shown but the file is still indexed. */
export interface ParsedFile {
  text: string;
  meta: PartialMeta;
  warning?: string;
}

/** A file that cannot be indexed; its message names the reason (shown with the file name). */
export class UnreadableFileError extends Error {}

export const SUPPORTED_EXTENSIONS = ['.txt', '.md', '.markdown', '.html', '.htm', '.pdf'] as const;

export async function parseFile(extension: string, bytes: Buffer): Promise<ParsedFile> {
  switch (extension) {
    case '.txt':
      return parseText(bytes, false);
    case '.md':
    case '.markdown':
      return parseText(bytes, true);
    case '.html':
    case '.htm':
      return parseHtml(bytes);
    case '.pdf':
      return parsePdf(bytes);
    default:
      throw new UnreadableFileError(`unsupported file type "${extension}"`);
  }
}

/** UTF-8 when it is valid UTF-8; otherwise Windows-1252 (a superset of Latin-1) with a warning; binary is refused. */
export function decodeText(bytes: Buffer): { text: string; warning?: string } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (looksBinary(body)) throw new UnreadableFileError('not a text file (binary content)');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), warning: 'not UTF-8; read as Latin-1 (Windows-1252)' };
  }
}

function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

function parseText(bytes: Buffer, markdown: boolean): ParsedFile {
  const { text, warning } = decodeText(bytes);
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(text);
  } catch (error) {
    throw new UnreadableFileError(`front matter is not valid YAML (${firstLine(error)})`);
  }
  const body = markdown ? markdownToText(parsed.content) : parsed.content;
  return { text: body, meta: parsed.data, warning };
}

/** Keeps headings as `# ` lines (the splitter uses them) and drops Markdown syntax that is not text. */
function markdownToText(markdown: string): string {
  return markdown
    .replace(/```[\s\S]*?```/g, '')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^(#{1,6})\s+(.*?)\s*#*\s*$/gm, '# $2')
    .replace(/^\s*[-*+]\s+/gm, '- ')
    .replace(/^\s*>\s?/gm, '')
    .replace(/(\*\*|__|\*|_|`)(\S(?:.*?\S)?)\1/g, '$2')
    .replace(/^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*$/gm, '')
    .replace(/^(\s*-{3,}\s*)$/gm, '');
}

function parseHtml(bytes: Buffer): ParsedFile {
  const { text: html, warning } = decodeText(bytes);
  const meta: PartialMeta = {
    title: metaContent(html, 'og:title') ?? /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim(),
    date: metaContent(html, 'article:published_time') ?? metaContent(html, 'date') ?? metaContent(html, 'dc.date'),
    url: metaContent(html, 'og:url') ?? /<link[^>]+rel=["']canonical["'][^>]*href=["']([^"']+)/i.exec(html)?.[1],
    publisher: metaContent(html, 'og:site_name') ?? metaContent(html, 'author'),
    language: /<html[^>]+lang=["']([a-zA-Z-]+)/i.exec(html)?.[1]?.slice(0, 2).toLowerCase(),
  };
  const text = convert(html, {
    wordwrap: false,
    formatters: {
      // Headings become `# ` lines, which the splitter takes as section titles.
      sectionHeading: (element, walk, builder) => {
        builder.openBlock({ leadingLineBreaks: 2 });
        builder.addInline('# ');
        walk(element.children, builder);
        builder.closeBlock({ trailingLineBreaks: 2 });
      },
    },
    selectors: [
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, format: 'sectionHeading' })),
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'nav', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'header', format: 'skip' },
      { selector: 'footer', format: 'skip' },
      { selector: 'table', format: 'dataTable' },
    ],
  });
  return {
    text: decodeEntities(text),
    meta: { ...meta, title: typeof meta.title === 'string' && meta.title ? decodeEntities(meta.title) : undefined },
    warning,
  };
}

function metaContent(html: string, name: string): string | undefined {
  const escaped = name.replace(/[.:]/g, '\\$&');
  const pattern = new RegExp(
    `<meta[^>]+(?:name|property)=["']${escaped}["'][^>]*content=["']([^"']*)["']|<meta[^>]+content=["']([^"']*)["'][^>]*(?:name|property)=["']${escaped}["']`,
    'i',
  );
  const match = pattern.exec(html);
  return (match?.[1] ?? match?.[2])?.trim() || undefined;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, entity: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[entity] ?? _);
}

type PdfTextItem = Pick<TextItem, 'str' | 'transform' | 'height'>;

/** The PDF's text layer, with line breaks from item positions and paragraph breaks from vertical gaps. */
async function parsePdf(bytes: Buffer): Promise<ParsedFile> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw new UnreadableFileError(`not a readable PDF (${firstLine(error)})`);
  }
  try {
    const pages: string[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const page = await document.getPage(pageNumber);
      const content = await page.getTextContent();
      pages.push(pdfItemsToText(content.items.filter((item): item is TextItem => 'str' in item)));
    }
    const text = pages.join('\n\n');
    if (!text.trim()) throw new UnreadableFileError('PDF has no text layer (scanned images need OCR first)');
    const { info } = (await document.getMetadata().catch(() => ({ info: {} }))) as { info: Record<string, unknown> };
    return { text, meta: { title: info?.Title, date: pdfDate(info?.CreationDate) } };
  } finally {
    await document.destroy();
  }
}

function pdfItemsToText(items: PdfTextItem[]): string {
  let text = '';
  let lastY: number | null = null;
  let lastHeight = 0;
  for (const item of items) {
    // Empty items mark line ends and carry no usable position.
    if (!item.str) continue;
    const y = Number(item.transform[5]);
    if (lastY !== null && Math.abs(y - lastY) > 0.5) {
      const gap = Math.abs(lastY - y);
      text += gap > Math.max(lastHeight, item.height, 1) * 1.8 ? '\n\n' : '\n';
    }
    text += item.str;
    if (item.str.trim()) {
      lastY = y;
      lastHeight = item.height;
    }
  }
  // A line break inside a paragraph is a space in English and nothing in Chinese.
  return text
    .split('\n\n')
    .map((paragraph) =>
      paragraph
        .replace(/(\p{Script=Han})\n(?=\p{Script=Han})/gu, '$1')
        .replace(/-\n(?=\p{Ll})/gu, '')
        .replace(/\n/g, ' '),
    )
    .join('\n\n');
}

function pdfDate(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /D:(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  return match ? `${match[1]}-${match[2]}-${match[3]}` : undefined;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
