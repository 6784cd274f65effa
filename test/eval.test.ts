import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../src/engine/index.js';
import { isFigureItem, runFigureEval, toFigureItem } from '../src/eval/figures.js';
import { asksOf, holds, parseEvalFile, readJsonLines, runEval, threadOf } from '../src/eval/index.js';
import { SAMPLE_DOCS_DIR, tempDir } from './support/corpus.js';
import { testConfig } from './support/engine.js';

const EVAL_DIR = path.resolve(import.meta.dirname, 'eval');
const HELDOUT_DOCS = path.resolve(import.meta.dirname, 'fixtures', 'heldout', 'docs');

async function items(name: string) {
  return parseEvalFile(await fs.readFile(path.join(EVAL_DIR, name), 'utf8'), name);
}

let cleanup: () => Promise<void>;
let sample: Engine;
let heldout: Engine;
let riverside: Engine;
let hexi: Engine;

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  sample = await openEngine(testConfig(SAMPLE_DOCS_DIR, path.join(temp.dir, 'sample-index')));
  heldout = await openEngine(testConfig(HELDOUT_DOCS, path.join(temp.dir, 'heldout-index')));
  riverside = await openEngine(testConfig(path.resolve(import.meta.dirname, 'fixtures', 'riverside', 'docs'), path.join(temp.dir, 'riverside-index')));
  hexi = await openEngine(testConfig(path.resolve(import.meta.dirname, 'fixtures', 'hexi', 'docs'), path.join(temp.dir, 'hexi-index')));
});
afterAll(async () => {
  await sample.close();
  await heldout.close();
  await riverside.close();
  await hexi.close();
  await cleanup();
});

describe('the development eval sets', () => {
  it.each(['seed-qa.jsonl', 'paraphrase-qa.jsonl'])('passes every item of %s', async (name) => {
    const report = await runEval(sample, await items(name));
    const failures = report.items.filter((item) => !item.pass).map((item) => `${item.id}: ${item.why}`);
    expect(failures).toEqual([]);
    expect(report.summary).toMatchObject({ answer_accuracy: 1, citation_accuracy: 1, refusal_accuracy: 1, hit_at_k: 1 });
  });
});

describe('a corpus in other formats and languages (Markdown, HTML, PDF, Chinese)', () => {
  it('keeps its scores at or above the recorded level', async () => {
    const report = await runEval(heldout, await items('heldout-qa.jsonl'));
    // Recorded level: 26 of 33 with the fitted answer model (32 under the hand-written rules it replaced, which were
    // tuned on this set): six of its ten questions to refuse are answered; see the README's limits.
    expect(report.summary.passed).toBeGreaterThanOrEqual(26);
    expect(report.summary.hit_at_k).toBe(1);
    expect(report.summary.refusal_accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('cites every indexed format', async () => {
    const report = await runEval(heldout, await items('heldout-qa.jsonl'));
    const cited = new Set(report.items.flatMap((item) => item.citations.map((c) => path.extname(c.source))));
    expect([...cited].sort()).toEqual(['.html', '.md', '.pdf', '.txt']);
  });
});

describe('eval scoring', () => {
  it('reports why an item fails', async () => {
    const report = await runEval(sample, [
      { id: 'wrong-figure', question: 'How many member centers does the alliance have?', answer_any: ['14 member centers'] },
      { id: 'should-refuse', question: 'How many member centers does the alliance have?', refuse: true },
      { id: 'wrong-source', question: 'How many member centers does the alliance have?', cite_any: ['other-document'] },
    ]);
    expect(report.items.map((item) => [item.id, item.pass, item.why])).toEqual([
      ['wrong-figure', false, 'answer contains none of ["14 member centers"]'],
      ['should-refuse', false, 'expected a refusal but got an answer; a refusal must carry no citations'],
      ['wrong-source', false, 'no citation from a source matching ["other-document"]'],
    ]);
    expect(report.summary).toMatchObject({ items: 3, passed: 0, failed: 3, answer_accuracy: 0, citation_accuracy: 0 });
  });
});

describe('libraries of press releases (English) and of regulations and releases (Chinese), written for the project', () => {
  // Recorded levels with the fitted answer model (the hand-written rules it replaced: 28 and 24). Left out of the fit in
  // turn they score 29 of 38 and 30 of 39 (data/tuning/answer-model.json).
  it.each([
    ['riverside-qa.jsonl', () => riverside, 30],
    ['hexi-qa.jsonl', () => hexi, 29],
  ] as const)('%s keeps its score at or above the recorded level', async (name, engine, level) => {
    const report = await runEval(engine(), await items(name));
    expect(report.summary.passed).toBeGreaterThanOrEqual(level);
    expect(report.summary.refusal_accuracy).toBeGreaterThanOrEqual(0.8);
    expect(report.summary.fragment_share).toBe(0);
  });
});

describe('items of threads and of several libraries', () => {
  it('asks an item with history after its earlier questions, as the thread would', async () => {
    const [item] = parseEvalFile(
      JSON.stringify({
        id: 'fu',
        question: 'and how many member centers does it have?',
        history: ['What is the Qinchuangyuan Innovation Promotion Center Alliance?'],
        answer_any: ['member centers'],
      }),
      'thread.jsonl',
    );
    expect(threadOf(item)).toEqual([{ role: 'user', content: 'What is the Qinchuangyuan Innovation Promotion Center Alliance?' }]);
    const report = await runEval(sample, [item]);
    expect(report.items[0]).toMatchObject({ id: 'fu', pass: true });
  });

  it('asks an item of the library its "docs" names, and any library when it names none', () => {
    const [named, unnamed] = parseEvalFile(
      [JSON.stringify({ id: 'a', question: 'q', docs: 'press-dev' }), JSON.stringify({ id: 'b', question: 'q' })].join('\n'),
      'set.jsonl',
    );
    expect(asksOf(named, '/corpus/press-dev')).toBe(true);
    expect(asksOf(named, '/corpus/zh-dev')).toBe(false);
    expect(asksOf(unnamed, '/corpus/zh-dev')).toBe(true);
    // A folder called docs is its parent's library, as the fit names it.
    expect(asksOf({ ...named, docs: 'heldout' }, '/fixtures/heldout/docs')).toBe(true);
    expect(asksOf({ ...named, docs: 'heldout' }, '/fixtures/riverside/docs')).toBe(false);
    expect(() => parseEvalFile(JSON.stringify({ id: 'c', question: 'q', history: 'one' }), 'set.jsonl')).toThrow(/"history" must be a list of strings/);
  });

  it("matches an expected answer with white space ignored, as a PDF's spaced characters need", () => {
    expect(holds('补助期限 不 超 过 3 年', '不超过3年')).toBe(true);
    expect(holds('The  Park hosted\n412 firms', 'park hosted 412')).toBe(true);
    expect(holds('补助期限不超过5年', '不超过3年')).toBe(false);
  });
});

describe('figure lookups (a "query" per line)', () => {
  it('checks the best match of each lookup: its number as written and its sources', () => {
    const lines = readJsonLines(
      [
        JSON.stringify({ id: 'right', query: 'member centers', value_any: ['13'], source_any: ['xixian'] }),
        JSON.stringify({ id: 'wrong-number', query: 'member centers', value_any: ['14'] }),
        JSON.stringify({ id: 'nothing', query: 'football' }),
      ].join('\n'),
      'figures.jsonl',
    );
    expect(lines.every(({ value }) => isFigureItem(value))).toBe(true);
    const figures = sample.figures();
    const report = runFigureEval(
      (query) => sample.searchFigures(query, 1)[0]?.figure ?? null,
      lines.map(({ value, where }) => toFigureItem(value, where)),
    );
    expect(figures.search('member centers', 1)[0]?.figure.raw).toContain('13');
    expect(report.items.map((item) => [item.id, item.pass, item.why])).toEqual([
      ['right', true, 'ok'],
      ['wrong-number', false, expect.stringMatching(/^best match ".*13.*" holds none of \["14"\]$/)],
      ['nothing', false, 'no figure found'],
    ]);
    expect(report.summary).toMatchObject({ items: 3, passed: 1, failed: 2 });
  });

  it('turns away a lookup without a query with a one-line error', () => {
    expect(() => toFigureItem({ id: 'x', query: ' ' }, 'figures.jsonl line 1')).toThrow(/^figures.jsonl line 1 needs a "query" string$/);
  });
});
