import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { LoadedDocument } from '../src/documents/types.js';
import { resolvePeriod } from '../src/figures/periods.js';
import { figuresKey, readStoredLookupSync, STORED_LOOKUP_FILE } from '../src/figures/stored-lookup.js';
import { ensureFigureSchema, extractFigures, FigureCatalog, removeDocumentFigures, replaceDocumentFigures, type Figure } from '../src/figures/index.js';

const SAMPLE = 'xixian-new-area-sci-tech-2024-03-27.txt';
const FIXTURE = 'harbor-city-innovation-2025-02-10.txt';

function document(id: string, text: string, date: string | null): LoadedDocument {
  return { id, meta: { title: `Title of ${id}`, date, url: null, publisher: null, language: null }, text, hash: id };
}
const sample = document(SAMPLE, fs.readFileSync(path.join('data/docs', SAMPLE), 'utf8'), '2024-03-27');
const fixture = document(FIXTURE, fs.readFileSync(path.join('test/fixtures/figures', FIXTURE), 'utf8'), '2025-02-10');

function find(figures: Figure[], raw: string): Figure {
  const figure = figures.find((entry) => entry.raw.includes(raw));
  expect(figure, `a figure "${raw}" in ${figures.map((entry) => entry.raw).join(' | ')}`).toBeDefined();
  return figure!;
}

describe('extractFigures on the sample press release', () => {
  const figures = extractFigures(sample);

  it('finds the contracted technology transactions with value, unit, period and scope', () => {
    expect(find(figures, '412.076 billion yuan')).toMatchObject({
      label: 'contracted technology transactions',
      value: 412076000000,
      unit: 'CNY',
      kind: 'amount',
      period: '2023',
      scope: 'Shaanxi',
      source: { id: SAMPLE, date: '2024-03-27' },
    });
    expect(find(figures, '30 percent')).toMatchObject({ kind: 'growth', value: 30, period: '2021–2023' });
  });

  it('finds the local technology utilization contracts and their share', () => {
    expect(find(figures, '35,124')).toMatchObject({ value: 35124, unit: '', kind: 'count', period: '2023' });
    expect(find(figures, '35,124').label).toContain('local technology utilization contracts');
    const share = find(figures, '50.38 percent');
    expect(share).toMatchObject({ value: 50.38, unit: '%', kind: 'percent', period: '2023' });
    expect(share.label).toMatch(/local technology utilization contracts.*total contracts/);
  });

  it('finds the locally utilized turnover and its share', () => {
    expect(find(figures, '160.117 billion yuan')).toMatchObject({ value: 160117000000, unit: 'CNY', kind: 'amount', period: '2023' });
    expect(find(figures, '160.117 billion yuan').label).toContain('local utilization');
    expect(find(figures, '38.86 percent')).toMatchObject({ value: 38.86, kind: 'percent' });
    expect(find(figures, '38.86 percent').label).toContain('total turnover');
  });

  it('splits "X and Y increased by A and B respectively" and resolves "compared with 2021"', () => {
    const enterprises = find(figures, '5.8 times');
    expect(enterprises).toMatchObject({ value: 5.8, unit: '×', kind: 'multiple', period: '2021–2023', scope: 'Xixian New Area' });
    expect(enterprises.label).toContain('national high-tech enterprises');
    expect(find(figures, '5.5 times').label).toContain('small and medium-sized sci-tech firms');
    expect(find(figures, '120 times').label).toContain('Hydrotransformer');
  });

  it('finds Xixian GDP growth in 2023', () => {
    expect(find(figures, '7.9 percent')).toMatchObject({ label: 'GDP growth', value: 7.9, kind: 'growth', period: '2023', scope: 'Xixian New Area' });
  });

  it('reads counts written as words and names the alliance', () => {
    expect(find(figures, '13 member centers')).toMatchObject({ label: 'member centers', scope: 'Qinchuangyuan Innovation Promotion Center Alliance' });
    expect(find(figures, 'ten initiatives')).toMatchObject({ value: 10, kind: 'count' });
  });

  it('keeps the sentence as the quote, numbers ids stably and never turns a year or date into a figure', () => {
    for (const figure of figures) expect(sample.text).toContain(figure.quote);
    expect(figures.map((figure) => figure.id)).toEqual(figures.map((_, index) => `${SAMPLE}#${index + 1}`));
    expect(extractFigures(sample)).toEqual(figures);
    expect(figures.filter((figure) => [2017, 2021, 2022, 2023, 2024, 27].includes(figure.value) && figure.unit === '')).toEqual([]);
  });
});

describe('extractFigures on other documents', () => {
  it('reads a Chinese statistical sentence', () => {
    const figures = extractFigures(document('cn.txt', '2023年全省技术合同成交额达到4120.76亿元，同比增长30%。', '2024-01-20'));
    expect(figures).toHaveLength(2);
    expect(figures[0]).toMatchObject({ label: '技术合同成交额', value: 412076000000, unit: 'CNY', kind: 'amount', period: '2023', scope: '全省' });
    expect(figures[1]).toMatchObject({ value: 30, unit: '%', kind: 'growth', period: '2023' });
    expect(figures[1].label).toContain('技术合同成交额');
  });

  it('resolves 去年 and reads Chinese counts', () => {
    const figures = extractFigures(document('cn2.txt', '去年，联盟共有13个成员中心，并发布十项倡议。', '2024-03-27'));
    expect(figures.map((figure) => [figure.value, figure.kind, figure.period])).toEqual([
      [13, 'count', '2023'],
      [10, 'count', '2023'],
    ]);
    expect(figures[0].label).toContain('成员中心');
  });

  it('reads a fictional English report', () => {
    const figures = extractFigures(fixture);
    expect(find(figures, 'US$2.45 billion')).toMatchObject({
      label: 'venture capital investment',
      value: 2.45e9,
      unit: 'USD',
      period: '2024',
      scope: 'Harbor City',
    });
    expect(find(figures, '18.5%')).toMatchObject({ kind: 'growth', value: 18.5, period: '2024' });
    expect(find(figures, '1,240 companies')).toMatchObject({ value: 1240, kind: 'count', label: 'companies', scope: 'Harbor Science Park' });
    expect(find(figures, '8,760')).toMatchObject({ value: 8760, label: 'Patent applications', period: '2024' });
    expect(find(figures, '3.2 trillion won')).toMatchObject({ value: 3.2e12, unit: 'KRW', label: 'exports of high-tech goods' });
    expect(find(figures, '3.5-fold')).toMatchObject({ value: 3.5, unit: '×', period: '2020–2024' });
    expect(find(figures, 'twelve')).toMatchObject({ value: 12, kind: 'count' });
    expect(find(figures, '€40 million')).toMatchObject({ value: 4e7, unit: 'EUR', label: 'funding for quantum computing center' });
    expect(find(figures, '4.1 percent').label).toMatch(/Research and development spending.*GDP/);
    // The phone number, the URL, "Section 4.2", the date line and "in 2026" are not figures.
    expect(figures).toHaveLength(11);
  });
});

describe('figure storage and FigureCatalog', () => {
  function catalogOf(...docs: LoadedDocument[]): { db: Database.Database; catalog: FigureCatalog } {
    const db = new Database(':memory:');
    ensureFigureSchema(db);
    ensureFigureSchema(db); // idempotent
    for (const doc of docs) replaceDocumentFigures(db, doc);
    return { db, catalog: FigureCatalog.load(db) };
  }

  it('stores, replaces and removes a document’s figures', () => {
    const { db, catalog } = catalogOf(sample, fixture);
    expect(catalog.size).toBe(extractFigures(sample).length + extractFigures(fixture).length);
    expect(catalog.byId(`${SAMPLE}#3`)).toEqual(extractFigures(sample)[2]);
    expect(replaceDocumentFigures(db, document(FIXTURE, 'Sales rose 5% to $9 million.', '2025-02-10'))).toBe(2);
    expect(
      FigureCatalog.load(db)
        .all()
        .filter((figure) => figure.source.id === FIXTURE),
    ).toHaveLength(2);
    removeDocumentFigures(db, FIXTURE);
    expect(FigureCatalog.load(db).size).toBe(extractFigures(sample).length);
    expect(FigureCatalog.load(new Database(':memory:')).size).toBe(0);
  });

  it('stores a figure’s conversions with it, and finds the figure by them', () => {
    const exports = document('exports.txt', 'In 2023 the park exported goods worth 9.12 billion yuan (about $1.32 billion).', '2024-01-05');
    const { catalog } = catalogOf(exports);
    expect(catalog.all()).toHaveLength(1);
    expect(catalog.all()[0]).toMatchObject({ raw: '9.12 billion yuan', alternatives: [{ raw: 'about $1.32 billion', unit: 'USD', value: 1.32e9 }] });
    expect(catalog.search('1.32 billion dollars', 1)[0]?.figure.raw).toBe('9.12 billion yuan');
  });

  it('prepares the same lookup a slice at a time, letting other work run in between', async () => {
    // Many documents' worth of figures: enough for the build to take several slices.
    const docs = Array.from({ length: 150 }, (_, i) => ({ ...sample, id: `copy-${String(i).padStart(3, '0')}-${SAMPLE}`, hash: String(i) }));
    const { db } = catalogOf(...docs, fixture);
    const gradual = FigureCatalog.load(db);
    const atOnce = FigureCatalog.load(db);
    atOnce.prepare();
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    await gradual.prepareInSlices();
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);
    expect(gradual.all()).toEqual(atOnce.all());
    for (const query of ['tech transactions', 'how many alliance members', 'gdp 2023', '']) {
      expect(gradual.autocomplete(query)).toEqual(atOnce.autocomplete(query));
      expect(gradual.search(query)).toEqual(atOnce.search(query));
    }
  });

  it('stores its lookup beside its generation, and a later catalog reads it back (slices or at once) with the same answers', async () => {
    const generationDir = fs.mkdtempSync(path.join(os.tmpdir(), 'figures-lookup-'));
    const lookupFile = path.join(generationDir, STORED_LOOKUP_FILE);
    const docs = Array.from({ length: 20 }, (_, i) => ({ ...sample, id: `copy-${String(i).padStart(2, '0')}-${SAMPLE}`, hash: String(i) }));
    const { db } = catalogOf(...docs, fixture);
    const unstored = FigureCatalog.load(db);
    unstored.prepare();
    expect(fs.existsSync(lookupFile)).toBe(false);

    await FigureCatalog.load(db, generationDir).prepareInSlices();
    const written = fs.statSync(lookupFile).mtimeMs;
    const stored = readStoredLookupSync(lookupFile);
    expect(stored?.figures).toBe(figuresKey(unstored.all()));
    const restored = [FigureCatalog.load(db, generationDir), FigureCatalog.load(db, generationDir)];
    await restored[0].prepareInSlices();
    restored[1].prepare();
    // Read, not built again: the file is as the first catalog wrote it.
    expect(fs.statSync(lookupFile).mtimeMs).toBe(written);
    for (const catalog of restored) {
      for (const query of ['tech transactions', 'Xixian technology contract turnover 2023', '技术合同成交额', 'how many alliance members', '']) {
        expect(catalog.autocomplete(query)).toEqual(unstored.autocomplete(query));
        expect(catalog.search(query)).toEqual(unstored.search(query));
      }
      expect(catalog.sameMeasure('contracted technology transactions', 10, 0.5)).toEqual(unstored.sameMeasure('contracted technology transactions', 10, 0.5));
    }
    fs.rmSync(generationDir, { recursive: true });
  });

  it('builds its lookup again when the stored one was made over other figures or cannot be read', () => {
    const generationDir = fs.mkdtempSync(path.join(os.tmpdir(), 'figures-lookup-'));
    const lookupFile = path.join(generationDir, STORED_LOOKUP_FILE);
    // A lookup of another library's figures, left in the folder.
    const other = catalogOf(fixture);
    FigureCatalog.load(other.db, generationDir).prepare();
    const { db } = catalogOf(sample, fixture);
    const expected = FigureCatalog.load(db);
    const catalog = FigureCatalog.load(db, generationDir);
    expect(catalog.search('contracted technology transactions', 3)).toEqual(expected.search('contracted technology transactions', 3));
    expect(readStoredLookupSync(lookupFile)?.figures).toBe(figuresKey(expected.all()));
    // A damaged file is read as none, and replaced.
    fs.writeFileSync(lookupFile, 'not a lookup');
    expect(readStoredLookupSync(lookupFile)).toBeNull();
    expect(FigureCatalog.load(db, generationDir).autocomplete('tech')).toEqual(expected.autocomplete('tech'));
    expect(readStoredLookupSync(lookupFile)?.figures).toBe(figuresKey(expected.all()));
    fs.rmSync(generationDir, { recursive: true });
  });

  it('keeps the same order whatever the number of matches asked for', () => {
    const { catalog } = catalogOf(sample, fixture);
    let compared = 0;
    for (const query of ['technology', 'growth 2023', 'yuan', 'how many enterprises', 'transactions', 'percent']) {
      const many = catalog.search(query, 50);
      for (let limit = 1; limit < many.length; limit++, compared++) expect(catalog.search(query, limit)).toEqual(many.slice(0, limit));
      expect(catalog.search(query, 0)).toEqual([]);
    }
    expect(compared).toBeGreaterThan(5);
  });

  it('ranks the right figure first for paraphrased names', () => {
    const { catalog } = catalogOf(sample, fixture);
    const first = (query: string) => catalog.search(query)[0]?.figure.raw;
    expect(first('tech transactions')).toBe('412.076 billion yuan');
    expect(first('contracted technology transaction volume')).toBe('412.076 billion yuan');
    expect(first('how many alliance members')).toBe('13 member centers');
    expect(first('GDP growth 2023')).toBe('7.9 percent');
    expect(first('high-tech enterprises growth')).toBe('5.8 times');
    expect(first('share of local technology contracts')).toBe('50.38 percent');
    expect(first('venture capital')).toBe('US$2.45 billion');
    expect(first('patent applications')).toBe('8,760');
    expect(first('patent applications growth')).toBe('12 percent');
    expect(catalog.search('autumn poem')).toEqual([]);
  });

  it('autocompletes partial names with at most 25 short choices', () => {
    const { catalog } = catalogOf(sample, fixture);
    const choices = catalog.autocomplete('tech trans');
    expect(choices[0]).toEqual({ name: expect.stringMatching(/^\S.* — 412\.076 billion yuan \(.+, 2023\)$/), value: `${SAMPLE}#3` });
    expect(catalog.autocomplete('venture cap')[0].value).toBe(`${FIXTURE}#1`);
    const everything = catalog.autocomplete('');
    expect(everything).toHaveLength(25);
    expect(everything[0].value.startsWith(FIXTURE)).toBe(true); // newest document first
    for (const choice of [...everything, ...catalog.autocomplete('the')]) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(catalog.byId(choice.value)).toBeDefined();
    }
  });

  it('matches a question only when it asks for a number that one figure answers', () => {
    const { catalog } = catalogOf(sample, fixture);
    const answer = (question: string) => catalog.matchQuestion(question)?.figure.raw ?? null;
    expect(answer('What was the volume of contracted technology transactions in Shaanxi last year?')).toBe('412.076 billion yuan');
    expect(answer('How much did Xixian New Area’s GDP grow last year?')).toBe('7.9 percent');
    expect(answer('How many member centers does the alliance have?')).toBe('13 member centers');
    expect(answer('What share of all contracts were local technology utilization contracts?')).toBe('50.38 percent');
    expect(answer('Who is the Party secretary of the Xixian New Area Administrative Committee?')).toBeNull();
    expect(answer('What is the current share price of Tesla?')).toBeNull();
    expect(answer('Tell me about contracted technology transactions')).toBeNull();
  });
});

describe('the period of a figure stated over consecutive years', () => {
  it('counts back from the year before the document, whichever way the count is written', () => {
    expect(resolvePeriod('Exports grew for three consecutive years.', 0, 2024)).toBe('2021–2023');
    expect(resolvePeriod('Exports grew for 4 consecutive years.', 0, 2024)).toBe('2020–2023');
    expect(resolvePeriod('出口连续两年增长。', 0, 2024)).toBe('2022–2023');
    expect(resolvePeriod('出口连续十年增长。', 0, 2024)).toBe('2014–2023');
  });
});
