import type { Answer } from './types.js';

/** The answer as a terminal shows it: the text with its markers, then the numbered sources. */
export function formatAnswerText(answer: Answer): string {
  const lines = [answer.answer];
  if (!answer.refused && answer.citations.length > 0) {
    lines.push('', 'Sources:');
    for (const citation of answer.citations) {
      const where = citation.url ?? citation.source;
      lines.push(`[${citation.n}] ${citation.title}${citation.date ? ` (${citation.date})` : ''} — ${where}`);
      if (citation.also.length) lines.push(`    also published by ${citation.also.map((copy) => copy.publisher ?? copy.url ?? copy.source).join(', ')}`);
      lines.push(`    “${citation.quote}”`);
    }
  }
  // Why the model did not answer (timeout, failed check) is shown with a refusal too.
  if (answer.mode_reason) lines.push(`${answer.refused ? '' : '\n'}(${answer.mode} answer: ${answer.mode_reason})`);
  return lines.join('\n');
}
