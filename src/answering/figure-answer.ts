import type { FigureMatch } from '../figures/index.js';
import { isFragment } from '../text/fragments.js';
import { mergeRepeatedQuotes, quoteKey } from './citations.js';
import { joinCited } from './extractive.js';
import type { AnswerDraft, Citation, RetrievedPassage } from './types.js';

/**
 * When a question asks for a number and one catalogued figure clearly matches it, the sentence that
 * states the figure leads the answer as citation [1] (moved there if the answer already quotes it).
 * Only an answer is led, never a refusal: a figure match alone does not prove the documents cover
 * the question. `passages` (those the answer was made from) give the figure's document's copies.
 */
export function leadWithFigure(draft: AnswerDraft, match: FigureMatch | null, passages: RetrievedPassage[] = []): AnswerDraft {
  // A figure stated in a headline or a broken line is no sentence to quote (src/text/fragments.ts).
  if (!match || draft.refused || isFragment(match.figure.quote)) return draft;
  const { figure } = match;
  const figureQuote = quoteKey(figure.quote);
  const quoted = draft.citations.find((citation) => citation.source === figure.source.id && quoteKey(citation.quote).includes(figureQuote));
  const figurePassage = passages.find((passage) => passage.docId === figure.source.id);
  const lead: Citation = quoted ?? {
    n: 1,
    source: figure.source.id,
    title: figure.source.title,
    url: figure.source.url,
    date: figure.source.date,
    language: figurePassage?.meta.language ?? null,
    quote: figure.quote,
    score: match.score,
    also: figurePassage?.also ?? [],
  };
  // A release is cited from one of its copies: a citation of another copy of the figure's document gives way to the lead.
  const otherCopies = new Set((figurePassage?.also ?? []).map((copy) => copy.source));
  const isOtherCopy = (citation: Citation) =>
    citation.source !== figure.source.id && (otherCopies.has(citation.source) || citation.also.some((copy) => copy.source === figure.source.id));
  const rest = draft.citations
    .filter((citation) => citation !== quoted && !figureQuote.includes(quoteKey(citation.quote)) && !(quoted === undefined && isOtherCopy(citation)))
    .slice(0, 2);
  const { citations } = mergeRepeatedQuotes([lead, ...rest].map((citation, i) => ({ ...citation, n: i + 1 })));
  return { ...draft, answer: joinCited(citations), citations };
}
