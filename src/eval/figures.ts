import { UserError } from '../errors/index.js';
import type { Figure, FigureSeries } from '../figures/index.js';

/** One line of a key-figures eval file (format: shared eval README, copied in the project README). */
export interface FigureEvalItem {
  id: string;
  query: string;
  value_any?: string[];
  source_any?: string[];
  period?: string;
  place?: string;
  series?: boolean;
  values?: { period: string; value_any: string[]; source_any?: string[] }[];
}

export interface FigureEvalItemResult {
  id: string;
  pass: boolean;
  why: string;
  /** For a series item: whether the lookup's series has every listed period (its value, from a listed source), and what it lacks. */
  series?: { complete: boolean; missing: string[]; periods: string[] };
  /** The best match, as `npm run figures -- --json` prints it; null when nothing matched. */
  best: Pick<Figure, 'label' | 'raw' | 'value' | 'unit' | 'period' | 'scope' | 'sources'> | null;
}

export interface FigureEvalReport {
  items: FigureEvalItemResult[];
  summary: { items: number; passed: number; failed: number; first_right: number; series_items: number; series_complete: number };
}

/** Whether a parsed eval line is a figure lookup (it has a query, not a question). */
export function isFigureItem(value: Record<string, unknown>): boolean {
  return typeof value.query === 'string' && value.question === undefined;
}

export function toFigureItem(value: Record<string, unknown>, where: string): FigureEvalItem {
  if (typeof value.id !== 'string' || !value.id) throw new UserError(`${where} needs an "id" string`);
  if (typeof value.query !== 'string' || !value.query.trim()) throw new UserError(`${where} needs a "query" string`);
  for (const field of ['value_any', 'source_any'] as const) {
    const list = value[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((entry) => typeof entry === 'string'))) {
      throw new UserError(`${where}: "${field}" must be a list of strings`);
    }
  }
  return value as unknown as FigureEvalItem;
}

/**
 * Looks every item's query up (as `/figure` does) and checks its best match: its number as written (or its value)
 * holds one of `value_any`, and its sources include a document matching one of `source_any`.
 */
export function runFigureEval(
  bestMatch: (query: string) => Figure | null,
  items: FigureEvalItem[],
  seriesFor: (query: string) => FigureSeries | null = () => null,
): FigureEvalReport {
  const results = items.map((item): FigureEvalItemResult => {
    const series = item.series && item.values ? checkSeries(seriesFor(item.query), item.values) : undefined;
    const best = bestMatch(item.query);
    const problems: string[] = [];
    if (!best) problems.push('no figure found');
    else {
      const written = [best.raw, String(best.value)];
      if (item.value_any && !item.value_any.some((expected) => written.some((text) => text.includes(expected)))) {
        problems.push(`best match ${JSON.stringify(best.raw)} holds none of ${JSON.stringify(item.value_any)}`);
      }
      if (item.source_any && !best.sources.some((source) => item.source_any!.some((expected) => source.includes(expected)))) {
        problems.push(`best match is not from a source matching ${JSON.stringify(item.source_any)}`);
      }
    }
    const shown = best && {
      label: best.label,
      raw: best.raw,
      value: best.value,
      unit: best.unit,
      period: best.period,
      scope: best.scope,
      sources: best.sources,
    };
    return { id: item.id, pass: problems.length === 0, why: problems.join('; ') || 'ok', best: shown, ...(series && { series }) };
  });
  const passed = results.filter((result) => result.pass).length;
  return {
    items: results,
    summary: {
      items: items.length,
      passed,
      failed: items.length - passed,
      first_right: items.length ? Math.round((passed / items.length) * 1000) / 1000 : 0,
      series_items: results.filter((result) => result.series).length,
      series_complete: results.filter((result) => result.series?.complete).length,
    },
  };
}

/** Each listed period must be a point of the series whose value holds one of its `value_any` (and source one of `source_any`). */
function checkSeries(series: FigureSeries | null, values: NonNullable<FigureEvalItem['values']>): NonNullable<FigureEvalItemResult['series']> {
  const points = series?.points ?? [];
  const missing = values
    .filter(
      (expected) =>
        !points.some(
          (point) =>
            point.period === expected.period &&
            expected.value_any.some((text) => point.raw.includes(text) || String(point.value).includes(text)) &&
            (!expected.source_any || point.sources.some((source) => expected.source_any!.some((part) => source.includes(part)))),
        ),
    )
    .map((expected) => expected.period);
  return { complete: missing.length === 0, missing, periods: points.map((point) => point.period) };
}
