import { questionLanguage } from '../meaning/language.js';
import { isFragment } from '../text/fragments.js';
import { LIST_ITEM } from '../text/sentences.js';
import { coverage, readPassage, type ReadPassage } from './coverage.js';
import { measureDocumentFeatures, measureFeatures, type CandidateView } from './features.js';
import { readQuestion, type QuestionReading } from './question.js';
import type { AnswerContext } from './types.js';

/** A sentence that might answer the question: where it stands, what of the question it meets, and its features. */
export interface Candidate {
  read: ReadPassage;
  /** Its position among its passage's sentences. */
  position: number;
  sentence: string;
  /** The question's concepts it meets. */
  matched: Set<string>;
  /** Its coverage of the question's focus (0–1). */
  coverage: number;
  /** Its features, in FEATURE_NAMES order (src/answering/features.ts). */
  features: number[];
}

/** What the answerer reads of a question's passages before deciding: the question, its candidates, each passage's closest. */
export interface CandidateSet {
  /** Null for a question the engine cannot read: in a language other than English or Chinese, or with nothing to weigh. */
  question: QuestionReading | null;
  /** Why it cannot be read, when it cannot. */
  unreadable?: 'language' | 'empty';
  candidates: Candidate[];
  /** Each passage's sentence closest to the question (a refusal points to them). */
  closest: Closest[];
}

/** A passage's sentence closest to the question. */
export type Closest = Pick<Candidate, 'read' | 'position' | 'sentence' | 'matched' | 'coverage'>;

export interface ReadOptions {
  /**
   * Whether a candidate could still be quoted, judged on its features with those that look up its document not yet
   * measured (NaN): one that could not is left out, and its document is never looked up. Fitting passes none.
   */
  couldBeQuoted?: (features: number[]) => boolean;
}

const HAN = /\p{Script=Han}/u;

/** Every quotable sentence of the retrieved passages (that could be quoted, given `couldBeQuoted`), with its features. */
export function readCandidates(context: AnswerContext, { couldBeQuoted }: ReadOptions = {}): CandidateSet {
  const language = questionLanguage(context.question, context.meaning ?? null, context.corpus);
  if (language === 'other') return { question: null, unreadable: 'language', candidates: [], closest: [] };
  const reads = context.passages.map(readPassage);
  // The words the passages use for the question's (near-synonyms, by WordNet and word vectors) count as alternatives.
  const vocabulary = reads.flatMap(({ sentenceTerms }) => sentenceTerms.flatMap((terms) => [...terms]));
  const question = readQuestion(context, language, vocabulary);
  if (question.total === 0) return { question: null, unreadable: 'empty', candidates: [], closest: [] };

  const views: CandidateView[] = [];
  for (const read of reads) {
    const chinese = HAN.test(read.passage.text);
    // An English passage is measured against what English text can hold of the question.
    const scored = chinese ? question : { ...question, ...question.forEnglish };
    const passageCoverage = coverage(scored.weighted, read.passageTerms, scored.total);
    const titleCoverage = coverage(scored.weighted, read.titleTerms, scored.total);
    const inPassage: CandidateView[] = [];
    read.sentences.forEach((sentence, position) => {
      // Headlines, crumbs and pieces of a sentence are not quoted; a list item is (with its list).
      if (isTitleLine(read, sentence, position) || (isFragment(sentence) && !LIST_ITEM.test(sentence))) return;
      const terms = read.sentenceTerms[position];
      const sentenceCoverage = coverage(scored.weights, terms, scored.total, { before: read.sentenceTerms[position - 1], subject: read.titleTerms });
      const around = [read.sentenceTerms[position - 1], terms, read.sentenceTerms[position + 1]].filter((set) => set !== undefined);
      const neighbourCoverage = coverage(scored.weights, around, scored.total, { subject: read.titleTerms });
      // A long sentence lists many figures, each in a clause of its own: the clause that says most of the question.
      const clauses = read.clauses[position];
      const clauseCoverage = clauses.length
        ? clauses
            .map(({ terms }) => coverage(scored.weights, terms, scored.total, { subject: read.titleTerms }))
            .reduce((best, next) => (next.coverage > best.coverage ? next : best))
        : sentenceCoverage;
      inPassage.push({
        context,
        question,
        read,
        position,
        sentence,
        chinese,
        sentenceCoverage,
        neighbourCoverage,
        clauses,
        clauseCoverage,
        strictCoverage: coverage(question.strict.weights, terms, question.strict.total, { before: read.sentenceTerms[position - 1], subject: read.titleTerms })
          .coverage,
        passageCoverage,
        titleCoverage,
        best: { sentence: 0, passage: 0 },
        bestInPassage: false,
      });
    });
    const bestHere = Math.max(0, ...inPassage.map((view) => view.sentenceCoverage.coverage));
    for (const view of inPassage) view.bestInPassage = view.sentenceCoverage.coverage >= bestHere;
    views.push(...inPassage);
  }
  const best = {
    sentence: Math.max(0, ...views.map((view) => view.sentenceCoverage.coverage)),
    passage: Math.max(0, ...views.map((view) => view.passageCoverage.coverage)),
  };
  const candidates: Candidate[] = [];
  const closest = new Map<ReadPassage, Closest>();
  for (const view of views) {
    view.best = best;
    const { read, position, sentence } = view;
    const { matched, coverage } = view.sentenceCoverage;
    const known = closest.get(read);
    if (!known || coverage > known.coverage) closest.set(read, { read, position, sentence, matched, coverage });
    const features = measureFeatures(view, { documents: false });
    if (couldBeQuoted && !couldBeQuoted(features)) continue;
    measureDocumentFeatures(view, features);
    candidates.push({ read, position, sentence, matched, coverage, features });
  }
  return { question, candidates, closest: [...closest.values()] };
}

/** A document's title repeated as its first line says nothing a citation's title does not. */
function isTitleLine({ passage }: ReadPassage, sentence: string, position: number): boolean {
  return position === 0 && sentence.startsWith(passage.meta.title) && sentence.length <= passage.meta.title.length + 40;
}
