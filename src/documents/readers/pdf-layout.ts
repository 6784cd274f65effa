// Reads a PDF's text layer the way a person reads the page: lines by baseline, columns left to right, and the
// page furniture (running headers and footers, page numbers, a browser's print header and footer) left out.
import type { PDFDocumentProxy, TextContent } from 'pdfjs-dist/types/src/display/api.js';
import { UnreadableFileError } from './types.js';

export interface PdfText {
  /** Lines in reading order, page furniture removed. '' marks a paragraph gap (a vertical gap larger than the line spacing, or a page/column break). Line-end hyphens are kept as they are (a later step joins lines into paragraphs and rejoins hyphenated words). */
  lines: string[];
  pages: number;
  /** From the PDF's Info dictionary, if present. */
  title?: string;
  /** CreationDate as YYYY-MM-DD (for a printed web page, the day it was printed: it is the weakest date source). */
  createdDate?: string;
  /**
   * A web page printed from a browser: its creator is a browser (a `Mozilla/…` user agent) or its pages carry a
   * browser's print header. Its creation date is then the day of printing, not the document's.
   */
  printedFromBrowser: boolean;
}

/**
 * The layout thresholds, in units of the font size unless named otherwise. Chosen on pdf-lib test pages and on the
 * browser-printed press library (Chrome: 8 pt header and footer about 20 pt from the edge, body 12 pt).
 */
const LAYOUT = {
  /** Two items of similar size are on one line when their baselines are this close. */
  sameLineSimilar: 0.35,
  /** A smaller item (superscript, subscript) stays on a larger item's line when raised at most this much… */
  raisedMax: 0.6,
  /** …or lowered at most this much. */
  loweredMax: 0.35,
  /** Sizes within this ratio count as similar. */
  similarSize: 0.8,
  /** A horizontal gap wider than this between two items is a space (pdf.js splits items at gaps over 0.6). */
  spaceGap: 0.15,
  /** Between Chinese characters only a space item of the text layer this wide is kept (Chrome's: 0.22 to 0.33). */
  cjkSpace: 0.2,
  /** A vertical gap this many times the page's line spacing starts a paragraph. */
  paragraphGap: 1.25,
  /** Line spacing (baseline to baseline) when a page has too few lines to measure it. */
  defaultSpacing: 1.4,
  /** The top and bottom bands (fraction of the page height) where running headers and footers are looked for. */
  band: 0.1,
  /** At most this many lines at the top or bottom of a page are taken as header or footer. */
  bandLines: 3,
  /** A column gutter is at least this wide (in points)… */
  gutterMinWidth: 6,
  /** …crossed by at most this fraction of the body's lines (full-width titles)… */
  gutterMaxCrossing: 0.2,
  /** …with text on each side in at least this fraction of the lines (and at least `columnMinLines` lines)… */
  columnMinShare: 0.25,
  columnMinLines: 4,
  /** …each column at least this wide (a text column holds some 25 characters; a table's label column does not)… */
  columnMinWidth: 12,
  /** …and most lines left of it running up to it (within this fraction of the column width): text, not a table. */
  columnFill: 0.2,
};

/** A recurring line is furniture when it is on at least this share of the pages (and on two pages at least). */
const RECURRING_SHARE = 0.5;

/** One text item in page space: x left to right, y (the baseline) top to bottom. */
interface Glyphs {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** pdf.js gave a space item just before this one (for a space in the text, or for a gap). */
  spaceBefore: boolean;
}

/** Items that share a baseline, across the whole page width. */
interface Row {
  y: number;
  size: number;
  items: Glyphs[];
}

/** A line as it will be read: its text, baseline and size. */
interface Line {
  text: string;
  y: number;
  size: number;
}

/** What one page yields: header and footer candidates (kept unless they recur) around the body. */
interface PageLines {
  head: string[];
  body: string[];
  foot: string[];
  /** A browser's print timestamp was among the lines peeled off the page's edges. */
  printStamp: boolean;
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** The PDF's text, page by page (one page's items at a time); `onPage` is called after each page. */
export async function extractPdfText(bytes: Uint8Array, onPage?: (page: number, pages: number) => void): Promise<PdfText> {
  if (!hasPdfHeader(bytes)) throw new UnreadableFileError('not a readable PDF (not a PDF file: no %PDF- header)');
  const pdfjs: PdfJs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  let document: PDFDocumentProxy;
  try {
    document = await pdfjs.getDocument({
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw openError(error);
  }
  try {
    const pages: PageLines[] = [];
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      pages.push(await readPageOf(document, pageNumber));
      onPage?.(pageNumber, document.numPages);
    }
    const lines = assemble(pages);
    if (!lines.length) throw new UnreadableFileError('PDF has no text layer (scanned images need OCR first)');
    const { info } = (await document.getMetadata().catch(() => ({ info: {} }))) as { info: Record<string, unknown> };
    const title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim() : undefined;
    const printedFromBrowser = pages.some((page) => page.printStamp) || (typeof info?.Creator === 'string' && info.Creator.startsWith('Mozilla/'));
    return { lines, pages: document.numPages, title, createdDate: pdfDate(info?.CreationDate), printedFromBrowser };
  } finally {
    await document.destroy();
  }
}

/** One page's lines; its items are let go (and pdf.js's page resources freed) before the next page is read. */
async function readPageOf(document: PDFDocumentProxy, pageNumber: number): Promise<PageLines> {
  let content: TextContent;
  let viewport: { transform: number[]; height: number };
  try {
    const page = await document.getPage(pageNumber);
    try {
      viewport = page.getViewport({ scale: 1 });
      content = await page.getTextContent();
    } finally {
      page.cleanup();
    }
  } catch (error) {
    throw new UnreadableFileError(`not a readable PDF (corrupt page ${pageNumber}: ${firstLine(error)})`);
  }
  return readPage(toGlyphs(content, viewport.transform), viewport.height);
}

function hasPdfHeader(bytes: Uint8Array): boolean {
  // Readers accept the header anywhere in the first kilobyte.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes('%PDF-');
}

function openError(error: unknown): UnreadableFileError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PasswordException') return new UnreadableFileError('PDF is password-protected');
  return new UnreadableFileError(`not a readable PDF (corrupt: ${firstLine(error)})`);
}

/** Upright text items in page space (the viewport applies the page's rotation and flips y to run downwards). */
function toGlyphs(content: TextContent, viewport: number[]): Glyphs[] {
  const glyphs: Glyphs[] = [];
  let spaceBefore = false;
  for (const item of content.items) {
    if (!('str' in item)) continue;
    if (!item.str.trim()) {
      spaceBefore ||= item.str.length > 0;
      continue;
    }
    const [a, b, c, d, e, f] = multiply(viewport, item.transform as number[]);
    const size = Math.hypot(c, d);
    // Rotated text (a margin note, a watermark) is not part of the lines.
    if (size > 0 && a > 0 && Math.abs(b) <= 0.05 * a && Math.abs(c) <= 0.05 * size)
      glyphs.push({ text: item.str, x0: e, x1: e + item.width, y: f, size, spaceBefore });
    spaceBefore = false;
  }
  return glyphs;
}

function multiply(m: number[], n: number[]): number[] {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

/** One page: rows, furniture by pattern, header/footer candidates, then the body in reading order. */
function readPage(glyphs: Glyphs[], height: number): PageLines {
  const rows = groupRows(glyphs);
  const inTop = (row: Row) => row.y - row.size < height * LAYOUT.band;
  const inBottom = (row: Row) => row.y > height * (1 - LAYOUT.band);
  // Page numbers, print timestamps and URLs go whatever the other pages hold, peeled off from the page's edges.
  let peeled = 0;
  let printStamp = false;
  const peel = (row: Row | undefined) => {
    const text = row ? rowText(row) : '';
    printStamp ||= PRINT_TIMESTAMP.test(text);
  };
  while (rows.length && peeled++ < LAYOUT.bandLines && inTop(rows[0]) && isFurniture(rowText(rows[0]))) peel(rows.shift());
  peeled = 0;
  while (rows.length && peeled++ < LAYOUT.bandLines && inBottom(rows[rows.length - 1]) && isFurniture(rowText(rows[rows.length - 1]))) peel(rows.pop());
  // A running header or footer stands apart from the body: the lines in a band down (or up) to a paragraph-sized gap.
  const apart = (upper: Row, lower: Row) => lower.y - upper.y > Math.max(upper.size, lower.size) * LAYOUT.defaultSpacing * LAYOUT.paragraphGap;
  let top = 0;
  for (let i = 0; i < LAYOUT.bandLines && i < rows.length - 1 && inTop(rows[i]); i++) if (apart(rows[i], rows[i + 1])) top = i + 1;
  let bottom = 0;
  for (let i = rows.length - 1; i > rows.length - 1 - LAYOUT.bandLines && i > top && inBottom(rows[i]); i--)
    if (apart(rows[i - 1], rows[i])) bottom = rows.length - i;
  // Candidates are kept (unless they recur) with their paragraph gaps.
  const band = (lines: Row[]) => lines.flatMap((row, index) => (index && apart(lines[index - 1], row) ? ['', rowText(row)] : [rowText(row)]));
  return {
    head: band(rows.slice(0, top)),
    body: readingOrder(rows.slice(top, rows.length - bottom)),
    foot: band(rows.slice(rows.length - bottom)),
    printStamp,
  };
}

/** Items grouped by baseline, top to bottom; a superscript or subscript joins the line it sits on. */
function groupRows(glyphs: Glyphs[]): Row[] {
  glyphs.sort((p, q) => p.y - q.y || p.x0 - q.x0);
  const rows: Row[] = [];
  for (const glyph of glyphs) {
    let row: Row | undefined;
    for (let i = rows.length - 1; i >= 0 && i >= rows.length - 4; i--) {
      if (sameLine(rows[i], glyph)) {
        row = rows[i];
        break;
      }
    }
    if (!row) rows.push({ y: glyph.y, size: glyph.size, items: [glyph] });
    else {
      row.items.push(glyph);
      // The line's baseline is its largest text's.
      if (glyph.size > row.size) Object.assign(row, { y: glyph.y, size: glyph.size });
    }
  }
  for (const row of rows) row.items.sort((p, q) => p.x0 - q.x0);
  return rows.sort((p, q) => p.y - q.y);
}

function sameLine(row: Row, glyph: Glyphs): boolean {
  const big = Math.max(row.size, glyph.size);
  if (Math.min(row.size, glyph.size) >= LAYOUT.similarSize * big) return Math.abs(glyph.y - row.y) <= LAYOUT.sameLineSimilar * big;
  // How far the smaller text's baseline sits above the larger's (y runs downwards).
  const raised = row.size > glyph.size ? row.y - glyph.y : glyph.y - row.y;
  return raised <= LAYOUT.raisedMax * big && raised >= -LAYOUT.loweredMax * big;
}

const CJK = /[\p{Script=Han}\u3000-\u303f\uff00-\uffef]/u;

/** A row's items left to right, a space where the gap is wider than a space (never between Chinese characters). */
function rowText(row: Row | Glyphs[]): string {
  const items = Array.isArray(row) ? row : row.items;
  let text = '';
  let previous: Glyphs | undefined;
  for (const item of items) {
    if (previous) {
      // Text drawn twice (a fake bold) is read once.
      if (item.text === previous.text && Math.abs(item.x0 - previous.x0) < 0.2 * item.size) continue;
      // A gap (or pdf.js's space item, which it makes for gaps too) is a space. Between Chinese characters, often set
      // one by one with gaps, a gap is not; a space of the text layer as wide as a space glyph is ("新华社 责任编辑").
      const gap = (item.x0 - previous.x1) / Math.min(previous.size, item.size);
      const cjk = CJK.test(previous.text.at(-1) ?? '') && CJK.test(item.text[0]);
      const space = cjk ? item.spaceBefore && gap >= LAYOUT.cjkSpace : item.spaceBefore || gap > LAYOUT.spaceGap;
      if (space && !/\s$/.test(text) && !/^\s/.test(item.text)) text += ' ';
    }
    text += item.text;
    previous = item;
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The body's lines: columns (when the page has a gutter) left to right, with '' at paragraph gaps and column breaks. */
function readingOrder(rows: Row[]): string[] {
  const gutters = findGutters(rows);
  // Flows: runs of lines read top to bottom. Between full-width lines, each column is a flow.
  const flows: Line[][] = [];
  let wide: Line[] = [];
  let columns: Line[][] = [];
  const flush = () => {
    flows.push(...[wide, ...columns].filter((flow) => flow.length));
    wide = [];
    columns = [];
  };
  for (const row of rows) {
    if (!gutters.length || row.items.some((item) => gutters.some(([from, to]) => item.x0 < to - 1 && item.x1 > from + 1))) {
      if (columns.length) flush();
      wide.push(toLine(row.items));
      continue;
    }
    if (!columns.length) {
      flush();
      columns = [...gutters, null].map(() => []);
    }
    const parts = columns.map((): Glyphs[] => []);
    for (const item of row.items) parts[gutters.filter(([from]) => (item.x0 + item.x1) / 2 > from).length].push(item);
    parts.forEach((part, index) => part.length && columns[index].push(toLine(part)));
  }
  flush();
  const spacing = lineSpacing(flows);
  const lines: string[] = [];
  for (const flow of flows) {
    if (lines.length) lines.push('');
    flow.forEach((line, index) => {
      const before = flow[index - 1];
      if (before && line.y - before.y > spacing * Math.max(line.size, before.size) * LAYOUT.paragraphGap) lines.push('');
      lines.push(line.text);
    });
  }
  return lines;
}

function toLine(items: Glyphs[]): Line {
  const main = items.reduce((best, item) => (item.size > best.size ? item : best));
  return { text: rowText(items), y: main.y, size: main.size };
}

/** Baseline to baseline over the font size, as the lower quartile of the page's steps (paragraph gaps are the larger ones). */
function lineSpacing(flows: Line[][]): number {
  const steps: number[] = [];
  for (const flow of flows) {
    for (let i = 1; i < flow.length; i++) {
      const step = (flow[i].y - flow[i - 1].y) / Math.max(flow[i].size, flow[i - 1].size);
      if (step >= 0.8 && step <= 4) steps.push(step);
    }
  }
  if (steps.length < 3) return LAYOUT.defaultSpacing;
  steps.sort((p, q) => p - q);
  return steps[Math.floor((steps.length - 1) / 4)];
}

/** Column gutters: vertical strips that (almost) no line crosses, with line-filled text on both sides. */
function findGutters(rows: Row[]): [number, number][] {
  if (rows.length < 2 * LAYOUT.columnMinLines) return [];
  const left = Math.min(...rows.map((row) => row.items[0].x0));
  const right = Math.max(...rows.map((row) => Math.max(...row.items.map((item) => item.x1))));
  const width = Math.ceil(right - left);
  if (!(width > 0) || width > 20_000) return [];
  const crossing = new Int32Array(width + 1);
  for (const row of rows) {
    for (const item of row.items) {
      for (let x = Math.max(0, Math.floor(item.x0 - left)); x <= Math.min(width, Math.ceil(item.x1 - left)); x++) crossing[x]++;
    }
  }
  const maxCrossing = Math.floor(rows.length * LAYOUT.gutterMaxCrossing);
  const candidates: [number, number][] = [];
  for (let x = 0; x <= width; x++) {
    if (crossing[x] > maxCrossing) continue;
    const start = x;
    while (x <= width && crossing[x] <= maxCrossing) x++;
    if (start > 0 && x <= width && x - start >= LAYOUT.gutterMinWidth) candidates.push([left + start, left + x]);
  }
  const gutters: [number, number][] = [];
  candidates.forEach((gutter, index) => {
    const columnStart = gutters.at(-1)?.[1] ?? left;
    const columnEnd = candidates[index + 1]?.[0] ?? right;
    if (isGutter(rows, gutter, columnStart, columnEnd)) gutters.push(gutter);
  });
  return gutters;
}

function isGutter(rows: Row[], [from, to]: [number, number], columnStart: number, columnEnd: number): boolean {
  const minLines = Math.max(LAYOUT.columnMinLines, rows.length * LAYOUT.columnMinShare);
  let leftLines = 0;
  let rightLines = 0;
  let filled = 0;
  const reach = (from - columnStart) * LAYOUT.columnFill;
  const em = medianSize(rows);
  if (from - columnStart < LAYOUT.columnMinWidth * em || columnEnd - to < LAYOUT.columnMinWidth * em) return false;
  for (const row of rows) {
    if (row.items.some((item) => item.x0 < to && item.x1 > from)) continue;
    const leftEnd = Math.max(-Infinity, ...row.items.filter((item) => item.x1 <= from && item.x0 >= columnStart - 1).map((item) => item.x1));
    if (leftEnd > -Infinity) {
      leftLines++;
      if (leftEnd >= from - reach) filled++;
    }
    if (row.items.some((item) => item.x0 >= to && item.x1 <= columnEnd + 1)) rightLines++;
  }
  return leftLines >= minLines && rightLines >= minLines && filled >= leftLines / 2;
}

function medianSize(rows: Row[]): number {
  const sizes = rows.map((row) => row.size).sort((p, q) => p - q);
  return sizes[Math.floor(sizes.length / 2)];
}

const PAGE_NUMBER = [
  /^(page|p\.|pg\.?)?\s*\d+\s*((\/|of|de|von)\s*\d+)?$/i,
  /^[-–—]\s*\d+\s*[-–—]$/,
  /^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$/,
  /^(?=[ivxlc])(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$/i,
];
/**
 * A browser's print header: its date and time ("12/1/26, 8:15 PM", "01.12.26, 20:15", "2026/12/1 20:15"; no
 * seconds), then the page title. An article's own dateline ("2023-08-03 09:53:44") is not one.
 */
const PRINT_TIMESTAMP = /^\d{1,4}[/.]\d{1,2}[/.]\d{1,4},?\s+(上午|下午)?\s*\d{1,2}:\d{2}(\s*[AaPp]\.?\s?[Mm]\.?)?(\s.*)?$/;
/** A browser's print footer: the page's address, then the page number. */
const URL_LINE = /^(https?:\/\/|file:\/\/|www\.)\S*(\s+\d+\s*(\/|of)\s*\d+)?$/i;

function isFurniture(text: string): boolean {
  return !text || PAGE_NUMBER.some((pattern) => pattern.test(text)) || PRINT_TIMESTAMP.test(text) || URL_LINE.test(text);
}

/** The pages' lines with '' between pages; header and footer candidates recurring on most pages are dropped. */
function assemble(pages: PageLines[]): string[] {
  const recurring = (band: 'head' | 'foot') => {
    const counts = new Map<string, number>();
    for (const page of pages) for (const key of new Set(page[band].filter(Boolean).map(furnitureKey))) counts.set(key, (counts.get(key) ?? 0) + 1);
    const needed = Math.max(2, Math.ceil(pages.length * RECURRING_SHARE));
    return new Set([...counts].filter(([, count]) => count >= needed).map(([key]) => key));
  };
  const heads = recurring('head');
  const feet = recurring('foot');
  const lines: string[] = [];
  for (const page of pages) {
    const head = page.head.filter((line) => !line || !heads.has(furnitureKey(line)));
    const foot = page.foot.filter((line) => !line || !feet.has(furnitureKey(line)));
    lines.push('', ...head, '', ...page.body, '', ...foot);
  }
  return dropGaps(lines);
}

/** Without leading, trailing or doubled paragraph gaps. */
function dropGaps(lines: string[]): string[] {
  const kept: string[] = [];
  for (const line of lines) if (line || kept.at(-1)) kept.push(line);
  if (kept.at(-1) === '') kept.pop();
  return kept;
}

/** A line compared across pages: digit runs (page numbers, dates) and spacing do not count. */
function furnitureKey(line: string): string {
  return line.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
}

function pdfDate(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^(?:D:)?(\d{4})(\d{2})(\d{2})/.exec(value) : null;
  if (!match || +match[2] < 1 || +match[2] > 12 || +match[3] < 1 || +match[3] > 31) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
