import furniture from '../../data/text/page-furniture.json' with { type: 'json' };
import type { TextBlock } from './readers/types.js';

/**
 * Page furniture that survives a reader: a scraped page flattened to paragraphs keeps its crumbs, share bar and
 * update stamp as lines of their own, and Readability cannot tell them from text there. Two rules, both about
 * short lines that hold no sentence: lines before the page's own title are crumbs, so is a line of steps
 * ("Home > News > Regional"), and a line made only of furniture words (share, print, source, 分享, 打印 …),
 * dates, times and site names is a toolbar.
 */
const FURNITURE_WORDS = new Set(furniture.words);
/** Crumbs and toolbars are short; a line longer than this is kept whatever its words. */
const MAX_FURNITURE_CHARS = 120;
/** The title is looked for among the first blocks only: crumbs come right before it. */
const TITLE_WITHIN = 8;

const SENTENCE_END = /[.!?。！？；;]["'”’)）]*$/u;
const DATE_OR_TIME =
  /\b\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\b\d{4}\b/giu;
const SITE = /\b(?:https?:\/\/)?(?:[\w-]+\.)+[a-z]{2,}(?:\/\S*)?/giu;
const SITE_IN_LINE = new RegExp(SITE.source, 'iu');

export function withoutPageFurniture(blocks: TextBlock[], title: string | null): TextBlock[] {
  const titleAt = title ? blocks.slice(0, TITLE_WITHIN).findIndex((block) => sameText(block.text, title)) : -1;
  return blocks.filter((block, i) => {
    if (block.kind === 'row' || block.text.length > MAX_FURNITURE_CHARS || SENTENCE_END.test(block.text)) return true;
    if (i < titleAt) return false;
    return !isToolbar(block.text) && !isBreadcrumb(block.text);
  });
}

function isToolbar(text: string): boolean {
  const rest = text.replace(DATE_OR_TIME, ' ').replace(SITE, ' ').toLowerCase();
  const words = rest.match(/[\p{L}+\-【】]+/gu) ?? [];
  // Nothing but a site name is furniture; nothing but a date or a number may be a dateline or a figure.
  if (!words.length) return SITE_IN_LINE.test(text);
  return words.every((word) => FURNITURE_WORDS.has(word.replace(/^-+|-+$/g, '') || word) || word === '-');
}

/** "Home > News > Regional", "当前位置:首页 > 新闻资讯 > …": three or more steps, the first of a few words. */
function isBreadcrumb(text: string): boolean {
  const steps = text.split(/\s*[>»›]\s*/u);
  return steps.length >= 3 && steps[0].split(/\s+/).length <= 4 && steps.slice(0, -1).every((step) => step.length <= 40);
}

function sameText(a: string, b: string): boolean {
  const fold = (text: string) =>
    text
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
  return fold(a) === fold(b) && fold(a).length > 0;
}
