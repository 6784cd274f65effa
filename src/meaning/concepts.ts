import country from '../../data/text/country.json' with { type: 'json' };
import measureSuffixes from '../../data/text/measure-suffixes.json' with { type: 'json' };
import tuning from '../../data/tuning/concepts.json' with { type: 'json' };
import { synonymsOf } from '../text/synonyms.js';
import { chineseSegments, chineseWords, normalizeText, singleCharacterStretches, tokenize } from '../text/tokenize.js';
import { chineseSpelledAs, spellingsOf } from './pinyin.js';
import type { BilingualDictionary } from './dictionary.js';
import type { Synonyms } from './synonyms.js';
import type { WordVectors } from './word-vectors.js';

/**
 * A question as the things it asks about: each of its index terms with the other terms that say the
 * same (a synonym, the translation in the other language, the place's name in the other language), each
 * with the credit it earns when a passage has it instead of the term itself.
 */
export interface Concept {
  term: string;
  /** Other index terms (or phrases of them, space-separated) that say the same, with their credit (0–1). */
  alternatives: Map<string, number>;
  /** Whether it names a place (the question is about that place's figures, not another's). */
  place: boolean;
  /** Whether it is a Chinese word as segmented (not a character pair cut across two words). */
  word?: boolean;
  /** Those of its alternatives that are only near in meaning (close word vectors), not synonyms or translations. */
  near?: ReadonlySet<string>;
  /**
   * Every translation the corpus has, beyond the few kept as alternatives: how telling a term of the other language is
   * shows in its commonest translation ("regulation" is 条例 in a library of laws, however rare 规章 is there).
   */
  senses?: string[];
}

/** What is known of the corpus, to keep only the alternatives it could match. */
export interface TermPresence {
  has(term: string): boolean;
}

export interface Meaning {
  dictionary: BilingualDictionary;
  vectors: WordVectors;
  synonyms: Synonyms;
}

const HAN_WORD = /^\p{Script=Han}+$/u;

/**
 * The concepts of a text's index terms, in order. English words are looked up in the dictionary as phrases
 * of up to three terms, longest first ("research and development" → 研发); Chinese words by their own entry.
 * Only alternatives the corpus has are kept, the most specific first.
 */
export function conceptsOf(text: string, meaning: Meaning | null, corpus: TermPresence, { senses = false }: { senses?: boolean } = {}): Concept[] {
  const dictionary = meaning?.dictionary;
  // Chinese words as the segmenter cuts them and as the dictionary knows them (高新技术, 公积金: the segmenter cuts both
  // into single characters), each a concept; a word longer than two characters is matched by its character pairs.
  const suffixed = dictionary ? suffixedWords(text, corpus) : [];
  const dictionaryWords = dictionary
    ? [...longestDictionaryWords(text, dictionary), ...unsegmentedWords(text, dictionary, corpus), ...suffixed.map(({ compound }) => compound)]
    : [];
  const words = new Set([...chineseWords(text), ...dictionaryWords]);
  const terms = [...tokenize(text), ...dictionaryWords];
  const concepts = new Map<string, Concept>();
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i];
    const concept = conceptOf(concepts, term);
    for (const synonym of synonymsOf(term)) concept.alternatives.set(synonym, tuning.synonymCredit);
    if (HAN_WORD.test(term)) {
      // A pair cut across two words is no word of the dictionary, whatever it happens to spell (基金安排: 金安).
      if (!words.has(term)) continue;
      concept.word = true;
      if (dictionary) addChineseAlternatives(concept, dictionary, corpus, senses);
      continue;
    }
    if (!dictionary) continue;
    // The longest phrase starting here that the dictionary knows (as a place or as a sense) counts for each of its terms.
    for (let length = Math.min(dictionary.maxPhraseTerms, terms.length - i); length >= 1; length--) {
      const phrase = terms.slice(i, i + length);
      if (phrase.some((t) => HAN_WORD.test(t))) continue;
      const words = length === 1 ? translationsOfTerm(dictionary, term) : dictionary.chineseFor(phrase.join(' '));
      if (!words.length) continue;
      for (const member of phrase) addTranslations(conceptOf(concepts, member), words, corpus, senses);
      break;
    }
  }
  // A measure's name the dictionary lacks (输出额) is said in the other language as its word is (输出: output).
  for (const { compound, word } of suffixed) {
    const measure = concepts.get(compound);
    if (measure && measure.alternatives.size === 0)
      for (const [alternative, credit] of concepts.get(word)?.alternatives ?? []) measure.alternatives.set(alternative, credit);
  }
  if (dictionary) {
    markEnglishPlaces(text, concepts, dictionary, corpus);
    addSpelledNames(text, concepts, dictionary, corpus);
  }
  // The country is named in many ways (China, 中国, 全国, 我国): each stands for the others.
  for (const concept of concepts.values()) {
    if (COUNTRY.has(concept.term))
      addPresent(
        concept.alternatives,
        [...COUNTRY].filter((name) => name !== concept.term),
        tuning.synonymCredit,
        corpus,
      );
  }
  return [...concepts.values()];
}

/**
 * The Chinese words for one English term; a stem the dictionary lacks is tried one or two letters shorter, since
 * Porter stems a word's forms apart ("registration" registr, "register" regist).
 */
function translationsOfTerm(dictionary: BilingualDictionary, term: string): readonly string[] {
  const words = [...dictionary.chineseFor(term)];
  for (let cut = 1; cut <= 2 && term.length - cut >= MIN_STEM_CHARS; cut++) words.push(...dictionary.chineseFor(term.slice(0, term.length - cut)));
  return [...new Set(words)];
}

const MIN_STEM_CHARS = 5;

const MAX_WORD_CHARS = 6;
/** A name the segmenter cuts into characters is at most this long (秦创原, 中关村); a longer stretch is several words. */
const MAX_NAME_CHARS = 4;

/** The dictionary's words in a text's Chinese runs, longest first from left to right (words of 3 to 6 characters). */
function longestDictionaryWords(text: string, dictionary: BilingualDictionary): string[] {
  const found: string[] = [];
  for (const [run] of normalizeText(text).matchAll(/\p{Script=Han}+/gu)) {
    for (let start = 0; start < run.length;) {
      let length = Math.min(MAX_WORD_CHARS, run.length - start);
      while (length >= 3 && !isDictionaryWord(dictionary, run.slice(start, start + length))) length--;
      if (length >= 3) found.push(run.slice(start, start + length));
      start += length >= 3 ? length : 1;
    }
  }
  return found;
}

/**
 * Words where the segmenter saw single characters: two-character words of the dictionary (展会, which it cuts 展 会),
 * left to right, or the whole stretch when it is a short one the corpus has (秦创原). A pair across a word the
 * segmenter did cut (广州办: 州办) is no word of the question.
 */
function unsegmentedWords(text: string, dictionary: BilingualDictionary, corpus: TermPresence): string[] {
  const found: string[] = [];
  for (const stretch of singleCharacterStretches(text)) {
    const before = found.length;
    for (let start = 0; start + 1 < stretch.length;) {
      const pair = stretch.slice(start, start + 2);
      const isWord = isDictionaryWord(dictionary, pair);
      if (isWord) found.push(pair);
      start += isWord ? 2 : 1;
    }
    // A short stretch with no word of the dictionary in it, all of whose pairs the corpus has, is one word: a name (秦创原).
    if (found.length === before && stretch.length <= MAX_NAME_CHARS && presentIn(corpus, stretch)) found.push(stretch);
  }
  return found;
}

/**
 * Whether one place asked about lies in another (广州 in 广东, Guangzhou in Guangdong): a place its dictionary entry
 * says holds it is named by the other, in either language.
 */
export function liesWithin(inner: Concept, outer: Concept, dictionary: BilingualDictionary): boolean {
  const names = (words: string[]) => new Set(words.flatMap((word) => [word, ...dictionary.placeNames(word)]));
  const outerNames = names([outer.term, ...outer.alternatives.keys()]);
  const innerWords = [inner.term, ...inner.alternatives.keys()].filter((word) => HAN_WORD.test(word));
  return innerWords.some((word) => dictionary.containingPlaces(word).some((container) => [...names([container])].some((name) => outerNames.has(name))));
}

/**
 * A word with the one-character suffix that makes it a measure's name (输出|额: 输出额, data/text/measure-suffixes.json),
 * when the corpus has the whole: the segmenter cuts the suffix off, and the measure is what the question asks about.
 */
function suffixedWords(text: string, corpus: TermPresence): { compound: string; word: string }[] {
  const found: { compound: string; word: string }[] = [];
  for (const segments of chineseSegments(text)) {
    segments.forEach((word, i) => {
      const compound = word + (segments[i + 1] ?? '');
      if (word.length >= 2 && MEASURE_SUFFIXES.has(segments[i + 1]) && presentIn(corpus, compound)) found.push({ compound, word });
    });
  }
  return found;
}

const MEASURE_SUFFIXES: ReadonlySet<string> = new Set(measureSuffixes.suffixes);

/** Whether a run of Chinese characters is a word of the dictionary (not a cut across two words). */
export function isDictionaryWord(dictionary: BilingualDictionary, word: string): boolean {
  return dictionary.englishFor(word).length > 0 || dictionary.isPlace(word);
}

function conceptOf(concepts: Map<string, Concept>, term: string): Concept {
  let concept = concepts.get(term);
  if (!concept) concepts.set(term, (concept = { term, alternatives: new Map(), place: false }));
  return concept;
}

/** The country the library's places are in (data/text/country.json): matched as a word, by any of its names, not held as a place. */
const COUNTRY = new Set(country.names.flatMap((name) => (/\p{Script=Han}/u.test(name) ? [name] : tokenize(name))));

const ENGLISH_WORD = /[[\p{L}\p{N}]--\p{Script=Han}]+(?:['\-][[\p{L}\p{N}]--\p{Script=Han}]+)*/gv;
const MAX_PLACE_WORDS = 3;

/**
 * Place names among the English words as written (not their stems: "these days" is no place called Dai), longest
 * first ("hong kong"); their concepts are marked as places, with the Chinese names as alternatives.
 */
function markEnglishPlaces(text: string, concepts: Map<string, Concept>, dictionary: BilingualDictionary, corpus: TermPresence): void {
  const words = (normalizeText(text).match(ENGLISH_WORD) ?? []).map((word) => word.replace(/'s$/, ''));
  for (let i = 0; i < words.length; i++) {
    for (let length = Math.min(MAX_PLACE_WORDS, words.length - i); length >= 1; length--) {
      const name = words.slice(i, i + length).join(' ');
      const chinese = dictionary.placeNames(name);
      // A place named like a common English word ("Long" County, "Park") is that word when written so.
      if (!chinese.length || (length === 1 && dictionary.chineseFor(tokenize(name).join(' ')).length >= tuning.commonWordSenses)) continue;
      for (const term of tokenize(name)) {
        const concept = conceptOf(concepts, term);
        concept.place = !COUNTRY.has(term);
        for (const word of chinese.map((name) => placeAsWritten(name, corpus))) if (word) setBest(concept.alternatives, word, 1);
      }
      i += length - 1;
      break;
    }
  }
}

/** The suffixes of a division's name (河西区 is 河西 District): a corpus may write the name without it (河西省 is another 河西). */
const DIVISION_SUFFIX = /(?:自治区|自治州|特别行政区|省|市|区|县|州|镇|乡)$/u;

/** A place's Chinese name as the corpus has it: whole, or without its division's suffix; null when it has neither. */
function placeAsWritten(name: string, corpus: TermPresence): string | null {
  if (presentIn(corpus, name)) return name;
  const base = name.replace(DIVISION_SUFFIX, '');
  return base !== name && base.length >= 2 && presentIn(corpus, base) ? base : null;
}

/**
 * A name the dictionary does not translate and the corpus lacks may be spelled in the other script: an English
 * word in pinyin (Qinchuangyuan) is the Chinese that reads so, a Chinese word is its pinyin spelling.
 */
function addSpelledNames(text: string, concepts: Map<string, Concept>, dictionary: BilingualDictionary, corpus: TermPresence): void {
  // The English words as written, by their index term (read only when some word is spelled: most questions have none).
  let written: Map<string, string> | null = null;
  const asWritten = (term: string) =>
    (written ??= new Map((normalizeText(text).match(ENGLISH_WORD) ?? []).map((word) => [tokenize(word)[0], word] as const))).get(term) ?? term;
  for (const concept of concepts.values()) {
    if (concept.alternatives.size || corpus.has(concept.term)) continue;
    const spelled = HAN_WORD.test(concept.term)
      ? concept.word
        ? spellingsOf(concept.term, dictionary, corpus)
        : []
      : chineseSpelledAs(asWritten(concept.term), dictionary, corpus);
    for (const name of spelled) setBest(concept.alternatives, name, tuning.translationCredit);
  }
}

function addChineseAlternatives(concept: Concept, dictionary: BilingualDictionary, corpus: TermPresence, senses: boolean): void {
  const places = dictionary.placeNames(concept.term);
  if (places.length && !COUNTRY.has(concept.term)) concept.place = true;
  for (const name of places) if (presentIn(corpus, name)) setBest(concept.alternatives, name, 1);
  const english = dictionary.englishFor(concept.term);
  addTranslations(concept, english, corpus, senses);
  // Chinese words with the same one-word sense say the same (版权 and 著作权: copyright).
  for (const sense of english) addPresent(concept.alternatives, dictionary.chineseFor(sense), tuning.synonymCredit, corpus, concept.term);
}

/**
 * A term's translations the corpus has become its alternatives (the first few) and, when asked for and the corpus lacks
 * the term itself, its senses (each translation costs a look-up in the index).
 */
function addTranslations(concept: Concept, words: readonly string[], corpus: TermPresence, withSenses: boolean): void {
  addPresent(concept.alternatives, words, tuning.translationCredit, corpus);
  // A term the corpus has weighs its own rarity; only one it lacks is weighed by its translations.
  if (!withSenses || presentIn(corpus, concept.term)) return;
  const senses = new Set(concept.senses);
  for (const word of words) if (presentIn(corpus, word)) senses.add(word);
  if (senses.size) concept.senses = [...senses];
}

function addPresent(alternatives: Map<string, number>, words: readonly string[], credit: number, corpus: TermPresence, except?: string): void {
  let added = 0;
  for (const word of words) {
    if (added >= tuning.maxAlternatives) break;
    if (word === except || !presentIn(corpus, word)) continue;
    setBest(alternatives, word, credit);
    added++;
  }
}

function setBest(alternatives: Map<string, number>, term: string, credit: number): void {
  if ((alternatives.get(term) ?? 0) < credit) alternatives.set(term, credit);
}

/** A phrase or a Chinese word is present when each of its index terms is (a long word by its character pairs). */
function presentIn(corpus: TermPresence | Set<string>, alternative: string): boolean {
  return termsOfAlternative(alternative).every((term) => corpus.has(term));
}

const alternativeTerms = new Map<string, string[]>();

/** The index terms an alternative stands for: a phrase's words, a Chinese word longer than two characters as its pairs. */
export function termsOfAlternative(alternative: string): string[] {
  let terms = alternativeTerms.get(alternative);
  if (!terms) {
    if (alternative.includes(' ')) terms = alternative.split(' ');
    else if (HAN_WORD.test(alternative) && alternative.length > 2) terms = [...alternative].slice(1).map((char, i) => alternative[i] + char);
    else terms = [alternative];
    if (alternativeTerms.size > 100_000) alternativeTerms.clear();
    alternativeTerms.set(alternative, terms);
  }
  return terms;
}

/** Whether a text (a passage's terms, a document's) names the concept: its term or one of its alternatives. */
export function namesConcept({ term, alternatives }: Concept, terms: TermPresence | Set<string>): boolean {
  return [term, ...alternatives.keys()].some((alternative) => presentIn(terms, alternative));
}

/** Whether a set of a passage's or sentence's terms has the alternative. */
export function hasAlternative(terms: Set<string>, alternative: string): boolean {
  return presentIn(terms, alternative);
}

const ENGLISH_TERM = /^\p{Script=Latin}{3,}$/u;

/**
 * The concepts with the near-synonyms that a set of passages uses for them, as further alternatives: a WordNet
 * synonym ("grew" for "increased") earns a synonym's credit, a word whose vector is close ("deals" for "projects")
 * less; places, numbers and Chinese terms are matched only as they are written or translated (China is not Japan,
 * however close their vectors).
 */
export function withNearTerms(concepts: Concept[], vocabulary: Iterable<string>, meaning: Meaning | null): Concept[] {
  if (!meaning) return concepts;
  const candidates = [...new Set(vocabulary)].filter((term) => ENGLISH_TERM.test(term) && meaning.vectors.has(term));
  return concepts.map((concept) => {
    if (concept.place || !ENGLISH_TERM.test(concept.term)) return concept;
    const alternatives = new Map(concept.alternatives);
    const near = new Set<string>();
    for (const term of candidates) {
      if (term === concept.term || alternatives.has(term)) continue;
      if (meaning.synonyms.areSynonyms(concept.term, term)) alternatives.set(term, tuning.synonymCredit);
      else if (meaning.vectors.similarity(concept.term, term) >= tuning.nearSimilarity) {
        alternatives.set(term, tuning.nearCredit);
        near.add(term);
      }
    }
    return alternatives.size === concept.alternatives.size ? concept : { ...concept, alternatives, near };
  });
}
