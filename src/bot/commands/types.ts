import type { AutocompleteInteraction, ChatInputCommandInteraction, SlashCommandBuilder, SlashCommandOptionsOnlyBuilder } from 'discord.js';
import type { BotContext } from '../context.js';

/** One slash command: its definition (registered with Discord) and its handlers. */
export interface BotCommand {
  data: SlashCommandBuilder | SlashCommandOptionsOnlyBuilder;
  /** `receivedAt` is `performance.now()` when the interaction reached the bot. */
  execute(interaction: ChatInputCommandInteraction, context: BotContext, receivedAt: number): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, context: BotContext): Promise<void>;
}
