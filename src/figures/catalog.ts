import { queryTerms, tokenize } from '../text/tokenize.js';
import { isProjected, periodFit, periodOfRelease, periodYear, resolvePeriod } from './periods.js';
import type { FigureQueryMeaning } from './query-meaning.js';
import { figuresKey, STORED_LOOKUP_FORMAT, type StoredLookup } from './stored-lookup.js';
import type { Figure, FigureChoice, FigureKind, FigureMatch } from './types.js';

/**
 * In-memory lookup over the figures of one index generation: a small weighted inverted index (label terms
 * count most, then scope and period, then the sentence), with prefix matching so partial and abbreviated
 * words ("tech", "transac") still find their figure, and a preference for the kind of number a query asks
 * for ("how many" → counts, "growth" → growth rates).
 */

const FIELD_WEIGHTS = { label: 3, scope: 1.5, period: 1.5, kind: 0.8, raw: 1, quote: 1, title: 0.3 } as const;
/** A posting's weight is one of the fields' (the most of the fields it is in): stored as its place in this list. */
const WEIGHTS: number[] = [...new Set(Object.values(FIELD_WEIGHTS))];
const KIND_WORDS: Record<FigureKind, string> = {
  amount: 'amount volume value total sum turnover how much',
  percent: 'percent percentage share proportion rate ratio 比例 占比',
  growth: 'growth increase rise grow change rate 增长 增速',
  multiple: 'times fold multiple increase growth 倍',
  count: 'number count how many total 数量',
};
const KIND_INTENTS: { kind: FigureKind[]; pattern: RegExp }[] = [
  { kind: ['count'], pattern: /\bhow many\b(?! times)|\bnumber of\b|多少(?:个|家|项|名|人|所)|几(?:个|家|项|名)/iu },
  { kind: ['percent'], pattern: /\b(?:what|which) (?:share|proportion|percentage|fraction)\b|\bshare of\b|\bproportion\b|\bpercentage\b|比例|占比|比重/iu },
  {
    kind: ['growth', 'multiple'],
    pattern: /\bgr[eo]w(?:th|n)?\b|\bincreas\w*|\brise\b|\brose\b|\bhow fast\b|\bhow many times\b|\bdoubl\w*|增长|增速|增加|提高|翻番/iu,
  },
  { kind: ['amount'], pattern: /\bhow much\b|\bvolume\b|\bamount\b|\bvalue\b|\bturnover\b|\btotal\b|\byuan\b|\bdollars?\b|金额|成交额|多少(?:钱|元|亿)/iu },
];
const ASKS_FOR_NUMBER =
  /\b(?:how (?:many|much|big|large|fast|high|low)|by how much|what (?:is|was|were|are|'s) (?:the )?(?:total |overall |annual )?(?:number|amount|volume|value|share|percentage|proportion|rate|growth|size|figure|level|turnover|count|gdp|increase)|what (?:share|proportion|percentage|fraction)|what percent)\b|多少|几(?:个|家|项|名|倍)|比例是|占比|增长了?多少|增速/iu;
const PREFIX_FACTOR = 0.7;
const HAN = /\p{Script=Han}/u;
/**
 * Factors chosen on the even lines of press-dev-figures: a figure of the kind asked (×1.3, as before) against one of
 * another kind (×0.75); a label that names the lookup's head noun (×1.4); a per-unit rate not asked for (×0.6).
 */
const KIND_FIT = { asked: 1.3, other: 0.75 };
const HEAD_IN_LABEL = 1.4;
/** A Chinese label's head ends it, but for a measure word of up to two characters (…合同总量). */
const CHINESE_HEAD_SLACK = 2;
/** A round amount or count of a thousand or more (one significant digit) against a measured one. Chosen on the even lines. */
const ROUND_HEADLINE = 0.8;
const PER_UNIT_UNASKED = 0.6;
const PER_UNIT = /\bper\b|\bfor each\b|\baverage\b|每|人均|平均|\/km/iu;
/** Words of a lookup that say when or how sure, not what: the measure's head noun is the last word before them. */
const NOT_HEAD_WORDS = new Set(
  'first second third fourth half quarter year years month months annual target targets goal forecast expected estimated total new latest current h1 h2 q1 q2 q3 q4 ytd'.split(
    ' ',
  ),
);
/** Words that say what kind of place or body a scope is, not which: no lookup names a place by them alone. */
const SCOPE_KIND_TERMS = new Set(
  tokenize(
    'province city municipality region county district zone area park new national high-tech hi-tech development demonstration the of and 省 市 区 县 全省 全市 全区 全国 新区 高新区 开发区 园区',
  ),
);
/**
 * A figure that names no place asked about ranks below the place's own, unless it matches far better. Chosen on the even
 * lines of press-dev-figures (0.5 and 0.7 found 11 of 15 first, 0.3 ten, 1 nine); the odd lines 7 of 15 with 0.5.
 */
const OTHER_PLACE_FACTOR = 0.5;
const MIN_RELATIVE_SCORE = 0.25;
/** A target or estimate when the lookup asks for no period. Chosen with PERIOD_FIT (periods.ts), on the even lines. */
const PROJECTED_UNASKED = 0.6;
/**
 * With no period asked, the newest period of the best match's measure comes first, when its figure scores within this
 * share of the best (the same measure, worded a little differently in a later release). Chosen on the even lines.
 */
const LATEST_WINDOW = 0.6;
const MAX_CHOICES = 25;
/** The share of its label that a newer figure must have matched to be the same measure. */
const LATEST_LABEL_COVERAGE = 0.5;
/** How many of a query's terms are tracked one by one (a bit each). */
const MASKED_TERMS = 32;
/** How many ranked figures the newest-period rule looks through. */
const LATEST_CANDIDATES = 20;
const MAX_CHOICE_NAME = 100;
/** A measure spelled less like the lookup than this (Dice's coefficient of letter runs) is not offered: a typo scores ~0.5. */
const MIN_SPELLING_SIMILARITY = 0.3;

interface Scored {
  figure: number;
  score: number;
  /** Share of the query's (idf-weighted) terms this figure matched. */
  coverage: number;
  /** Share of the figure's label terms the query matched, and how many. */
  labelCoverage: number;
  labelMatched: number;
  /** Whether the figure was ranked down for naming another place than asked. */
  elsewhere: boolean;
  /** Which of the query's first terms it matched, a bit each. */
  termsMatched: number;
}

/** How long a slice of a gradual build may hold the event loop, and how many items it does between looks at the clock. */
const SLICE_MS = 10;
const STEP_FIGURES = 256;

/** Work done a step at a time (each `yield` a place it may pause): at once, or a slice at a time between other work. */
type Steps = Generator<void, void, void>;

function runAtOnce(steps: Steps): void {
  for (let step = steps.next(); !step.done; step = steps.next());
}

async function runInSlices(steps: Steps): Promise<void> {
  let sliceStarted = performance.now();
  for (let step = steps.next(); !step.done; step = steps.next()) {
    if (performance.now() - sliceStarted > SLICE_MS) {
      await yieldToEventLoop();
      sliceStarted = performance.now();
    }
  }
}

/** Whether a stored lookup (of this format: readStoredLookup checks) was made over these figures, in this order. */
function fits(figures: Figure[], stored: StoredLookup): boolean {
  return stored.figures === figuresKey(figures);
}

export class FigureIndex {
  /** The index terms in order; each one's id is its position, and its postings are those from postingStart[id] to postingStart[id + 1]. */
  private sortedTerms: string[] = [];
  private readonly termIds = new Map<string, number>();
  private postingStart: Int32Array = new Int32Array(1);
  private postingFigure: Int32Array = new Int32Array(0);
  /** Each posting's weight, as its place in WEIGHTS. */
  private postingWeight: Uint8Array = new Uint8Array(0);
  /** Each figure's label terms, as term ids. */
  private readonly labelTermIds: Int32Array[] = [];
  /** Each figure's scope as index terms, less the words of any scope ("province", "zone"), and all such terms. */
  private scopeTermsOf: string[][] = [];
  private readonly scopeTerms = new Set<string>();
  /** Whether each figure's label is written in Chinese. */
  private readonly hanLabel: boolean[] = [];
  private readonly choiceNames: string[] = [];
  /** Lower-cased choice names, for the plain-text fallback. */
  private readonly lowerCaseNames: string[] = [];
  /** Working arrays of `rank`, sized to the catalog once it is built. */
  private scratch = {
    scores: new Float64Array(0),
    matched: new Float64Array(0),
    bestWeight: new Float64Array(0),
    bestTerm: new Int32Array(0),
    termsMatched: new Uint32Array(0),
  };
  private defaultOrder: number[] = [];
  /** While building: each term's postings (figure, weight's place, …), each figure's label and scope terms. */
  private building: { postings: Map<string, number[]>; labelTerms: string[][]; scopeTerms: string[][] } | null = {
    postings: new Map(),
    labelTerms: [],
    scopeTerms: [],
  };
  /** Figures of one sentence share its quote, title and kind words: each text is tokenized once while building. */
  private tokenized: Map<string, string[]> | null = new Map();

  private constructor(private readonly figures: Figure[]) {}

  static build(figures: Figure[]): FigureIndex {
    const index = new FigureIndex(figures);
    runAtOnce(index.buildSteps());
    return index;
  }

  /**
   * The same index, built a slice at a time with the event loop free in between: a catalog of a
   * hundred thousand figures takes seconds to index, which a running bot must not stop for.
   */
  static async buildInSlices(figures: Figure[]): Promise<FigureIndex> {
    const index = new FigureIndex(figures);
    await runInSlices(index.buildSteps());
    return index;
  }

  /** The same index from its stored form (see toStored), or null when that was made for other figures or by another version. */
  static fromStored(figures: Figure[], stored: StoredLookup): FigureIndex | null {
    if (!fits(figures, stored)) return null;
    const index = new FigureIndex(figures);
    runAtOnce(index.restoreSteps(stored));
    return index;
  }

  /** fromStored a slice at a time: restoring a large catalog's lookup still takes most of a second. */
  static async fromStoredInSlices(figures: Figure[], stored: StoredLookup): Promise<FigureIndex | null> {
    if (!fits(figures, stored)) return null;
    const index = new FigureIndex(figures);
    await runInSlices(index.restoreSteps(stored));
    return index;
  }

  private terms(text: string): string[] {
    let cached = this.tokenized!.get(text);
    if (!cached) this.tokenized!.set(text, (cached = [...new Set(tokenize(text))]));
    return cached;
  }

  private add(figure: Figure, position: number): void {
    const building = this.building!;
    building.labelTerms.push(this.terms(figure.label));
    building.scopeTerms.push(this.terms(figure.scope ?? '').filter((term) => !SCOPE_KIND_TERMS.has(term)));
    const weights = new Map<string, number>();
    const add = (text: string | null, weight: number) => {
      for (const term of this.terms(text ?? '')) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    };
    add(figure.quote, FIELD_WEIGHTS.quote);
    add(figure.source.title, FIELD_WEIGHTS.title);
    add(KIND_WORDS[figure.kind], FIELD_WEIGHTS.kind);
    add(figure.raw, FIELD_WEIGHTS.raw);
    for (const alternative of figure.alternatives) add(alternative.raw, FIELD_WEIGHTS.raw);
    add(figure.period?.replace(/[–-]/g, ' ') ?? null, FIELD_WEIGHTS.period);
    add(figure.scope, FIELD_WEIGHTS.scope);
    add(figure.label, FIELD_WEIGHTS.label);
    for (const [term, weight] of weights) {
      let list = building.postings.get(term);
      if (!list) building.postings.set(term, (list = []));
      list.push(position, WEIGHTS.indexOf(weight));
    }
  }

  /** Indexing every figure, then laying its postings out flat; a pause (yield) every STEP_FIGURES items. */
  private *buildSteps(): Steps {
    for (let position = 0; position < this.figures.length; position++) {
      this.add(this.figures[position], position);
      if (position % STEP_FIGURES === 0) yield;
    }
    const { postings, labelTerms, scopeTerms } = this.building!;
    this.building = null;
    this.tokenized = null;
    this.sortedTerms = [...postings.keys()].sort();
    yield;
    yield* this.termIdSteps();
    let total = 0;
    for (const list of postings.values()) total += list.length / 2;
    this.postingStart = new Int32Array(this.sortedTerms.length + 1);
    this.postingFigure = new Int32Array(total);
    this.postingWeight = new Uint8Array(total);
    let at = 0;
    for (let id = 0; id < this.sortedTerms.length; id++) {
      const list = postings.get(this.sortedTerms[id])!;
      for (let i = 0; i < list.length; i += 2, at++) {
        this.postingFigure[at] = list[i];
        this.postingWeight[at] = list[i + 1];
      }
      this.postingStart[id + 1] = at;
      if (id % STEP_FIGURES === 0) yield;
    }
    for (let figure = 0; figure < labelTerms.length; figure++) {
      this.labelTermIds.push(Int32Array.from(labelTerms[figure], (term) => this.termIds.get(term)!));
      if (figure % STEP_FIGURES === 0) yield;
    }
    this.scopeTermsOf = scopeTerms;
    const figures = this.figures;
    // Newest documents first, then document order: what an empty autocomplete shows (ISO dates sort as text).
    const dates = figures.map((figure) => figure.source.date ?? '');
    this.defaultOrder = figures.map((_, index) => index).sort((a, b) => (dates[b] < dates[a] ? -1 : dates[b] > dates[a] ? 1 : a - b));
    yield;
    yield* this.readySteps();
  }

  private *restoreSteps(stored: StoredLookup): Steps {
    this.building = null;
    this.tokenized = null;
    this.sortedTerms = stored.terms;
    yield* this.termIdSteps();
    this.postingStart = stored.postingStart;
    this.postingFigure = stored.postingFigure;
    this.postingWeight = stored.postingWeight;
    for (let figure = 0; figure < this.figures.length; figure++) {
      this.labelTermIds.push(stored.labelTerms.subarray(stored.labelStart[figure], stored.labelStart[figure + 1]));
      const scope = stored.scopeTerms.subarray(stored.scopeStart[figure], stored.scopeStart[figure + 1]);
      this.scopeTermsOf.push(Array.from(scope, (id) => stored.terms[id]));
      if (figure % STEP_FIGURES === 0) yield;
    }
    this.defaultOrder = Array.from(stored.defaultOrder);
    yield* this.readySteps();
  }

  private *termIdSteps(): Steps {
    for (let id = 0; id < this.sortedTerms.length; id++) {
      this.termIds.set(this.sortedTerms[id], id);
      if (id % STEP_FIGURES === 0) yield;
    }
  }

  /** What is derived from the figures alone, built or restored: names, scripts, the set of scope terms, working arrays. */
  private *readySteps(): Steps {
    for (let position = 0; position < this.figures.length; position++) {
      const figure = this.figures[position];
      this.hanLabel.push(HAN.test(figure.label));
      const name = choiceName(figure);
      this.choiceNames.push(name);
      this.lowerCaseNames.push(name.toLowerCase());
      for (const term of this.scopeTermsOf[position]) this.scopeTerms.add(term);
      if (position % STEP_FIGURES === 0) yield;
    }
    const count = this.figures.length;
    this.scratch = {
      scores: new Float64Array(count),
      matched: new Float64Array(count),
      bestWeight: new Float64Array(count),
      bestTerm: new Int32Array(count * 4).fill(-1),
      termsMatched: new Uint32Array(count),
    };
  }

  /** What fromStored reads back: the index terms, their postings and each figure's terms, as flat arrays. */
  toStored(): StoredLookup {
    const flatten = (lists: ArrayLike<number>[]) => {
      const starts = new Int32Array(lists.length + 1);
      lists.forEach((list, position) => (starts[position + 1] = starts[position] + list.length));
      const ids = new Int32Array(starts[lists.length]);
      lists.forEach((list, position) => ids.set(list, starts[position]));
      return [starts, ids] as const;
    };
    const [labelStart, labelTerms] = flatten(this.labelTermIds);
    const [scopeStart, scopeTerms] = flatten(this.scopeTermsOf.map((terms) => terms.map((term) => this.termIds.get(term)!)));
    return {
      format: STORED_LOOKUP_FORMAT,
      figures: figuresKey(this.figures),
      terms: this.sortedTerms,
      postingStart: this.postingStart,
      postingFigure: this.postingFigure,
      postingWeight: this.postingWeight,
      labelStart,
      labelTerms,
      scopeStart,
      scopeTerms,
      defaultOrder: Int32Array.from(this.defaultOrder),
    };
  }

  /** How many figures an index term is in. */
  private figureFrequency(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.postingStart[id + 1] - this.postingStart[id];
  }

  /** The figures an index term is in. */
  private figuresWith(term: string): Int32Array {
    const id = this.termIds.get(term);
    return id === undefined ? new Int32Array(0) : this.postingFigure.subarray(this.postingStart[id], this.postingStart[id + 1]);
  }

  search(query: string, limit: number, meaning?: FigureQueryMeaning): FigureMatch[] {
    const ranked = this.rank(query, false, Math.max(limit, LATEST_CANDIDATES), meaning);
    if (!resolvePeriod(query, 0, null)) this.newestFirst(ranked, new Set([...queryTerms(query), ...(meaning?.places ?? []).flat()]));
    this.measuredBeforeRounded(ranked);
    // A lookup names a measure or a number: when the best figure's own measure (its label) has none of the words of a
    // lookup without a number, the lookup met only its sentence ("Mars colony population" and a sentence that mentions
    // population): no match.
    if (ranked[0] && ranked[0].labelCoverage === 0 && !/\d/.test(query)) return [];
    // Figures that share only a stray word with the query are noise, not matches.
    const floor = (ranked[0]?.score ?? 0) * MIN_RELATIVE_SCORE;
    return ranked
      .filter((entry) => entry.score >= floor)
      .slice(0, Math.max(0, limit))
      .map((entry) => ({ figure: this.figures[entry.figure], score: round(entry.score) }));
  }

  /**
   * The best match and the figures of its measure for its place, best first: those that say everything it says of the
   * lookup (if in other words), of its kind and unit, held to its place, scoring at least `minShare` of it.
   */
  sameMeasure(query: string, limit: number, minShare: number, meaning?: FigureQueryMeaning): FigureMatch[] {
    const ranked = this.rank(query, false, limit, meaning);
    const best = ranked[0];
    if (!best) return [];
    const terms = queryTerms(query);
    const asked = new Set([...terms, ...(meaning?.places ?? []).flat()]);
    const head = this.figures[best.figure];
    // The lookup's words that name the best match's place ("Hangzhou Future Sci-Tech City") are checked as a place, below:
    // a point may name it in the other language ("杭州未来科技城") with words no dictionary translates.
    const headScope = new Set(tokenize(head.scope ?? ''));
    const placeWords = terms.reduce((mask, term, position) => (position < MASKED_TERMS && headScope.has(term) ? mask | (1 << position) : mask), 0);
    return ranked
      .filter((entry) => {
        const figure = this.figures[entry.figure];
        if (entry !== best && (entry.score < best.score * minShare || entry.elsewhere !== best.elsewhere)) return false;
        if ((best.termsMatched & ~entry.termsMatched & ~placeWords) !== 0 || figure.kind !== head.kind || figure.unit !== head.unit) return false;
        return this.sameScopeAs(entry.figure, best.figure, asked);
      })
      .map((entry) => ({ figure: this.figures[entry.figure], score: round(entry.score) }));
  }

  /**
   * "exceeded 2 trillion yuan for the first time" in a lead, "2.23984 trillion yuan" in the body: when the best match is
   * such a round number, its document's measured value that it rounds down (same unit and period, below the next round
   * number) is the figure itself, stated exactly; it comes first when it scores within LATEST_WINDOW of the best.
   */
  private measuredBeforeRounded(ranked: Scored[]): void {
    const best = ranked[0] && this.figures[ranked[0].figure];
    if (!best || !isRoundHeadline(best)) return;
    const step = 10 ** Math.floor(Math.log10(Math.abs(best.value)));
    const position = ranked.findIndex((entry, at) => {
      const figure = this.figures[entry.figure];
      return (
        at > 0 &&
        entry.score >= ranked[0].score * LATEST_WINDOW &&
        figure.source.id === best.source.id &&
        figure.unit === best.unit &&
        figure.kind === best.kind &&
        measuredPeriod(figure) === measuredPeriod(best) &&
        figure.value > best.value &&
        figure.value < best.value + step &&
        !isRoundHeadline(figure)
      );
    });
    if (position > 0) ranked.unshift(...ranked.splice(position, 1));
  }

  /** Moves the newest measurement of the best match's measure (same kind and unit, close in score) to the front. */
  private newestFirst(ranked: Scored[], askedTerms: Set<string>): void {
    const best = ranked[0] && this.figures[ranked[0].figure];
    if (!best) return;
    let newest = 0;
    ranked.forEach((entry, position) => {
      const figure = this.figures[entry.figure];
      if (entry.score < ranked[0].score * LATEST_WINDOW || entry.labelCoverage < LATEST_LABEL_COVERAGE || entry.elsewhere !== ranked[0].elsewhere) return;
      // It says everything the best match says of the lookup (its place, its measure), if in other words.
      if ((ranked[0].termsMatched & ~entry.termsMatched) !== 0) return;
      if (isProjected(figure.period)) return;
      if (figure.kind !== best.kind || figure.unit !== best.unit || !this.sameScopeAs(entry.figure, ranked[0].figure, askedTerms)) return;
      // The same year: a period the sentence states before one read from the release's date (as a series takes it).
      const newestFigure = this.figures[ranked[newest].figure];
      const [year, newestYear] = [measuredYear(figure), measuredYear(newestFigure)];
      if (year > newestYear || (year === newestYear && figure.period !== null && newestFigure.period === null)) newest = position;
    });
    if (newest > 0) ranked.unshift(...ranked.splice(newest, 1));
  }

  /**
   * The catalog's measures whose names are spelled most like a lookup that matched none (by shared runs of three
   * letters, or two Chinese characters): what "no figure found" offers instead. Reads every label: a rare path.
   */
  closestMeasures(query: string, limit: number): string[] {
    const wanted = letterRuns(query);
    if (wanted.size === 0) return [];
    const scored = new Map<string, number>();
    for (const { label } of this.figures) {
      if (scored.has(label)) continue;
      const runs = letterRuns(label);
      let shared = 0;
      for (const run of runs) if (wanted.has(run)) shared++;
      // Dice's coefficient: shared runs against the runs of both names.
      scored.set(label, (2 * shared) / (runs.size + wanted.size));
    }
    return [...scored]
      .filter(([, similarity]) => similarity >= MIN_SPELLING_SIMILARITY)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .map(([label]) => label);
  }

  autocomplete(partial: string): FigureChoice[] {
    const typed = partial.trim().toLowerCase();
    let order = typed ? this.rank(partial, !/\s$/.test(partial), MAX_CHOICES).map((entry) => entry.figure) : this.defaultOrder;
    // A partial made only of stopwords or single letters ("t", "the") still narrows by plain text.
    if (typed && order.length === 0) order = this.firstNamesContaining(typed);
    return order.slice(0, MAX_CHOICES).map((index) => ({ name: this.choiceNames[index], value: this.figures[index].id }));
  }

  /** The first choices (in default order) whose name contains the text; stops at a screenful. */
  private firstNamesContaining(typed: string): number[] {
    const found: number[] = [];
    for (const index of this.defaultOrder) {
      if (found.length === MAX_CHOICES) break;
      if (this.lowerCaseNames[index].includes(typed)) found.push(index);
    }
    return found;
  }

  matchQuestion(question: string): FigureMatch | null {
    if (!ASKS_FOR_NUMBER.test(question)) return null;
    const [best, second] = this.rank(question, false, 2);
    if (!best || best.coverage < 0.5 || (best.labelCoverage < 0.5 && best.labelMatched < 2)) return null;
    if (second && second.score > best.score * 0.9 && !sameNumber(this.figures[best.figure], this.figures[second.figure])) return null;
    return { figure: this.figures[best.figure], score: round(best.score) };
  }

  /** The `limit` best figures for a query, best first. */
  private rank(query: string, lastTermIsPrefix: boolean, limit: number, meaning?: FigureQueryMeaning): Scored[] {
    const terms = queryTerms(query);
    if (terms.length === 0 || limit <= 0) return [];
    // Per figure, in arrays indexed by figure and reused by every query (a common word's postings cover
    // most of a large catalog, too many for maps or fresh arrays): its score so far, the idf of the query
    // terms it matched, and for each query term the id of the index term that matched it best.
    const count = this.figures.length;
    const slots = count * terms.length;
    if (this.scratch.bestTerm.length < slots) this.scratch.bestTerm = new Int32Array(slots).fill(-1);
    const { scores, matched, bestWeight, bestTerm, termsMatched } = this.scratch;
    const touched: number[] = [];
    let queryWeight = 0;
    terms.forEach((term, position) => {
      const prefixOnly = lastTermIsPrefix && position === terms.length - 1;
      const idf = this.idf(term, prefixOnly);
      queryWeight += idf;
      // Each query term counts once per figure, through its best matching index term.
      const offset = position * count;
      const touchedByTerm: number[] = [];
      const said = (meaning?.alternatives.get(term) ?? []).filter(([other]) => this.termIds.has(other));
      for (const [indexTerm, factor] of [...this.expand(term, prefixOnly), ...said]) {
        const id = this.termIds.get(indexTerm)!;
        for (let at = this.postingStart[id]; at < this.postingStart[id + 1]; at++) {
          const figure = this.postingFigure[at];
          const weight = WEIGHTS[this.postingWeight[at]] * factor;
          if (weight > bestWeight[figure]) {
            if (bestWeight[figure] === 0) touchedByTerm.push(figure);
            bestWeight[figure] = weight;
            bestTerm[offset + figure] = id;
          }
        }
      }
      for (const figure of touchedByTerm) {
        if (matched[figure] === 0) touched.push(figure);
        if (position < MASKED_TERMS) termsMatched[figure] |= 1 << position;
        scores[figure] += bestWeight[figure] * idf;
        matched[figure] += idf;
        bestWeight[figure] = 0;
      }
    });
    const head = measureHead(query, terms);
    const intents = KIND_INTENTS.filter((intent) => intent.pattern.test(query)).flatMap((intent) => intent.kind);
    // "Hainan high-tech enterprises": a measure named by a plural noun may be a count of them (a count of that noun fits best).
    const countImplied = intents.length === 0 && head?.plural === true;
    const perUnitAsked = PER_UNIT.test(query);
    // Every index term that says the head noun, in either language.
    const headTerms = head ? this.termIdsSaying(terms[head.position], meaning) : [];
    // Per query term, the Chinese index terms that say it: what a Chinese label's characters are covered by.
    const hanSaying = terms.map((term) =>
      this.termIdsSaying(term, meaning)
        .map((id) => this.sortedTerms[id])
        .filter((text) => HAN.test(text)),
    );
    // The figures whose sentence, document or scope names each place asked about, in either language.
    const placed = (meaning?.places ?? []).map((names) => new Set(names.flatMap((name) => [...this.figuresWith(name)])));
    // The names of places and bodies the lookup asks about, as the catalog's scopes spell them (and the places' names in either language).
    const askedScope = new Set([...terms.filter((term) => this.scopeTerms.has(term)), ...(meaning?.places ?? []).flat()]);
    // The period asked for ("2022", "H1 2023", "2022年一季度"), matched against each figure's; with none asked, a plan's target or an estimate ranks below a measurement.
    const askedPeriod = resolvePeriod(query, 0, null);
    // "how many member centers …": the counted thing itself should be what a figure is about.
    const counted = query.match(/\bhow many\s+((?:(?!(?:did|does|do|are|were|is|was|have|has|had|will|can|in|of|for|at|on|there)\b)[\w'’-]+\s*){1,4})/i)?.[1];
    const countedTerms = counted ? queryTerms(counted) : [];
    // Only the best few are kept: sorting every touched figure would cost more than scoring them.
    const top: Scored[] = [];
    for (const figure of touched) {
      const entry = this.figures[figure];
      const labelIds = this.labelTermIds[figure];
      let labelMatched = 0;
      for (const id of labelIds) {
        for (let slot = figure; slot < slots; slot += count) {
          if (bestTerm[slot] === id) {
            labelMatched++;
            break;
          }
        }
      }
      const labelCoverage = this.hanLabel[figure] ? this.hanCoverage(figure, bestTerm, slots, hanSaying) : labelIds.length ? labelMatched / labelIds.length : 0;
      let score = scores[figure] * (1 + labelCoverage);
      if (intents.length) score *= intents.includes(entry.kind) ? KIND_FIT.asked : KIND_FIT.other;
      // The measure's head noun ("… high-tech enterprises", "… turnover") should be what the figure's label names.
      const headInLabel = headTerms.some((term) => this.headInLabel(figure, term));
      if (headInLabel) score *= HEAD_IN_LABEL;
      if (countImplied && headInLabel && entry.kind === 'count') score *= KIND_FIT.asked;
      // "破3000亿元", "over 2 trillion": a headline's round number ranks below the measured value it rounds.
      if (isRoundHeadline(entry)) score *= ROUND_HEADLINE;
      // A rate per unit ("per km²", "每平方公里") is another measure than the total, unless asked for.
      if (!perUnitAsked && PER_UNIT.test(entry.label)) score *= PER_UNIT_UNASKED;
      if (countedTerms.length && countedTerms.every((term) => this.labelNames(labelIds, term))) score *= 1.5;
      if (askedPeriod) score *= periodFit(askedPeriod, entry.period ?? periodOfDocument(entry));
      else if (isProjected(entry.period)) score *= PROJECTED_UNASKED;
      const elsewhere = placed.some((figures) => !figures.has(figure)) || (askedScope.size > 0 && this.otherScope(figure, askedScope));
      if (elsewhere) score *= OTHER_PLACE_FACTOR;
      if (top.length < limit || ranksBefore(score, figure, top[limit - 1])) {
        keepBest(
          top,
          {
            figure,
            score,
            coverage: queryWeight ? matched[figure] / queryWeight : 0,
            labelCoverage,
            labelMatched,
            elsewhere,
            termsMatched: termsMatched[figure],
          },
          limit,
        );
      }
    }
    // Leave the shared arrays as found: zeros, no matched term.
    for (const figure of touched) {
      scores[figure] = 0;
      matched[figure] = 0;
      for (let slot = figure; slot < slots; slot += count) bestTerm[slot] = -1;
      termsMatched[figure] = 0;
    }
    return top;
  }

  /**
   * Whether a figure may be about the same place as another: it names none, or the same (one name holding the other),
   * or one the lookup asks about.
   */
  private sameScopeAs(figure: number, other: number, asked: Set<string>): boolean {
    const [scope, otherScope] = [this.figures[figure].scope?.toLowerCase(), this.figures[other].scope?.toLowerCase()];
    if (!scope) return true;
    if (otherScope && (scope.includes(otherScope) || otherScope.includes(scope))) return true;
    return this.scopeTermsOf[figure].some((term) => asked.has(term));
  }

  /**
   * The share of a Chinese label's characters that the query's matched terms cover: its terms are its words and all its
   * character pairs, so a share of terms would rank a long label low however well its words are met.
   */
  private hanCoverage(figure: number, bestTerm: Int32Array, slots: number, hanSaying: string[][]): number {
    const label = this.figures[figure].label;
    const covered = new Uint8Array(label.length);
    const mark = (term: string) => {
      for (let at = label.indexOf(term); at >= 0; at = label.indexOf(term, at + 1)) covered.fill(1, at, at + term.length);
    };
    for (let position = 0, slot = figure; slot < slots; position++, slot += this.figures.length) {
      if (bestTerm[slot] < 0) continue;
      mark(this.sortedTerms[bestTerm[slot]]);
      for (const term of hanSaying[position]) mark(term);
    }
    let han = 0;
    let hit = 0;
    for (let i = 0; i < label.length; i++) {
      if (!HAN.test(label[i])) continue;
      han++;
      hit += covered[i];
    }
    return han ? hit / han : 0;
  }

  /** Whether one of a label's terms begins with a query term, or the term with it ("center" and "centers"). */
  private labelNames(labelIds: Int32Array, term: string): boolean {
    return labelIds.some((id) => this.sortedTerms[id].startsWith(term) || term.startsWith(this.sortedTerms[id]));
  }

  private termIdsSaying(term: string, meaning?: FigureQueryMeaning): number[] {
    const said = (meaning?.alternatives.get(term) ?? []).filter(([other]) => this.termIds.has(other));
    return [...this.expand(term, false), ...said].map(([indexTerm]) => this.termIds.get(indexTerm)!);
  }

  /** Whether a label names a term as its head: anywhere in English ("turnover of … contracts"), at the end in Chinese (…合同总量, not …合同的技术卖方). */
  private headInLabel(figure: number, term: number): boolean {
    if (!this.labelTermIds[figure].includes(term)) return false;
    const text = this.sortedTerms[term];
    if (!HAN.test(text)) return true;
    const label = this.figures[figure].label;
    return label.lastIndexOf(text) >= label.length - text.length - CHINESE_HEAD_SLACK;
  }

  /** Whether a figure is said to be about a place or body, none of whose words the lookup asks about. */
  private otherScope(figure: number, asked: Set<string>): boolean {
    const scope = this.scopeTermsOf[figure];
    return scope.length > 0 && !scope.some((term) => asked.has(term));
  }

  private idf(term: string, prefix: boolean): number {
    let df = this.figureFrequency(term);
    if (prefix || df === 0) {
      for (const [indexTerm] of this.expand(term, true)) df = Math.max(df, this.figureFrequency(indexTerm));
    }
    return Math.log(1 + (this.figures.length + 1) / (df + 0.5));
  }

  /** The index terms a query term matches: itself, and (for 3+ characters) the terms it begins. */
  private *expand(term: string, prefixOnly: boolean): Generator<[string, number]> {
    if (this.termIds.has(term)) yield [term, 1];
    if (term.length < (prefixOnly ? 1 : 3)) return;
    let low = 0;
    let high = this.sortedTerms.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.sortedTerms[middle] < term) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < this.sortedTerms.length && this.sortedTerms[i].startsWith(term); i++) {
      if (this.sortedTerms[i] !== term) yield [this.sortedTerms[i], prefixOnly ? 0.9 : PREFIX_FACTOR];
    }
  }
}

/**
 * The head noun of the measure a lookup names: its last word that is not a year, a word of time or target, or a
 * participle ("technology contracts registered 2023" → contracts); its position among the query's terms, and whether
 * it is an English plural (a count: "high-tech enterprises").
 */
function measureHead(query: string, terms: string[]): { position: number; plural: boolean } | null {
  const words = query.match(/[\p{L}\p{N}][\p{L}\p{N}&'’-]*/gu) ?? [];
  for (let index = words.length - 1; index >= 0; index--) {
    const word = words[index];
    const lower = word.toLowerCase();
    if (/^\d/.test(word) || NOT_HEAD_WORDS.has(lower) || /^[a-z]{3,}ed$/.test(lower)) continue;
    const wordTerms = queryTerms(word);
    const last = wordTerms.at(-1);
    const position = last === undefined ? -1 : terms.lastIndexOf(last);
    if (position < 0) continue;
    return { position, plural: /^[a-z]{3,}[^s']s$/.test(lower) && !/\p{Script=Han}/u.test(word) };
  }
  return null;
}

/** The period a figure is about: its own, or (naming none) the year its release reports on. */
function measuredPeriod(figure: Figure): string | null {
  return figure.period ?? periodOfRelease(figure.source.date);
}

/** The year a figure is about; -1 when unknown. */
function measuredYear(figure: Figure): number {
  return periodYear(measuredPeriod(figure)) ?? -1;
}

/** "3000亿元", "2 trillion yuan", "7000家": one significant digit, a thousand or more. */
function isRoundHeadline(figure: Figure): boolean {
  if (figure.kind !== 'amount' && figure.kind !== 'count') return false;
  const magnitude = Math.abs(figure.value);
  if (magnitude < 1000) return false;
  const scale = 10 ** Math.floor(Math.log10(magnitude));
  return Math.abs(magnitude / scale - Math.round(magnitude / scale)) < 1e-9;
}

/**
 * A figure whose sentence names no period is about its document's time: the year it is dated or the one before
 * (a release reports the past year). Undated, it may be about any.
 */
function periodOfDocument(figure: Figure): string | null {
  const year = figure.source.date?.match(/^(\d{4})/)?.[1];
  return year ? `${Number(year) - 1}–${year}` : null;
}

/** Ranking order: higher score first, then the earlier figure. */
function ranksBefore(score: number, figure: number, other: Scored): boolean {
  return score > other.score || (score === other.score && figure < other.figure);
}

/** Inserts a candidate that belongs among the best `limit` into `top` (in ranking order), dropping the one it displaces. */
function keepBest(top: Scored[], candidate: Scored, limit: number): void {
  let position = Math.min(top.length, limit - 1);
  while (position > 0 && ranksBefore(candidate.score, candidate.figure, top[position - 1])) position--;
  top.splice(position, 0, candidate);
  if (top.length > limit) top.pop();
}

function sameNumber(a: Figure, b: Figure): boolean {
  return a.value === b.value && a.unit === b.unit;
}

/** "contracted technology transactions — 412.076 billion yuan (Shaanxi, 2023)": measure — value (place, period), at most 100 characters. */
export function choiceName(figure: Figure): string {
  const context = [figure.scope, figure.period].filter(Boolean).join(', ');
  const tail = ` — ${figure.raw}${context ? ` (${context})` : ''}`;
  const room = MAX_CHOICE_NAME - tail.length;
  if (room >= 20) return figure.label.length <= room ? `${figure.label}${tail}` : `${figure.label.slice(0, room - 1)}…${tail}`;
  const whole = `${figure.label}${tail}`;
  return whole.length <= MAX_CHOICE_NAME ? whole : `${whole.slice(0, MAX_CHOICE_NAME - 1)}…`;
}

/** Lets pending I/O and timers run before the next slice of work. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** A name's runs of three letters (lower case, per word, padded) and of two Chinese characters. */
function letterRuns(text: string): Set<string> {
  const runs = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z0-9]+|\p{Script=Han}+/gu) ?? []) {
    const size = HAN.test(word) ? 2 : 3;
    const padded = HAN.test(word) ? word : ` ${word} `;
    for (let at = 0; at + size <= padded.length; at++) runs.add(padded.slice(at, at + size));
    if (padded.length < size) runs.add(padded);
  }
  return runs;
}
