import { describe, expect, it } from 'vitest';
import { questionAttribute } from '../src/answering/attribute.js';
import { ExtractiveAnswerer } from '../src/answering/extractive.js';
import { leadWithFigure } from '../src/answering/figure-answer.js';
import { formatAnswerText } from '../src/answering/format.js';
import { REFUSAL_TEXT, type AnswerContext, type CorpusStats, type RetrievedPassage } from '../src/answering/types.js';
import { loadConfig } from '../src/config/index.js';
import { loadMeaning } from '../src/meaning/index.js';
import { tokenizeDated } from '../src/text/tokenize.js';

/** Corpus statistics computed from the passages themselves, as the index would. */
function statsOf(passages: RetrievedPassage[]): CorpusStats {
  const termSets = passages.map((p) => ({ docId: p.docId, terms: new Set(tokenizeDated([p.meta.title, p.heading ?? '', p.text].join('\n'), p.meta.date)) }));
  const df = (term: string) => termSets.filter((set) => set.terms.has(term)).length;
  return {
    idf: (term) => Math.log(1 + (termSets.length - df(term) + 0.5) / (df(term) + 0.5)),
    has: (term) => df(term) > 0,
    documentHas: (docId, term) => termSets.some((set) => set.docId === docId && set.terms.has(term)),
  };
}

function passage(id: number, text: string, overrides: Partial<RetrievedPassage> = {}): RetrievedPassage {
  return {
    id,
    docId: 'reports/harbor.txt',
    meta: { title: 'Harbor Science Park Annual Note', date: '2024-02-10', url: 'https://example.org/harbor', publisher: null, language: 'en' },
    heading: null,
    text,
    score: 1 / (id + 1),
    ...overrides,
  };
}

const PASSAGES = [
  passage(0, 'Harbor Science Park hosted 412 robotics companies at the end of last year. The park was founded by the city in 2015.'),
  passage(1, 'The park opened a marine sensor testing center in Qingwan Bay. Director Lin Wei said more labs would follow.'),
  passage(
    2,
    'The plan lists four measures:\n- a seed fund of 2 million yuan;\n- shared prototyping workshops;\n- tax relief for new labs;\n- a talent housing scheme.',
    { heading: 'Key measures' },
  ),
  passage(3, 'Exports of marine equipment grew 12 percent, while imports fell.', {
    docId: 'trade/customs.txt',
    meta: { title: 'Customs Bulletin', date: '2024-01-05', url: null, publisher: null, language: 'en' },
  }),
];

async function ask(question: string, options: Partial<AnswerContext> = {}) {
  const passages = options.passages ?? PASSAGES;
  return new ExtractiveAnswerer().answer({ question, standaloneQuestion: question, passages, history: [], corpus: statsOf(passages), ...options });
}

describe('the extractive answerer', () => {
  it('quotes the sentence that answers, with its marker and citation', async () => {
    const draft = await ask('How many robotics companies did Harbor Science Park host?');
    expect(draft).toMatchObject({ refused: false, mode: 'extractive' });
    expect(draft.answer).toBe('Harbor Science Park hosted 412 robotics companies at the end of last year. [1]');
    expect(draft.citations).toEqual([
      {
        n: 1,
        source: 'reports/harbor.txt',
        title: 'Harbor Science Park Annual Note',
        url: 'https://example.org/harbor',
        date: '2024-02-10',
        language: 'en',
        quote: 'Harbor Science Park hosted 412 robotics companies at the end of last year.',
        score: expect.any(Number),
        also: [],
      },
    ]);
  });

  it('resolves "last year" against the document date when a question names the year', async () => {
    const draft = await ask('How many robotics companies were in Harbor Science Park in 2023?');
    expect(draft.answer).toContain('412 robotics companies');
  });

  it('refuses a question about a year the passages do not cover', async () => {
    expect((await ask('How many robotics companies were in Harbor Science Park in 2019?')).refused).toBe(true);
  });

  it('prefers a sentence of the kind asked for: a date for "when", a person for "who"', async () => {
    expect((await ask('When was Harbor Science Park founded?')).citations[0].quote).toBe('The park was founded by the city in 2015.');
    expect((await ask('Who said more labs would follow the marine sensor testing center?')).answer).toContain('Director Lin Wei');
  });

  it('quotes one item for a number question, with its lead-in when the item continues it', async () => {
    const draft = await ask('How much money is in the seed fund?');
    expect(draft.citations[0].quote).toBe('The plan lists four measures: a seed fund of 2 million yuan;');
  });

  it('quotes a list whole, with its lead-in', async () => {
    const draft = await ask('Which measures does the plan list?');
    expect(draft.citations[0].quote).toBe(
      'The plan lists four measures: a seed fund of 2 million yuan; shared prototyping workshops; tax relief for new labs; a talent housing scheme.',
    );
  });

  it('refuses plainly, without citations, when the passages do not answer', async () => {
    for (const question of ['Write me a poem about autumn leaves.', 'What is the population of the city?', 'How many robotics companies are in Shenzhen?']) {
      const draft = await ask(question);
      expect(draft, question).toEqual({ answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations: [], related: [] });
    }
  });

  it('does not let one word the corpus lacks outweigh all the words a long question shares with its answer', async () => {
    const draft = await ask('How many robotics companies did Harbor Science Park host, counting the unlisted ones?');
    expect(draft.answer).toContain('412 robotics companies');
  });

  it('refuses a number question when no sentence has a number', async () => {
    const passages = [passage(0, 'The marine sensor testing center serves robotics companies in the bay. It is open to every park tenant.')];
    expect((await ask('How many robotics companies use the marine sensor testing center?', { passages })).refused).toBe(true);
  });

  it('weighs a question without its hedges (roughly, so far, these days, approximately)', async () => {
    for (const question of ['Roughly how many robotics companies so far?', 'These days, approximately how many robotics companies are there?']) {
      const draft = await ask(question);
      expect(draft.refused, question).toBe(false);
      expect(draft.answer, question).toContain('412 robotics companies');
    }
  });

  it('matches synonyms of statistics words', async () => {
    const draft = await ask('By how much did exports of marine equipment increase?');
    expect(draft.answer).toContain('grew 12 percent');
    expect(draft.citations[0].source).toBe('trade/customs.txt');
  });

  it('uses the conversation for a follow-up', async () => {
    const followUp = await ask('and who said that?', {
      standaloneQuestion: 'What did the park open in Qingwan Bay? and who said that?',
      history: [{ role: 'user', content: 'What did the park open in Qingwan Bay?' }],
    });
    expect(followUp.answer).toContain('Director Lin Wei');
  });

  it('answers Chinese from Chinese passages', async () => {
    const passages = [
      passage(0, '2023年全省技术合同成交额达到4120.76亿元，同比增长30%。全省新增科技型企业1.2万家。', {
        docId: 'zh/通知.txt',
        meta: { title: '科技统计公报', date: '2024-03-01', url: null, publisher: null, language: 'zh' },
      }),
      passage(1, '全省共建成孵化器21家。', {
        docId: 'zh/通知.txt',
        meta: { title: '科技统计公报', date: '2024-03-01', url: null, publisher: null, language: 'zh' },
      }),
    ];
    const draft = await ask('2023年全省技术合同成交额是多少？', { passages });
    expect(draft.answer).toBe('2023年全省技术合同成交额达到4120.76亿元，同比增长30%。[1]');
  });
});

describe('the extractive answerer on Chinese laws', () => {
  const law = (id: number, text: string) =>
    passage(id, text, { docId: 'zh/条例.md', meta: { title: '科技促进条例', date: '2022-01-01', url: null, publisher: null, language: 'zh' } });

  it('quotes a clause that ends in "；" with the rest of its sentence', async () => {
    const passages = [law(0, '第十五条 单位应当对发明人给予奖励；专利实施后，单位应当对发明人给予合理的报酬。\n第十六条 发明人有权在专利文件中署名。')];
    const draft = await ask('单位应当给发明人什么奖励？', { passages });
    expect(draft.answer).toBe('第十五条 单位应当对发明人给予奖励；专利实施后，单位应当对发明人给予合理的报酬。[1]');
  });

  it('quotes a Chinese list item (no space after its marker) with its lead-in', async () => {
    const passages = [
      law(
        0,
        '第四十九条 有下列情形之一的，三年内不得申请财政资金项目：\n（一）故意侵犯知识产权的；\n（二）侵犯知识产权构成犯罪的；\n（三）其他严重失信行为的。',
      ),
    ];
    const draft = await ask('侵犯知识产权构成犯罪的，还能申请财政资金项目吗？', { passages });
    expect(draft.refused).toBe(false);
    expect(draft.answer).toContain('三年内不得申请财政资金项目');
  });

  it('reads a numeral inside a word, or a list marker, as no quantity', async () => {
    const ask孵化 = (text: string) => ask('孵化载体免费提供多少场地？', { passages: [law(0, text), law(1, '第二条 本条例适用于本市。')] });
    expect((await ask孵化('第十条 孵化载体应当安排一定比例的场地免费提供。')).refused).toBe(true);
    expect((await ask孵化('（二）孵化载体应当将场地免费提供。')).refused).toBe(true);
    expect((await ask孵化('第十条 孵化载体应当安排三百平方米场地免费提供。')).answer).toContain('三百平方米');
    expect((await ask孵化('第十条 孵化载体应当将三分之一的场地免费提供。')).answer).toContain('三分之一');
  });
});

describe('a Chinese question judged by its words', () => {
  const law = (id: number, text: string) =>
    passage(id, text, { docId: 'zh/展会条例.md', meta: { title: '知识产权保护条例', date: '2022-01-01', url: null, publisher: null, language: 'zh' } });

  it('answers a long colloquial question from the article that has its content words, whatever pairs its other words cut', async () => {
    const passages = [
      law(0, '第二十条 展会举办三天以上的，展会主办方应当设立展会知识产权纠纷处理机构。'),
      law(1, '第二条 本条例适用于本省行政区域内的知识产权保护工作。'),
    ];
    const meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
    const draft = await ask('我们公司打算在这里办一个为期四天的展会，请问需要专门设知识产权纠纷处理机构吗？', { passages, meaning });
    expect(draft.refused, draft.answer).toBe(false);
    expect(draft.answer).toContain('展会举办三天以上的');
  });

  it('answers "how long" with the article that states the duration outright, before one that counts a deadline', async () => {
    const passages = [
      law(0, '第十条 发明专利自申请日起满四年后授予的，专利权人可以请求给予保护期限补偿。'),
      law(1, '第四十二条 发明专利权的期限为二十年，自申请日起计算。'),
    ];
    const draft = await ask('发明专利能保护几年？', { passages });
    expect(draft.answer).toMatch(/^第四十二条 发明专利权的期限为二十年/);
  });

  it('answers "what is" with the article that defines it, not one that only uses the word', async () => {
    const passages = [
      law(0, '第五条 技术经纪人应当如实向委托人介绍技术情况。'),
      law(1, '第三条 本条例所称技术经纪人，是指为促成他人技术交易提供居间服务的自然人。'),
    ];
    const draft = await ask('什么是技术经纪人？', { passages });
    expect(draft.answer).toMatch(/^第三条 本条例所称技术经纪人，是指/);
    expect(draft.answer).not.toContain('第五条');
  });
});

describe('what a question asks for', () => {
  it.each([
    ['上海孵化器的入驻费用是多少？', ['费用']],
    ['深圳去年的专利授权量大概有多少？', ['授权量']],
    ['企业每年能拿到多少补助？', ['补助']],
    ['成都2023年一共认定了多少家高新技术企业？', ['企业']],
    ['全市高新技术企业总数是多少？', ['企业']],
    ['What is the registration fee of the technology market?', ['registration', 'fee']],
    ["what's the total number of incubators in the park?", ['incubators']],
    ['How many patents did the zone file in 2023?', ['patents']],
    ["What was Chengdu's technology contract turnover in 2022?", ['technology', 'contract', 'turnover']],
    ['How many R&D staff does the park employ?', ['research']],
    ['How much did the zone invest?', []],
    ["what was iFLYTEK (Suzhou)'s revenue last year?", ['revenue']],
    ['2023年全省技术合同成交额是多少？', ['成交额']],
    ['对方赚了多少？', []],
    ['市场监管部门最多能罚多少钱？', []],
    ['Which company built the lab?', []],
  ])('%s → %j', (question, attribute) => {
    expect(questionAttribute(question)).toEqual(attribute);
  });

  it('refuses a figure of something the passages never name, however close their other words', async () => {
    const passages = [
      passage(0, '技术市场登记机构应当在受理申请之日起30日内完成登记。', {
        docId: 'zh/技术市场条例.txt',
        meta: { title: '技术市场条例', date: '2016-01-01', url: null, publisher: null, language: 'zh' },
      }),
    ];
    expect((await ask('技术市场登记机构的收费标准是多少？', { passages })).refused).toBe(true);
    expect((await ask('技术市场登记机构多少日内完成登记？', { passages })).refused).toBe(false);
    expect((await ask("What's the total registered capital of the robotics companies?")).refused).toBe(true);
    expect((await ask('How many robotics companies did Harbor Science Park host?')).answer).toContain('412 robotics companies');
  });
});

describe('counts and years', () => {
  const release = (id: number, text: string, date = '2022-06-29') =>
    passage(id, text, { docId: 'press/city.txt', meta: { title: 'City science and technology conference', date, url: null, publisher: null, language: 'en' } });

  it('answers "how many" with a number that counts what is asked, not a sum of money or a count of something else', async () => {
    const question = 'How many technology contracts were signed from January to May?';
    const moneyOnly = [
      release(0, 'From January to May, technology contracts worth 45.1 billion yuan were signed; and 2,405 sci-tech SMEs were newly identified.'),
    ];
    expect((await ask(question, { passages: moneyOnly })).refused).toBe(true);
    const counted = [release(0, 'From January to May, 1,234 technology contracts were signed, worth 45.1 billion yuan.')];
    expect((await ask(question, { passages: counted })).answer).toContain('1,234 technology contracts');
  });

  it('quotes no sentence about another year than the one asked, whatever the date of its document', async () => {
    const passages = [release(0, "The city's GDP topped 130 billion yuan in 2022, up 8 percent.", '2023-01-19')];
    expect((await ask("What was the city's GDP in 2023?", { passages })).refused).toBe(true);
    expect((await ask("What was the city's GDP in 2022?", { passages })).answer).toContain('130 billion yuan');
  });

  it('reads a passage that names no year as about the year its document names', async () => {
    const passages = [
      release(0, "In 2019, the city's high-tech firms grew fastest in electronics and biomedicine.", '2020-04-02'),
      release(1, 'Among the total, the number of high-tech firms in the city reached 3,141, up 25 percent.', '2020-04-02'),
    ];
    expect((await ask('How many high-tech firms did the city have in 2019?', { passages })).answer).toContain('3,141');
  });
});

describe('answering from a figure', () => {
  const figure = {
    id: 'reports/harbor.txt#1',
    label: 'robotics companies',
    raw: '412 robotics companies',
    value: 412,
    unit: '',
    kind: 'count' as const,
    period: '2023',
    scope: 'Harbor Science Park',
    quote: 'Harbor Science Park hosted 412 robotics companies at the end of last year.',
    source: { id: 'reports/harbor.txt', title: 'Harbor Science Park Annual Note', date: '2024-02-10', url: null },
    sources: ['reports/harbor.txt'],
    alternatives: [],
  };

  it('leads with the figure sentence when the answer does not quote it', async () => {
    const draft = await ask('When was Harbor Science Park founded?');
    const led = leadWithFigure(draft, { figure, score: 3 });
    expect(led.citations.map((c) => c.n)).toEqual([1, 2]);
    expect(led.citations[0].quote).toBe(figure.quote);
    expect(led.answer).toBe(`${figure.quote} [1] The park was founded by the city in 2015. [2]`);
  });

  it('leaves a refusal a refusal', async () => {
    const refusal = await ask('Write me a poem.');
    expect(leadWithFigure(refusal, { figure, score: 3 })).toBe(refusal);
  });

  it('does not lead with a figure stated only in a headline', async () => {
    const draft = await ask('When was Harbor Science Park founded?');
    const headline = { ...figure, quote: 'Harbor Science Park Hosts 412 Robotics Companies at the End of the Year' };
    expect(leadWithFigure(draft, { figure: headline, score: 3 })).toBe(draft);
  });
});

describe('formatting for a terminal', () => {
  it('lists numbered sources with date, location and quote; a refusal alone', async () => {
    const draft = await ask('How many robotics companies did Harbor Science Park host?');
    const text = formatAnswerText({ question: 'q', ...draft, timings_ms: {} });
    expect(text).toBe(
      'Harbor Science Park hosted 412 robotics companies at the end of last year. [1]\n\nSources:\n' +
        '[1] Harbor Science Park Annual Note (2024-02-10, English) — https://example.org/harbor\n' +
        '    “Harbor Science Park hosted 412 robotics companies at the end of last year.”',
    );
    const refusal = await ask('Write me a poem.');
    expect(formatAnswerText({ question: 'q', ...refusal, mode_reason: 'model timed out after 20 s', timings_ms: {} })).toBe(
      `${REFUSAL_TEXT}\n(extractive answer: model timed out after 20 s)`,
    );
  });
});
