import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readCandidates } from '../answering/candidates.js';
import { FEATURE_NAMES } from '../answering/features.js';
import { prepareModel, type AnswerModel } from '../answering/model.js';
import { openEngineForScript } from '../cli/engine.js';
import { withPathFlags } from '../cli/paths.js';
import type { Config } from '../config/index.js';
import { UserError } from '../errors/index.js';
import { asksOf, libraryName, parseEvalFile, threadOf } from '../eval/index.js';
import { labelCandidates } from './labels.js';
import { byLibrary, fitValidated, leaveOneFoldOut, type FittingItem, type LeaveOneOutRow, type Score } from './validation.js';

export type { FittingItem, LeaveOneOutRow, Score } from './validation.js';
export { fitValidated, leaveOneFoldOut, scoreByLibrary, scoreModel } from './validation.js';

/** A library to fit on: a docs folder and a question set asked of it, in a fold (libraries sharing documents share one). */
export interface FittingLibrary {
  docsDir: string;
  setFile: string;
  fold: string;
  /** Where its index is kept (default: the scripts' index for that docs folder). */
  indexDir?: string;
}

/** Reading needs no model: the candidates' features are measured before any model weighs them. */
const UNFITTED = prepareModel({
  features: [],
  mean: [],
  scale: [],
  weights: [],
  bias: 0,
  threshold: 1,
  composition: { followerRatio: 1, neighbourRatio: 1, nearTieRatio: 1 },
});

/** Each question of a library asked as `ask` asks it (its thread included), its candidates read and labelled. */
export async function readLibrary(library: FittingLibrary, config: Config): Promise<FittingItem[]> {
  const text = await fs.readFile(library.setFile, 'utf8').catch(() => {
    throw new UserError(`cannot read question set ${library.setFile}`);
  });
  const items = parseEvalFile(text, library.setFile)
    .filter((item) => asksOf(item, library.docsDir))
    .sort((a, b) => a.id.localeCompare(b.id));
  if (!items.length) throw new UserError(`no item of ${library.setFile} is asked of ${library.docsDir}`);
  const name = `${libraryName(library.docsDir)}:${path.basename(library.setFile, '.jsonl')}`;
  const { engine } = await openEngineForScript(withPathFlags(config, { docs: library.docsDir, index: library.indexDir }), {
    refresh: true,
    answerModel: UNFITTED,
  });
  try {
    const read: FittingItem[] = [];
    for (const item of items) {
      const { context, figure } = await engine.inputs(item.question, { history: threadOf(item) });
      const set = readCandidates(context);
      read.push({ fold: library.fold, library: name, item, set, passages: context.passages, figure, labels: labelCandidates(item, set) });
    }
    return read;
  } finally {
    await engine.close();
  }
}

/** What `npm run fit` writes: the model, how it was fitted, and (with --cv) its leave-one-library-out table. */
export interface AnswerModelFile extends AnswerModel {
  why: string;
  l2: number;
  fitted_with: string;
  fitted_on: { library: string; fold: string; items: number; candidates: number; positives: number }[];
  /** Each library predicted by the model fitted on the other folds, at the threshold chosen on those predictions. */
  validation: { fold: string; library: string; passed: number; items: number; refused: number; refusals: number; refusal_accuracy: number }[];
  leave_one_library_out?: {
    fold: string;
    left_out: { library: string; passed: number; items: number; refused: number; refusals: number; refusal_accuracy: number }[];
    fitted: { passed: number; items: number };
    l2: number;
    threshold: number;
  }[];
}

const WHY =
  "The offline answerer's model (src/answering/model.ts): a logistic regression over the candidate features of src/answering/features.ts, giving each sentence of the retrieved passages the probability that it answers the question. Written by `npm run fit` (src/fitting/): candidates labelled from the question sets (positive when the sentence holds an expected answer from a document of cite_any; every candidate of an item to refuse is negative), each item weighing the same, positives and negatives of an item alike; the L2 penalty and the threshold chosen on leave-one-library-out predictions, the weights then fitted on every library; the composition (how close in probability a further sentence must come to be quoted) is the answerer's, not fitted (src/fitting/validation.ts).";

/** Fits the model on every library, its settings validated across folds; with `crossValidate`, the nested table too. */
export function fitAnswerModel(
  given: FittingItem[],
  { crossValidate, command = 'npm run fit' }: { crossValidate: boolean; command?: string },
): { file: AnswerModelFile; table: LeaveOneOutRow[] | null } {
  // Sorted input: the same sets give the same file, whatever order they were read in.
  const items = [...given].sort((a, b) => a.fold.localeCompare(b.fold) || a.library.localeCompare(b.library) || a.item.id.localeCompare(b.item.id));
  const { model, settings, validated } = fitValidated(items, FEATURE_NAMES);
  const validation = [...validated].map(([library, score]) => ({ fold: items.find((item) => item.library === library)!.fold, library, ...counts(score) }));
  const table = crossValidate ? leaveOneFoldOut(items, FEATURE_NAMES) : null;
  const file: AnswerModelFile = {
    why: WHY,
    ...rounded(model),
    l2: settings.l2,
    fitted_with: command,
    fitted_on: [...byLibrary(items)].map(([library, of]) => ({
      library,
      fold: of[0].fold,
      items: of.length,
      candidates: of.reduce((sum, item) => sum + item.labels.length, 0),
      positives: of.reduce((sum, item) => sum + item.labels.filter((label) => label === 1).length, 0),
    })),
    validation,
    ...(table
      ? {
          leave_one_library_out: table.map((row) => ({
            fold: row.fold,
            left_out: [...row.leftOut].map(([library, score]) => ({ library, ...counts(score) })),
            fitted: { passed: row.fitted.passed, items: row.fitted.items },
            l2: row.settings.l2,
            threshold: round(row.threshold),
          })),
        }
      : {}),
  };
  return { file, table };
}

function counts(score: Score) {
  return {
    passed: score.passed,
    items: score.items,
    refused: score.refused,
    refusals: score.refusals,
    refusal_accuracy: round(score.decidedRight / score.items),
  };
}

function round(value: number): number {
  return Number(value.toPrecision(6));
}

function rounded(model: AnswerModel): AnswerModel {
  return {
    ...model,
    mean: model.mean.map(round),
    scale: model.scale.map(round),
    weights: model.weights.map(round),
    bias: round(model.bias),
    threshold: round(model.threshold),
  };
}
