import { SlashCommandBuilder } from 'discord.js';
import { deliverToInteraction, notice } from '../deliver.js';
import { presentFigureList } from '../present.js';
import { awaitFigures } from '../figures-ready.js';
import type { BotCommand } from './types.js';

/** Enough to be useful in a channel; /figure finds the rest. */
const MAX_LISTED = 40;

export const figuresCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('figures')
    .setDescription('The key figures of the indexed documents, or those of a topic.')
    .addStringOption((option) => option.setName('topic').setDescription('e.g. contracts, enterprises, 2023').setRequired(false)),

  async execute(interaction, context) {
    await awaitFigures(context.engine, interaction);
    const topic = interaction.options.getString('topic')?.trim() || null;
    const catalog = context.engine.figures();
    const figures = topic ? context.engine.searchFigures(topic, MAX_LISTED).map((match) => match.figure) : catalog.all().slice(0, MAX_LISTED);
    if (figures.length === 0) {
      const text = topic ? `I found no figures about "${topic}". Try another word, or /figures without a topic.` : 'The indexed documents have no figures yet.';
      await deliverToInteraction(interaction, notice(text), { ephemeral: true });
      return;
    }
    const total = topic ? figures.length : catalog.size;
    const heading = topic ? `Figures about "${topic}"` : total > figures.length ? `Key figures (${figures.length} of ${total})` : 'Key figures';
    await deliverToInteraction(interaction, presentFigureList(heading, figures, context.engine.indexInfo().builtAt));
  },
};
