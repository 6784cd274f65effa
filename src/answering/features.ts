import { namesConcept, type Concept } from '../meaning/concepts.js';
import { LIST_ITEM } from '../text/sentences.js';
import { tokenize } from '../text/tokenize.js';
import { countContexts, fitsAnswerType, statesAnswer, type AnswerType } from './answer-type.js';
import { termCredit, type Coverage, type ReadPassage } from './coverage.js';
import type { QuestionReading } from './question.js';
import type { AnswerContext } from './types.js';

/**
 * What is measured of one candidate: a sentence of a retrieved passage, for one question. The features below are
 * numbers computed from it, one function each; the answer model (data/tuning/answer-model.json) weighs them. None
 * names a word of a corpus: they measure how the question's words, names, places, years and kind of answer are met.
 */
export interface CandidateView {
  context: AnswerContext;
  question: QuestionReading;
  read: ReadPassage;
  position: number;
  sentence: string;
  /** Whether the passage is in Chinese. */
  chinese: boolean;
  /** The sentence's coverage of the question (with its heading, the sentence before, the title's places). */
  sentenceCoverage: Coverage;
  /** The sentence's coverage with the words the corpus lacks at their full weight. */
  strictCoverage: number;
  /** The sentence's clauses (between commas and semicolons) with their terms; none when it has one clause. */
  clauses: { text: string; terms: Set<string> }[];
  /** The coverage of the sentence's clause that covers most (the sentence's own when it has one clause). */
  clauseCoverage: Coverage;
  /** The coverage of the sentence together with the sentences before and after it. */
  neighbourCoverage: Coverage;
  /** The passage's coverage (its sentences, heading, title and date), by the question's words without near words. */
  passageCoverage: Coverage;
  /** The coverage of the document's title. */
  titleCoverage: Coverage;
  /** The best sentence and passage coverage among all the question's candidates. */
  best: { sentence: number; passage: number };
  /** Whether no other sentence of the passage covers more of the question. */
  bestInPassage: boolean;
}

export interface Feature {
  name: string;
  measure: (view: CandidateView) => number;
  /** It looks the passage's document up in the index: measured only for a candidate that could still be quoted. */
  readsDocument?: true;
}

const TABLE_ROW = /\S\s*\|\s*\S/;
const STATES_YEAR = /\b(?:19|20)\d{2}\b/;

/** 1 for true, 0 for false. */
const flag = (value: boolean): number => (value ? 1 : 0);
/** A retrieval rank as a number that falls with it: 1 first, 1/2 second, …; 0 when the passage is not in that ranking. */
const reciprocal = (rank: number | null | undefined): number => (rank === null || rank === undefined ? 0 : 1 / (1 + rank));

/** A standing among the candidates weighed by the passage's coverage of the question. */
const corroborated = (view: CandidateView, standing: number): number => standing * view.passageCoverage.coverage;

/** The share of concepts a text's terms do not meet (0 when there are none). */
function unmetShare(concepts: Concept[], terms: Set<string>): number {
  if (!concepts.length) return 0;
  return concepts.filter((concept) => termCredit(concept, terms) === 0).length / concepts.length;
}

/** A measure of the passage, the same for each of its sentences: computed once per passage. */
function perPassage<T>(measure: (view: CandidateView) => T): (view: CandidateView) => T {
  const known = new WeakMap<ReadPassage, T>();
  return (view) => {
    if (!known.has(view.read)) known.set(view.read, measure(view));
    return known.get(view.read)!;
  };
}

/** Whether the passage's document names a concept anywhere. */
function documentNames(view: CandidateView, concept: Concept): boolean {
  return namesConcept(concept, { has: (term) => documentHas(view, term) });
}

function documentHas(view: CandidateView, term: string): boolean {
  return view.context.corpus.documentHas(view.read.passage.docId, term);
}

/** Whether the passage names a place other than those asked about (their terms in either language). */
const namesOtherPlace = perPassage((view: CandidateView): boolean => {
  const dictionary = view.context.meaning?.dictionary;
  if (!dictionary) return false;
  for (const term of view.read.passageTerms) if (!view.question.placesAsked.has(term) && dictionary.isPlaceTerm(term)) return true;
  return false;
});

function sentenceTerms(view: CandidateView): Set<string> {
  return view.read.sentenceTerms[view.position];
}

/** The weight of the question's heaviest concept that a coverage did not meet, as a share of the focus weight. */
function heaviestUnmet(view: CandidateView, met: Coverage): number {
  const { question } = view;
  const scored = view.chinese ? question : question.forEnglish;
  const unmet = scored.weighted.filter(({ concept }) => !met.matched.has(concept.term)).map(({ weight }) => weight);
  return unmet.length && scored.total > 0 ? Math.min(1, Math.max(...unmet) / scored.total) : 0;
}

/** 1 when the question asks for an answer of the kind and the sentence is not of it. */
function typeMissing(view: CandidateView, type: AnswerType): number {
  return flag(view.question.answerType === type && !fitsAnswerType(view.sentence, type));
}

/** Whether a number in the sentence counts what a count question counts: a number near the phrase's head (its last word). */
function countsAsked(view: CandidateView): boolean {
  const counted = view.question.attribute.at(-1);
  return !counted || TABLE_ROW.test(view.sentence) || countContexts(view.sentence).some((around) => termCredit(counted, new Set(tokenize(around))) > 0);
}

export const FEATURES: readonly Feature[] = [
  // How much of the question the sentence says, and how.
  { name: 'sentence_coverage', measure: (v) => v.sentenceCoverage.coverage }, // weighted share of the question's focus the sentence meets
  { name: 'sentence_exact', measure: (v) => v.sentenceCoverage.byKind.exact }, // ... met word for word
  { name: 'sentence_synonym', measure: (v) => v.sentenceCoverage.byKind.synonym }, // ... met by a synonym
  { name: 'sentence_translation', measure: (v) => v.sentenceCoverage.byKind.translation }, // ... met by a translation
  { name: 'sentence_near', measure: (v) => v.sentenceCoverage.byKind.near }, // ... met by a word close in meaning only
  { name: 'sentence_prefix', measure: (v) => v.sentenceCoverage.byKind.prefix }, // ... met by a shared prefix only
  { name: 'sentence_context', measure: (v) => v.sentenceCoverage.byKind.context }, // ... met only in the sentence before
  { name: 'strict_coverage', measure: (v) => v.strictCoverage }, // the sentence's coverage with the words the corpus lacks at full weight
  { name: 'clause_coverage', measure: (v) => v.clauseCoverage.coverage }, // the share met by the sentence's best clause
  { name: 'heaviest_unmet_sentence', measure: (v) => heaviestUnmet(v, v.sentenceCoverage) }, // the heaviest question word the sentence lacks
  { name: 'heaviest_unmet_passage', measure: (v) => heaviestUnmet(v, v.passageCoverage) }, // ... the passage lacks
  { name: 'neighbour_coverage', measure: (v) => v.neighbourCoverage.coverage }, // the share met by the sentence with its neighbours
  { name: 'passage_coverage', measure: (v) => v.passageCoverage.coverage }, // the share met by the whole passage, title and date
  { name: 'title_coverage', measure: (v) => v.titleCoverage.coverage }, // the share met by the document's title
  { name: 'coverage_gap', measure: (v) => v.sentenceCoverage.coverage - v.best.sentence }, // how far below the question's best sentence
  { name: 'passage_gap', measure: (v) => v.passageCoverage.coverage - v.best.passage }, // how far below the question's best passage
  { name: 'best_in_passage', measure: (v) => corroborated(v, flag(v.bestInPassage)) }, // no sentence of its passage covers more (times its coverage)
  // What the question has that the corpus does not.
  { name: 'absent_share', measure: (v) => v.question.absentShare }, // share of the question's weight the corpus lacks in every form
  { name: 'unknown_characters', measure: (v) => v.question.unknownCharacters }, // share of a Chinese question's characters in no pair the corpus has
  { name: 'unknown_name', measure: (v) => flag(v.question.unknownName) }, // a name asked is unknown to the corpus in every form
  { name: 'unknown_place', measure: (v) => flag(v.question.unknownPlace) }, // a place asked is named by no document of the library
  // Names, titles.
  {
    // share of the names asked that neither the passage nor its document has
    name: 'names_missing',
    readsDocument: true,
    measure: perPassage((v) =>
      v.question.names.length
        ? v.question.names.filter((name) => termCredit(name, v.read.passageTerms) === 0 && !documentNames(v, name)).length / v.question.names.length
        : 0,
    ),
  },
  { name: 'names_unmet_sentence', measure: (v) => unmetShare(v.question.names, sentenceTerms(v)) }, // share of the names the sentence lacks
  {
    // the question names a title in title marks that neither the document's title nor the passage has
    name: 'title_named_unmet',
    measure: (v) => flag(v.question.titlesNamed.some((title) => !v.read.passage.meta.title.includes(title) && !v.read.passage.text.includes(title))),
  },
  {
    // the question names a title in title marks and this is its document
    name: 'title_named_met',
    measure: (v) => flag(v.question.titlesNamed.length > 0 && v.question.titlesNamed.every((title) => v.read.passage.meta.title.includes(title))),
  },
  // The kind of answer asked.
  { name: 'type_fits', measure: (v) => flag(v.question.answerType !== 'other' && fitsAnswerType(v.sentence, v.question.answerType)) }, // a sentence of the kind asked
  {
    // a number or count is asked and the sentence has none
    name: 'number_missing',
    measure: (v) => flag((v.question.answerType === 'number' || v.question.answerType === 'count') && !fitsAnswerType(v.sentence, v.question.answerType)),
  },
  { name: 'time_missing', measure: (v) => typeMissing(v, 'time') }, // a date is asked and the sentence states none
  { name: 'duration_missing', measure: (v) => typeMissing(v, 'duration') }, // a duration is asked and the sentence states none
  { name: 'person_missing', measure: (v) => typeMissing(v, 'person') }, // a person is asked and the sentence names none
  { name: 'name_missing', measure: (v) => typeMissing(v, 'name') }, // a name (which company, city) is asked and the sentence has none
  { name: 'definition_missing', measure: (v) => typeMissing(v, 'definition') }, // a definition is asked and the sentence defines nothing
  { name: 'states_answer', measure: (v) => flag(v.question.answerType !== 'other' && statesAnswer(v.sentence, v.question.answerType)) }, // states it outright (期限为二十年)
  {
    // a number or count is asked of something and no clause of the sentence holds both a number and that thing
    name: 'attribute_number_apart',
    measure: (v) => {
      const counted = v.question.attribute.at(-1);
      if (!counted || (v.question.answerType !== 'number' && v.question.answerType !== 'count')) return 0;
      const clauses = v.clauses.length ? v.clauses : [{ text: v.sentence, terms: sentenceTerms(v) }];
      return flag(!clauses.some(({ text, terms }) => fitsAnswerType(text, 'number') && termCredit(counted, terms) > 0));
    },
  },
  { name: 'count_head_unmet', measure: (v) => flag(v.question.answerType === 'count' && !countsAsked(v)) }, // a count asked, no number near its head
  // What the question asks the figure of (收费标准, "technology contracts").
  {
    // share of the attribute's words the passage lacks (in the other language: 1 when none of its translated words is met)
    name: 'attribute_unmet',
    measure: perPassage((v) => {
      const { attribute, language } = v.question;
      if (v.chinese === (language === 'zh')) return unmetShare(attribute, v.read.passageTerms);
      const translated = attribute.filter(({ alternatives }) => alternatives.size > 0);
      return flag(translated.length > 0 && translated.every((concept) => termCredit(concept, v.read.passageTerms) === 0));
    }),
  },
  { name: 'attribute_unmet_sentence', measure: (v) => unmetShare(v.question.attribute, sentenceTerms(v)) }, // share of them the sentence lacks
  // Years.
  { name: 'year_asked', measure: (v) => flag(v.question.years.length > 0) }, // the question names a year
  { name: 'year_in_sentence', measure: (v) => flag(v.question.years.some((year) => sentenceTerms(v).has(year))) }, // the sentence states it
  {
    // the question names a year and the sentence states only others
    name: 'year_conflict_sentence',
    measure: (v) => flag(v.question.years.length > 0 && STATES_YEAR.test(v.sentence) && !v.question.years.some((year) => sentenceTerms(v).has(year))),
  },
  { name: 'year_of_document', measure: (v) => flag(v.question.years.some((year) => v.read.passage.meta.date?.startsWith(year))) }, // the document is dated in it
  {
    // a year asked that the passage does not state, its document's date is not in, and the passage (naming other years) or document does not name
    name: 'year_conflict_passage',
    readsDocument: true,
    measure: perPassage((v) => {
      const { passage, passageTerms } = v.read;
      const namesYear = STATES_YEAR.test(passage.text);
      return flag(v.question.years.some((year) => !passageTerms.has(year) && !passage.meta.date?.startsWith(year) && (namesYear || !documentHas(v, year))));
    }),
  },
  // Places.
  { name: 'place_asked', measure: (v) => flag(v.question.placesToName.length > 0) }, // the question names a place a passage must name
  {
    // share of the places asked that the sentence (or its document's title) does not name
    name: 'place_unmet_sentence',
    measure: (v) => unmetShare(v.question.placesToName, new Set([...sentenceTerms(v), ...v.read.titleTerms])),
  },
  {
    // a place asked that the passage does not name, where it names another place or its document never names this one
    name: 'place_conflict',
    readsDocument: true,
    measure: perPassage((v) =>
      flag(v.question.placesToName.some((place) => termCredit(place, v.read.passageTerms) === 0 && (namesOtherPlace(v) || !documentNames(v, place)))),
    ),
  },
  { name: 'other_place_named', measure: (v) => flag(v.question.placesToName.length > 0 && namesOtherPlace(v)) }, // the passage names a place not asked
  // Where retrieval put the passage, each as corroboration of what the passage says: times its coverage of the question
  // (alone, a first place would credit the best sentence of every question, an unanswerable one's too).
  { name: 'fused_rank', measure: (v) => corroborated(v, reciprocal(v.read.rank)) }, // its place among the passages the answer is made from
  { name: 'lexical_rank', measure: (v) => corroborated(v, reciprocal(v.read.passage.ranks?.lexical)) }, // in the ranking by the question's words
  { name: 'vector_rank', measure: (v) => corroborated(v, reciprocal(v.read.passage.ranks?.vector)) }, // in the ranking by vectors
  { name: 'translation_rank', measure: (v) => corroborated(v, reciprocal(v.read.passage.ranks?.translation)) }, // by the question's translations
  // Languages.
  { name: 'question_chinese', measure: (v) => flag(v.question.language === 'zh') }, // the question is in Chinese
  { name: 'cross_language', measure: (v) => flag(v.chinese !== (v.question.language === 'zh')) }, // the passage is in the other language
  // The sentence as text.
  { name: 'first_sentence', measure: (v) => flag(v.position === 0) }, // it opens its passage
  { name: 'position_share', measure: (v) => v.position / Math.max(1, v.read.sentences.length - 1) }, // how far into its passage
  { name: 'length', measure: (v) => Math.log(1 + [...v.sentence].length) }, // its length (log characters)
  { name: 'list_item', measure: (v) => flag(LIST_ITEM.test(v.sentence)) }, // a list item
  { name: 'table_row', measure: (v) => flag(TABLE_ROW.test(v.sentence)) }, // a table row
  { name: 'terminated', measure: (v) => flag(/[.!?。！？；;:：”"」)）]$/u.test(v.sentence.trim())) }, // it ends as a sentence does (a headline, caption or dateline does not)
  { name: 'numbers', measure: (v) => Math.log(1 + (v.sentence.match(/\d+(?:[.,]\d+)*/g) ?? []).length) }, // how many numbers it states (log)
];

export const FEATURE_NAMES: readonly string[] = FEATURES.map(({ name }) => name);

/** The features that look up the passage's document, by position in FEATURE_NAMES; each is a share or a flag (0–1). */
const DOCUMENT_FEATURES: readonly number[] = FEATURES.flatMap(({ readsDocument }, i) => (readsDocument ? [i] : []));

/** A candidate's features, in FEATURE_NAMES order; without `documents`, those that look up its document are NaN. */
export function measureFeatures(view: CandidateView, { documents = true }: { documents?: boolean } = {}): number[] {
  return FEATURES.map(({ measure, readsDocument }) => (readsDocument && !documents ? NaN : measure(view)));
}

/** Measures the features that look up the candidate's document, in place of their NaN. */
export function measureDocumentFeatures(view: CandidateView, features: number[]): void {
  for (const i of DOCUMENT_FEATURES) features[i] = FEATURES[i].measure(view);
}
