/** The conversation a channel message belongs to (its thread, or its reply chain), as engine history. */
import type { Message } from 'discord.js';
import type { ConversationTurn } from '../answering/types.js';

const MAX_TURNS = 12;

/** Prior turns, oldest first, not including `message` itself. */
export async function conversationBefore(message: Message, botId: string): Promise<ConversationTurn[]> {
  const earlier = message.channel.isThread() ? await threadMessages(message) : await replyChain(message);
  const turns: ConversationTurn[] = [];
  for (const previous of earlier) {
    const turn = toTurn(previous, botId);
    if (!turn) continue;
    const last = turns.at(-1);
    // An answer continued over several messages is one turn.
    if (last && last.role === turn.role && turn.role === 'assistant') last.content += `\n${turn.content}`;
    else turns.push(turn);
  }
  return turns.slice(-MAX_TURNS);
}

/** The question in a message: its text without user, role, @everyone and @here mentions (noise for retrieval). */
export function questionText(content: string): string {
  return content
    .replace(/<@[!&]?\d+>|@(?:everyone|here)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function toTurn(message: Message, botId: string): ConversationTurn | null {
  if (message.author.id === botId) {
    const content = message.embeds[0]?.description ?? message.content;
    return content ? { role: 'assistant', content } : null;
  }
  if (message.author.bot) return null;
  const content = questionText(message.content);
  return content ? { role: 'user', content } : null;
}

async function threadMessages(message: Message): Promise<Message[]> {
  const channel = message.channel;
  if (!channel.isThread()) return [];
  const fetched = await channel.messages.fetch({ limit: MAX_TURNS * 2, before: message.id });
  const messages = [...fetched.values()].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  // A thread opened from a message starts with that message, which lives in the parent channel.
  const starter = await channel.fetchStarterMessage().catch(() => null);
  return starter ? [starter, ...messages] : messages;
}

async function replyChain(message: Message): Promise<Message[]> {
  const chain: Message[] = [];
  let current = message;
  while (current.reference?.messageId && chain.length < MAX_TURNS * 2) {
    const parent = await current.fetchReference().catch(() => null);
    if (!parent) break;
    chain.unshift(parent);
    current = parent;
  }
  return chain;
}
