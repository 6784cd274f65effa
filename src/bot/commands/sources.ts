import { SlashCommandBuilder } from 'discord.js';
import { deliverToInteraction } from '../deliver.js';
import { presentSources } from '../present.js';
import type { BotCommand } from './types.js';

export const sourcesCommand: BotCommand = {
  data: new SlashCommandBuilder().setName('sources').setDescription('The indexed documents, with titles and dates, and when the index was built.'),

  async execute(interaction, context) {
    await deliverToInteraction(interaction, presentSources(context.engine.sources(), context.engine.indexInfo()));
  },
};
