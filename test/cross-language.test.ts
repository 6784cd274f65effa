/**
 * Meaning across languages, through the offline engine, over a small bilingual library written for these tests
 * (test/fixtures/bilingual/docs: invented releases and regulation articles about real places). Each fact is stated
 * in one language only, so a question in the other language is answered only through the dictionary.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAnswerText } from '../src/answering/format.js';
import { REFUSAL_TEXT, type Answer } from '../src/answering/types.js';
import { loadConfig } from '../src/config/index.js';
import { openEngine, type Engine } from '../src/engine/index.js';
import { conceptsOf, liesWithin, loadMeaning } from '../src/meaning/index.js';
import { UserError } from '../src/errors/index.js';
import { tempDir } from './support/corpus.js';
import { testConfig } from './support/engine.js';

const DOCS = path.resolve(import.meta.dirname, 'fixtures', 'bilingual', 'docs');
/** English: Chongqing's technology contract turnover (73.9 billion yuan) and its new technology brokers. */
const CHONGQING_EN = 'chongqing-technology-market-2024.md';
/** Chinese: Wuhan's technology contract turnover (1286.5亿元). */
const WUHAN_ZH = '武汉市技术市场发展情况.txt';
/** Chinese: a regulation's definition (技术经纪人) and duration (十五年) articles, Sichuan. */
const SICHUAN_REGULATION_ZH = '四川省技术转移条例节选.txt';
/** English: Sichuan's high-tech enterprises (18,470). */
/** English: Chengdu's angel investment fund (3.2 billion yuan). */
const CHENGDU_EN = 'chengdu-angel-fund-2024.txt';
/** Chinese: an invented platform, 蜀创谷, that no dictionary knows: its incubation carriers (128个) and new SMEs. */
const SHUCHUANGGU_ZH = '蜀创谷上半年发展情况.txt';
/** Chinese: Chongqing's settling-in subsidy for doctoral graduates (20万元); no social insurance, no housing fund. */
const CHONGQING_ZH = '重庆市引进博士人才安家补贴.txt';

const OTHER_LANGUAGE_TEXT = "I couldn't find this in the indexed documents: I can read questions in English or Chinese only.";

let engine: Engine;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const temp = await tempDir('meaning-test-');
  cleanup = temp.cleanup;
  engine = await openEngine(testConfig(DOCS, path.join(temp.dir, 'index')));
});
afterAll(async () => {
  await engine?.close();
  await cleanup?.();
});

/** What an answer cites, as [source, quote] pairs, for readable failures. */
function cited(answer: Answer): [string, string][] {
  return answer.citations.map((citation) => [citation.source, citation.quote]);
}

/** Asserts an answer (not a refusal) whose every citation is from `source` and one of which quotes `text`. */
/** The answer's first citation quotes `text` from `source` (a near tie from another document may follow it). */
function expectAnsweredFirstFrom(answer: Answer, source: string, text: string): void {
  expect(answer.refused, `refused: ${answer.answer}`).toBe(false);
  const [first] = cited(answer);
  expect(first, JSON.stringify(cited(answer))).toEqual([source, expect.stringContaining(text)]);
}

function expectAnsweredFrom(answer: Answer, source: string, text: string): void {
  expect(answer.refused, `refused: ${answer.answer}`).toBe(false);
  expect(cited(answer).map(([from]) => from)).toEqual(answer.citations.map(() => source));
  expect(
    cited(answer).some(([, quote]) => quote.includes(text)),
    JSON.stringify(cited(answer)),
  ).toBe(true);
  expect(answer.answer).toContain(text);
}

function expectRefused(answer: Answer, text = REFUSAL_TEXT): void {
  expect({ answer: answer.answer, refused: answer.refused, citations: cited(answer) }).toEqual({ answer: text, refused: true, citations: [] });
}

describe('a question in one language, answered from a document in the other', () => {
  it('answers an English question about a figure only a Chinese release states by quoting the Chinese sentence', async () => {
    const answer = await engine.ask('What was the technology contract turnover in Wuhan in 2023?');
    expectAnsweredFrom(answer, WUHAN_ZH, '全市技术合同成交额达到1286.5亿元');
    expect(answer.citations[0]).toMatchObject({ title: '武汉市技术市场发展情况通报', date: '2024-02-06', url: null });
    expect(answer.answer).not.toContain('73.9');
    // The source entry names the document's language: the quote is in Chinese, the question in English.
    expect(answer.citations[0].language).toBe('zh');
    expect(formatAnswerText(answer)).toContain('(2024-02-06, Chinese)');
  });

  it('answers an English question about a definition with the Chinese article', async () => {
    const answer = await engine.ask('What is a technology broker under the Sichuan regulation?');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '本条例所称技术经纪人，是指在技术转移活动中');
    expect(answer.citations[0].title).toBe('四川省技术转移条例（节选）');
  });

  it('answers an English question about a duration with the Chinese article that states it', async () => {
    const answer = await engine.ask('How long are traditional craft formulas protected in Sichuan?');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '传统工艺配方，其保护期限为十五年');
  });

  it('answers a long English question, whose every word is met only by a translation, from the Chinese article', async () => {
    const answer = await engine.ask('What does the Sichuan regulation on technology transfer require a technology transfer institution to keep a record of?');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '技术转移机构应当建立服务台账');
  });

  it('finds the article stating a duration as its 期限 for a "how long does it last" question that shares no word with it', async () => {
    const answer = await engine.ask('How long does a traditional craft formula recognised by the Sichuan government last?');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '其保护期限为十五年');
  });

  it('answers an English question about Chongqing from the Chinese release about Chongqing', async () => {
    const answer = await engine.ask('How much is the settling-in subsidy for doctoral graduates in Chongqing?');
    expectAnsweredFrom(answer, CHONGQING_ZH, '给予每人20万元安家补贴');
  });

  it('answers a Chinese question about a figure only an English release states from that release', async () => {
    const answer = await engine.ask('成都的天使投资基金有多大规模？');
    expectAnsweredFrom(answer, CHENGDU_EN, 'angel investment fund of 3.2 billion yuan');
    expect(engine.sources().find((source) => source.id === answer.citations[0].source)?.meta.language).toBe('en');
  });

  it("answers a Chinese question about Chongqing's turnover from the English release, the only one that states it", async () => {
    const answer = await engine.ask('重庆技术合同成交额是多少？');
    expectAnsweredFirstFrom(answer, CHONGQING_EN, '73.9 billion yuan');
  });
});

describe('a figure lookup', () => {
  it("finds the figure of the place asked about, in the other language's document when only that one states it", async () => {
    const best = (query: string) => engine.searchFigures(query, 1)[0]?.figure.raw;
    expect(best('Chongqing settling-in subsidy for doctoral graduates')).toBe('20万元');
    expect(best('Wuhan technology contracts')).toBe('1286.5亿元');
    expect(best('Chongqing technology contracts')).toBe('73.9 billion yuan');
    // The words alone find only the English release's figure.
    expect(engine.figures().search('Wuhan technology contracts', 1)[0]?.figure.raw).toBe('73.9 billion yuan');
    expect(engine.figures().search('Chongqing settling-in subsidy for doctoral graduates', 1)[0]?.figure.raw).not.toBe('20万元');
  });
});

describe('a name written in pinyin', () => {
  it('finds the Chinese name that reads so (Shuchuanggu, 蜀创谷), which no dictionary translates', async () => {
    const answer = await engine.ask('How many provincial-level incubation carriers did Shuchuanggu have?');
    expectAnsweredFrom(answer, SHUCHUANGGU_ZH, '省级以上孵化载体达到128个');
  });

  it('still refuses a name that reads as nothing the library has', async () => {
    expectRefused(await engine.ask('How many provincial-level incubation carriers did Shuchuangyuan have?'));
  });
});

describe('a Chinese regulation, asked in Chinese', () => {
  it("answers a question about a city under its province's regulation from the province's regulation", async () => {
    const answer = await engine.ask('我们在成都认定的传统工艺配方，按四川的条例，保护期限是多久？');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '其保护期限为十五年');
  });

  it('knows which places lie in which (广州 in 广东, Chengdu in Sichuan), in both languages', async () => {
    const meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
    const place = (question: string, term: string) => conceptsOf(question, meaning, { has: () => true }).find((concept) => concept.term === term)!;
    expect(liesWithin(place('广州', '广州'), place('广东', '广东'), meaning.dictionary)).toBe(true);
    expect(liesWithin(place('广东', '广东'), place('广州', '广州'), meaning.dictionary)).toBe(false);
    expect(liesWithin(place('Chengdu', 'chengdu'), place('四川', '四川'), meaning.dictionary)).toBe(true);
    expect(liesWithin(place('武汉', '武汉'), place('四川', '四川'), meaning.dictionary)).toBe(false);
  });

  it('answers how long with the article that states the duration', async () => {
    const answer = await engine.ask('传统工艺配方的保护期限是多久？');
    expectAnsweredFrom(answer, SICHUAN_REGULATION_ZH, '其保护期限为十五年');
    expect(answer.citations).toHaveLength(1);
  });
});

describe('Traditional Chinese', () => {
  it('finds the Simplified document a Traditional question asks about', async () => {
    const answer = await engine.ask('技術經紀人是指什麼？');
    expectAnsweredFirstFrom(answer, SICHUAN_REGULATION_ZH, '本条例所称技术经纪人');
  });

  it('finds an English release through the translation of a Traditional question', async () => {
    const answer = await engine.ask('成都天使投資基金規模是多少？');
    expectAnsweredFrom(answer, CHENGDU_EN, '3.2 billion yuan');
  });
});

describe('the place asked about', () => {
  it("answers Chongqing's turnover from Chongqing's release, not Wuhan's", async () => {
    const answer = await engine.ask('What was the technology contract turnover in Chongqing in 2023?');
    expectAnsweredFrom(answer, CHONGQING_EN, 'The turnover of technology contracts in Chongqing reached 73.9 billion yuan');
    expect(answer.answer).not.toContain('1286.5');
  });

  it("answers Wuhan's turnover, asked in Chinese, from Wuhan's release, not Chongqing's", async () => {
    const answer = await engine.ask('武汉技术合同成交额是多少？');
    expectAnsweredFrom(answer, WUHAN_ZH, '1286.5亿元');
    expect(answer.answer).not.toContain('73.9');
  });

  it('refuses a question about a city the library does not cover', async () => {
    expectRefused(await engine.ask('What was the technology contract turnover in Guangzhou in 2023?'));
  });
});

describe('what the library does not have', () => {
  it.each([
    // The Chongqing release is about a subsidy for doctoral graduates; it never mentions a housing fund.
    'What is the housing provident fund contribution rate in Chongqing?',
  ])('refuses %s', async (question) => {
    expectRefused(await engine.ask(question));
  });
});

describe('questions the offline engine cannot read', () => {
  it.each([
    ['French', 'Quel est le montant des contrats technologiques à Chongqing ?'],
    ['Japanese', '重慶の技術契約の取引額はいくらですか？'],
  ])('refuses a question in %s plainly', async (_language, question) => {
    const answer = await engine.ask(question);
    expectRefused(answer, OTHER_LANGUAGE_TEXT);
    expect(answer.related).toEqual([]);
  });

  it.each(['？？？', '?!…', 'the of and', '的了吗？'])('refuses a question of punctuation or stop words only: %s', async (question) => {
    const answer = await engine.ask(question);
    expectRefused(answer);
    expect(answer.related).toEqual([]);
  });

  it('turns away an empty question with a one-line user error', async () => {
    const asked = engine.ask('   \n ');
    await expect(asked).rejects.toBeInstanceOf(UserError);
    await expect(asked).rejects.toThrow(/^the question is empty; ask something about the indexed documents$/);
  });
});

describe('a refusal points to what the documents say near the question', () => {
  it('refuses a question about a document named by its title that the library does not hold', async () => {
    expectRefused(await engine.ask('《武汉市技术市场条例》对技术合同成交额有什么规定？'));
  });

  it("shows Wuhan's and Chongqing's turnover under a refused question about Guangzhou's, never as its answer", async () => {
    const answer = await engine.ask('What was the technology contract turnover in Guangzhou in 2023?');
    expectRefused(answer);
    // Other places' turnover, in either language (成交额 is "turnover"), is related; none is the answer.
    expect(answer.related).toContainEqual({
      source: WUHAN_ZH,
      title: '武汉市技术市场发展情况通报',
      date: '2024-02-06',
      language: 'zh',
      quote: '全市技术合同成交额达到1286.5亿元，同比增长17.3%，总量居全省首位。',
    });
    expect(answer.related?.map((quote) => quote.source).sort()).toEqual([WUHAN_ZH, CHONGQING_EN].sort());
    expect(answer.answer).not.toContain('1286.5');
  });
});

describe("a Chinese question's words", () => {
  it('are the words it is segmented into and the dictionary words among its single characters, not the pairs cut across them', async () => {
    const meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
    const corpus = { has: (term: string) => ['展会', '州办', '蜀创', '创谷'].includes(term) };
    const concepts = conceptsOf('我们打算在广州办一个展会，蜀创谷有多少孵化器？', meaning, corpus);
    const word = (term: string) => concepts.find((concept) => concept.term === term)?.word ?? false;
    expect(word('广州')).toBe(true);
    // 展 会 as the segmenter cuts it; 蜀创谷, three characters it does not know, all of whose pairs the corpus has.
    expect(word('展会')).toBe(true);
    expect(word('蜀创谷')).toBe(true);
    expect(word('州办')).toBe(false);
  });

  it('include a word with the suffix that makes it a measure (输出|额: 输出额) when the corpus has the whole', async () => {
    const meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
    const word = (corpus: string[]) =>
      conceptsOf('高校技术合同输出额是多少？', meaning, { has: (term) => corpus.includes(term) }).find((concept) => concept.term === '输出额')?.word ?? false;
    expect(word(['输出', '出额'])).toBe(true);
    expect(word(['输出'])).toBe(false);
  });
});

describe('the country', () => {
  it('is named in many ways (China, 中国, 全国) and is no place a passage must name alone', async () => {
    const meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
    const corpus = { has: (term: string) => ['全国', '中国', '技术', '合同'].includes(term) };
    const china = conceptsOf("What was China's technology contract turnover?", meaning, corpus).find(({ term }) => term === 'china');
    expect(china?.place).toBe(false);
    expect([...(china?.alternatives.keys() ?? [])]).toEqual(expect.arrayContaining(['中国', '全国']));
    const sichuan = conceptsOf('四川的技术合同', meaning, { has: () => true }).find(({ term }) => term === '四川');
    expect(sichuan?.place).toBe(true);
  });
});
