import type { CandidateSet } from '../answering/candidates.js';
import { quoteOf } from '../answering/extractive.js';
import { holds, type EvalItem } from '../eval/index.js';

/**
 * Which candidates answer an item, from its expected answer: a candidate is positive when what would be quoted of it
 * holds one of the expected strings (of `answer_any` or, for an answer that takes two sentences, of `answer_all`) and its document is one of `cite_any`; every candidate
 * of an item that must be refused is negative.
 */
export function labelCandidates(item: EvalItem, set: CandidateSet): (0 | 1)[] {
  const { question } = set;
  if (item.refuse === true || !question) return set.candidates.map(() => 0);
  return set.candidates.map((candidate) => {
    const quote = quoteOf(candidate, question.answerType);
    const source = candidate.read.passage.docId;
    const expected = [...(item.answer_any ?? []), ...(item.answer_all ?? [])];
    const answers =
      (!expected.length || expected.some((part) => holds(quote, part))) && (!item.cite_any || item.cite_any.some((part) => source.includes(part)));
    return answers ? 1 : 0;
  });
}
