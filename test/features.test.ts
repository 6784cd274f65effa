import { beforeAll, describe, expect, it } from 'vitest';
import { readCandidates } from '../src/answering/candidates.js';
import { FEATURE_NAMES, FEATURES } from '../src/answering/features.js';
import type { AnswerContext, RetrievedPassage } from '../src/answering/types.js';
import { loadConfig } from '../src/config/index.js';
import { loadMeaning, type Meaning } from '../src/meaning/index.js';
import { passage, statsOf } from './support/passages.js';

let meaning: Meaning;
beforeAll(async () => {
  meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
});

const HARBOR = [
  passage(0, 'Harbor Science Park hosted 412 robotics companies at the end of last year. The park was founded by the city in 2015.'),
  passage(1, 'The park opened a marine sensor testing center in Qingwan Bay. Director Lin Wei said more labs would follow.'),
  passage(2, 'The plan lists four measures:\n- a seed fund of 2 million yuan;\n- shared prototyping workshops;\n- tax relief for new labs.', {
    heading: 'Key measures',
  }),
  passage(3, 'Exports of marine equipment grew 12 percent, while imports fell.', {
    docId: 'trade/customs.txt',
    meta: { title: 'Customs Bulletin', date: '2024-01-05', url: null, publisher: null, language: 'en' },
  }),
];

const zh = (id: number, text: string, title = '科技统计公报', date = '2024-03-01', docId = `zh/${title}.txt`) =>
  passage(id, text, { docId, meta: { title, date, url: null, publisher: null, language: 'zh' } });

/** Each candidate sentence of a question over passages, with its features by name. */
function candidates(question: string, passages: RetrievedPassage[] = HARBOR, withMeaning = false) {
  const context: AnswerContext = {
    question,
    standaloneQuestion: question,
    passages,
    history: [],
    corpus: statsOf(passages),
    meaning: withMeaning ? meaning : null,
  };
  return readCandidates(context).candidates.map((candidate) => ({
    sentence: candidate.sentence,
    features: Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, candidate.features[i]])),
  }));
}

/** A feature of the candidate whose sentence holds `part`. */
function feature(question: string, part: string, name: string, passages?: RetrievedPassage[], withMeaning = false): number {
  const candidate = candidates(question, passages, withMeaning).find(({ sentence }) => sentence.includes(part));
  if (!candidate) throw new Error(`no candidate sentence holds "${part}"`);
  if (!(name in candidate.features)) throw new Error(`no feature ${name}`);
  return candidate.features[name];
}

describe('the candidate features', () => {
  it('are numbers, one per named feature, none naming a word of a corpus', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURES.length);
    for (const { features } of candidates('How many robotics companies did Harbor Science Park host?'))
      for (const value of Object.values(features)) expect(Number.isFinite(value)).toBe(true);
  });

  describe('coverage of the question', () => {
    const question = 'How many robotics companies did Harbor Science Park host?';
    it('sentence_coverage: the sentence that says what is asked covers more of it', () => {
      const answer = feature(question, '412 robotics', 'sentence_coverage');
      expect(answer).toBeGreaterThan(feature(question, 'founded by the city', 'sentence_coverage'));
      expect(answer).toBeLessThanOrEqual(1);
    });
    it('sentence_exact and sentence_synonym: word for word, or by a synonym', () => {
      const passages = [passage(0, 'Exports of marine equipment rose 12 percent.'), ...HARBOR.slice(0, 1)];
      const q = 'By how much did exports of marine equipment increase?';
      expect(feature(q, 'Exports of marine', 'sentence_exact', passages)).toBeGreaterThan(0);
      expect(feature(q, 'Exports of marine', 'sentence_synonym', passages)).toBeGreaterThan(0);
      expect(feature(question, '412 robotics', 'sentence_synonym')).toBe(0);
    });
    it('sentence_translation: an English question met by a Chinese sentence through the dictionary', () => {
      const passages = [zh(0, '2023年全省技术合同成交额达到4120亿元。')];
      const q = 'What was the technology contract turnover in 2023?';
      expect(feature(q, '4120', 'sentence_translation', passages, true)).toBeGreaterThan(0);
      expect(feature(q, '4120', 'sentence_exact', passages, true)).toBeLessThan(feature(q, '4120', 'sentence_coverage', passages, true));
    });
    it('sentence_near: a word close in meaning only counts apart from synonyms', () => {
      const passages = [passage(0, 'The city signed 30 deals with investors this year.'), passage(1, 'The mayor cut a ribbon at the harbor.')];
      const q = 'How many agreements did the city sign?';
      expect(feature(q, '30 deals', 'sentence_near', passages, true) + feature(q, '30 deals', 'sentence_synonym', passages, true)).toBeGreaterThan(0);
      expect(feature(q, 'ribbon', 'sentence_near', passages, true)).toBe(0);
    });
    it('sentence_prefix: a word met only through a shared prefix', () => {
      const passages = [passage(0, 'The zone added 40 biomedicine firms.'), passage(1, 'The zone added a new road.')];
      expect(feature('How many biomed firms did the zone add?', 'biomedicine', 'sentence_prefix', passages)).toBeGreaterThan(0);
    });
    it('sentence_context: a word met only in the sentence before', () => {
      const passages = [passage(0, 'Lin Wei won the harbor design award. The prize came with 2 million yuan in cash.')];
      expect(feature('How much money came with the harbor design award?', 'The prize came', 'sentence_context', passages)).toBeGreaterThan(0);
    });
    it('strict_coverage: a word the corpus lacks counts at its full weight', () => {
      const q = 'How many robotics companies are in Zorbania?';
      expect(feature(q, '412 robotics', 'strict_coverage')).toBeLessThan(feature(q, '412 robotics', 'sentence_coverage'));
    });
    it('clause_coverage: a long sentence is judged by its clause that says most', () => {
      const passages = [zh(0, '武汉市新增高新技术企业100家，全省技术合同成交额1000亿元。'), zh(1, '全省新建孵化器21家。')];
      const q = '武汉市技术合同成交额是多少？';
      expect(feature(q, '武汉市新增', 'clause_coverage', passages)).toBeLessThan(feature(q, '武汉市新增', 'sentence_coverage', passages));
    });
    it('heaviest_unmet_sentence and heaviest_unmet_passage: the heaviest question word not met', () => {
      expect(feature(question, '412 robotics', 'heaviest_unmet_sentence')).toBe(0);
      expect(feature(question, 'Exports of marine', 'heaviest_unmet_sentence')).toBeGreaterThan(0);
      expect(feature(question, 'Exports of marine', 'heaviest_unmet_passage')).toBeGreaterThan(0);
    });
    it('neighbour_coverage and passage_coverage: what the sentence says with its neighbours, and its whole passage', () => {
      const founded = feature(question, 'founded by the city', 'sentence_coverage');
      expect(feature(question, 'founded by the city', 'neighbour_coverage')).toBeGreaterThan(founded);
      expect(feature(question, 'founded by the city', 'passage_coverage')).toBeGreaterThan(founded);
    });
    it('title_coverage: the share the document title meets', () => {
      const q = 'What did the customs bulletin say about exports?';
      expect(feature(q, 'Exports of marine', 'title_coverage')).toBeGreaterThan(0);
      expect(feature(q, '412 robotics', 'title_coverage')).toBe(0);
    });
    it("coverage_gap, passage_gap and best_in_passage: how the candidate stands against the question's best", () => {
      expect(feature(question, '412 robotics', 'coverage_gap')).toBe(0);
      expect(feature(question, 'founded by the city', 'coverage_gap')).toBeLessThan(0);
      expect(feature(question, '412 robotics', 'passage_gap')).toBe(0);
      expect(feature(question, 'Exports of marine', 'passage_gap')).toBeLessThan(0);
      expect(feature(question, '412 robotics', 'best_in_passage')).toBe(feature(question, '412 robotics', 'passage_coverage'));
      expect(feature(question, 'founded by the city', 'best_in_passage')).toBe(0);
    });
  });

  describe('what the question asks that the corpus lacks', () => {
    it('absent_share and unknown_name: a name the corpus has in no form', () => {
      const q = 'How many robotics companies are in Zorbania?';
      expect(feature(q, '412 robotics', 'absent_share')).toBeGreaterThan(0);
      expect(feature(q, '412 robotics', 'unknown_name')).toBe(1);
      const known = 'How many robotics companies did Harbor Science Park host?';
      expect(feature(known, '412 robotics', 'absent_share')).toBe(0);
      expect(feature(known, '412 robotics', 'unknown_name')).toBe(0);
    });
    it('unknown_characters: a Chinese name whose characters stand in no pair the corpus has', () => {
      const passages = [zh(0, '2022年全省高新技术产业营业收入2.45万亿元。')];
      expect(feature('隆基绿能2022年营业收入是多少？', '营业收入', 'unknown_characters', passages)).toBeGreaterThan(0);
      expect(feature('2022年全省高新技术产业营业收入是多少？', '营业收入', 'unknown_characters', passages)).toBe(0);
    });
    it('names_missing and names_unmet_sentence: a name that the passage, its document or its sentence lacks', () => {
      const q = 'What did Director Lin Wei say?';
      expect(feature(q, '412 robotics', 'names_missing')).toBe(0); // the same document names him
      expect(feature(q, 'Exports of marine', 'names_missing')).toBe(1);
      expect(feature(q, 'Director Lin Wei', 'names_unmet_sentence')).toBe(0);
      expect(feature(q, 'marine sensor testing', 'names_unmet_sentence')).toBe(1);
    });
    it('title_named_unmet and title_named_met: a document named by its title in title marks', () => {
      const passages = [
        zh(0, '第一条 为了促进科技成果转化，制定本条例。', '科技促进条例', '2022-01-01'),
        zh(1, '第一条 为了规范技术市场，制定本办法。', '技术市场管理办法', '2022-01-01'),
      ];
      const q = '《科技促进条例》为什么制定？';
      expect(feature(q, '促进科技成果转化', 'title_named_met', passages)).toBe(1);
      expect(feature(q, '促进科技成果转化', 'title_named_unmet', passages)).toBe(0);
      expect(feature(q, '规范技术市场', 'title_named_unmet', passages)).toBe(1);
    });
  });

  describe('the kind of answer asked', () => {
    it('type_fits and number_missing: a number asked, a sentence with or without one', () => {
      const q = 'How many robotics companies did Harbor Science Park host?';
      expect(feature(q, '412 robotics', 'type_fits')).toBe(1);
      expect(feature(q, '412 robotics', 'number_missing')).toBe(0);
      expect(feature(q, 'more labs would follow', 'number_missing')).toBe(1);
    });
    it('number_missing: a numeral inside a word (一定) or a list marker (（二）) is no quantity; 三百平方米 and 三分之一 are', () => {
      const q = '孵化载体免费提供多少场地？';
      const law = (text: string) => [zh(0, text, '孵化条例'), zh(1, '第二条 本条例适用于本市。', '孵化条例')];
      expect(feature(q, '一定比例', 'number_missing', law('第十条 孵化载体应当安排一定比例的场地免费提供。'))).toBe(1);
      expect(feature(q, '（二）', 'number_missing', law('（二）孵化载体应当将场地免费提供。'))).toBe(1);
      expect(feature(q, '三百平方米', 'number_missing', law('第十条 孵化载体应当安排三百平方米场地免费提供。'))).toBe(0);
      expect(feature(q, '三分之一', 'number_missing', law('第十条 孵化载体应当将三分之一的场地免费提供。'))).toBe(0);
    });
    it('time_missing, duration_missing, person_missing, name_missing, definition_missing', () => {
      expect(feature('When was the park founded?', 'founded by the city', 'time_missing')).toBe(0);
      expect(feature('When was the park founded?', 'more labs would follow', 'time_missing')).toBe(1);
      const term = [passage(0, 'The lease runs for 10 years. The lease covers the harbor.')];
      expect(feature('How long does the lease run?', 'runs for 10 years', 'duration_missing', term)).toBe(0);
      expect(feature('How long does the lease run?', 'covers the harbor', 'duration_missing', term)).toBe(1);
      expect(feature('Who said more labs would follow?', 'Director Lin Wei', 'person_missing')).toBe(0);
      expect(feature('Who said more labs would follow?', 'tax relief', 'person_missing')).toBe(1);
      const firms = [passage(0, 'The largest tenant is Bayline Robotics. Tenants pay a low rent.')];
      expect(feature('Which company is the largest tenant?', 'Bayline Robotics', 'name_missing', firms)).toBe(0);
      expect(feature('Which company is the largest tenant?', 'low rent', 'name_missing', firms)).toBe(1);
      const law = [zh(0, '本条例所称技术经纪人，是指从事技术中介服务的人员。技术经纪人应当备案。', '技术市场条例')];
      expect(feature('什么是技术经纪人？', '是指', 'definition_missing', law)).toBe(0);
      expect(feature('什么是技术经纪人？', '应当备案', 'definition_missing', law)).toBe(1);
    });
    it('states_answer: the sentence gives the value outright after its cue', () => {
      const law = [zh(0, '发明专利权的期限为二十年，自申请日起计算。期限届满前，专利权人可以申请续展。', '专利法', '2020-10-17')];
      expect(feature('发明专利权的期限多久？', '期限为二十年', 'states_answer', law)).toBe(1);
      expect(feature('发明专利权的期限多久？', '期限届满前', 'states_answer', law)).toBe(0);
    });
    it('attribute_number_apart and count_head_unmet: the number must count what is asked', () => {
      const passages = [
        passage(0, 'The city registered 1,200 technology contracts in 2023.'),
        passage(1, 'The city signed 45.1 billion yuan of technology contracts in 2023.'),
        passage(2, 'The city added 300 firms, and technology contracts grew.'),
      ];
      const q = 'How many technology contracts did the city register in 2023?';
      expect(feature(q, '1,200', 'count_head_unmet', passages)).toBe(0);
      expect(feature(q, '45.1 billion', 'count_head_unmet', passages)).toBe(1);
      expect(feature(q, '1,200', 'attribute_number_apart', passages)).toBe(0);
      expect(feature(q, '300 firms', 'attribute_number_apart', passages)).toBe(1);
    });
    it('attribute_unmet and attribute_unmet_sentence: what the figure is of, named by the passage or the sentence', () => {
      const passages = [
        zh(0, '技术合同登记机构应当按照规定收费。收费标准由省价格主管部门制定。', '技术市场条例'),
        zh(1, '技术合同登记机构应当在三十日内完成登记。', '登记办法'),
      ];
      const q = '技术合同登记机构的收费标准是多少？';
      expect(feature(q, '收费标准由', 'attribute_unmet', passages)).toBe(0);
      expect(feature(q, '三十日内', 'attribute_unmet', passages)).toBe(1);
      expect(feature(q, '应当按照规定收费', 'attribute_unmet_sentence', passages)).toBe(1);
      expect(feature(q, '收费标准由', 'attribute_unmet_sentence', passages)).toBe(0);
    });
  });

  describe('years', () => {
    const passages = [
      passage(0, 'In 2023 the zone registered 1,200 technology contracts.', {
        meta: { title: 'Zone note', date: '2024-01-10', url: null, publisher: null, language: 'en' },
      }),
      passage(1, 'In 2021 the zone registered 900 technology contracts.', {
        docId: 'old.txt',
        meta: { title: 'Zone note 2021', date: '2022-01-10', url: null, publisher: null, language: 'en' },
      }),
      passage(2, 'The zone registered 1,000 technology contracts.', {
        docId: 'dated.txt',
        meta: { title: 'Zone bulletin', date: '2023-06-01', url: null, publisher: null, language: 'en' },
      }),
    ];
    const q = 'How many technology contracts did the zone register in 2023?';
    it('year_asked: the question names a year', () => {
      expect(feature(q, '1,200', 'year_asked', passages)).toBe(1);
      expect(feature('How many technology contracts did the zone register?', '1,200', 'year_asked', passages)).toBe(0);
    });
    it('year_in_sentence and year_conflict_sentence: the sentence states the year asked, or only another', () => {
      expect(feature(q, '1,200', 'year_in_sentence', passages)).toBe(1);
      expect(feature(q, '900', 'year_in_sentence', passages)).toBe(0);
      expect(feature(q, '900', 'year_conflict_sentence', passages)).toBe(1);
      expect(feature(q, '1,200', 'year_conflict_sentence', passages)).toBe(0);
    });
    it('year_of_document and year_conflict_passage: the document dated in the year, or a passage about another', () => {
      expect(feature(q, '1,000', 'year_of_document', passages)).toBe(1);
      expect(feature(q, '1,000', 'year_conflict_passage', passages)).toBe(0);
      expect(feature(q, '900', 'year_conflict_passage', passages)).toBe(1);
    });
    it('year_conflict_passage: a passage that names no year is about the year its document names', () => {
      const release = (id: number, text: string) =>
        passage(id, text, { docId: 'city.txt', meta: { title: 'City note', date: '2020-04-02', url: null, publisher: null, language: 'en' } });
      const passages = [release(0, 'In 2019 the high-tech firms grew fastest in electronics.'), release(1, 'The number of high-tech firms reached 3,141.')];
      expect(feature('How many high-tech firms did the city have in 2019?', '3,141', 'year_conflict_passage', passages)).toBe(0);
      expect(feature('How many high-tech firms did the city have in 2017?', '3,141', 'year_conflict_passage', passages)).toBe(1);
    });
  });

  describe('places', () => {
    const passages = [
      passage(0, 'Shenzhen had 24,000 high-tech enterprises at the end of 2023.', { docId: 'sz.txt' }),
      passage(1, 'Guangzhou had 12,000 high-tech enterprises at the end of 2023.', { docId: 'gz.txt' }),
      passage(2, 'High-tech enterprises grew fast. Shenzhen leads the province.', { docId: 'gd.txt' }),
    ];
    const q = 'How many high-tech enterprises did Shenzhen have?';
    it('place_asked: the question names a place a passage must name', () => {
      expect(feature(q, '24,000', 'place_asked', passages, true)).toBe(1);
      expect(feature('How many high-tech enterprises were there?', '24,000', 'place_asked', passages, true)).toBe(0);
    });
    it('place_unmet_sentence: the sentence does not name it', () => {
      expect(feature(q, '24,000', 'place_unmet_sentence', passages, true)).toBe(0);
      expect(feature(q, 'grew fast', 'place_unmet_sentence', passages, true)).toBe(1);
    });
    it('place_conflict and other_place_named: the passage names another place and not this one', () => {
      expect(feature(q, '24,000', 'place_conflict', passages, true)).toBe(0);
      expect(feature(q, '12,000', 'place_conflict', passages, true)).toBe(1);
      expect(feature(q, '12,000', 'other_place_named', passages, true)).toBe(1);
      expect(feature(q, '24,000', 'other_place_named', passages, true)).toBe(0);
    });
  });

  describe('retrieval and language', () => {
    it('fused_rank, lexical_rank, vector_rank, translation_rank: where retrieval put the passage, times its coverage', () => {
      const ranked = [
        passage(0, 'Harbor Science Park hosted 412 robotics companies.', { ranks: { fused: 0, lexical: 0, translation: null, vector: 3 } }),
        passage(1, 'Robotics companies pay a low rent in the park.', { ranks: { fused: 1, lexical: 1, translation: 0, vector: null } }),
      ];
      const q = 'How many robotics companies are in the park?';
      const at = (part: string, name: string) => feature(q, part, name, ranked) / feature(q, part, 'passage_coverage', ranked);
      expect(at('412', 'fused_rank')).toBe(1);
      expect(at('low rent', 'fused_rank')).toBe(0.5);
      expect(at('412', 'lexical_rank')).toBe(1);
      expect(at('412', 'vector_rank')).toBe(0.25);
      expect(at('412', 'translation_rank')).toBe(0);
      expect(at('low rent', 'translation_rank')).toBe(1);
      expect(at('low rent', 'vector_rank')).toBe(0);
      // A first place is worth nothing to a passage that says nothing of the question.
      const unrelated = [
        passage(0, 'The mayor opened a new bridge.', {
          meta: { title: 'City news', date: null, url: null, publisher: null, language: 'en' },
          ranks: { fused: 0, lexical: 0, translation: null, vector: 0 },
        }),
      ];
      expect(feature(q, 'new bridge', 'lexical_rank', unrelated)).toBe(0);
    });
    it("question_chinese and cross_language: the question's language and the passage's", () => {
      const passages = [zh(0, '2023年全省技术合同成交额达到4120亿元。'), passage(1, 'The technology contract turnover reached 4,120 billion yuan.')];
      expect(feature('2023年技术合同成交额是多少？', '4120亿元', 'question_chinese', passages, true)).toBe(1);
      expect(feature('2023年技术合同成交额是多少？', '4120亿元', 'cross_language', passages, true)).toBe(0);
      expect(feature('What was the technology contract turnover?', '4120亿元', 'cross_language', passages, true)).toBe(1);
      expect(feature('What was the technology contract turnover?', '4,120 billion', 'cross_language', passages, true)).toBe(0);
    });
  });

  describe('the sentence as text', () => {
    const q = 'What does the plan offer new labs?';
    it('first_sentence and position_share: where it stands in its passage', () => {
      expect(feature(q, 'four measures', 'first_sentence')).toBe(1);
      expect(feature(q, 'four measures', 'position_share')).toBe(0);
      expect(feature(q, 'tax relief', 'first_sentence')).toBe(0);
      expect(feature(q, 'tax relief', 'position_share')).toBe(1);
    });
    it('length and numbers: how long it is and how many numbers it states', () => {
      expect(feature(q, 'tax relief', 'length')).toBeLessThan(feature('How many robotics companies?', '412 robotics', 'length'));
      expect(feature(q, 'seed fund', 'numbers')).toBeGreaterThan(0);
      expect(feature(q, 'tax relief', 'numbers')).toBe(0);
    });
    it('list_item, table_row and terminated: a list item, a table row, a sentence that ends as one', () => {
      expect(feature(q, 'tax relief', 'list_item')).toBe(1);
      expect(feature(q, 'four measures', 'list_item')).toBe(0);
      const table = [passage(0, 'Year | Contracts\n2023 | 1,200\nThe table ends here.')];
      expect(feature('How many contracts in 2023?', '2023 | 1,200', 'table_row', table)).toBe(1);
      expect(feature('How many contracts in 2023?', 'table ends', 'table_row', table)).toBe(0);
      expect(feature('How many robotics companies?', '412 robotics', 'terminated')).toBe(1);
      expect(feature('How many contracts in 2023?', '2023 | 1,200', 'terminated', table)).toBe(0);
    });
  });
});
