import stopwords from '../../data/text/stopwords.json' with { type: 'json' };
import measureSuffixes from '../../data/text/measure-suffixes.json' with { type: 'json' };
import words from '../../data/text/question-attribute.json' with { type: 'json' };
import { normalizeText } from '../text/tokenize.js';

/**
 * What a question asks for, as the words a passage that answers it must name (each may be met by a synonym or a
 * translation); empty when it names nothing in particular.
 */
export function questionAttribute(question: string): string[] {
  if (/\p{Script=Han}/u.test(question)) {
    const attribute = chineseAttribute(question);
    return attribute ? [attribute] : [];
  }
  return englishAttribute(question);
}

/**
 * What a Chinese question asking for a figure asks the figure of: "北京技术合同登记机构的收费标准是多少" asks for a
 * 收费标准, and a passage of the registration office's deadlines, however close its other words, does not answer it.
 * The word right after the question word when there is one ("多少税率", "多少补助"), else the last word before it that
 * does more than ask (data/text/question-attribute.json); a one-character word that ends a measure's name
 * (data/text/measure-suffixes.json) takes the word before it (成交额), any other (赚, 罚) names nothing measured.
 * Null when the question asks for no figure or names nothing measured ("能拿多少钱").
 */
function chineseAttribute(question: string): string | null {
  const segments = [...segmenter.segment(normalizeText(question))].map(({ segment }) => (segment.length > 1 ? segment.replace(/了$/u, '') : segment));
  const at = segments.findIndex((segment) => QUESTION_WORDS.has(segment));
  if (at < 0) return null;
  // After the question word: the last word of two characters or more of the run that follows ("多少家高新技术企业": 企业).
  let after: string | null = null;
  for (let i = at + (CLASSIFIERS.has(segments[at + 1]) ? 2 : 1); i < segments.length && HAN_WORD.test(segments[i]) && !isAsking(segments[i]); i++) {
    if (segments[i].length >= 2) after = segments[i];
  }
  if (after) return after;
  let end = at;
  while (end > 0 && (isAsking(segments[end - 1]) || MEASURE_WORDS.has(segments[end - 1]))) end--;
  const last = segments[end - 1] ?? '';
  if (!HAN_WORD.test(last)) return null;
  if (last.length >= 2) return last;
  const before = segments[end - 2] ?? '';
  return BOUND_SUFFIXES.has(last) && HAN_WORD.test(before) && before !== '的' ? before + last : null;
}

/** Whether a segment only asks: an asking word, or asking words run together by the segmenter ("大概有"). */
function isAsking(segment: string): boolean {
  if (ASKING_WORDS.has(segment)) return true;
  for (let cut = 1; cut < segment.length; cut++) if (ASKING_WORDS.has(segment.slice(0, cut)) && isAsking(segment.slice(cut))) return true;
  return false;
}

/**
 * What an English question asks for: the noun phrase after "how many" / "how much" ("how many technology contracts
 * did…") or in "what is the … of" ("what's the total registered capital of…"), without its generic measures.
 */
function englishAttribute(question: string): string[] {
  const text = normalizeText(question).replace(/\bwhat's\b/g, 'what is');
  const start = HOW_MANY.exec(text) ?? WHAT_IS_THE.exec(text);
  if (!start) return [];
  const words = text.slice(start.index + start[0].length).match(/[a-z][a-z'-]*|[^\sa-z]+/g) ?? [];
  let phrase = nounPhrase(words, 0);
  // "the total number of incubators" asks for incubators.
  if (phrase.every((word) => ENGLISH_MEASURE_WORDS.has(word)) && words[phrase.length] === 'of') {
    const next = phrase.length + 1;
    phrase = nounPhrase(words, ARTICLES.has(words[next]) ? next + 1 : next);
  }
  return phrase.filter((word) => !ENGLISH_MEASURE_WORDS.has(word));
}

/** The words from `from` to the first that is no word of a noun phrase: a verb, a preposition, a possessive, punctuation, a word of time. */
function nounPhrase(words: string[], from: number): string[] {
  const phrase: string[] = [];
  for (const word of words.slice(from)) {
    if (phrase.length === MAX_PHRASE_WORDS || !/^[a-z][a-z-]*$/.test(word) || ENGLISH_STOPWORDS.has(word) || ENGLISH_TIME_WORDS.has(word)) break;
    phrase.push(word);
  }
  return phrase;
}

const ARTICLES = new Set(['the', 'a', 'an']);

const MAX_PHRASE_WORDS = 3;
const HOW_MANY = /\bhow\s+(?:many|much)\s+/;
/** "what is the …", "what was chongqing's …", "iflytek (suzhou)'s" (a possessive names whose, the phrase after it what). */
const WHAT_IS_THE = /\bwhat\s+(?:is|was|are|were)\s+(?:the\s+|(?:[a-z(][a-z'()-]*\s+){0,2}[a-z(][a-z'()-]*?'s\s+)/;
const ENGLISH_MEASURE_WORDS = new Set(words.englishMeasureWords);
const ENGLISH_STOPWORDS = new Set(stopwords.english);
const ENGLISH_TIME_WORDS = new Set(words.englishTimeWords);
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_WORD = /^\p{Script=Han}+$/u;
const QUESTION_WORDS = new Set(words.questionWords);
const ASKING_WORDS = new Set(words.askingWords);
const MEASURE_WORDS = new Set(words.measureWords);
const CLASSIFIERS = new Set(words.classifiers);
const BOUND_SUFFIXES = new Set(measureSuffixes.suffixes);
