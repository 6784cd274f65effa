import { LIST_ITEM } from '../text/sentences.js';
import type { AnswerType } from './answer-type.js';
import { readCandidates, type Candidate, type CandidateSet, type Closest } from './candidates.js';
import { mergeRepeatedQuotes, quoteKey } from './citations.js';
import type { LoadedAnswerModel } from './model.js';
import { restates } from './restatements.js';
import {
  REFUSAL_TEXT,
  type AnswerContext,
  type AnswerDraft,
  type Answerer,
  type Citation,
  type CopyRef,
  type RelatedQuote,
  type RetrievedPassage,
} from './types.js';

const MAX_SENTENCES = 3;
/** A refusal points to at most this many related sentences, each holding this share of the question's weight. */
const MAX_RELATED = 2;
const MIN_RELATED_COVERAGE = 0.5;
const MIN_RELATED_TERMS = 2;
const MAX_LIST_ITEMS = 12;
/** A clause is quoted with the rest of its sentence when the whole is no longer than this (about two lines of a Discord message). */
const MAX_QUOTE_CHARS = 200;
const ARTICLE_START = /^第[一二三四五六七八九十百零\d]+[条章节]/u;

/** Matching words across languages works for English and Chinese only; any other language would match look-alikes. */
const OTHER_LANGUAGE_TEXT = "I couldn't find this in the indexed documents: I can read questions in English or Chinese only.";

/**
 * The offline answerer: reads the retrieved passages' sentences as candidates (src/answering/candidates.ts), gives each
 * the answer model's probability that it answers the question, and quotes the best ones with their citations, or says
 * plainly that the documents do not answer it when even the best is below the model's threshold.
 */
export class ExtractiveAnswerer implements Answerer {
  constructor(private readonly model: LoadedAnswerModel) {}

  async answer(context: AnswerContext): Promise<AnswerDraft> {
    // A sentence the model could not quote, whatever its document holds, is not looked up in its document.
    return decide(readCandidates(context, { couldBeQuoted: this.model.couldBeQuoted }), this.model);
  }
}

/** A candidate with the model's probability that it answers the question. */
interface Scored extends Candidate {
  probability: number;
}

/** The answer a model gives to a question's candidates: the best sentences quoted, or a refusal pointing to the closest. */
export function decide(set: CandidateSet, model: LoadedAnswerModel): AnswerDraft {
  if (!set.question) return set.unreadable === 'language' ? { ...refusal(), answer: OTHER_LANGUAGE_TEXT } : refusal();
  const scored: Scored[] = set.candidates
    .map((candidate) => ({ ...candidate, probability: model.probability(candidate.features) }))
    .sort((a, b) => b.probability - a.probability || a.read.rank - b.read.rank || a.position - b.position);
  const { followerRatio, neighbourRatio, nearTieRatio } = model.composition;
  const within = (candidate: Scored, of: Scored, ratio: number) => candidate.probability >= of.probability * ratio;
  // A release is quoted from its canonical copy when that copy's sentence does about as well.
  const copyOf = scored[0]?.read.passage.copyOf;
  const canonical = copyOf ? scored.find((c) => c.read.passage.docId === copyOf && within(c, scored[0], nearTieRatio)) : undefined;
  if (canonical) {
    scored.splice(scored.indexOf(canonical), 1);
    scored.unshift(canonical);
  }
  const best = scored[0];
  if (!best || best.probability < model.threshold) return refusalWith(relatedQuotes(set.closest));

  const chosen: Scored[] = [best];
  // Where a sentence restates a chosen one (another site's rewording of the release), its document is listed with it.
  const restatedBy = new Map<Scored, RetrievedPassage[]>();
  const covered = new Set(best.matched);
  const quotedWith = (c: Candidate, other: Candidate) => other.read === c.read && other.position > c.position && other.position <= restOfSentence(c).end;
  for (const candidate of scored.slice(1)) {
    if (chosen.length >= MAX_SENTENCES) break;
    // A clause quoted with the one before it (its sentence's rest) is not quoted again.
    if (chosen.some((c) => quotedWith(c, candidate))) continue;
    const neighbour = candidate.read === best.read && Math.abs(candidate.position - best.position) === 1;
    if (!within(candidate, best, neighbour ? neighbourRatio : followerRatio)) continue;
    // A near tie from another passage is shown too: the user sees both readings (a result and a target, say).
    const nearTie = candidate.read !== best.read && within(candidate, best, nearTieRatio);
    const addsTerm = [...candidate.matched].some((term) => !covered.has(term));
    if (!(addsTerm || nearTie)) continue;
    // The same sentence is not quoted twice, and a release is quoted from one of its copies (the citation names the others).
    if (chosen.some((c) => quoteKey(c.sentence) === quoteKey(candidate.sentence) || otherCopy(c.read.passage, candidate.read.passage))) continue;
    const restated = chosen.find((c) => c.read.passage.docId !== candidate.read.passage.docId && restates(c.sentence, candidate.sentence));
    if (restated) {
      restatedBy.set(restated, [...(restatedBy.get(restated) ?? []), candidate.read.passage]);
      continue;
    }
    chosen.push(candidate);
    candidate.matched.forEach((term) => covered.add(term));
  }

  const { answerType } = set.question;
  const quoted: Citation[] = chosen.map((candidate, i) => {
    const { passage } = candidate.read;
    return {
      n: i + 1,
      source: passage.docId,
      title: passage.meta.title,
      url: passage.meta.url,
      date: passage.meta.date,
      language: passage.meta.language,
      quote: quoteOf(candidate, answerType),
      score: round(candidate.probability),
      also: withRestatements(passage, restatedBy.get(candidate) ?? []),
    };
  });
  // A list quoted whole may hold a sentence quoted on its own: one citation.
  const { citations } = mergeRepeatedQuotes(quoted);
  return { answer: joinCited(citations), refused: false, mode: 'extractive', citations };
}

/** What is quoted of a candidate: a question about a list ("which measures…") gets the list; one asking for a number or name, the item. */
export function quoteOf(candidate: Candidate, answerType: AnswerType): string {
  return (answerType === 'other' ? listAround(candidate) : null) ?? restOfSentence(candidate).quote;
}

/** A cited passage's copies, and the documents that restate its sentence, each once. */
function withRestatements(passage: RetrievedPassage, restating: RetrievedPassage[]): CopyRef[] {
  const also = [...(passage.also ?? [])];
  for (const other of restating) {
    if (other.docId !== passage.docId && !also.some((copy) => copy.source === other.docId))
      also.push({ source: other.docId, title: other.meta.title, url: other.meta.url, publisher: other.meta.publisher ?? null });
  }
  return also;
}

/** Whether two passages come from two copies of one release (different documents of one group). */
function otherCopy(a: RetrievedPassage, b: RetrievedPassage): boolean {
  return a.docId !== b.docId && (a.also ?? []).some((copy) => copy.source === b.docId);
}

export function refusal(): AnswerDraft {
  return refusalWith([]);
}

function refusalWith(related: RelatedQuote[]): AnswerDraft {
  return { answer: REFUSAL_TEXT, refused: true, mode: 'extractive', citations: [], related };
}

/**
 * The sentences a refusal points to: from different documents, each the closest its passage has to the question,
 * when it has at least the share of the question's weight that an answer needs of its passage.
 */
function relatedQuotes(closest: Closest[]): RelatedQuote[] {
  const quotes: RelatedQuote[] = [];
  for (const candidate of [...closest].sort((a, b) => b.coverage - a.coverage)) {
    if (quotes.length >= MAX_RELATED || candidate.coverage < MIN_RELATED_COVERAGE) break;
    // One word in common ("the city") is no sign of being about the question.
    if (candidate.matched.size < MIN_RELATED_TERMS) continue;
    if (quotes.some((quote) => quote.source === candidate.read.passage.docId)) continue;
    const { docId, meta } = candidate.read.passage;
    quotes.push({ source: docId, title: meta.title, date: meta.date, language: meta.language, quote: itemWithLeadIn(candidate) });
  }
  return quotes;
}

/**
 * A list item, or the line that introduces a list, quoted with the whole list (lead-in and items);
 * null for a sentence that is neither.
 */
function listAround(candidate: Candidate): string | null {
  const { sentences } = candidate.read;
  const introducesList = /[:：]$/.test(candidate.sentence) && LIST_ITEM.test(sentences[candidate.position + 1] ?? '');
  if (!introducesList && !LIST_ITEM.test(candidate.sentence)) return null;
  let start = introducesList ? candidate.position + 1 : candidate.position;
  while (start > 0 && LIST_ITEM.test(sentences[start - 1])) start--;
  let end = candidate.position;
  while (end + 1 < sentences.length && LIST_ITEM.test(sentences[end + 1]) && end - start + 1 < MAX_LIST_ITEMS) end++;
  const leadIn = start > 0 && /[:：]$/.test(sentences[start - 1]) ? `${sentences[start - 1]} ` : '';
  const items = sentences.slice(start, end + 1).map((item) => item.replace(LIST_ITEM, '').replace(/[;；,，.。]$/, ''));
  const chinese = /\p{Script=Han}/u.test(items.join(''));
  return leadIn + items.join(chinese ? '；' : '; ') + (chinese ? '。' : '.');
}

/**
 * A sentence, or a list item without its marker; an item that continues its lead-in ("The plan includes:" …
 * "setting up a fund…") is quoted with the lead-in, so that the quote reads as a sentence.
 */
function itemWithLeadIn(candidate: Closest): string {
  const item = candidate.sentence.replace(LIST_ITEM, '');
  if (item === candidate.sentence || !/^\p{Ll}/u.test(item)) return item;
  const { sentences } = candidate.read;
  let start = candidate.position;
  while (start > 0 && LIST_ITEM.test(sentences[start - 1])) start--;
  const leadIn = start > 0 && /[:：]$/.test(sentences[start - 1]) ? sentences[start - 1] : null;
  return leadIn ? `${leadIn} ${item}` : item;
}

/**
 * A clause that ends in "；" (a Chinese sentence's inner stop, where the splitter cuts) quoted with the rest of its
 * sentence, when that is not a list item and the whole fits in MAX_QUOTE_CHARS: "…给予奖励；" reads as cut off.
 */
function restOfSentence(candidate: Candidate): { quote: string; end: number } {
  const quote = itemWithLeadIn(candidate);
  if (!quote.endsWith('；') || LIST_ITEM.test(candidate.sentence)) return { quote, end: candidate.position };
  const { sentences } = candidate.read;
  let whole = quote;
  let end = candidate.position;
  while (whole.endsWith('；') && end + 1 < sentences.length && !LIST_ITEM.test(sentences[end + 1]) && !ARTICLE_START.test(sentences[end + 1])) {
    whole += sentences[++end];
  }
  return /[。！？]$/.test(whole) && whole.length <= MAX_QUOTE_CHARS ? { quote: whole, end } : { quote, end: candidate.position };
}

/** The quotes with their markers; Chinese text takes no spaces between them. */
export function joinCited(citations: Citation[]): string {
  const chinese = (text: string) => /\p{Script=Han}/u.test(text) && /[\p{Script=Han}。！？；：，、」』）》]$/u.test(text);
  return citations
    .map((citation, i) => `${i > 0 && !chinese(citations[i - 1].quote) ? ' ' : ''}${citation.quote}${chinese(citation.quote) ? '' : ' '}[${citation.n}]`)
    .join('');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
