import { tokenize } from '../text/tokenize.js';
import type { BilingualDictionary } from './dictionary.js';
import type { TermPresence } from './concepts.js';

/**
 * Names spelled by their reading. English releases write many of a library's Chinese names in pinyin
 * (Qinchuangyuan for 秦创原, Xixian for 西咸) and the dictionary knows few of them: a name is matched to the
 * Chinese the corpus has that reads the same, and the reverse.
 */

/** Names of more syllables than this are not spelled out (the search grows with each one). */
const MAX_SYLLABLES = 5;
/** Readings that are too many to tell one name from another: a spelling matching more Chinese words (of the dictionary's, when there are more) is no name. */
const MAX_MATCHES = 2;
/** Partial spellings kept while extending a name a syllable at a time. */
const MAX_PARTIAL = 64;
const MAX_SPLITS = 8;
/** Index look-ups one word may cost: qin chuang yuan takes about 300 over press-dev (its syllables' characters, then the pairs of those the corpus has). */
const MAX_LOOKUPS = 2_000;
const SYLLABLE = /^[a-z]*[aeiouv][a-z]*$/;

/**
 * The Chinese words the corpus has (each of their character pairs an index term) that read as an English word
 * ("qinchuangyuan" → ["秦创原"]); none when the word is no pinyin or reads as too many.
 */
export function chineseSpelledAs(word: string, dictionary: BilingualDictionary, corpus: TermPresence): string[] {
  const found = new Set<string>();
  let lookups = 0;
  for (const syllables of syllableSplits(word.toLowerCase(), dictionary)) {
    // Only characters the corpus has are tried (a few per syllable of the dozens that read so), and each look-up may
    // cost an index query: a word that would need more is given up, not searched through.
    const read = (syllable: string) => dictionary.charactersRead(syllable).filter((character) => ++lookups <= MAX_LOOKUPS && corpus.has(character));
    let partial = read(syllables[0]);
    for (const syllable of syllables.slice(1)) {
      const next: string[] = [];
      const characters = read(syllable);
      for (const prefix of partial) {
        for (const character of characters) {
          if (++lookups > MAX_LOOKUPS) return [];
          if (corpus.has(prefix.slice(-1) + character)) next.push(prefix + character);
        }
      }
      if (next.length > MAX_PARTIAL) return [];
      partial = next;
    }
    for (const name of partial) found.add(name);
  }
  if (found.size <= MAX_MATCHES) return [...found];
  // Many readings: a pair cut across two words (和西 in 和西部) reads like a name too; the dictionary's words among them
  // are the name, when they are few enough to tell.
  const words = [...found].filter((name) => dictionary.englishFor(name).length > 0 || dictionary.isPlace(name));
  return words.length <= MAX_MATCHES ? words : [];
}

/** The English index terms of a Chinese word's spellings in pinyin that the corpus has (秦创原 → qinchuangyuan). */
export function spellingsOf(word: string, dictionary: BilingualDictionary, corpus: TermPresence): string[] {
  let spellings = [''];
  for (const character of word) {
    const readings = dictionary.readingsOf(character);
    if (!readings.length) return [];
    spellings = spellings.flatMap((prefix) => readings.map((reading) => prefix + reading)).slice(0, MAX_PARTIAL);
  }
  const terms = spellings.map((spelling) => tokenize(spelling)).filter((terms) => terms.length === 1 && corpus.has(terms[0]));
  return [...new Set(terms.map(([term]) => term))];
}

/** The ways a word splits into two or more pinyin syllables (xian: xi an, xian is one syllable and is left out). */
function syllableSplits(word: string, dictionary: BilingualDictionary): string[][] {
  const splits: string[][] = [];
  const walk = (from: number, syllables: string[]) => {
    if (splits.length >= MAX_SPLITS || syllables.length > MAX_SYLLABLES) return;
    if (from === word.length) {
      if (syllables.length >= 2) splits.push(syllables);
      return;
    }
    for (let end = Math.min(word.length, from + 6); end > from + 1; end--) {
      const syllable = word.slice(from, end);
      // Readings of one letter or without a vowel (嗯 n, 呣 m) split nearly any word.
      if (SYLLABLE.test(syllable) && dictionary.charactersRead(syllable).length) walk(end, [...syllables, syllable]);
    }
  };
  if (/^[a-z]+$/.test(word)) walk(0, []);
  return splits;
}
