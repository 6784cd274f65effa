import { describe, expect, it } from 'vitest';
import type { LoadedDocument } from '../src/documents/types.js';
import { formatSeries } from '../src/figures/format.js';
import { extractFigures, FigureCatalog, noFigureFound, seriesOf, SERIES_MIN_SHARE, type Figure } from '../src/figures/index.js';
import { documentSubject } from '../src/figures/document-subject.js';
import { isProjected, periodFit, resolvePeriod } from '../src/figures/periods.js';

function document(id: string, text: string, date: string | null, title = `Title of ${id}`): LoadedDocument {
  return { id, meta: { title, date, url: null, publisher: null, language: null }, text, hash: id };
}

function find(figures: Figure[], raw: string): Figure {
  const figure = figures.find((entry) => entry.raw.includes(raw));
  expect(figure, `a figure "${raw}" in ${figures.map((entry) => entry.raw).join(' | ')}`).toBeDefined();
  return figure!;
}

describe('periods of a statement, resolved against the document date', () => {
  it('reads halves, quarters and months in English and Chinese', () => {
    expect(resolvePeriod('Income reached 85 billion yuan in the first half of 2023.', 0, 2023, [], 8)).toBe('2023-H1');
    expect(resolvePeriod('2023年上半年，营业收入增长9%。', 0, 2023, [], 8)).toBe('2023-H1');
    expect(resolvePeriod('In Q1 2022, revenue rose 5 percent.', 0, 2022, [], 5)).toBe('2022-Q1');
    expect(resolvePeriod('2023年一季度，营业收入增长5%。', 0, 2023, [], 5)).toBe('2023-Q1');
    expect(resolvePeriod('From January to May, turnover reached 45 billion yuan.', 0, 2022, [], 6)).toBe('2022-01–05');
    expect(resolvePeriod('1-5月，技术合同成交额451亿元。', 0, 2022, [], 6)).toBe('2022-01–05');
    expect(resolvePeriod('截至10月底，高新技术企业达到1.2万家。', 0, 2021, [], 11)).toBe('2021-10');
    expect(resolvePeriod('By the end of October 2021, 88 projects were signed.', 0, 2021, [], 12)).toBe('2021-10');
  });

  it('gives an undated part of a year the latest such part that has ended by the document date', () => {
    expect(resolvePeriod('In the first three quarters, GDP grew 8.2 percent.', 0, 2024, [], 10)).toBe('2024-Q1–Q3');
    expect(resolvePeriod('In the first three quarters, GDP grew 8.2 percent.', 0, 2025, [], 1)).toBe('2024-Q1–Q3');
    expect(resolvePeriod('前三季度，地区生产总值增长8.2%。', 0, 2025, [], 1)).toBe('2024-Q1–Q3');
  });

  it('marks plans and estimates, which are no measurement', () => {
    expect(resolvePeriod('By 2027, the city will have 12,800 high-tech firms.', 0, 2023, [], 3)).toBe('2027 (target)');
    expect(resolvePeriod('力争到2025年，高新技术企业达到1万家。', 0, 2025, [], 2)).toBe('2025 (target)');
    expect(resolvePeriod('The city aims to have 20,000 such firms this year.', 0, 2020, [], 4)).toBe('2020 (target)');
    expect(resolvePeriod('Turnover is expected to reach 380 billion yuan in 2023.', 0, 2024, [], 1)).toBe('2023 (expected)');
    expect(resolvePeriod('GDP reached 400 billion yuan last year.', 0, 2025, [], 1)).toBe('2024');
    expect(resolvePeriod('到2021年一季度，高新技术企业预计超过1000家。', 0, 2020, [], 12)).toBe('2021-Q1 (expected)');
    // A report of the months so far that names the year's target elsewhere still measures its months.
    expect(resolvePeriod('1-5月，技术合同成交额451亿元，完成年度目标任务的45%。', 0, 2022, [], 6)).toBe('2022-01–05');
    expect(isProjected('2027 (target)')).toBe(true);
    // In a document with no date, "last year" is left unresolved and says so.
    expect(resolvePeriod('GDP reached 400 billion yuan last year.', 0, null)).toBe('last year (undated document)');
    expect(resolvePeriod('去年，技术合同成交额达到300亿元。', 0, null)).toBe('last year (undated document)');
    expect(resolvePeriod('In 2022, GDP grew 5 percent over last year.', 0, null)).toBe('2022');
    // Beside a year the sentence names, "the previous year" is what it is compared with, not its period.
    expect(resolvePeriod('In 2019, turnover reached 2.2 trillion yuan, up 26.6% over the previous year.', 20, 2021, [], 8)).toBe('2019');
    expect(isProjected('2027')).toBe(false);
  });

  it('fits the period asked best, a part of the same year less, another year least', () => {
    expect(periodFit('2023-H1', '2023-H1')).toBe(1);
    expect(periodFit('2023', '2023-H1')).toBeLessThan(1);
    expect(periodFit('2023', '2022')).toBeLessThan(periodFit('2023', '2023-H1'));
    expect(periodFit('2022', '2021–2023')).toBeGreaterThan(periodFit('2022', '2024'));
  });
});

describe('labels that name the measure, and scopes', () => {
  it('drops datelines, conjunctions and place phrases from English labels, keeping the place as the scope', () => {
    const figures = extractFigures(
      document(
        'd.txt',
        "RIVERTON, March 3 (Newswire) -- The total number of high-tech enterprises in East China's Lakeland province has exceeded 12,000, officials said.\n\n" +
          'Startups grew quickly, and the number of patent filings has grown from 493 in 2012 to 1,928 in 2021.\n\n' +
          'Major firms in the Riverton demonstration zone achieved a technical income of 85 billion yuan in the first half of 2023.',
        '2023-08-01',
      ),
    );
    expect(find(figures, '12,000')).toMatchObject({ label: 'high-tech enterprises', scope: 'Lakeland province' });
    expect(find(figures, '1,928')).toMatchObject({ label: 'patent filings', period: '2021' });
    expect(find(figures, '85 billion')).toMatchObject({ label: 'technical income', period: '2023-H1' });
  });

  it('takes an earlier sentence’s measure for "this figure"', () => {
    const figures = extractFigures(
      document('e.txt', 'In 2017, only 269 robotics enterprises were registered. In 2022, this figure rose to 1,550 companies.', '2023-01-06'),
    );
    expect(find(figures, '1,550')).toMatchObject({ label: 'robotics enterprises', period: '2022' });
  });

  it('reads the measure after the previous number, after the verb, and for a value in brackets its owner', () => {
    const figures = extractFigures(
      document(
        'z.txt',
        '2022年湖滨省登记技术合同76719项、成交额达3017.86亿元。\n\n2022年，园区全年实现地区生产总值3515.61亿元。\n\n吸纳湖滨省技术合同的前三位分别是河阳(69.27亿元)、江东(56.61亿元)、山南(43.88亿元)。\n\n2022年高新技术企业6348家，比2017年增长3.1倍。',
        '2023-02-02',
      ),
    );
    expect(find(figures, '3017.86')).toMatchObject({ label: '成交额', period: '2022' });
    expect(find(figures, '3515.61')).toMatchObject({ label: '地区生产总值', scope: '园区' });
    expect(find(figures, '56.61')).toMatchObject({ label: '吸纳湖滨省技术合同', scope: '江东' });
    expect(find(figures, '6348')).toMatchObject({ label: '高新技术企业', raw: '6348家' });
  });

  it('names what was counted and of what a total is, and moves an owner inside "of the region’s" to the scope', () => {
    const figures = extractFigures(
      document(
        'p.txt',
        'Riverton New Area signed 36 projects in the first half of 2023, with a total investment of 32.5 billion yuan.\n\n' +
          'By the end of November, there were 88 centralized contracted projects with a total investment of 61.2 billion yuan.\n\n' +
          "It added that the turnover of the region's technology contracts reached 7.4 billion yuan in 2021.",
        '2023-12-05',
      ),
    );
    expect(find(figures, '36 projects')).toMatchObject({ label: 'signed projects', scope: 'Riverton New Area', period: '2023-H1' });
    expect(find(figures, '32.5 billion')).toMatchObject({ label: 'total investment of projects', scope: 'Riverton New Area' });
    expect(find(figures, '61.2 billion')).toMatchObject({ label: 'total investment of centralized contracted projects', period: '2023-11' });
    expect(find(figures, '7.4 billion').label).toBe('turnover of technology contracts');
  });

  it('names the measure of "projects with investment exceeding" and of "…, with total investment of", and ends a counted noun at its participle', () => {
    const figures = extractFigures(
      document(
        'q.txt',
        'A total of 32 projects with investment exceeding 12 billion yuan were signed at the summit.\n\n' +
          'Over the past year, the zone signed and implemented 17 projects related to the aerospace industry, with total investment of 16.7 billion yuan.\n\n' +
          'In 2023, 36 enterprises achieved a revenue of 5 billion yuan.',
        '2024-01-05',
      ),
    );
    expect(find(figures, '12 billion').label).toBe('investment of projects');
    expect(find(figures, '16.7 billion').label).toBe('total investment of projects');
    expect(find(figures, '17 projects')).toMatchObject({ label: 'projects', raw: '17 projects' });
    expect(find(figures, '36 enterprises')).toMatchObject({ label: 'enterprises', raw: '36 enterprises' });
    const more = extractFigures(
      document(
        'm.txt',
        'Last year, the zone made steady progress, with its total industrial output value exceeding 200 billion yuan.\n\n' +
          'The city aims to increase the number of technology-based enterprises to 20,000 this year.',
        '2024-01-05',
      ),
    );
    expect(find(more, '200 billion').label).toBe('total industrial output value');
    expect(find(more, '20,000')).toMatchObject({ label: 'technology-based enterprises', period: '2024 (target)' });
  });

  it('names a measure said only by how much after its sentence’s earlier one, and a measure conjoined to a count', () => {
    const figures = extractFigures(
      document(
        'beijing.txt',
        '北京市科委19日发布北京市技术市场数据。\n\n2023年,北京技术市场保持平稳增长态势,认定登记技术合同总量首次突破十万项,达106552项,同比增长12.1%;成交额达8536.9亿元(人民币,下同),同比增长7.4%。\n\n' +
          '2023年,北京流向津冀技术合同成交额达748.7亿元,占流向外省份的15.1%。\n\n全市技术市场成交额达到500亿元。\n\n' +
          'In 2019, a total of 484,000 technology contracts were signed and a transaction volume reaching 2.23984 trillion yuan.\n\n' +
          'There were 21,151 major technology contracts over 10 million yuan, with a total transaction volume of 1.79419 trillion yuan.\n\n' +
          'There were 617,000 researchers in the park, with a total R&D expenditure of 184 billion yuan, a year-on-year increase of 0.6 percent.',
        '2024-01-19',
      ),
    );
    expect(find(figures, '8536.9')).toMatchObject({ label: '认定登记技术合同成交额', scope: '北京市' });
    // The bracket "(人民币,下同)" is an aside: the growth after it is the turnover's.
    expect(find(figures, '7.4%').label).toBe('认定登记技术合同成交额增长');
    // A label that starts with the release's place says whose the measure is; "占流向外省份的" is a share, not a place.
    expect(find(figures, '748.7')).toMatchObject({ label: '流向津冀技术合同成交额', scope: '北京市' });
    expect(find(figures, '15.1%').scope).toBe('北京市');
    // 市场 is a market, not a city.
    expect(find(figures, '500亿元').label).toBe('技术市场成交额');
    expect(find(figures, '2.23984').label).toBe('transaction volume of technology contracts');
    expect(find(figures, '1.79419').label).toBe('total transaction volume of major technology contracts');
    expect(find(figures, '184 billion').label).toBe('total R&D expenditure of researchers');
    expect(find(figures, '0.6 percent').label).toBe('year-on-year growth');
  });

  it('reads "…拥有量" as a measure, not as who owns it, and the 万 of "每万人口" as the unit a rate is per, not a figure', () => {
    const figures = extractFigures(
      document('r.txt', '有效发明专利拥有量、每万人口发明专利拥有量年均分别增长40.6%、40.3%。\n\n园区招引重大企业460家,计划投资2250亿元。', '2023-08-31'),
    );
    expect(figures.map((figure) => figure.raw)).toEqual(['40.6%', '40.3%', '460家', '2250亿元']);
    expect(figures.map((figure) => figure.label).slice(0, 2)).toEqual(['有效发明专利拥有量增长', '每万人口发明专利拥有量']);
    // No scope made of the sentence before: this paragraph names no place.
    expect(find(figures, '2250亿元').scope).toBeNull();
  });

  it('starts a measure after an earlier number’s conjunct, not at the comma of "484,000"', () => {
    const figures = extractFigures(
      document(
        'n.txt',
        'In 2019, trade grew, with a total of 484,000 technology contracts signed throughout the year and a transaction volume reaching 2.23984 trillion yuan.',
        '2021-08-31',
      ),
    );
    expect(find(figures, '2.23984')).toMatchObject({ label: 'transaction volume of technology contracts', period: '2019' });
  });

  it('gives a verb-only clause after a number that number’s measure, in English and Chinese', () => {
    const figures = extractFigures(
      document(
        'g.txt',
        '2022年，园区实现营业收入841.0亿元，同比增长9.9%。\n\nIn 2022, the zone’s exports reached 30 billion yuan, having increased in annual terms by 12.5%.',
        '2023-02-02',
      ),
    );
    expect(find(figures, '9.9%')).toMatchObject({ label: '营业收入增长', kind: 'growth', scope: '园区' });
    expect(find(figures, '12.5%').label).toMatch(/exports/);
  });
});

describe('the place a release is about', () => {
  it('gives "the city", and a figure that names no place, the release’s own place', () => {
    const text =
      'Riverton is committed to building a hub of robotics. Riverton has opened three laboratories this year.\n\n' +
      'The city was home to 2,300 robotics enterprises in 2022.\n\nPatent filings rose 12 percent in 2022.';
    const figures = extractFigures(document('riverton.txt', text, '2023-03-01', 'High-Quality Development'));
    expect(find(figures, '2,300')).toMatchObject({ label: 'robotics enterprises', scope: 'Riverton', period: '2022' });
    expect(find(figures, '12 percent').scope).toBe('Riverton');
    expect(documentSubject(document('riverton.txt', text, null)).main).toBe('Riverton');
  });

  it('reads "全省" as the release’s province and a short form of its place as the full name', () => {
    const figures = extractFigures(
      document('hubin.txt', '2022年湖滨省技术合同成交额3017.86亿元。湖滨技术市场保持活跃。\n\n全省高新技术企业达到6348家。', '2023-02-02', '湖滨省发展报告'),
    );
    expect(find(figures, '6348').scope).toBe('湖滨省');
    const city = extractFigures(
      document('dongshan.txt', '湖滨东山科技城获评示范基地。\n\n截至2022年底，东山科技城共有国家高新技术企业407家。', '2023-02-02', '湖滨东山科技城获督查激励'),
    );
    expect(find(city, '407').scope).toBe('湖滨东山科技城');
    const subject = documentSubject(document('d.txt', '上半年湖滨省技术合同增长。湖滨新区与湖滨省签约，湖滨省高新区……', null, '湖滨省报告'));
    expect(subject.chinese.get('省')).toBe('湖滨省');
    expect(subject.main).toBe('湖滨省');
  });

  it('leaves the place unresolved when the release names none often enough', () => {
    expect(documentSubject(document('n.txt', 'Sales rose 5% to 9 million yuan. Exports grew.', null)).main).toBeNull();
  });
});

describe('conversions written beside an amount', () => {
  const figuresOf = (text: string) => extractFigures(document('c.txt', text, '2024-01-05'));

  it('keeps a conversion as the amount’s alternative, with its unit, not as a figure of its own', () => {
    const english = figuresOf('Exports reached 2.2 trillion yuan, about 118.5 billion U.S. dollars, in 2023.');
    expect(english.map((figure) => figure.raw)).toEqual(['2.2 trillion yuan']);
    expect(english[0].alternatives).toEqual([{ raw: 'about 118.5 billion U.S. dollars', value: 118.5e9, unit: 'USD' }]);
    const chinese = figuresOf('2023年出口额4120亿元（约合570亿美元）。');
    expect(chinese.map((figure) => [figure.label, figure.raw, figure.alternatives.map((alternative) => alternative.raw)])).toEqual([
      ['出口额', '4120亿元', ['约合570亿美元']],
    ]);
  });

  it('keeps two amounts in the same currency, or side by side without a word of conversion, as two figures', () => {
    expect(figuresOf('Revenue rose from 2 billion yuan (2022) to 3 billion yuan in 2023.').map((figure) => figure.alternatives)).toEqual([[], []]);
    expect(figuresOf('The zone raised 2 billion yuan and foreign firms invested 3 billion dollars in 2023.')).toHaveLength(2);
  });
});

describe('lookups by measure, place and period, and series', () => {
  const docs = [
    document('robots-2023.txt', 'In 2022, Lakeside had 410 robotics enterprises. Lakeside aims to have 900 robotics enterprises by 2027.', '2023-02-14'),
    document('robots-2024.txt', 'In 2023, Lakeside had 530 robotics enterprises, and its robotics revenue reached 12.5 billion yuan.', '2024-02-20'),
    document('robots-elsewhere.txt', 'In 2024, Hillview had 2,000 robotics enterprises.', '2025-01-10'),
  ];
  const catalog = FigureCatalog.fromFigures(docs.flatMap(extractFigures));
  const first = (query: string) => catalog.search(query, 5)[0]?.figure.raw;

  it('finds the year asked, and with none asked the newest measurement, not a target', () => {
    expect(first('Lakeside robotics enterprises 2022')).toBe('410 robotics enterprises');
    expect(first('Lakeside robotics enterprises')).toBe('530 robotics enterprises');
    expect(first('Lakeside robotics enterprises target 2027')).toBe('900 robotics enterprises');
  });

  it('with no period asked, counts a figure that names none as of the year its release reports on', () => {
    const releases = [
      document('parks-2023.txt', 'In 2022, Lakeside had 410 robotics enterprises.', '2023-10-10'),
      // Dated January 2025, it reports on 2024: newer than the 2023 release's 2022 figure.
      document('parks-2025.txt', 'Lakeside now has 620 robotics enterprises.', '2025-01-29'),
    ];
    expect(FigureCatalog.fromFigures(releases.flatMap(extractFigures)).search('Lakeside robotics enterprises', 2)[0]?.figure.raw).toBe(
      '620 robotics enterprises',
    );
  });

  it('finds no figure when the lookup names none of a figure’s measure, and offers the measures spelled like it', () => {
    expect(catalog.search('Lakeside weather forecast accuracy', 5)).toEqual([]);
    expect(catalog.search('Lakeside robotics', 5).length).toBeGreaterThan(0);
    expect(catalog.closestMeasures('robotcs enterprizes', 3)[0]).toBe('robotics enterprises');
    expect(catalog.closestMeasures('xyzzy', 3)).toEqual([]);
    expect(noFigureFound('robotcs enterprizes', ['robotics enterprises'])).toBe(
      'No figure matches "robotcs enterprizes". Closest measures: robotics enterprises.',
    );
  });

  it('says when a series has one period only, and marks sources that disagree', () => {
    const single = seriesOf(catalog.sameMeasure('Lakeside robotics revenue', 50, SERIES_MIN_SHARE));
    expect(formatSeries('Lakeside robotics revenue', single)).toMatch(/one period only: no series to chart\.$/);
    const disagreeing = FigureCatalog.fromFigures(
      [...docs, document('robots-copy.txt', 'In 2023, Lakeside had 525 robotics enterprises.', '2024-03-01')].flatMap(extractFigures),
    );
    const text = formatSeries('x', seriesOf(disagreeing.sameMeasure('Lakeside robotics enterprises 2023', 50, SERIES_MIN_SHARE)));
    expect(text).toContain('530 robotics enterprises  [robots-2024.txt]  (sources disagree)');
    expect(text).toContain('525 robotics enterprises  [robots-copy.txt]  (sources disagree)');
  });

  it('puts a lead’s round number after the measured value it rounds, and an average after the total', () => {
    const release = document(
      'market.txt',
      'Lakeside’s technology contract turnover exceeded 2 trillion yuan in 2019 for the first time.\n\n' +
        'In 2019, Lakeside’s technology contract turnover reached 2.23984 trillion yuan. The average turnover for each technology contract was 4.6 million yuan in 2019.',
      '2021-08-31',
    );
    const ranked = FigureCatalog.fromFigures(extractFigures(release)).search('Lakeside technology contract turnover 2019', 3);
    expect(ranked.map((match) => match.figure.raw)).toEqual(['2.23984 trillion yuan', '2 trillion yuan', '4.6 million yuan']);
  });

  it('builds a series of one measure for one place, oldest first', () => {
    const series = seriesOf(catalog.sameMeasure('Lakeside robotics enterprises', 50, SERIES_MIN_SHARE));
    expect(series?.points.map((point) => [point.period, point.value])).toEqual([
      ['2022', 410],
      ['2023', 530],
    ]);
  });
});
