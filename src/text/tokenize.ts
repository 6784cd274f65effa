import { stemmer } from 'stemmer';

/**
 * Tokenization shared by the lexical index, the local embedder and the answerer, so that a question
 * and a passage are always cut the same way: NFKC + lower case, words from Intl.Segmenter, English
 * words stemmed (Porter), numbers without thousands separators, and each run of Chinese characters
 * as its dictionary words plus overlapping character pairs (robust to segmentation differences).
 */

/** Bump when tokenization changes: an index built by another version is rebuilt rather than mismatched. */
export const ANALYZER_VERSION = 3;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const NUMBER = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$/;

const ENGLISH_STOPWORDS = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both
  but by can could did do does doing down during each few for from further had has have having he her here hers herself
  him himself his how i if in into is isn't it it's its itself just let me more most my myself no nor not now of off on once
  only or other our ours ourselves out over own same she should so some such than that that's the their theirs them
  themselves then there these they this those through to too under until up very was we were what when where which while
  who whom why will with would you your yours yourself yourselves also per via s t
  tell give show please know find us may might must shall many much whose got get gets actually really`.split(/\s+/),
);

const CHINESE_STOPWORDS = new Set(
  '的 了 是 在 和 与 及 或 也 都 就 而 之 其 这 那 有 为 对 把 被 从 以 于 吗 呢 吧 啊 什么 多少 哪些 哪个 怎么 如何 是否 请 问'.split(' '),
);

/** Abbreviations common in policy writing, spelled out so that both forms meet. */
const ABBREVIATIONS: [RegExp, string][] = [
  [/\br&d\b/g, 'research and development'],
  [/\bsci-tech\b/g, 'science and technology'],
  [/\bhi-tech\b/g, 'high-technology'],
  [/\btech\b/g, 'technology'],
  [/\bsmes?\b/g, 'small and medium-sized enterprises'],
  [/\bai\b/g, 'artificial intelligence'],
  [/\bipr?s?\b/g, 'intellectual property'],
];

export function normalizeText(text: string): string {
  let normalized = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  for (const [pattern, replacement] of ABBREVIATIONS) normalized = normalized.replace(pattern, replacement);
  return normalized;
}

export function isStopword(term: string): boolean {
  return ENGLISH_STOPWORDS.has(term) || CHINESE_STOPWORDS.has(term);
}

/** Stems of words seen so far: a corpus repeats its vocabulary, and stemming dominates tokenizing time. */
const wordTerms = new Map<string, string | null>();
const MAX_CACHED_WORDS = 200_000;

/** Turns one word into its index term (stem), or null for a stopword. */
function wordTerm(word: string): string | null {
  let term = wordTerms.get(word);
  if (term === undefined) {
    term = computeWordTerm(word);
    if (wordTerms.size >= MAX_CACHED_WORDS) wordTerms.clear();
    wordTerms.set(word, term);
  }
  return term;
}

function computeWordTerm(word: string): string | null {
  const cleaned = word.replace(/'s$/, '');
  // Single letters are initials or list labels, not content.
  if (ENGLISH_STOPWORDS.has(cleaned) || /^\p{L}$/u.test(cleaned)) return null;
  if (NUMBER.test(cleaned)) return cleaned.replace(/,/g, '');
  return stemmer(cleaned);
}

/**
 * Han runs, or words of other scripts (letters and digits, joined across an inner apostrophe, point or
 * comma: "xi'an", "412.076", "35,124"). Only Han runs go through Intl.Segmenter, which is ten times
 * slower than this expression and needed only where words are not separated by spaces.
 */
const TOKEN = /(\p{Script=Han}+)|[[\p{L}\p{N}]--\p{Script=Han}]+(?:['.,][[\p{L}\p{N}]--\p{Script=Han}]+)*/gv;

/** Index terms of a text, in order, with repeats (term frequency matters). */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of normalizeText(text).matchAll(TOKEN)) {
    const run = match[1];
    if (run === undefined) {
      const term = wordTerm(match[0]);
      if (term) terms.push(term);
      continue;
    }
    // A Chinese run: its dictionary words, then its overlapping character pairs.
    for (const { segment, isWordLike } of segmenter.segment(run)) {
      if (isWordLike && !CHINESE_STOPWORDS.has(segment)) terms.push(segment);
    }
    for (let i = 0; i + 1 < run.length; i++) {
      const pair = run.slice(i, i + 2);
      if (!CHINESE_STOPWORDS.has(pair)) terms.push(pair);
    }
  }
  return terms;
}

/** Distinct terms of a question, first occurrence first. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}

const RELATIVE_YEARS: [RegExp, number][] = [
  [/\b(last|previous|past) year\b|去年|上年/i, -1],
  [/\b(this|the current) year\b|今年|本年/i, 0],
  [/\bnext year\b|明年/i, 1],
];

/**
 * Index terms plus the calendar years that relative phrases point to, resolved against the document's
 * date ("last year" in a text dated 2024-03-27 also matches a question about 2023).
 */
export function tokenizeDated(text: string, date: string | null): string[] {
  const terms = tokenize(text);
  const year = date ? Number(date.slice(0, 4)) : NaN;
  if (Number.isInteger(year)) {
    for (const [pattern, offset] of RELATIVE_YEARS) if (pattern.test(text)) terms.push(String(year + offset));
  }
  return terms;
}
