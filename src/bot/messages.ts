import { performance } from 'node:perf_hooks';
import type { Message } from 'discord.js';
import type { BotContext } from './context.js';
import { conversationBefore, questionText } from './conversation.js';
import { deliverToMessage, notice } from './deliver.js';
import { rejectQuestion, runQuestion } from './questions.js';
import type { QuestionVia } from './records.js';

/** Discord shows "typing…" for about 10 s per request. */
const TYPING_REFRESH_MS = 8_000;

/**
 * A channel message is a question when it mentions the bot, replies to one of its answers, or is written in
 * (a thread of) an ASK_CHANNEL_IDS channel. Other bots, the bot itself included, are ignored.
 */
export async function handleMessage(context: BotContext, message: Message): Promise<void> {
  const receivedAt = performance.now();
  const botId = message.client.user.id;
  if (message.author.bot || message.webhookId || message.system) return;
  const via = classify(message, botId, context.config.bot.askChannelIds);
  if (!via) return;
  const question = questionText(message.content);
  if (!question) {
    // In an ask channel a message without text (an image, a sticker) is not meant for the bot.
    if (via === 'mention') await deliverToMessage(message, notice('Ask me a question after the mention — or use /ask. /help shows what I know.'));
    return;
  }
  const rejection = rejectQuestion(context, question, message.author.id);
  if (rejection) {
    await deliverToMessage(message, notice(rejection));
    return;
  }
  const stopTyping = keepTyping(message, context);
  try {
    await runQuestion(context, {
      eventId: message.id,
      question,
      userId: message.author.id,
      via,
      receivedAt,
      history: () => conversationBefore(message, botId),
      deliver: (messages) => deliverToMessage(message, messages),
    });
  } finally {
    stopTyping();
  }
}

function classify(message: Message, botId: string, askChannelIds: string[]): QuestionVia | null {
  const channel = message.channel;
  const inThread = channel.isThread();
  const home = inThread ? channel.parentId : message.channelId;
  if (home && askChannelIds.includes(home)) return inThread ? 'thread' : 'channel';
  if (new RegExp(`<@!?${botId}>`).test(message.content)) return inThread ? 'thread' : 'mention';
  if (message.reference?.messageId && message.mentions.repliedUser?.id === botId) return 'reply';
  return null;
}

/** Shows the typing indicator until the returned function is called. */
function keepTyping(message: Message, context: BotContext): () => void {
  const channel = message.channel;
  if (!('sendTyping' in channel)) return () => {};
  const send = () => {
    channel.sendTyping().catch((error: unknown) => context.logger.warn({ err: error }, 'typing indicator failed'));
  };
  send();
  const timer = setInterval(send, TYPING_REFRESH_MS);
  return () => clearInterval(timer);
}
