import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from '../src/answering/features.js';
import { ANSWER_MODEL_PATH, loadAnswerModel, prepareModel } from '../src/answering/model.js';
import { openEngine } from '../src/engine/index.js';
import { UserError } from '../src/errors/index.js';
import { SAMPLE_DOCS_DIR, tempDir } from './support/corpus.js';
import { testConfig } from './support/engine.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterAll(() => cleanup());

async function damaged(name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, content);
  return file;
}

function loadError(file: string): string {
  try {
    loadAnswerModel(file);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error(`${file} loaded`);
}

describe('the answer model file', () => {
  it('ships with the project and loads: known features, a threshold, how it was fitted and validated', async () => {
    const model = loadAnswerModel();
    expect(model.features.length).toBeGreaterThan(10);
    for (const name of model.features) expect(FEATURE_NAMES).toContain(name);
    expect(model.threshold).toBeGreaterThan(0);
    expect(model.threshold).toBeLessThan(1);
    const file = JSON.parse(await fs.readFile(ANSWER_MODEL_PATH, 'utf8')) as { fitted_on: unknown[]; validation: unknown[]; why: string };
    expect(file.fitted_on.length).toBeGreaterThanOrEqual(3);
    expect(file.validation.length).toBe(file.fitted_on.length);
    expect(file.why).toMatch(/npm run fit/);
  });

  it('as fitted, counts against an answer what the former gates refused for: no number, another year or place, an unknown name, a title not held', () => {
    const model = loadAnswerModel();
    // A candidate that says much of the question, then the same with one conflict more.
    const base = FEATURE_NAMES.map((name) => (/coverage$/.test(name) ? 0.8 : 0));
    const probability = (name?: string) => model.probability(base.map((value, i) => (FEATURE_NAMES[i] === name ? 1 : value)));
    for (const conflict of ['number_missing', 'year_conflict_sentence', 'year_conflict_passage', 'place_conflict', 'unknown_name', 'title_named_unmet']) {
      expect(probability(conflict), conflict).toBeLessThan(probability() * 0.7);
    }
  });

  it('gives a probability that rises with a feature its weight favours', () => {
    const model = prepareModel({
      features: ['sentence_coverage'],
      mean: [0.5],
      scale: [0.25],
      weights: [2],
      bias: 0,
      threshold: 0.5,
      composition: { followerRatio: 0.8, neighbourRatio: 0.6, nearTieRatio: 0.93 },
    });
    const at = (coverage: number) => model.probability(FEATURE_NAMES.map((name) => (name === 'sentence_coverage' ? coverage : 0)));
    expect(at(0.5)).toBeCloseTo(0.5);
    expect(at(0.9)).toBeGreaterThan(at(0.5));
    expect(at(0.1)).toBeLessThan(at(0.5));
  });

  it('is refused in one line when damaged: not JSON, wrong lengths, an unknown feature, a threshold out of range, missing', async () => {
    const shipped = JSON.parse(await fs.readFile(ANSWER_MODEL_PATH, 'utf8')) as Record<string, unknown> & { weights: number[] };
    const cases: [string, string, RegExp][] = [
      ['truncated.json', '{"features": ["sentence_cov', /not valid JSON/],
      ['short.json', JSON.stringify({ ...shipped, weights: shipped.weights.slice(1) }), /"weights" must be/],
      ['unknown.json', JSON.stringify({ ...shipped, features: ['no_such_feature'], mean: [0], scale: [1], weights: [1] }), /unknown feature "no_such_feature"/],
      ['threshold.json', JSON.stringify({ ...shipped, threshold: 3 }), /"threshold" must be between 0 and 1/],
    ];
    for (const [name, content, pattern] of cases) {
      const message = loadError(await damaged(name, content));
      expect(message, name).toMatch(pattern);
      expect(message, name).toContain(name);
      expect(message.split('\n'), name).toHaveLength(1);
    }
    expect(loadError(path.join(dir, 'absent.json'))).toMatch(/cannot read the answer model/);
  });

  it('stops an engine at start, before the index is opened', async () => {
    const file = await damaged('engine.json', '[]');
    const config = { ...testConfig(SAMPLE_DOCS_DIR, path.join(dir, 'index')), answerModelPath: file };
    await expect(openEngine(config)).rejects.toThrow(/answer model .*engine\.json is damaged/);
    await expect(fs.stat(path.join(dir, 'index'))).rejects.toThrow();
  });
});
