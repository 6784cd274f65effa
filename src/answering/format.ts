import type { Answer, RelatedQuote } from './types.js';

/** Introduces what the documents say near a refused question: context, not an answer. */
export const RELATED_HEADING = 'The documents only say (not an answer to the question):';

/** A related sentence with the document it comes from. */
export function relatedLine(related: RelatedQuote): string {
  return `- “${related.quote}” (${[related.title, related.date, languageName(related.language)].filter(Boolean).join(', ')})`;
}

/** A document's language as a reader names it ('zh' Chinese, 'en' English); other codes as they are. */
export function languageName(code: string | null): string | null {
  if (!code) return null;
  const base = code.toLowerCase().split(/[-_]/)[0];
  return LANGUAGE_NAMES[base] ?? code;
}

const LANGUAGE_NAMES: Record<string, string> = { zh: 'Chinese', en: 'English' };

/** The answer as a terminal shows it: the text with its markers, then the numbered sources. */
export function formatAnswerText(answer: Answer): string {
  const lines = [answer.answer];
  if (!answer.refused && answer.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const citation of answer.citations) {
      const where = citation.url ?? citation.source;
      const details = [citation.date, languageName(citation.language)].filter(Boolean).join(', ');
      lines.push(`[${citation.n}] ${citation.title}${details ? ` (${details})` : ''} — ${where}`);
      if (citation.also.length) lines.push(`    also published by ${citation.also.map((copy) => copy.publisher ?? copy.url ?? copy.source).join(', ')}`);
      lines.push(`    “${citation.quote}”`);
    }
  }
  if (answer.refused && answer.related?.length) lines.push('', RELATED_HEADING, ...answer.related.map(relatedLine));
  // Why the model did not answer (timeout, failed check) is shown with a refusal too.
  if (answer.mode_reason) lines.push(`${answer.refused ? '' : '\n'}(${answer.mode} answer: ${answer.mode_reason})`);
  return lines.join('\n');
}
