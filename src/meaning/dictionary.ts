import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ANALYZER_VERSION, tokenize } from '../text/tokenize.js';
import glossary from '../../data/text/glossary.json' with { type: 'json' };
import { loadCached, type CacheSpec, type MeaningOptions } from './cache-file.js';

/**
 * The Chinese–English dictionary (CC-CEDICT, its data inside the `cc-cedict` package), read into what
 * matching needs: the index terms of each Chinese word's English senses, the Chinese words of each English
 * sense, the place names in both languages, and each character's pinyin readings. Senses are cut at ";" and
 * stripped of their notes ("(of a law…)", "CL:…", "to "); a sense of one to three content words is kept,
 * longer ones are explanations rather than translations.
 */
export interface BilingualDictionary {
  /** Chinese words (Simplified) whose sense is exactly these English index terms, most specific first. */
  chineseFor(englishTerms: string): readonly string[];
  /** A Chinese word's English senses, as index terms (a sense of several words space-separated: "研发" → "research develop"). */
  englishFor(chineseWord: string): readonly string[];
  /** Whether a Chinese word, or English words (lower case, space-separated), name a place (a province, city, district, zone…). */
  isPlace(words: string): boolean;
  /**
   * The same place in the other language: for a Chinese word its English name as index terms ("重庆" → ["chongq"]),
   * for English words (lower case, as written) the Chinese names ("chongqing" → ["重庆", "重庆市"]).
   */
  placeNames(words: string): readonly string[];
  /** Whether an index term is a place's name, or a word of it (English stems of names that are no English word, Chinese words). */
  isPlaceTerm(term: string): boolean;
  /** Whether an index term is an English word the dictionary's senses use (a lexicon of English, to tell it from other languages). */
  isEnglishTerm(term: string): boolean;
  /** The longest phrase an English sense holds, in index terms. */
  readonly maxPhraseTerms: number;
  /** The places (Chinese words) that hold a place, nearest first ("广州" → ["广东省", "广东"]; "南山区" → ["深圳市", …, "广东省"]). */
  containingPlaces(word: string): readonly string[];
  /** A character's readings in pinyin without tones ("秦" → ["qin"]). */
  readingsOf(character: string): readonly string[];
  /** The characters (Simplified) read so ("qin" → ["秦", "琴", …]). */
  charactersRead(syllable: string): readonly string[];
}

type Entry = [traditional: string, simplified: string, pinyin: string, english: string | string[], ...rest: unknown[]];

const MAX_SENSE_TERMS = 3;
/** An abbreviation in parentheses: capitals, digits and ampersands (GDP, R&D, 5G). */
const ABBREVIATION = /\(([\p{Lu}\d][\p{Lu}\d&]{1,6})\)/gu;
/** English words of a proper noun's sense that say what kind of place it is ("Chongqing municipality"). */
const PLACE_KIND =
  /^(province|city|municipality|county|district|prefecture|prefecture-level|region|autonomous|town|township|new|area|zone|special|administrative|sar|island|village|neighborhood|park|sub-provincial)$/i;
/** Where a place's sense says it is: the words after "in" or "of", to the next comma ("capital of Guangdong Province 廣東省|广东省[…]"). */
const WITHIN = /\b(?:in|of)\s+([^,;]+)/;
/** A Chinese word in a sense, as CC-CEDICT writes it: traditional|simplified[pinyin] or simplified[pinyin]. */
const CHINESE_REFERENCE = /(?:\p{Script=Han}+\|)?(\p{Script=Han}+)\[/gu;
/** A capitalized name of one to three words in a sense ("Shanghai", "Inner Mongolia"). */
const ENGLISH_NAME = /\p{Lu}[\p{L}'-]*(?:\s+\p{Lu}[\p{L}'-]*){0,2}/gu;
/** How many levels of places containing places are followed (a district, its city, its province). */
const MAX_CONTAINMENT_DEPTH = 3;
const REFERENCE = /^(?:see|variant of|old variant of|also written|abbr\. for|erhua variant of)\s+(?:[^|[\s]+\|)?([^[\s]+)/;

/** What the dictionary keeps, as stored in the cache: each map as its entries. */
interface DictionaryData {
  english: [string, string[]][];
  chinese: [string, string[]][];
  places: [string, string[]][];
  placeTerms: string[];
  maxPhraseTerms: number;
  /** Each character's toneless pinyin readings. */
  readings: [string, string[]][];
  /** Each place's Chinese word and the Chinese words of the places its sense says it is in. */
  within: [string, string[]][];
}

const DICTIONARY: CacheSpec<BilingualDictionary> = {
  magic: 'PQCE',
  // Bump when what is read from CC-CEDICT changes; the analyzer's version is in the settings (senses are index terms).
  version: 8,
  label: 'the Chinese–English dictionary',
  buildTime: 'about 3 s',
  fileName: 'dictionary.bin',
  packageName: 'cc-cedict',
  installedSource: () => {
    try {
      // The package exports only its lookup code; its data file sits beside it (dist/ and data/).
      return path.join(path.dirname(path.dirname(fileURLToPath(import.meta.resolve('cc-cedict')))), 'data', 'all.js');
    } catch {
      return null;
    }
  },
  // The glossary is read with CC-CEDICT: a change to it rebuilds the cache.
  settings: `analyzer ${ANALYZER_VERSION}; glossary ${JSON.stringify(glossary.entries)}`,
  build: async (sourcePath) => {
    const module = (await import(pathToFileURL(sourcePath).href)) as { default: { all: Entry[] } };
    return { fields: {}, payload: Buffer.from(JSON.stringify(readEntries([...module.default.all, ...glossaryEntries()])), 'utf8') };
  },
  read: (contents) => fromData(JSON.parse(contents.payload.toString('utf8')) as DictionaryData),
  fallback: fromData({ english: [], chinese: [], places: [], placeTerms: [], maxPhraseTerms: 1, readings: [], within: [] }),
  fallbackMeaning: 'questions are matched in their own language only',
};

/** The dictionary, from its cache in `cacheDir` (built from the package first if need be; see cache-file.ts). */
export function loadBilingualDictionary(cacheDir: string, options: MeaningOptions): Promise<BilingualDictionary> {
  return loadCached(cacheDir, DICTIONARY, options);
}

function fromData(data: DictionaryData): BilingualDictionary {
  const english = new Map(data.english);
  const chinese = new Map(data.chinese);
  const places = new Map(data.places);
  const placeTerms = new Set(data.placeTerms);
  const englishTerms = new Set<string>();
  for (const key of chinese.keys()) for (const term of key.split(' ')) englishTerms.add(term);
  const readings = new Map(data.readings);
  const within = new Map(data.within);
  const containingPlaces = (word: string): string[] => {
    const found: string[] = [];
    for (let next = [word], depth = 0; next.length && depth < MAX_CONTAINMENT_DEPTH; depth++) {
      next = next.flatMap((place) => within.get(place) ?? []).filter((place) => place !== word && !found.includes(place));
      found.push(...new Set(next));
    }
    return found;
  };
  const charactersRead = new Map<string, string[]>();
  for (const [character, syllables] of data.readings) {
    for (const syllable of syllables) {
      let characters = charactersRead.get(syllable);
      if (!characters) charactersRead.set(syllable, (characters = []));
      characters.push(character);
    }
  }
  const empty: readonly string[] = [];
  return {
    chineseFor: (terms) => chinese.get(terms) ?? empty,
    englishFor: (word) => english.get(word) ?? empty,
    isPlace: (word) => places.has(word),
    placeNames: (word) => places.get(word) ?? empty,
    isPlaceTerm: (term) => placeTerms.has(term),
    isEnglishTerm: (term) => englishTerms.has(term),
    maxPhraseTerms: data.maxPhraseTerms,
    containingPlaces,
    readingsOf: (character) => readings.get(character) ?? empty,
    charactersRead: (syllable) => charactersRead.get(syllable) ?? empty,
  };
}

/** The glossary's words of statistical releases (data/text/glossary.json) as dictionary entries. */
function glossaryEntries(): Entry[] {
  return glossary.entries.map(([simplified, pinyin, senses]) => [simplified as string, simplified as string, pinyin as string, senses as string[]]);
}

function readEntries(entries: Entry[]): DictionaryData {
  const english = new Map<string, Set<string>>();
  const chinese = new Map<string, { word: string; senses: number }[]>();
  const places = new Map<string, Set<string>>();
  const references: [from: string, to: string][] = [];
  const readings = new Map<string, Set<string>>();
  // The words after "in" / "of" in a place's sense ("city in Jiangsu Province 江蘇省|江苏省[…]", "a district of Shanghai").
  const withinSenses = new Map<string, Set<string>>();
  let maxPhraseTerms = 1;

  const link = <T>(map: Map<string, Set<T>>, key: string, value: T) => {
    let set = map.get(key);
    if (!set) map.set(key, (set = new Set()));
    set.add(value);
  };

  for (const [, simplified, pinyin, glosses] of entries) {
    // A character's own entries give its readings ("Qin2" → qin; "lu:4" → lv, as names are spelled).
    if (simplified.length === 1 && /^\p{Script=Han}$/u.test(simplified) && /^[a-z:]+\d$/i.test(pinyin)) {
      link(readings, simplified, pinyin.toLowerCase().replace(/\d$/, '').replace('u:', 'v'));
    }
    if (simplified.length < 2 || !/^\p{Script=Han}+$/u.test(simplified)) continue;
    const senses = (Array.isArray(glosses) ? glosses : [glosses]).flatMap((gloss) => gloss.split(/\s*;\s*/));
    const properNoun = /^\p{Lu}/u.test(pinyin);
    for (const sense of senses) {
      const reference = REFERENCE.exec(sense);
      if (reference) {
        references.push([simplified, reference[1]]);
        continue;
      }
      const plain = stripNotes(sense);
      if (properNoun) {
        const name = placeName(plain);
        if (name) {
          link(places, name.toLowerCase(), simplified);
          link(places, simplified, tokenize(name).join(' '));
          const within = WITHIN.exec(sense);
          if (within) link(withinSenses, simplified, within[1]);
        }
      }
      // A sense's abbreviation ("gross domestic product (GDP)") is a sense too: questions use it more than the dictionary does.
      for (const text of [plain, ...[...sense.matchAll(ABBREVIATION)].map((match) => match[1])]) {
        const terms = tokenize(text);
        if (terms.length === 0 || terms.length > MAX_SENSE_TERMS) continue;
        // A Chinese word stands for its whole sense ("public reserve funds"), not for each of its words.
        const key = terms.join(' ');
        link(english, simplified, key);
        let words = chinese.get(key);
        if (!words) chinese.set(key, (words = []));
        words.push({ word: simplified, senses: senses.length });
        maxPhraseTerms = Math.max(maxPhraseTerms, terms.length);
      }
    }
  }
  // "陕西: see 陕西省": a word that points to another takes its senses and place names.
  for (const [from, to] of references) {
    for (const term of english.get(to) ?? []) link(english, from, term);
    for (const name of places.get(to) ?? []) link(places, from, name);
    for (const [english, words] of places) if (words.has(to) && !/\p{Script=Han}/u.test(english)) words.add(from);
  }
  const entriesOf = (map: Map<string, Set<string>>): [string, string[]][] => [...map].map(([key, values]) => [key, [...values]]);
  // A place is in the places its sense names after "in" / "of": by their Chinese words in brackets, or their English names.
  const within = new Map<string, Set<string>>();
  for (const [word, phrases] of withinSenses) {
    for (const phrase of phrases) {
      for (const [, container] of phrase.matchAll(CHINESE_REFERENCE)) if (places.has(container)) link(within, word, container);
      for (const [name] of stripNotes(phrase).matchAll(ENGLISH_NAME)) {
        // "Guangdong Province" is the place named Guangdong: the longest run of its leading words that names one.
        const words = name.toLowerCase().split(/\s+/);
        for (let length = words.length; length >= 1; length--) {
          const containers = places.get(words.slice(0, length).join(' '));
          if (!containers) continue;
          for (const container of containers) if (/\p{Script=Han}/u.test(container)) link(within, word, container);
          break;
        }
      }
    }
  }
  for (const [from, to] of references) for (const container of within.get(to) ?? []) link(within, from, container);
  // A place's name is told in a passage by its terms; names that are also English words ("Long") are not.
  const placeTerms = new Set<string>();
  for (const key of places.keys()) {
    if (/\p{Script=Han}/u.test(key)) placeTerms.add(key);
    else if (!key.includes(' ') && !chinese.has(tokenize(key).join(' '))) for (const term of tokenize(key)) placeTerms.add(term);
  }
  return {
    english: entriesOf(english),
    chinese: [...chinese].map(([key, words]) => [key, [...new Set(words.sort((a, b) => a.senses - b.senses).map(({ word }) => word))]]),
    places: entriesOf(places),
    placeTerms: [...placeTerms],
    maxPhraseTerms,
    readings: entriesOf(readings),
    within: entriesOf(within),
  };
}

/** A sense without its notes: parentheses, pinyin in brackets, classifiers, a leading "to". */
function stripNotes(sense: string): string {
  return sense
    .replace(/\([^)]*\)|\[[^\]]*\]|\bCL:.*$/g, ' ')
    .replace(/^\s*to\s+/i, '')
    .trim();
}

/**
 * The name in a place's sense: its leading capitalized words (at most three) when a word saying what kind
 * of place follows, directly or after a comma ("Chongqing municipality", "Sichuan Province, capital…",
 * "Shenzhen, sub-provincial city in…", "Pudong, a district of Shanghai"); null for other proper nouns.
 */
function placeName(sense: string): string | null {
  const words = sense.split(/\s+/);
  const name: string[] = [];
  let next = 0;
  while (next < words.length && name.length <= 3) {
    const word = words[next].replace(/,$/, '');
    if (!/^\p{Lu}[\p{L}'-]*$/u.test(word) || PLACE_KIND.test(word)) break;
    name.push(word);
    next++;
    if (words[next - 1].endsWith(',')) break;
  }
  if (name.length === 0 || name.length > 3) return null;
  const kind = words.slice(next, next + 4).map((word) => word.replace(/[,.]$/, ''));
  return kind.some((word) => PLACE_KIND.test(word)) ? name.join(' ') : null;
}
