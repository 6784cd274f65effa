import { writeFile } from 'node:fs/promises';
import { openEngineForScript } from '../src/cli/engine.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { UserError } from '../src/errors/index.js';
import { chartable, renderSeriesChart } from '../src/figures/chart.js';
import { formatCatalog, formatMatches, formatSeries, seriesToJson, toJson } from '../src/figures/format.js';
import type { FigureSeries } from '../src/figures/index.js';

const USAGE = 'npm run figures -- [--json] [--docs DIR] [--index DIR] [--series [--chart FILE.png]] [query]';
const MATCHES_SHOWN = 10;

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, series: { type: 'boolean' }, chart: { type: 'string' }, ...PATH_FLAGS }, USAGE);
  const config = withPathFlags(loadConfig(), values);
  const query = positionals.join(' ').trim();
  if (values.chart !== undefined && !values.series) throw new UserError(`--chart draws a series: add --series — usage: ${USAGE}`);
  if (values.series && !query) throw new UserError(`--series needs a query, e.g. --series "tech transactions" — usage: ${USAGE}`);
  const { engine } = await openEngineForScript(config, { refresh: Boolean(values.docs) });
  try {
    if (values.series) {
      const series = engine.figureSeries(query);
      if (values.json) process.stdout.write(`${JSON.stringify(seriesToJson(series), null, 2)}\n`);
      else process.stdout.write(`${formatSeries(query, series, series ? [] : engine.figures().closestMeasures(query))}\n`);
      if (values.chart !== undefined) await writeChart(query, series, values.chart);
      return;
    }
    const figures = query ? engine.searchFigures(query, MATCHES_SHOWN).map((match) => match.figure) : engine.figures().all();
    if (values.json) process.stdout.write(`${JSON.stringify(toJson(figures), null, 2)}\n`);
    else if (query) process.stdout.write(`${formatMatches(query, figures, figures.length ? [] : engine.figures().closestMeasures(query))}\n`);
    else process.stdout.write(`${formatCatalog(figures)}\n`);
  } finally {
    await engine.close();
  }
});

async function writeChart(query: string, series: FigureSeries | null, file: string): Promise<void> {
  if (!series) throw new UserError(`no figure matches "${query}": no chart`);
  if (!chartable(series)) throw new UserError(`only one period: no chart (the library states ${series.label} for ${series.points[0].period} only)`);
  const png = await renderSeriesChart(series);
  try {
    await writeFile(file, png);
  } catch (error) {
    throw new UserError(`cannot write the chart to ${file}: ${(error as Error).message}`);
  }
}
