import type { Answer } from './types.js';

/** The answer as a terminal shows it: the text with its markers, then the numbered sources. */
export function formatAnswerText(answer: Answer): string {
  if (answer.refused || answer.citations.length === 0) return answer.answer;
  const lines = [answer.answer, '', 'Sources:'];
  for (const citation of answer.citations) {
    const where = citation.url ?? citation.source;
    lines.push(`[${citation.n}] ${citation.title}${citation.date ? ` (${citation.date})` : ''} — ${where}`);
    lines.push(`    “${citation.quote}”`);
  }
  if (answer.mode_reason) lines.push('', `(${answer.mode} answer: ${answer.mode_reason})`);
  return lines.join('\n');
}
