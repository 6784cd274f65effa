import { tokenize } from '../text/tokenize.js';
import tuning from '../../data/tuning/duplicates.json' with { type: 'json' };

/** The numbers a sentence states, as written without thousands separators ("3,141" and "3141" are one). */
function numbersOf(sentence: string): Set<string> {
  return new Set((sentence.normalize('NFKC').match(/\d[\d,]*(?:\.\d+)?/g) ?? []).map((number) => number.replace(/,/g, '')));
}

/**
 * Whether two sentences say the same thing in other words: a republication reworded by another site states the same
 * numbers and keeps most of its words. Both must state numbers, the same ones, and share at least
 * `sentenceRestatement` of the shorter one's terms (data/tuning/duplicates.json).
 */
export function restates(a: string, b: string): boolean {
  const numbersA = numbersOf(a);
  const numbersB = numbersOf(b);
  if (!numbersA.size || numbersA.size !== numbersB.size || [...numbersA].some((number) => !numbersB.has(number))) return false;
  const termsA = new Set(tokenize(a));
  const termsB = new Set(tokenize(b));
  const shared = [...termsA].filter((term) => termsB.has(term)).length;
  return shared >= tuning.sentenceRestatement.value * Math.min(termsA.size, termsB.size);
}
