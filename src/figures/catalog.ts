import { queryTerms, tokenize } from '../text/tokenize.js';
import type { FigureQueryMeaning } from './query-meaning.js';
import type { Figure, FigureChoice, FigureKind, FigureMatch } from './types.js';

/**
 * In-memory lookup over the figures of one index generation: a small weighted inverted index (label terms
 * count most, then scope and period, then the sentence), with prefix matching so partial and abbreviated
 * words ("tech", "transac") still find their figure, and a preference for the kind of number a query asks
 * for ("how many" → counts, "growth" → growth rates).
 */

const FIELD_WEIGHTS = { label: 3, scope: 1.5, period: 1.5, kind: 0.8, raw: 1, quote: 1, title: 0.3 } as const;
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
const YEAR = /\b(?:19|20)\d{2}\b/g;
const PREFIX_FACTOR = 0.7;
/**
 * A figure that names no place asked about ranks below the place's own, unless it matches far better. Chosen on the even
 * lines of press-dev-figures (0.5 and 0.7 found 11 of 15 first, 0.3 ten, 1 nine); the odd lines 7 of 15 with 0.5.
 */
const OTHER_PLACE_FACTOR = 0.5;
const MIN_RELATIVE_SCORE = 0.25;
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;

interface Posting {
  figure: number;
  weight: number;
}

interface Scored {
  figure: number;
  score: number;
  /** Share of the query's (idf-weighted) terms this figure matched. */
  coverage: number;
  /** Share of the figure's label terms the query matched, and how many. */
  labelCoverage: number;
  labelMatched: number;
}

/** How long a slice of a gradual build may hold the event loop. */
const SLICE_MS = 10;

export class FigureIndex {
  private readonly postings = new Map<string, Posting[]>();
  private readonly labelTerms: string[][] = [];
  private readonly choiceNames: string[] = [];
  /** Lower-cased choice names, for the plain-text fallback. */
  private readonly lowerCaseNames: string[] = [];
  private sortedTerms: string[] = [];
  /** Each index term's position in sortedTerms, and each figure's label terms as such ids. */
  private readonly termIds = new Map<string, number>();
  private labelTermIds: number[][] = [];
  /** Working arrays of `rank`, sized to the catalog once it is built. */
  private scratch = { scores: new Float64Array(0), matched: new Float64Array(0), bestWeight: new Float64Array(0), bestTerm: new Int32Array(0) };
  private defaultOrder: number[] = [];
  /** Figures of one sentence share its quote, title and kind words: each text is tokenized once while building. */
  private tokenized: Map<string, string[]> | null = new Map();

  private constructor(private readonly figures: Figure[]) {}

  static build(figures: Figure[]): FigureIndex {
    const index = new FigureIndex(figures);
    figures.forEach((figure, position) => index.add(figure, position));
    return index.finish();
  }

  /**
   * The same index, built a slice at a time with the event loop free in between: a catalog of a
   * hundred thousand figures takes seconds to index, which a running bot must not stop for.
   */
  static async buildInSlices(figures: Figure[]): Promise<FigureIndex> {
    const index = new FigureIndex(figures);
    let sliceStarted = performance.now();
    for (let position = 0; position < figures.length; position++) {
      index.add(figures[position], position);
      if (performance.now() - sliceStarted > SLICE_MS) {
        await yieldToEventLoop();
        sliceStarted = performance.now();
      }
    }
    return index.finish();
  }

  private terms(text: string): string[] {
    let cached = this.tokenized!.get(text);
    if (!cached) this.tokenized!.set(text, (cached = [...new Set(tokenize(text))]));
    return cached;
  }

  private add(figure: Figure, position: number): void {
    this.labelTerms.push(this.terms(figure.label));
    const name = choiceName(figure);
    this.choiceNames.push(name);
    this.lowerCaseNames.push(name.toLowerCase());
    const weights = new Map<string, number>();
    const add = (text: string | null, weight: number) => {
      for (const term of this.terms(text ?? '')) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
    };
    add(figure.quote, FIELD_WEIGHTS.quote);
    add(figure.source.title, FIELD_WEIGHTS.title);
    add(KIND_WORDS[figure.kind], FIELD_WEIGHTS.kind);
    add(figure.raw, FIELD_WEIGHTS.raw);
    add(figure.period?.replace(/[–-]/g, ' ') ?? null, FIELD_WEIGHTS.period);
    add(figure.scope, FIELD_WEIGHTS.scope);
    add(figure.label, FIELD_WEIGHTS.label);
    for (const [term, weight] of weights) {
      let list = this.postings.get(term);
      if (!list) this.postings.set(term, (list = []));
      list.push({ figure: position, weight });
    }
  }

  private finish(): FigureIndex {
    this.tokenized = null;
    this.sortedTerms = [...this.postings.keys()].sort();
    this.sortedTerms.forEach((term, id) => this.termIds.set(term, id));
    this.labelTermIds = this.labelTerms.map((terms) => terms.map((term) => this.termIds.get(term)!));
    const count = this.figures.length;
    this.scratch = {
      scores: new Float64Array(count),
      matched: new Float64Array(count),
      bestWeight: new Float64Array(count),
      bestTerm: new Int32Array(count * 4).fill(-1),
    };
    const figures = this.figures;
    // Newest documents first, then document order: what an empty autocomplete shows.
    this.defaultOrder = figures.map((_, index) => index).sort((a, b) => (figures[b].source.date ?? '').localeCompare(figures[a].source.date ?? '') || a - b);
    return this;
  }

  search(query: string, limit: number, meaning?: FigureQueryMeaning): FigureMatch[] {
    const ranked = this.rank(query, false, limit, meaning);
    // Figures that share only a stray word with the query are noise, not matches.
    const floor = (ranked[0]?.score ?? 0) * MIN_RELATIVE_SCORE;
    return ranked
      .filter((entry) => entry.score >= floor)
      .slice(0, Math.max(0, limit))
      .map((entry) => ({ figure: this.figures[entry.figure], score: round(entry.score) }));
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
    const { scores, matched, bestWeight, bestTerm } = this.scratch;
    const touched: number[] = [];
    let queryWeight = 0;
    terms.forEach((term, position) => {
      const prefixOnly = lastTermIsPrefix && position === terms.length - 1;
      const idf = this.idf(term, prefixOnly);
      queryWeight += idf;
      // Each query term counts once per figure, through its best matching index term.
      const offset = position * count;
      const touchedByTerm: number[] = [];
      const said = (meaning?.alternatives.get(term) ?? []).filter(([other]) => this.postings.has(other));
      for (const [indexTerm, factor] of [...this.expand(term, prefixOnly), ...said]) {
        const id = this.termIds.get(indexTerm)!;
        for (const posting of this.postings.get(indexTerm)!) {
          const weight = posting.weight * factor;
          if (weight > bestWeight[posting.figure]) {
            if (bestWeight[posting.figure] === 0) touchedByTerm.push(posting.figure);
            bestWeight[posting.figure] = weight;
            bestTerm[offset + posting.figure] = id;
          }
        }
      }
      for (const figure of touchedByTerm) {
        if (matched[figure] === 0) touched.push(figure);
        scores[figure] += bestWeight[figure] * idf;
        matched[figure] += idf;
        bestWeight[figure] = 0;
      }
    });
    const intents = KIND_INTENTS.filter((intent) => intent.pattern.test(query)).flatMap((intent) => intent.kind);
    // The figures whose sentence, document or scope names each place asked about, in either language.
    const placed = (meaning?.places ?? []).map((names) => new Set(names.flatMap((name) => (this.postings.get(name) ?? []).map(({ figure }) => figure))));
    const years = query.match(YEAR) ?? [];
    // "how many member centers …": the counted thing itself should be what a figure is about.
    const counted = query.match(/\bhow many\s+((?:(?!(?:did|does|do|are|were|is|was|have|has|had|will|can|in|of|for|at|on|there)\b)[\w'’-]+\s*){1,4})/i)?.[1];
    const countedTerms = counted ? queryTerms(counted) : [];
    // Only the best few are kept: sorting every touched figure would cost more than scoring them.
    const top: Scored[] = [];
    for (const figure of touched) {
      const entry = this.figures[figure];
      const label = this.labelTerms[figure];
      let labelMatched = 0;
      for (const id of this.labelTermIds[figure]) {
        for (let slot = figure; slot < slots; slot += count) {
          if (bestTerm[slot] === id) {
            labelMatched++;
            break;
          }
        }
      }
      const labelCoverage = label.length ? labelMatched / label.length : 0;
      let score = scores[figure] * (1 + labelCoverage);
      if (intents.length && intents.includes(entry.kind)) score *= 1.3;
      if (countedTerms.length && countedTerms.every((term) => label.some((labelTerm) => labelTerm.startsWith(term) || term.startsWith(labelTerm))))
        score *= 1.5;
      if (years.length && entry.period && !years.some((year) => entry.period?.includes(year))) score *= 0.7;
      if (placed.some((figures) => !figures.has(figure))) score *= OTHER_PLACE_FACTOR;
      if (top.length < limit || ranksBefore(score, figure, top[limit - 1])) {
        keepBest(top, { figure, score, coverage: queryWeight ? matched[figure] / queryWeight : 0, labelCoverage, labelMatched }, limit);
      }
    }
    // Leave the shared arrays as found: zeros, no matched term.
    for (const figure of touched) {
      scores[figure] = 0;
      matched[figure] = 0;
      for (let slot = figure; slot < slots; slot += count) bestTerm[slot] = -1;
    }
    return top;
  }

  private idf(term: string, prefix: boolean): number {
    let df = this.postings.get(term)?.length ?? 0;
    if (prefix || df === 0) {
      for (const [indexTerm] of this.expand(term, true)) df = Math.max(df, this.postings.get(indexTerm)?.length ?? 0);
    }
    return Math.log(1 + (this.figures.length + 1) / (df + 0.5));
  }

  /** The index terms a query term matches: itself, and (for 3+ characters) the terms it begins. */
  private *expand(term: string, prefixOnly: boolean): Generator<[string, number]> {
    if (this.postings.has(term)) yield [term, 1];
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
