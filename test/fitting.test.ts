import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCandidates } from '../src/answering/candidates.js';
import { FEATURE_NAMES } from '../src/answering/features.js';
import { loadConfig } from '../src/config/index.js';
import { fitAnswerModel, fitValidated, readLibrary, scoreModel, type FittingItem, type FittingLibrary } from '../src/fitting/index.js';
import { labelCandidates } from '../src/fitting/labels.js';
import { fitLogistic } from '../src/fitting/logistic.js';
import { SAMPLE_DOCS_DIR, tempDir } from './support/corpus.js';
import { passage, statsOf } from './support/passages.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', name, 'docs');
const set = (name: string) => path.join(ROOT, 'test', 'eval', `${name}-qa.jsonl`);

describe('logistic regression', () => {
  // A feature that tells positives from negatives, and one that is noise.
  const rows = Array.from({ length: 200 }, (_, i) => {
    const label = (i % 2) as 0 | 1;
    return { features: [label + ((i * 7) % 10) / 20, ((i * 13) % 17) / 17], label, weight: 1 };
  });

  it('weighs a telling feature, not a noisy one, and gives the same weights every time', () => {
    const fit = fitLogistic(rows, 0.001);
    expect(fit.weights[0]).toBeGreaterThan(1);
    expect(Math.abs(fit.weights[1])).toBeLessThan(fit.weights[0] / 4);
    expect(fitLogistic(rows, 0.001)).toEqual(fit);
  });

  it('shrinks the weights as the penalty grows', () => {
    expect(fitLogistic(rows, 1).weights[0]).toBeLessThan(fitLogistic(rows, 0.001).weights[0]);
  });
});

describe('labelling candidates from a question set', () => {
  const passages = [
    passage(0, 'Harbor Science Park hosted 412 robotics companies. The park was founded in 2015.'),
    passage(1, 'Another park hosted 412 robotics companies.', { docId: 'other/park.txt' }),
  ];
  const question = 'How many robotics companies did Harbor Science Park host?';
  const candidates = readCandidates({ question, standaloneQuestion: question, passages, history: [], corpus: statsOf(passages), meaning: null });
  const sentences = candidates.candidates.map((c) => `${c.read.passage.docId}: ${c.sentence}`);

  it('marks positive a sentence holding an expected answer from a document of cite_any', () => {
    const labels = labelCandidates({ id: 'q', question, answer_any: ['412'], cite_any: ['harbor'] }, candidates);
    const positives = sentences.filter((_, i) => labels[i] === 1);
    expect(positives).toEqual(['reports/harbor.txt: Harbor Science Park hosted 412 robotics companies.']);
  });

  it('marks every candidate of an item to refuse negative', () => {
    expect(labelCandidates({ id: 'r', question, refuse: true }, candidates).every((label) => label === 0)).toBe(true);
  });
});

describe("fitting on the project's own libraries", () => {
  let items: FittingItem[];
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const temp = await tempDir();
    cleanup = temp.cleanup;
    const libraries: FittingLibrary[] = [
      { docsDir: SAMPLE_DOCS_DIR, setFile: path.join(ROOT, 'test', 'eval', 'seed-qa.jsonl'), fold: 'sample' },
      { docsDir: SAMPLE_DOCS_DIR, setFile: path.join(ROOT, 'test', 'eval', 'paraphrase-qa.jsonl'), fold: 'sample' },
      { docsDir: fixture('heldout'), setFile: set('heldout'), fold: 'heldout' },
      { docsDir: fixture('riverside'), setFile: set('riverside'), fold: 'riverside' },
      { docsDir: fixture('hexi'), setFile: set('hexi'), fold: 'hexi' },
    ].map((library, i) => ({ ...library, indexDir: path.join(temp.dir, `index-${i}`) }));
    const config = loadConfig({});
    items = [];
    for (const library of libraries) items.push(...(await readLibrary(library, config)));
  }, 300_000);
  afterAll(() => cleanup());

  it('reads every item with its candidates, their features and labels', () => {
    expect(new Set(items.map((item) => item.fold))).toEqual(new Set(['sample', 'heldout', 'riverside', 'hexi']));
    const answerable = items.filter((item) => !item.item.refuse);
    expect(answerable.filter((item) => item.labels.includes(1)).length / answerable.length).toBeGreaterThan(0.8);
    for (const item of items) for (const candidate of item.set.candidates) expect(candidate.features).toHaveLength(FEATURE_NAMES.length);
  });

  it('is deterministic: the same sets give the same model file', () => {
    const first = fitAnswerModel(items, { crossValidate: false }).file;
    const second = fitAnswerModel([...items].reverse(), { crossValidate: false }).file;
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  }, 300_000);

  it('validates on a library it was not fitted on at the target: the sample release left out', () => {
    const { model } = fitValidated(
      items.filter((item) => item.fold !== 'sample'),
      FEATURE_NAMES,
    );
    const score = scoreModel(
      items.filter((item) => item.fold === 'sample'),
      model,
    );
    expect(score.passed / score.items).toBeGreaterThanOrEqual(0.8);
  }, 300_000);
});
