import * as OpenCC from 'opencc-js/t2cn';
import { stemmer } from 'stemmer';
import shorthand from '../../data/text/shorthand.json' with { type: 'json' };
import stopwords from '../../data/text/stopwords.json' with { type: 'json' };

/**
 * Tokenization shared by the lexical index, the local embedder and the answerer, so that a question
 * and a passage are always cut the same way: NFKC + lower case, Traditional Chinese as Simplified, the domain's
 * shorthand spelled out (data/text/shorthand.json), words from Intl.Segmenter, English
 * words stemmed (Porter), numbers without thousands separators, and each run of Chinese characters
 * as its dictionary words plus overlapping character pairs (robust to segmentation differences).
 */

/** Bump when tokenization changes: an index built by another version is rebuilt rather than mismatched. */
export const ANALYZER_VERSION = 6;

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const NUMBER = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$/;

const ENGLISH_STOPWORDS: ReadonlySet<string> = new Set(stopwords.english);
const CHINESE_STOPWORDS: ReadonlySet<string> = new Set(stopwords.chinese);
const CHINESE_GRAMMATICAL: ReadonlySet<string> = new Set(stopwords.chineseGrammatical);

/** The domain's shorthand spelled out (data/text/shorthand.json), so that both forms meet. */
const SHORTHAND = new Map<string, string>(shorthand.expansions.map(([short, long]) => [short, long]));
const SHORTHAND_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${[...SHORTHAND.keys()]
    // Longer forms first: "smes" before "sme".
    .sort((a, b) => b.length - a.length)
    .map((short) => short.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|')})(?![\\p{L}\\p{N}])`,
  'gu',
);

/** Traditional characters to Simplified (OpenCC's tables), so that a library holding both is matched as one. */
// opencc-js's types do not resolve under the type-aware linter; this is the one call used.
const makeConverter = OpenCC.Converter as unknown as (options: { from: string; to: string }) => (text: string) => string;
const toSimplified = makeConverter({ from: 't', to: 'cn' });
const HAN = /\p{Script=Han}/u;

export function normalizeText(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  const simplified = HAN.test(folded) ? toSimplified(folded) : folded;
  return simplified.replace(SHORTHAND_PATTERN, (short) => SHORTHAND.get(short) ?? short);
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
  return tokensOfNormalized(normalizeText(text));
}

function tokensOfNormalized(normalized: string, chineseWords = true): string[] {
  const terms: string[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    const run = match[1];
    if (run === undefined) {
      const term = wordTerm(match[0]);
      if (term) terms.push(term);
      continue;
    }
    // A Chinese run: its dictionary words, then its overlapping character pairs.
    if (chineseWords) {
      for (const { segment, isWordLike } of segmenter.segment(run)) {
        if (isWordLike && !CHINESE_STOPWORDS.has(segment)) terms.push(segment);
      }
    }
    for (let i = 0; i + 1 < run.length; i++) {
      const pair = run.slice(i, i + 2);
      if (!CHINESE_STOPWORDS.has(pair)) terms.push(pair);
    }
  }
  return terms;
}

/** The segments of each of a text's Chinese runs, as the segmenter cuts them. */
export function chineseSegments(text: string): string[][] {
  return [...normalizeText(text).matchAll(/\p{Script=Han}+/gu)].map(([run]) => [...segmenter.segment(run)].map(({ segment }) => segment));
}

/**
 * The stretches of a text's Chinese runs that the segmenter cut into single characters (它不认识的词: 展会 → 展 会), two
 * characters or longer, without particles and grammatical characters (不, 能): where a word the segmenter does not know may stand.
 */
export function singleCharacterStretches(text: string): string[] {
  const stretches: string[] = [];
  for (const segments of chineseSegments(text)) {
    let stretch = '';
    for (const segment of segments) {
      if (segment.length === 1 && !CHINESE_STOPWORDS.has(segment) && !CHINESE_GRAMMATICAL.has(segment)) {
        stretch += segment;
        continue;
      }
      if (stretch.length >= 2) stretches.push(stretch);
      stretch = '';
    }
    if (stretch.length >= 2) stretches.push(stretch);
  }
  return stretches;
}

/** The dictionary words of a text's Chinese runs (Intl.Segmenter's), without the character pairs that `tokenize` adds. */
export function chineseWords(text: string): string[] {
  const words: string[] = [];
  for (const [run] of normalizeText(text).matchAll(/\p{Script=Han}+/gu)) {
    for (const { segment, isWordLike } of segmenter.segment(run)) if (isWordLike && segment.length >= 2 && !CHINESE_STOPWORDS.has(segment)) words.push(segment);
  }
  return words;
}

/** Distinct terms of a question, first occurrence first. */
export function queryTerms(text: string): string[] {
  return [...new Set(tokenize(text))];
}

/**
 * The index term of one word as `tokenize` gives it, or null when the word is a stopword or is not one
 * word to the tokenizer (punctuation, "well-being", shorthand spelled out as several words, Chinese): for word
 * lists such as src/meaning's, so that their entries meet the index's terms. Uncached: a list is read once.
 */
export function termOfWord(word: string): string | null {
  const normalized = normalizeText(word);
  const matches = [...normalized.matchAll(TOKEN)];
  if (matches.length !== 1 || matches[0][1] !== undefined) return null;
  return computeWordTerm(matches[0][0]);
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
  return withRelativeYears(tokenize(text), text, date);
}

function withRelativeYears(terms: string[], text: string, date: string | null): string[] {
  const year = date ? Number(date.slice(0, 4)) : NaN;
  if (Number.isInteger(year)) {
    for (const [pattern, offset] of RELATIVE_YEARS) if (pattern.test(text)) terms.push(String(year + offset));
  }
  return terms;
}

/**
 * Where a clause ends in normalized text: a semicolon, a comma before a space, or a comma beside a Chinese character
 * (NFKC makes "，" a ","); not the comma inside 1,200.
 */
const CLAUSE_BREAK = /;|,(?=\s)|(?<=\p{Script=Han}),|,(?=\p{Script=Han})/u;

/**
 * A text's clauses (normalized) with their terms as `tokenizeDated` gives them: normalized once, then cut. No term
 * spans a comma or a semicolon, so the text's terms are its clauses' together.
 */
export function tokenizeClauses(
  text: string,
  date: string | null,
  { chineseWords = true }: { chineseWords?: boolean } = {},
): { text: string; terms: string[] }[] {
  return normalizeText(text)
    .split(CLAUSE_BREAK)
    .filter((clause) => clause.trim())
    .map((clause) => ({ text: clause, terms: withRelativeYears(tokensOfNormalized(clause, chineseWords), clause, date) }));
}
