/** /figure's handler when its chart cannot be drawn or attached: the reply goes without it (no Discord here). */
import { Writable } from 'node:stream';
import type { ChatInputCommandInteraction } from 'discord.js';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { figureCommand } from '../src/bot/commands/figure.js';
import type { BotContext } from '../src/bot/context.js';
import type { Engine } from '../src/engine/types.js';
import { FigureCatalog, type Figure, type FigureSeries } from '../src/figures/index.js';

vi.mock('../src/figures/chart.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/figures/chart.js')>()),
  renderSeriesChart: () => Promise.reject(new Error('simulated renderer failure')),
}));

const figure = (year: number): Figure => ({
  id: `doc-${year}#1`,
  label: 'robotics industry output',
  raw: `${year - 2000}.5 billion yuan`,
  value: (year - 2000 + 0.5) * 1e9,
  unit: 'CNY',
  kind: 'amount',
  period: String(year),
  scope: 'Lakeside City',
  quote: `Output reached ${year - 2000}.5 billion yuan.`,
  source: { id: `doc-${year}`, title: `Report ${year}`, date: null, url: null },
  sources: [`doc-${year}`],
  alternatives: [],
});
const figures = [figure(2022), figure(2023)];
const series: FigureSeries = {
  label: 'robotics industry output',
  scope: 'Lakeside City',
  unit: 'CNY',
  kind: 'amount',
  points: figures.map((f) => ({ period: f.period!, value: f.value, raw: f.raw, sources: f.sources, figureId: f.id })),
};

/** Runs /figure for a figure id against an engine whose series lookup is `figureSeries`; returns what it sent and logged. */
async function runFigure(id: string, figureSeries: () => FigureSeries | null, { attachFiles = true } = {}) {
  const sent: { via: string; payload: any }[] = [];
  const warnings: string[] = [];
  const interaction = {
    options: { getString: () => id },
    appPermissions: { has: () => attachFiles },
    deferred: false,
    replied: false,
    deferReply() {
      this.deferred = true;
      return Promise.resolve();
    },
    reply: (payload: unknown) => Promise.resolve(sent.push({ via: 'reply', payload })),
    editReply: (payload: unknown) => Promise.resolve(sent.push({ via: 'editReply', payload })),
  };
  const engine = {
    figures: () => FigureCatalog.fromFigures(figures),
    figuresReady: async () => {},
    searchFigures: () => [],
    figureSeries,
    indexInfo: () => ({ builtAt: '2024-04-01T08:30:00.000Z' }),
    sources: () => [],
  } as unknown as Engine;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      warnings.push(
        ...String(chunk)
          .split('\n')
          .filter(Boolean)
          .map((line) => (JSON.parse(line) as { msg: string }).msg),
      );
      done();
    },
  });
  const context = { engine, logger: pino({ level: 'warn' }, sink) } as unknown as BotContext;
  await figureCommand.execute(interaction as unknown as ChatInputCommandInteraction, context, 0);
  return { sent, warnings };
}

describe('/figure when the chart or the series cannot be had', () => {
  it('replies with the figure and its other periods, without the chart, and logs a warning', async () => {
    const { sent, warnings } = await runFigure('doc-2023#1', () => series);
    expect(sent).toHaveLength(1);
    const embed = sent[0].payload.embeds[0];
    expect(embed.description).toContain('**23.5 billion yuan**');
    expect(embed.description).toContain('• 2022: 22.5 billion yuan — _doc-2022_');
    expect(embed.image).toBeUndefined();
    expect(sent[0].payload.files).toBeUndefined();
    expect(warnings).toEqual(['drawing a figure series chart failed']);
  });

  it('leaves the chart out, without drawing it, where the bot may not attach files', async () => {
    const { sent, warnings } = await runFigure('doc-2023#1', () => series, { attachFiles: false });
    expect(sent.map((entry) => entry.via)).toEqual(['reply']);
    expect(sent[0].payload.embeds[0].description).toContain('• 2022: 22.5 billion yuan');
    expect(sent[0].payload.files).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('replies with the figure alone when the series lookup throws', async () => {
    const { sent, warnings } = await runFigure('doc-2023#1', () => {
      throw new Error('simulated lookup failure');
    });
    expect(sent.map((entry) => entry.via)).toEqual(['reply']);
    expect(sent[0].payload.embeds[0].description).toBe('**23.5 billion yuan**\n> Output reached 23.5 billion yuan.');
    expect(warnings).toEqual(['figure series lookup failed']);
  });
});
