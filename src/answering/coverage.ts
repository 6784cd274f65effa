import { hasAlternative, type Concept } from '../meaning/concepts.js';
import { splitSentences } from '../text/sentences.js';
import { tokenize, tokenizeClauses, tokenizeDated } from '../text/tokenize.js';
import { dateWords, type WeightedConcept } from './question.js';
import type { RetrievedPassage } from './types.js';

/** A passage cut into sentences and terms, once for all the answerer reads of it. */
export interface ReadPassage {
  passage: RetrievedPassage;
  /** Its place among the passages retrieved for the question (0 = first). */
  rank: number;
  sentences: string[];
  /** Each sentence's terms, with its section heading's. */
  sentenceTerms: Set<string>[];
  /** Each sentence's clauses (between semicolons and commas) with their terms, heading's included; none for a sentence of one clause. */
  clauses: { text: string; terms: Set<string> }[][];
  /** Its sentences' terms (heading included) and its document's title and date. */
  passageTerms: Set<string>;
  /** Its document's title's terms. */
  titleTerms: Set<string>;
}

/** How a question's concept is met by a text: its own term, a synonym, a translation, a near word, a shared prefix. */
export type MatchKind = 'exact' | 'synonym' | 'translation' | 'near' | 'prefix';

export interface Coverage {
  /** Weighted share of the question's focus met, each concept at the credit of how it is met (0–1). */
  coverage: number;
  /** The concepts met (their terms). */
  matched: Set<string>;
  /** The weighted share met in each way (word for word, by synonym, ...), and met only in the context given. */
  byKind: Record<MatchKind | 'context', number>;
}

/** Credit for a question term met only through a shared prefix (tech/technology). */
const PREFIX_CREDIT = 0.6;
/** Credit for a question term met only in the sentence before. */
const CONTEXT_CREDIT = 0.5;
const HAN = /\p{Script=Han}/u;

/** The document's date is part of what a passage is about: "the December 2020 report" names it. */
export function readPassage(passage: RetrievedPassage, rank: number): ReadPassage {
  const headingTerms = tokenize(passage.heading ?? '');
  const sentences = splitSentences(passage.text);
  // A sentence is tokenized clause by clause (no term spans a comma or a semicolon), so that its clauses' terms come too.
  // Its Chinese is read as character pairs alone: the answerer meets a Chinese word by its pairs (termsOfAlternative), so
  // the segmenter's words would add nothing it matches, at half the cost of reading the passages.
  const clauses = sentences.map((sentence) =>
    tokenizeClauses(sentence, passage.meta.date, { chineseWords: false }).map(({ text, terms }) => ({ text, terms: new Set([...terms, ...headingTerms]) })),
  );
  const sentenceTerms = clauses.map((parts) => new Set([...headingTerms, ...parts.flatMap(({ terms }) => [...terms])]));
  const titleTerms = new Set(tokenize(passage.meta.title));
  const passageTerms = new Set([
    ...tokenizeDated(`${passage.meta.title}\n${dateWords(passage.meta.date)}`, passage.meta.date),
    ...headingTerms,
    ...sentenceTerms.flatMap((terms) => [...terms]),
  ]);
  return { passage, rank, sentences, sentenceTerms, clauses: clauses.map((parts) => (parts.length > 1 ? parts : [])), passageTerms, titleTerms };
}

/**
 * Weighted share of question terms present, with partial credit for synonyms, translations and shared prefixes, and
 * for terms found only in the context (the sentence before, which a "The first prize went to…" continues). A place
 * its document's title names is what each of its sentences is about ("经济增长6％左右" in Hubei's report).
 */
export function coverage(
  weights: WeightedConcept[],
  terms: Set<string> | Set<string>[],
  total: number,
  context: { before?: Set<string>; subject?: Set<string> } = {},
): Coverage {
  let sum = 0;
  const matched = new Set<string>();
  const byKind = { exact: 0, synonym: 0, translation: 0, near: 0, prefix: 0, context: 0 };
  const sets = Array.isArray(terms) ? terms : [terms];
  for (const { concept, weight } of weights) {
    let met: Match | null = null;
    for (const set of sets) met = better(met, matchIn(concept, set));
    if (concept.place && context.subject) met = better(met, matchIn(concept, context.subject));
    const before = context.before ? matchIn(concept, context.before) : null;
    if (before) met = better(met, { credit: CONTEXT_CREDIT * before.credit, kind: 'context' });
    if (!met) continue;
    byKind[met.kind] += met.credit * weight;
    sum += met.credit * weight;
    matched.add(concept.term);
  }
  const share = (value: number) => (total > 0 ? Math.min(1, value / total) : 0);
  return {
    coverage: share(sum),
    matched,
    byKind: {
      exact: share(byKind.exact),
      synonym: share(byKind.synonym),
      translation: share(byKind.translation),
      near: share(byKind.near),
      prefix: share(byKind.prefix),
      context: share(byKind.context),
    },
  };
}

interface Match {
  credit: number;
  kind: MatchKind | 'context';
}

function better(met: Match | null, way: Match | null): Match | null {
  return way && (!met || way.credit > met.credit) ? way : met;
}

const matchesOf = new WeakMap<Set<string>, Map<Concept, Match | null>>();

/** termMatch, once per set of terms and concept: a sentence's terms are measured against the question several ways. */
function matchIn(concept: Concept, terms: Set<string>): Match | null {
  let matches = matchesOf.get(terms);
  if (!matches) {
    matches = new Map<Concept, Match | null>();
    matchesOf.set(terms, matches);
  }
  let match = matches.get(concept);
  if (match === undefined) matches.set(concept, (match = termMatch(concept, terms)));
  return match;
}

/** How a text's terms meet a concept, at what credit: 1 for the term itself, an alternative's credit, less for a shared prefix. */
function termMatch(concept: Concept, terms: Set<string>): { credit: number; kind: MatchKind } | null {
  const { term, alternatives } = concept;
  if (hasAlternative(terms, term)) return { credit: 1, kind: 'exact' };
  let best: { credit: number; kind: MatchKind } | null = null;
  for (const [alternative, credit] of alternatives) {
    if ((best && credit <= best.credit) || !hasAlternative(terms, alternative)) continue;
    const kind = HAN.test(alternative) !== HAN.test(term) ? 'translation' : concept.near?.has(alternative) ? 'near' : 'synonym';
    best = { credit, kind };
  }
  if (best) return best;
  if (term.length >= 4 && longTerms(terms).some((t) => t.startsWith(term) || term.startsWith(t))) return { credit: PREFIX_CREDIT, kind: 'prefix' };
  return null;
}

const longTermsOf = new WeakMap<Set<string>, string[]>();

/** A set's terms of four characters or more (those a prefix may meet), listed once per set. */
function longTerms(terms: Set<string>): string[] {
  let long = longTermsOf.get(terms);
  if (!long) longTermsOf.set(terms, (long = [...terms].filter((t) => t.length >= 4)));
  return long;
}

/** The credit a text's terms earn for a concept (0 when they do not meet it). */
export function termCredit(concept: Concept, terms: Set<string>): number {
  return termMatch(concept, terms)?.credit ?? 0;
}
