import type { TopLevelSpec } from 'vega-lite';
import type { FigureSeries } from './types.js';

/**
 * A series as a chart: a vega-lite spec (the series' points as its data, the values scaled to a readable
 * unit), rendered to PNG without a browser or a canvas — vega draws SVG, resvg rasterizes it.
 */

/** Plot size in CSS pixels; the PNG is drawn at twice that, so it stays sharp when Discord scales it. */
const WIDTH = 480;
const HEIGHT = 240;
const ZOOM = 2;
/**
 * The one font the charts ask for. DejaVu is what minimal Linux images ship; where it is missing, resvg uses
 * the first system font. No CJK font is assumed: a Chinese label renders as empty boxes, which does not fail.
 */
const FONT = 'DejaVu Sans';

/** The number words the releases write amounts in ("412.076 billion yuan"); the largest the biggest value reaches. */
const SCALES: { factor: number; word: string }[] = [
  { factor: 1e12, word: 'trillion' },
  { factor: 1e9, word: 'billion' },
  { factor: 1e6, word: 'million' },
];
/** Units that are not scaled: a share or a multiple reads as it is. */
const UNSCALED = new Set(['%', 'pp', '×']);
const UNIT_NAMES: Record<string, string> = {
  CNY: 'yuan',
  HKD: 'Hong Kong dollars',
  USD: 'US dollars',
  EUR: 'euros',
  GBP: 'pounds',
  JPY: 'yen',
  KRW: 'won',
  INR: 'rupees',
  '%': 'percent',
  pp: 'percentage points',
  '×': 'times',
};

/** A chart needs two periods: one alone is a value, not a trend. */
export function chartable(series: FigureSeries): boolean {
  return new Set(series.points.map((point) => point.period)).size >= 2;
}

/** The y axis' unit: the values divided by `factor` read in `title` ("billion yuan"). */
function chartUnit(series: FigureSeries): { factor: number; title: string } {
  const largest = Math.max(...series.points.map((point) => Math.abs(point.value)));
  const scale = UNSCALED.has(series.unit) ? undefined : SCALES.find(({ factor }) => largest >= factor);
  const title = [scale?.word, UNIT_NAMES[series.unit] ?? series.unit].filter(Boolean).join(' ');
  return { factor: scale?.factor ?? 1, title: title || 'number' };
}

/** A line through the points, oldest first, each point labelled with its value; titled by measure and place. */
export function seriesChartSpec(series: FigureSeries): TopLevelSpec {
  const { factor, title } = chartUnit(series);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: series.label, ...(series.scope ? { subtitle: series.scope } : {}) },
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    data: { values: series.points.map(({ period, value, raw, sources }) => ({ period, value, raw, sources })) },
    transform: [{ calculate: `datum.value / ${factor}`, as: 'shown' }],
    encoding: {
      // In the data's order (oldest first); two sources disagreeing on a period put two points on it.
      x: { field: 'period', type: 'ordinal', sort: null, title: null, axis: { labelAngle: 0 } },
      y: { field: 'shown', type: 'quantitative', title },
    },
    layer: [
      { mark: { type: 'line', point: true } },
      { mark: { type: 'text', dy: -10 }, encoding: { text: { field: 'shown', type: 'quantitative', format: ',.2~f' } } },
    ],
    config: { font: FONT },
  };
}

/** The chart as a PNG. Only for a chartable series. */
export async function renderSeriesChart(series: FigureSeries): Promise<Buffer> {
  if (!chartable(series)) throw new RangeError('a chart needs a series of two periods or more');
  // vega and vega-lite take most of a second to import: loaded with the first chart, not with the bot or the scripts.
  const [{ compile }, { View, parse }, { renderAsync }] = await Promise.all([import('vega-lite'), import('vega'), import('@resvg/resvg-js')]);
  const view = new View(parse(compile(seriesChartSpec(series)).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Off the main thread (resvg renders on libuv's pool), so a running bot keeps answering meanwhile.
    const image = await renderAsync(svg, {
      font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
      fitTo: { mode: 'zoom', value: ZOOM },
    });
    return image.asPng();
  } finally {
    view.finalize();
  }
}
