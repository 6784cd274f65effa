import { SlashCommandBuilder } from 'discord.js';
import { deliverToInteraction } from '../deliver.js';
import { helpMessage } from '../present.js';
import type { BotCommand } from './types.js';

export const helpCommand: BotCommand = {
  data: new SlashCommandBuilder().setName('help').setDescription('What this bot knows and how to ask it.'),

  async execute(interaction, context) {
    await deliverToInteraction(interaction, [helpMessage(context.engine.indexInfo(), context.config.bot.askChannelIds)], { ephemeral: true });
  },
};
