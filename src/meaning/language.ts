import { isStopword, normalizeText, tokenize } from '../text/tokenize.js';
import type { Meaning, TermPresence } from './concepts.js';

/** The languages the offline engine reads; a question in any other is refused rather than matched on look-alike words. */
export type QuestionLanguage = 'en' | 'zh' | 'other';

const HAN = /\p{Script=Han}/u;
/** Scripts of languages that are neither English nor Chinese (Japanese kana, Korean, Cyrillic, Greek, Arabic…). */
const OTHER_SCRIPT =
  /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Thai}\p{Script=Devanagari}]/u;
const LATIN_WORD = /\p{Script=Latin}{3,}/gu;
/** A Latin-script question is English when at least this share of its content words are English words (or the corpus's). */
const MIN_ENGLISH_SHARE = 0.5;

/**
 * The question's language: Chinese when it has Chinese characters (and no kana: Japanese), another language when it
 * is written in another script, or in Latin letters with words that are mostly neither English (the dictionary's
 * English senses are the lexicon) nor the corpus's own (names, shorthand).
 */
export function questionLanguage(question: string, meaning: Meaning | null, corpus: TermPresence): QuestionLanguage {
  const text = normalizeText(question);
  if (OTHER_SCRIPT.test(text)) return 'other';
  if (HAN.test(text)) return 'zh';
  if (!meaning) return 'en';
  const words = (text.match(LATIN_WORD) ?? []).filter((word) => !isStopword(word));
  const terms = words.flatMap((word) => tokenize(word));
  if (terms.length < 2) return 'en';
  const english = terms.filter((term) => meaning.dictionary.isEnglishTerm(term) || corpus.has(term)).length;
  return english / terms.length >= MIN_ENGLISH_SHARE ? 'en' : 'other';
}
