import type { BlockKind, TextBlock } from './readers/types.js';
import { weight } from './split.js';
import tuning from '../../data/tuning/paragraphs.json' with { type: 'json' };

/**
 * Rebuilding paragraphs from lines. Plain-text files, web scrapes and a PDF's text layer break lines where
 * the text was wrapped, not where sentences end; taking each break as a sentence end quoted fragments
 * ("component.", "… in Xixian New Area was"). A break is joined when it is only a wrap: the line does not end
 * a sentence and the next one continues it. Structure stays: headings, list items, numbered articles and
 * clauses, table rows, and lines that stand alone.
 */

/** A line as a reader found it; `kind` is set when the format says what it is (Markdown, HTML). */
export interface SourceLine {
  text: string;
  kind?: BlockKind;
  /** One or more blank lines (or a block boundary) came before it. */
  gapBefore: boolean;
}

const SENTENCE_END = /[.!?。！？；;…]["'”’»)）\]】」』]*$/u;
const HEADING_MARK = /^#{1,6}\s+/;
const UNDERLINE = /^(?:={3,}|-{3,}|~{3,})$/;
/** Numbered articles and chapters start a paragraph of their own: `第五条`, `第二章`. */
const ARTICLE = /^第[一二三四五六七八九十百千零〇\d]+[章节条款编部]/u;
/** List items and numbered clauses: `- `, `•`, `1.`, `(1)`, `（一）`, `一、`, `(a)`, `4.1.2.` */
const ITEM =
  /^(?:[-*•·▪●◦]\s+|\d{1,2}[.)、]\s*(?=\D)|[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3}|[a-zA-Z])[)）]|[一二三四五六七八九十]{1,3}、|\d+(?:\.\d+)+\.\s|\d+(?:\.\d+){2,}\s|[a-z][.)]\s)/u;
/** A table row: cells between pipes, or three or more cells separated by tabs or wide gaps. */
const TABLE_ROW = /^\|.*\|$|^\S.*(?:\t|\s{3,})\S.*(?:\t|\s{3,})\S/u;
const STARTS_LOWER = /^[\p{Ll}]|^[,;:)\]%’”]/u;
const ENDS_HYPHENATED = /\p{L}-$/u;
const ENDS_COMMA = /[,，、]$/u;

export function classifyLine(text: string): BlockKind {
  if (HEADING_MARK.test(text)) return 'heading';
  if (TABLE_ROW.test(text)) return 'row';
  if (ITEM.test(text)) return 'item';
  return 'paragraph';
}

/** Plain text (a `.txt` file, a PDF's lines) into blocks: `''` lines are blank. */
export function paragraphsFromText(text: string): TextBlock[] {
  const lines: SourceLine[] = [];
  let gap = true;
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/[ \t\u00a0\u3000]+$/u, '').replace(/^[\u00a0\u3000]+/u, '');
    if (!line.trim()) {
      gap = true;
      continue;
    }
    const trimmed = line.trim();
    // A line of `===` or `---` underlines the heading above it (Markdown's setext style, licence texts).
    if (UNDERLINE.test(trimmed) && lines.length && !gap) {
      lines[lines.length - 1].kind = 'heading';
      continue;
    }
    lines.push({ text: trimmed, kind: classifyLine(trimmed), gapBefore: gap });
    gap = false;
  }
  return rebuildParagraphs(lines);
}

/**
 * Joins wrapped lines into paragraphs. Within a block a line is joined to the one before when that one does
 * not end a sentence and this one continues it: a lower-case start, a hyphenated word, a comma before it, a
 * number after a word, or — in a hard-wrapped text — a previous line that filled the wrap width. Across blank
 * lines only the surest signs join: a lower-case start or a hyphenated word anywhere (a page break), a filled
 * line only in a text that puts a blank after every wrapped line.
 */
export function rebuildParagraphs(lines: SourceLine[]): TextBlock[] {
  const wrapWidth = detectWrapWidth(lines);
  const spaced = wrapWidth !== null && blankAfterEveryLine(lines);
  const words = vocabulary(lines);
  const blocks: TextBlock[] = [];
  let lastLine = '';
  for (const line of lines) {
    const kind = line.kind ?? classifyLine(line.text);
    const text = kind === 'heading' ? line.text.replace(HEADING_MARK, '') : line.text;
    const previous = blocks.at(-1);
    // Whether the line before filled the width is a property of that line, not of the paragraph it joined.
    const filled = wrapWidth !== null && weight(lastLine) >= wrapWidth * tuning.filledLineShare;
    if (previous && continues(previous, { text, kind, gapBefore: line.gapBefore }, filled, spaced)) {
      previous.text = joinLines(previous.text, text, words);
    } else {
      blocks.push(line.gapBefore ? { kind, text } : { kind, text, sameGroup: true });
    }
    lastLine = text;
  }
  return blocks;
}

function continues(previous: TextBlock, line: Required<SourceLine>, filled: boolean, spaced: boolean): boolean {
  if (previous.kind === 'heading' || previous.kind === 'row' || line.kind !== 'paragraph' || ARTICLE.test(line.text)) return false;
  const before = previous.text;
  const lower = STARTS_LOWER.test(line.text);
  // After an end mark (or a colon) only a lower-case start continues: "… billion U.S." + "dollars) in 2022",
  // "… copyright notice;" + "keep intact all notices …".
  if (SENTENCE_END.test(before) || /[:：]["'”’)）]*$/u.test(before)) return lower && /\p{Ll}/u.test(line.text[0] ?? '');
  const hyphenated = ENDS_HYPHENATED.test(before) && /^\p{Ll}/u.test(line.text);
  // Across a blank line (a page break, a scrape's spacing) only the surest signs join.
  if (line.gapBefore) return lower || hyphenated || (filled && spaced);
  const comma = ENDS_COMMA.test(before);
  const numberAfterWord = /\p{Ll}$/u.test(before) && /^\d/u.test(line.text);
  // Chinese prose (it has its commas) cut before its end mark: "…981.77亿元,同比增" + "长57.53%。"; a title has no commas.
  const chineseCut = /\p{Script=Han}$/u.test(before) && /[，,、]/u.test(before) && /^[\p{Script=Han}\d“《（]/u.test(line.text);
  return lower || hyphenated || comma || numberAfterWord || filled || chineseCut;
}

/**
 * A line break inside a paragraph is a space in English and nothing between Chinese characters. A word
 * hyphenated at a line end loses its hyphen when the document spells it whole elsewhere ("inno-" + "vation");
 * otherwise the hyphen is a compound's ("technology-" + "based") and stays.
 */
function joinLines(before: string, after: string, words?: ReadonlySet<string>): string {
  if (ENDS_HYPHENATED.test(before) && /^\p{Ll}/u.test(after)) {
    const head = /\p{L}+-$/u.exec(before)?.[0].slice(0, -1) ?? '';
    const tail = /^\p{L}+/u.exec(after)?.[0] ?? '';
    return words?.has((head + tail).toLowerCase()) ? before.slice(0, -1) + after : before + after;
  }
  if (/[\p{Script=Han}，、；：“《（]$/u.test(before) && /^[\p{Script=Han}\d“《（]/u.test(after)) return before + after;
  return `${before} ${after}`;
}

function vocabulary(lines: SourceLine[]): Set<string> {
  const words = new Set<string>();
  for (const line of lines) for (const word of line.text.toLowerCase().match(/\p{L}{3,}/gu) ?? []) words.add(word);
  return words;
}

/**
 * The width a hard-wrapped text was wrapped at, or null when its lines are whole paragraphs. Wrapped text has
 * most of its lines near one width (all but each paragraph's last), and that width is a line's, not a paragraph's.
 */
function detectWrapWidth(lines: SourceLine[]): number | null {
  const weights = lines
    .filter((line) => (line.kind ?? 'paragraph') === 'paragraph')
    .map((line) => weight(line.text))
    .sort((a, b) => a - b);
  if (weights.length < tuning.minWrappedLines) return null;
  const width = weights[Math.floor(weights.length * 0.9)];
  if (width < tuning.wrapWidth.min || width > tuning.wrapWidth.max) return null;
  const nearFull = weights.filter((value) => value >= width * tuning.wrappedLineShare).length;
  return nearFull / weights.length >= tuning.minNearFullShare ? width : null;
}

function blankAfterEveryLine(lines: SourceLine[]): boolean {
  if (lines.length < 2) return false;
  const followedByBlank = lines.slice(1).filter((line) => line.gapBefore).length;
  return followedByBlank / (lines.length - 1) >= tuning.spacedLineShare;
}
