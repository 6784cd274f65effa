import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine, type Engine } from '../src/engine/index.js';
import { isFigureItem, runFigureEval, toFigureItem } from '../src/eval/figures.js';
import { parseEvalFile, readJsonLines, runEval } from '../src/eval/index.js';
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

beforeAll(async () => {
  const temp = await tempDir();
  cleanup = temp.cleanup;
  sample = await openEngine(testConfig(SAMPLE_DOCS_DIR, path.join(temp.dir, 'sample-index')));
  heldout = await openEngine(testConfig(HELDOUT_DOCS, path.join(temp.dir, 'heldout-index')));
});
afterAll(async () => {
  await sample.close();
  await heldout.close();
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
    // Recorded level: 32 of 33 (the miss is described in the README's limits).
    expect(report.summary.passed).toBeGreaterThanOrEqual(32);
    expect(report.summary.hit_at_k).toBe(1);
    expect(report.summary.refusal_accuracy).toBeGreaterThanOrEqual(0.9);
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
