import type { ConversationTurn } from '../answering/types.js';
import { queryTerms } from '../text/tokenize.js';

const FOLLOW_UP_START = /^\s*(and|but|also|so|then|what about|how about|and what|what else|which of (those|them|these))\b|^\s*(那么|那|还有|另外|其中)/i;
const ANAPHORA = /\b(that|this|it|its|they|them|their|those|these|there|he|she|his|her)\b|(它|它们|其|这|那|该|他|她)/i;

/**
 * Without a model, a follow-up ("and what share of all contracts was that?") is completed with the
 * previous question of the conversation, which names the subject the follow-up points back to.
 */
export function completeFollowUp(question: string, history: ConversationTurn[]): string {
  const previous = [...history].reverse().find((turn) => turn.role === 'user' && turn.content.trim() && turn.content.trim() !== question.trim());
  if (!previous) return question;
  const isFollowUp = FOLLOW_UP_START.test(question) || ANAPHORA.test(question) || queryTerms(question).length <= 2;
  return isFollowUp ? `${previous.content.trim()} ${question.trim()}` : question;
}
