import { describe, expect, it } from 'vitest';
import { questionAttribute } from '../src/answering/attribute.js';
import { readCandidates } from '../src/answering/candidates.js';
import { decide, ExtractiveAnswerer } from '../src/answering/extractive.js';
import { leadWithFigure } from '../src/answering/figure-answer.js';
import { formatAnswerText } from '../src/answering/format.js';
import { REFUSAL_TEXT, type AnswerContext } from '../src/answering/types.js';
import { loadConfig } from '../src/config/index.js';
import { loadMeaning } from '../src/meaning/index.js';
import { passage, statsOf } from './support/passages.js';
import { FEATURE_NAMES } from '../src/answering/features.js';
import { loadAnswerModel, prepareModel } from '../src/answering/model.js';

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
  return new ExtractiveAnswerer(loadAnswerModel()).answer({
    question,
    standaloneQuestion: question,
    passages,
    history: [],
    corpus: statsOf(passages),
    ...options,
  });
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
});

describe('deciding by the model', () => {
  /** A model that weighs the named features (0-1 each) around a midpoint: a stand-in whose weights the test chooses. */
  const modelOf = (weights: Record<string, number>, threshold = 0.5) =>
    prepareModel({
      features: Object.keys(weights),
      mean: Object.keys(weights).map(() => 0),
      scale: Object.keys(weights).map(() => 1),
      weights: Object.values(weights),
      bias: -Object.values(weights).reduce((sum, w) => sum + Math.max(0, w), 0) / 2,
      threshold,
      composition: { followerRatio: 0.8, neighbourRatio: 0.6, nearTieRatio: 0.93 },
    });
  const decideWith = (model: ReturnType<typeof modelOf>, question: string, passages = PASSAGES) =>
    decide(readCandidates({ question, standaloneQuestion: question, passages, history: [], corpus: statsOf(passages) }), model);

  it('quotes the candidate the model gives the highest probability, with its probability as the citation score', () => {
    const draft = decideWith(modelOf({ sentence_coverage: 8 }), 'How many robotics companies did Harbor Science Park host?');
    expect(draft.citations[0].quote).toBe('Harbor Science Park hosted 412 robotics companies at the end of last year.');
    expect(draft.citations[0].score).toBeGreaterThan(0.5);
    expect(draft.citations[0].score).toBeLessThan(1);
  });

  it('refuses below the threshold, pointing to the closest sentences of the passages, never as the answer', () => {
    const question = 'How many robotics companies did Harbor Science Park host in 2019?';
    const answering = decideWith(modelOf({ sentence_coverage: 8 }), question);
    expect(answering.refused).toBe(false);
    const refusing = decideWith(modelOf({ sentence_coverage: 8, year_conflict_passage: -8 }), question);
    expect(refusing).toMatchObject({ answer: REFUSAL_TEXT, refused: true, citations: [] });
    expect(refusing.related?.[0]?.quote).toBe('Harbor Science Park hosted 412 robotics companies at the end of last year.');
    const nothingClose = decideWith(modelOf({ sentence_coverage: 8 }), 'Write me a poem about autumn leaves.');
    expect(nothingClose).toEqual({ answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations: [], related: [] });
  });

  it('leaves out a candidate the model could not quote whatever its document holds, its document never looked up', () => {
    const model = loadAnswerModel();
    const questions = [
      'How many robotics companies did Harbor Science Park host in 2019?',
      'Who is the director of the Qingwan Bay marine sensor testing center?',
      'How much did exports of marine equipment grow in Lisbon?',
      'What tax relief do new labs get under the plan?',
    ];
    const lookups = { every: 0, pruned: 0 };
    for (const question of questions) {
      const stats = statsOf(PASSAGES);
      const counting = (reading: keyof typeof lookups) => ({
        question,
        standaloneQuestion: question,
        passages: PASSAGES,
        history: [],
        corpus: { ...stats, documentHas: (docId: string, term: string) => (lookups[reading]++, stats.documentHas(docId, term)) },
      });
      const every = readCandidates(counting('every'));
      const pruned = readCandidates(counting('pruned'), { couldBeQuoted: model.couldBeQuoted });
      expect(decide(pruned, model), question).toEqual(decide(every, model));
      expect(pruned.closest, question).toEqual(
        every.closest.map(({ read, position, sentence, matched, coverage }) => ({ read, position, sentence, matched, coverage })),
      );
      expect(pruned.candidates.length, question).toBeLessThan(every.candidates.length);
      // Each candidate left in has the features a full reading gives it.
      for (const candidate of pruned.candidates) {
        const same = every.candidates.find((c) => c.read.passage === candidate.read.passage && c.position === candidate.position);
        expect(candidate.features, question).toEqual(same?.features);
      }
    }
    expect(lookups.pruned).toBeLessThan(lookups.every);
  });

  it('bounds a candidate by the most its unmeasured features could add', () => {
    const model = prepareModel({
      features: ['sentence_coverage', 'place_conflict', 'names_missing'],
      mean: [0, 0, 0],
      scale: [1, 1, 1],
      weights: [4, -3, 2],
      bias: -2,
      threshold: 0.5,
      composition: { followerRatio: 0.8, neighbourRatio: 0.6, nearTieRatio: 0.93 },
    });
    const at = (coverage: number, conflict: number, missing: number) =>
      FEATURE_NAMES.map((name) => ({ sentence_coverage: coverage, place_conflict: conflict, names_missing: missing })[name] ?? 0);
    // The least a quoted sentence needs is 0.5 × 0.6 = 0.3: the bound takes the conflict at 0 and the other at 1.
    for (const coverage of [0, 0.1, 0.2, 0.3, 0.5, 0.8]) {
      const highest = Math.max(...[0, 1].flatMap((conflict) => [0, 1].map((missing) => model.probability(at(coverage, conflict, missing)))));
      expect(model.couldBeQuoted(at(coverage, NaN, NaN)), String(coverage)).toBe(highest >= 0.3);
    }
    expect(model.couldBeQuoted(at(0, NaN, NaN))).toBe(true);
    expect(model.couldBeQuoted(at(0, NaN, 0))).toBe(false);
  });

  it('quotes a further sentence that comes close and adds something asked', () => {
    const passages = [passage(0, 'The park has 12 laboratories.'), passage(1, 'The park has 40 firms.', { docId: 'other.txt' })];
    const draft = decideWith(modelOf({ sentence_coverage: 6 }, 0.1), 'How many laboratories and firms does the park have?', passages);
    expect(draft.citations.map((c) => c.quote).sort()).toEqual(['The park has 12 laboratories.', 'The park has 40 firms.']);
  });

  it('refuses a question in a language it cannot read, or with no word to weigh, whatever the model', () => {
    const always = modelOf({ sentence_coverage: 0 }, 0);
    expect(decideWith(always, 'Сколько лабораторий в парке?').answer).toMatch(/English or Chinese only/);
    expect(decideWith(always, 'the of and?')).toMatchObject({ refused: true, citations: [] });
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
