import type { FigureMatch } from '../figures/index.js';
import { joinCited } from './extractive.js';
import type { AnswerDraft, Citation } from './types.js';

/**
 * When a question asks for a number and one catalogued figure clearly matches it, the sentence that
 * states the figure leads the answer as citation [1] (moved there if the answer already quotes it).
 * Only an answer is led, never a refusal: a figure match alone does not prove the documents cover
 * the question.
 */
export function leadWithFigure(draft: AnswerDraft, match: FigureMatch | null): AnswerDraft {
  if (!match || draft.refused) return draft;
  const { figure } = match;
  const quoted = draft.citations.find((citation) => citation.source === figure.source.id && citation.quote.includes(figure.quote));
  const lead: Citation = quoted ?? {
    n: 1,
    source: figure.source.id,
    title: figure.source.title,
    url: figure.source.url,
    date: figure.source.date,
    quote: figure.quote,
    score: match.score,
  };
  const rest = draft.citations.filter((citation) => citation !== quoted && !figure.quote.includes(citation.quote)).slice(0, 2);
  const citations = [lead, ...rest].map((citation, i) => ({ ...citation, n: i + 1 }));
  return { ...draft, answer: joinCited(citations), citations };
}
