import { splitSentences } from '../text/sentences.js';
import { tokenize, tokenizeDated } from '../text/tokenize.js';
import { REFUSAL_TEXT, type AnswerContext, type AnswerDraft, type Answerer, type Citation, type RetrievedPassage } from './types.js';

/**
 * Calibrated on the development eval sets (answerable and out-of-scope questions), never per question:
 * the share of the question's weighted terms that the best passage must contain, and that a sentence
 * must contain to be quoted.
 */
const MIN_PASSAGE_COVERAGE = 0.5;
const MIN_SENTENCE_COVERAGE = 0.3;
/** A further sentence is quoted only when it scores this close to the best one and adds a question term. */
const FOLLOWER_RATIO = 0.8;
const MAX_SENTENCES = 3;
const PASSAGES_READ = 6;

type AnswerType = 'number' | 'time' | 'person' | 'other';

interface Candidate {
  passage: RetrievedPassage;
  rank: number;
  sentence: string;
  matched: Set<string>;
  coverage: number;
  score: number;
}

/**
 * The offline answerer: quotes the sentences of the best passages that answer the question, each
 * with its citation marker, or says plainly that the documents do not answer it.
 */
export class ExtractiveAnswerer implements Answerer {
  async answer(context: AnswerContext): Promise<AnswerDraft> {
    const weights = questionWeights(context);
    const total = [...weights.values()].reduce((sum, weight) => sum + weight, 0);
    if (total === 0 || namesSomethingUnknown(context)) return refusal();
    const answerType = detectAnswerType(context.question);

    const candidates: Candidate[] = [];
    let bestPassageCoverage = 0;
    context.passages.slice(0, PASSAGES_READ).forEach((passage, rank) => {
      const passageTerms = new Set(tokenizeDated([passage.meta.title, passage.heading ?? '', passage.text].join('\n'), passage.meta.date));
      const passageCoverage = coverage(weights, passageTerms, total).coverage;
      bestPassageCoverage = Math.max(bestPassageCoverage, passageCoverage);
      for (const sentence of splitSentences(passage.text)) {
        const { coverage: sentenceCoverage, matched } = coverage(weights, new Set(tokenizeDated(sentence, passage.meta.date)), total);
        const typeFit = fitsAnswerType(sentence, answerType);
        const score = 0.65 * sentenceCoverage + 0.35 * passageCoverage + (typeFit ? 0.1 : 0) - 0.02 * rank;
        candidates.push({ passage, rank, sentence, matched, coverage: sentenceCoverage, score: typeFit || answerType === 'other' ? score : score - 0.2 });
      }
    });
    if (bestPassageCoverage < MIN_PASSAGE_COVERAGE) return refusal();

    candidates.sort((a, b) => b.score - a.score);
    const best = candidates[0];
    if (!best || best.coverage < MIN_SENTENCE_COVERAGE) return refusal();
    if (answerType === 'number' && !fitsAnswerType(best.sentence, 'number')) return refusal();

    const chosen = [best];
    const covered = new Set(best.matched);
    for (const candidate of candidates.slice(1)) {
      if (chosen.length >= MAX_SENTENCES || candidate.score < best.score * FOLLOWER_RATIO) break;
      const addsTerm = [...candidate.matched].some((term) => !covered.has(term));
      if (!addsTerm || chosen.some((c) => c.sentence === candidate.sentence)) continue;
      chosen.push(candidate);
      candidate.matched.forEach((term) => covered.add(term));
    }

    const citations: Citation[] = chosen.map((candidate, i) => ({
      n: i + 1,
      source: candidate.passage.docId,
      title: candidate.passage.meta.title,
      url: candidate.passage.meta.url,
      date: candidate.passage.meta.date,
      quote: candidate.sentence,
      score: round(candidate.score),
    }));
    const answer = citations.map((citation) => `${citation.quote} [${citation.n}]`).join(joiner(citations));
    return { answer, refused: false, mode: 'extractive', citations };
  }
}

export function refusal(): AnswerDraft {
  return { answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations: [] };
}

/**
 * Each question term weighs its inverse document frequency. With a follow-up, the terms carried over
 * from the conversation weigh half: they set the subject, the new question says what is asked.
 */
function questionWeights(context: AnswerContext): Map<string, number> {
  const weights = new Map<string, number>();
  for (const term of tokenize(withoutHowModifier(context.question))) weights.set(term, context.corpus.idf(term));
  if (context.standaloneQuestion !== context.question) {
    for (const term of tokenize(withoutHowModifier(context.standaloneQuestion))) {
      if (!weights.has(term)) weights.set(term, context.corpus.idf(term) / 2);
    }
  }
  return weights;
}

/** "How large", "how fast": the adjective asks for a measure; it is not what the answer is about. */
function withoutHowModifier(question: string): string {
  return question.replace(/\bhow\s+(large|big|high|fast|long|often|far|old|quickly|small|low)\b/gi, 'how');
}

/**
 * A capitalized name in an English question (not its first word) that no passage contains means the
 * question is about something the documents do not cover, however well its other words match.
 */
function namesSomethingUnknown(context: AnswerContext): boolean {
  const words = context.question.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  return words.slice(1).some((word) => /^\p{Lu}/u.test(word) && tokenize(word).some((term) => !context.corpus.has(term)));
}

/** Weighted share of question terms present; a term that is a prefix of a present one (tech/technolog) counts 0.6. */
function coverage(weights: Map<string, number>, terms: Set<string>, total: number): { coverage: number; matched: Set<string> } {
  let sum = 0;
  const matched = new Set<string>();
  for (const [term, weight] of weights) {
    if (terms.has(term)) {
      sum += weight;
      matched.add(term);
    } else if (term.length >= 4 && [...terms].some((t) => t.length >= 4 && (t.startsWith(term) || term.startsWith(t)))) {
      sum += 0.6 * weight;
      matched.add(term);
    }
  }
  return { coverage: sum / total, matched };
}

function detectAnswerType(question: string): AnswerType {
  const q = question.toLowerCase();
  if (/\b(how (many|much|large|big|fast|high)|what (share|percentage|proportion|portion|number|amount|volume|value|rate)|by how|多少|几|比例|增长率|百分之)/.test(q)) return 'number';
  if (/\b(when|what year|which year|what date|since when)\b|何时|什么时候|哪一年|哪年/.test(q)) return 'time';
  if (/\b(who|whom|whose)\b|谁/.test(q)) return 'person';
  return 'other';
}

function fitsAnswerType(sentence: string, type: AnswerType): boolean {
  switch (type) {
    case 'number':
      return /\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|double[sd]?|tripled?|half)\b|[一二三四五六七八九十百千万亿]/i.test(sentence);
    case 'time':
      return /\b(1[89]|20)\d{2}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december|last year|this year)\b|年/i.test(sentence);
    case 'person':
      return /\b\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+/u.test(sentence);
    default:
      return true;
  }
}

function joiner(citations: Citation[]): string {
  return citations.every((c) => /\p{Script=Han}/u.test(c.quote)) ? '' : ' ';
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
