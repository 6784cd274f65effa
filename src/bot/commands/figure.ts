import { PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { chartable, renderSeriesChart } from '../../figures/chart.js';
import { noFigureFound, type Figure, type FigureSeries } from '../../figures/index.js';
import type { BotContext } from '../context.js';
import { deliverToInteraction, notice } from '../deliver.js';
import { presentFigure, type FigureHistory } from '../present.js';
import { awaitFigures, figuresReadyForAutocomplete } from '../figures-ready.js';
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
    if (!(await figuresReadyForAutocomplete(context.engine))) {
      await interaction.respond([]);
      return;
    }
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
    await awaitFigures(context.engine, interaction);
    const name = interaction.options.getString('name', true).trim();
    const catalog = context.engine.figures();
    // The chosen autocomplete value is a figure id; typed text without choosing is searched.
    const figure = catalog.byId(name) ?? context.engine.searchFigures(name, 1)[0]?.figure;
    if (!figure) {
      const hint =
        catalog.size === 0
          ? 'The indexed documents have no figures yet.'
          : `${noFigureFound(name, catalog.closestMeasures(name))} Try /figures to browse them.`;
      await deliverToInteraction(interaction, notice(hint), { ephemeral: true });
      return;
    }
    const series = seriesHolding(figure, context);
    // Without Attach Files in the channel, Discord would reject the whole reply: the chart is left out instead.
    const charted = series !== null && chartable(series) && interaction.appPermissions.has(PermissionFlagsBits.AttachFiles);
    // The first chart loads its renderer (most of a second): acknowledged first, as /ask is, to stay within Discord's 3 s.
    if (charted && !interaction.deferred) await interaction.deferReply();
    const history: FigureHistory | undefined = series
      ? { series, titleOf: titleLookup(context), chart: charted ? await drawChart(series, context) : null }
      : undefined;
    await deliverToInteraction(interaction, [presentFigure(figure, context.engine.indexInfo().builtAt, history)]);
  },
};

/** The figure's measure and place over the periods the library states it for; null unless that series holds the figure itself. */
function seriesHolding(figure: Figure, context: BotContext): FigureSeries | null {
  try {
    const series = context.engine.figureSeries(`${figure.label} ${figure.scope ?? ''}`.trim());
    return series?.points.some((point) => point.figureId === figure.id) ? series : null;
  } catch (error) {
    // The figure asked for is the answer; its history is extra, and never fails the reply.
    context.logger.warn({ err: error, figureId: figure.id }, 'figure series lookup failed');
    return null;
  }
}

/** The chart, or null when it cannot be drawn (the reply goes without it). */
async function drawChart(series: FigureSeries, context: BotContext): Promise<Buffer | null> {
  try {
    return await renderSeriesChart(series);
  } catch (error) {
    context.logger.warn({ err: error, label: series.label }, 'drawing a figure series chart failed');
    return null;
  }
}

/** Documents' titles by id, read from the index only when a title is asked for. */
function titleLookup(context: BotContext): (docId: string) => string {
  let titles: Map<string, string> | undefined;
  return (docId) => (titles ??= new Map(context.engine.sources().map((source) => [source.id, source.meta.title || source.id]))).get(docId) ?? docId;
}
