import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors/index.js';
import { FEATURE_NAMES } from './features.js';

/**
 * The answer model: a logistic regression over the candidate features (src/answering/features.ts), fitted by
 * `npm run fit` on the development libraries and shipped as data/tuning/answer-model.json. It gives each candidate
 * sentence the probability that it answers the question; the best candidate's decides whether to answer.
 */
export interface AnswerModel {
  /** The features it weighs, by name (a subset of FEATURE_NAMES, in any order). */
  features: string[];
  /** Each feature's mean and scale in the fitting data: a feature is standardized before it is weighed. */
  mean: number[];
  scale: number[];
  weights: number[];
  bias: number;
  /** The best candidate's probability from which the question is answered. */
  threshold: number;
  /**
   * How close to the best a further sentence must come to be quoted too, as a share of its probability: when it adds
   * something asked, when it stands next to the best in its passage, and as a near tie from another passage (the user
   * sees both readings: a result and a target, say).
   */
  composition: { followerRatio: number; neighbourRatio: number; nearTieRatio: number };
}

/** A model ready to score: the positions of its features among those measured. */
export interface LoadedAnswerModel extends AnswerModel {
  probability(features: number[]): number;
  /**
   * Whether a candidate could be quoted, whatever its unmeasured features (NaN, each between 0 and 1) turn out to be:
   * its highest possible probability reaches the least any quoted sentence needs (the threshold, times the closest
   * ratio a further sentence is quoted at).
   */
  couldBeQuoted: (features: number[]) => boolean;
}

export const ANSWER_MODEL_PATH = fileURLToPath(new URL('../../data/tuning/answer-model.json', import.meta.url));

/** Reads and checks a model file; a damaged one is a UserError of one line. */
export function loadAnswerModel(file = ANSWER_MODEL_PATH): LoadedAnswerModel {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read the answer model ${file}; run \`npm run fit\` or restore it from the repository`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UserError(`the answer model ${file} is not valid JSON; restore it from the repository or run \`npm run fit\``);
  }
  const problem = modelProblem(value);
  if (problem) throw new UserError(`the answer model ${file} is damaged (${problem}); restore it from the repository or run \`npm run fit\``);
  return prepareModel(value as AnswerModel);
}

/** A model's features looked up once among those measured, and its probability function. */
export function prepareModel(model: AnswerModel): LoadedAnswerModel {
  const positions = model.features.map((name) => FEATURE_NAMES.indexOf(name));
  const { followerRatio, neighbourRatio, nearTieRatio } = model.composition;
  const leastQuoted = model.threshold * Math.min(followerRatio, neighbourRatio, nearTieRatio);
  const weighed = (i: number, x: number) => (model.weights[i] * (x - model.mean[i])) / model.scale[i];
  return {
    ...model,
    probability(features: number[]): number {
      let z = model.bias;
      for (let i = 0; i < positions.length; i++) z += weighed(i, features[positions[i]]);
      return 1 / (1 + Math.exp(-z));
    },
    couldBeQuoted(features: number[]): boolean {
      let z = model.bias;
      for (let i = 0; i < positions.length; i++) {
        const x = features[positions[i]];
        z += Number.isNaN(x) ? Math.max(weighed(i, 0), weighed(i, 1)) : weighed(i, x);
      }
      return 1 / (1 + Math.exp(-z)) >= leastQuoted;
    },
  };
}

/** What is wrong with a parsed model file, or null. */
function modelProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const model = value as Record<string, unknown>;
  const features = model.features;
  if (!Array.isArray(features) || !features.length || !features.every((name) => typeof name === 'string')) return '"features" must be a list of names';
  const unknown = features.find((name) => !FEATURE_NAMES.includes(name));
  if (unknown !== undefined) return `unknown feature "${String(unknown)}"`;
  for (const field of ['mean', 'scale', 'weights'] as const) {
    const list = model[field];
    if (!Array.isArray(list) || list.length !== features.length || !list.every((x) => typeof x === 'number' && Number.isFinite(x)))
      return `"${field}" must be ${features.length} numbers, one per feature`;
  }
  if ((model.scale as number[]).some((x) => x <= 0)) return '"scale" must be positive';
  for (const field of ['bias', 'threshold'] as const) {
    if (typeof model[field] !== 'number' || !Number.isFinite(model[field])) return `"${field}" must be a number`;
  }
  if ((model.threshold as number) < 0 || (model.threshold as number) > 1) return '"threshold" must be between 0 and 1';
  const composition = model.composition as Record<string, unknown> | undefined;
  for (const field of ['followerRatio', 'neighbourRatio', 'nearTieRatio'] as const) {
    const x = composition?.[field];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || x > 1) return `"composition.${field}" must be a number from 0 to 1`;
  }
  return null;
}
