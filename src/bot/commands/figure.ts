import { SlashCommandBuilder } from 'discord.js';
import { deliverToInteraction, notice } from '../deliver.js';
import { presentFigure } from '../present.js';
import type { BotCommand } from './types.js';

/** Discord's bound for an autocomplete choice's value and the number of choices. */
const CHOICE_VALUE_MAX = 100;
const MAX_CHOICES = 25;

export const figureCommand: BotCommand = {
  data: new SlashCommandBuilder()
    .setName('figure')
    .setDescription('Look up one key figure: value, period, scope, the quoted sentence and its source.')
    .addStringOption((option) => option.setName('name').setDescription('Start typing: a figure, a topic or a number').setRequired(true).setAutocomplete(true)),

  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused();
    const choices = context.engine
      .figures()
      .autocomplete(typed)
      .slice(0, MAX_CHOICES)
      .map((choice) => ({
        name: choice.name.slice(0, 100),
        // A too-long id cannot travel as a value; the name is looked up instead.
        value: choice.value.length <= CHOICE_VALUE_MAX ? choice.value : choice.name.slice(0, CHOICE_VALUE_MAX),
      }));
    await interaction.respond(choices);
  },

  async execute(interaction, context) {
    const name = interaction.options.getString('name', true).trim();
    const catalog = context.engine.figures();
    // The chosen autocomplete value is a figure id; typed text without choosing is searched.
    const figure = catalog.byId(name) ?? context.engine.searchFigures(name, 1)[0]?.figure;
    if (!figure) {
      const hint = catalog.size === 0 ? 'The indexed documents have no figures yet.' : `No figure matches "${name}". Try /figures to browse them.`;
      await deliverToInteraction(interaction, notice(hint), { ephemeral: true });
      return;
    }
    await deliverToInteraction(interaction, [presentFigure(figure, context.engine.indexInfo().builtAt)]);
  },
};
