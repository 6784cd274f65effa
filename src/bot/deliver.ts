/** Sending payloads: every message pings no one, whatever its text says. */
import { MessageFlags, type MessageMentionOptions, type Message, type RepliableInteraction } from 'discord.js';
import type { BotMessage } from './present.js';

export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

/** Answers an interaction: its reply (or the edit of its deferred reply), then follow-ups for the rest. */
export async function deliverToInteraction(interaction: RepliableInteraction, messages: BotMessage[], options: { ephemeral?: boolean } = {}): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  for (const [i, message] of messages.entries()) {
    const payload = { ...message, allowedMentions: NO_MENTIONS };
    if (i > 0) await interaction.followUp({ ...payload, ...(flags ? { flags } : {}) });
    else if (interaction.deferred || interaction.replied) await interaction.editReply(payload);
    else await interaction.reply({ ...payload, ...(flags ? { flags } : {}) });
  }
}

/** Answers a channel message with a reply; a continuation replies to the previous part, keeping the chain. */
export async function deliverToMessage(message: Message, messages: BotMessage[]): Promise<void> {
  let target = message;
  for (const part of messages) {
    target = await target.reply({ ...part, allowedMentions: NO_MENTIONS });
  }
}

/** A short plain-text message. */
export function notice(content: string): BotMessage[] {
  return [{ content }];
}
