import type { CandidateSet } from '../answering/candidates.js';
import { decide } from '../answering/extractive.js';
import { leadWithFigure } from '../answering/figure-answer.js';
import { prepareModel, type AnswerModel, type LoadedAnswerModel } from '../answering/model.js';
import type { RetrievedPassage } from '../answering/types.js';
import type { FigureMatch } from '../figures/index.js';
import { judge, type EvalItem } from '../eval/index.js';
import { fitLogistic, type WeightedRow } from './logistic.js';

/** One question of a fitting library, read once: its candidates with their features and labels. */
export interface FittingItem {
  /** The fold it is validated in: libraries that share documents are one fold. */
  fold: string;
  /** The library (docs folder and question set) it comes from. */
  library: string;
  item: EvalItem;
  set: CandidateSet;
  /** The passages retrieved for it, as `ask` hands them on: a leading figure's document's copies are read from them. */
  passages: RetrievedPassage[];
  figure: FigureMatch | null;
  labels: (0 | 1)[];
}

/** How a model does on items: how many pass, how many of those to refuse are refused, and how many are refused or answered as they should be (the eval's refusal accuracy). */
export interface Score {
  items: number;
  passed: number;
  refusals: number;
  refused: number;
  decidedRight: number;
}

/** The settings a fit is made with, chosen by validation. */
export interface FitSettings {
  l2: number;
}

/** The penalties tried, each validated across libraries (the fit's standardized features make one scale serve all). */
export const L2_GRID = [0.0003, 0.001, 0.003, 0.01, 0.03];
/**
 * How close further sentences must come to be quoted: as the answerer had them, not fitted (the eval counts an answer
 * right when any of its quotes holds the answer, so a fit would loosen them until every answer quoted three sentences).
 */
const COMPOSITION: AnswerModel['composition'] = { followerRatio: 0.8, neighbourRatio: 0.6, nearTieRatio: 0.93 };

/**
 * The rows a fit weighs: each item counts as much as any other, however many candidates it has; within an item its
 * positive candidates count as much as its negative ones.
 */
function rowsOf(items: FittingItem[]): WeightedRow[] {
  const rows: WeightedRow[] = [];
  for (const { set, labels } of items) {
    const positives = labels.filter((label) => label === 1).length;
    const negatives = labels.length - positives;
    set.candidates.forEach((candidate, i) => {
      const label = labels[i];
      rows.push({ features: candidate.features, label, weight: label === 1 ? 1 / positives : 1 / negatives });
    });
  }
  return rows;
}

/** A model fitted on items, with the given features (by their positions among those measured) and threshold. */
function fitModel(items: FittingItem[], featureNames: readonly string[], settings: FitSettings, threshold = 0.5): AnswerModel {
  const fit = fitLogistic(rowsOf(items), settings.l2);
  return { features: [...featureNames], ...fit, threshold, composition: COMPOSITION };
}

/** For each item: the best candidate's probability, and whether the item passes if answered (or if refused). */
interface Outcome {
  best: number;
  passesAnswered: boolean;
  passesRefused: boolean;
  mustRefuse: boolean;
}

function outcomes(items: FittingItem[], model: AnswerModel): Outcome[] {
  const open: LoadedAnswerModel = prepareModel({ ...model, threshold: 0 });
  return items.map(({ item, set, passages, figure }) => {
    const scores = set.candidates.map((candidate) => open.probability(candidate.features));
    let draft = decide(set, open);
    if (!draft.refused) draft = leadWithFigure(draft, figure, passages);
    const refusal = { answer: '', refused: true, citations: [] };
    return {
      best: scores.length ? Math.max(...scores) : 0,
      passesAnswered: !draft.refused && judge(item, draft).length === 0,
      passesRefused: judge(item, refusal).length === 0,
      mustRefuse: item.refuse === true,
    };
  });
}

function scoreAt(results: Outcome[], threshold: number): Score {
  let passed = 0;
  let refused = 0;
  let decidedRight = 0;
  for (const result of results) {
    const answers = result.best >= threshold;
    if (answers ? result.passesAnswered : result.passesRefused) passed++;
    if (result.mustRefuse && !answers) refused++;
    if (result.mustRefuse !== answers) decidedRight++;
  }
  return { items: results.length, passed, refusals: results.filter((r) => r.mustRefuse).length, refused, decidedRight };
}

/**
 * The threshold that passes the most items: the middle of the widest run of best-candidate probabilities at which
 * the most pass (so that it sits between the answers and the refusals, not on one of them).
 */
function chooseThreshold(results: Outcome[]): number {
  const cuts = [...new Set(results.map((r) => r.best))].sort((a, b) => a - b);
  const points = [0, ...cuts.map((cut, i) => (i + 1 < cuts.length ? (cut + cuts[i + 1]) / 2 : Math.min(1, cut + 1e-6)))];
  const passed = points.map((point) => scoreAt(results, point).passed);
  const most = Math.max(...passed);
  let widest = { from: 0, to: 0 };
  for (let from = 0; from < points.length; from++) {
    if (passed[from] !== most) continue;
    let to = from;
    while (to + 1 < points.length && passed[to + 1] === most) to++;
    if (points[to] - points[from] > points[widest.to] - points[widest.from] || passed[widest.from] !== most) widest = { from, to };
    from = to;
  }
  return (points[widest.from] + points[widest.to]) / 2;
}

/** The items of each fold, folds in name order. */
function byFold(items: FittingItem[]): Map<string, FittingItem[]> {
  return groupedBy(items, (item) => item.fold);
}

/** The items of each library, libraries in name order. */
export function byLibrary(items: FittingItem[]): Map<string, FittingItem[]> {
  return groupedBy(items, (item) => item.library);
}

function groupedBy(items: FittingItem[], key: (item: FittingItem) => string): Map<string, FittingItem[]> {
  const groups = new Map<string, FittingItem[]>();
  for (const item of [...items].sort((a, b) => key(a).localeCompare(key(b)))) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Out-of-fold outcomes of a setting, item by item: each fold predicted by a model fitted on the others. */
function crossValidated(items: FittingItem[], featureNames: readonly string[], settings: FitSettings): Map<FittingItem, Outcome> {
  const results = new Map<FittingItem, Outcome>();
  for (const [fold, held] of byFold(items)) {
    const model = fitModel(
      items.filter((item) => item.fold !== fold),
      featureNames,
      settings,
    );
    outcomes(held, model).forEach((outcome, i) => results.set(held[i], outcome));
  }
  return results;
}

/**
 * The model fitted on items: its penalty and threshold chosen on leave-one-fold-out predictions (each fold predicted by
 * a model fitted on the others), then its weights fitted on them all. `validated` is each library's score in those
 * predictions, at the chosen threshold.
 */
export function fitValidated(
  items: FittingItem[],
  featureNames: readonly string[],
): { model: AnswerModel; settings: FitSettings; validated: Map<string, Score> } {
  let chosen: { settings: FitSettings; threshold: number; passed: number; results: Map<FittingItem, Outcome> } | null = null;
  for (const l2 of L2_GRID) {
    const results = crossValidated(items, featureNames, { l2 });
    const threshold = chooseThreshold([...results.values()]);
    const { passed } = scoreAt([...results.values()], threshold);
    if (!chosen || passed > chosen.passed) chosen = { settings: { l2 }, threshold, passed, results };
  }
  const { settings, threshold, results } = chosen!;
  const validated = new Map<string, Score>();
  for (const [library, of] of byLibrary(items))
    validated.set(
      library,
      scoreAt(
        of.map((item) => results.get(item)!),
        threshold,
      ),
    );
  return { model: fitModel(items, featureNames, settings, threshold), settings, validated };
}

/** A model's score on items. */
export function scoreModel(items: FittingItem[], model: AnswerModel): Score {
  return scoreAt(outcomes(items, model), model.threshold);
}

/** Each library's score, by name. */
export function scoreByLibrary(items: FittingItem[], model: AnswerModel): Map<string, Score> {
  const scores = new Map<string, Score>();
  for (const [library, of] of byLibrary(items)) scores.set(library, scoreModel(of, model));
  return scores;
}

export interface LeaveOneOutRow {
  fold: string;
  /** Score of the fold's libraries by the model fitted without them. */
  leftOut: Map<string, Score>;
  /** Score of the other folds' libraries by that same model (what it was fitted on). */
  fitted: Score;
  settings: FitSettings;
  threshold: number;
}

/**
 * Leave-one-library-out: for each fold, the whole fit (penalty and threshold validated on the remaining folds, then
 * weights) is made without it and scored on it.
 */
export function leaveOneFoldOut(items: FittingItem[], featureNames: readonly string[]): LeaveOneOutRow[] {
  return [...byFold(items).keys()].map((fold) => {
    const training = items.filter((item) => item.fold !== fold);
    const { model, settings } = fitValidated(training, featureNames);
    return {
      fold,
      leftOut: scoreByLibrary(
        items.filter((item) => item.fold === fold),
        model,
      ),
      fitted: scoreModel(training, model),
      settings,
      threshold: model.threshold,
    };
  });
}
