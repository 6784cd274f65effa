import type { Figure, FigureKind, FigureSeries, SeriesPoint } from './types.js';

/** Text and JSON views of figures for `npm run figures` (and anything else that lists them). */

const TOPICS: Record<FigureKind, string> = {
  amount: 'Amounts',
  percent: 'Shares and percentages',
  growth: 'Growth rates',
  multiple: 'Multiples',
  count: 'Counts',
};
const TOPIC_ORDER: FigureKind[] = ['amount', 'growth', 'multiple', 'percent', 'count'];

export function toJson(figures: Figure[]): { figures: Figure[] } {
  return {
    figures: figures.map(({ id, label, raw, alternatives, value, unit, kind, period, scope, quote, source, sources }) => ({
      id,
      label,
      raw,
      alternatives,
      value,
      unit,
      kind,
      period,
      scope,
      quote,
      source,
      sources,
    })),
  };
}

/** "9.12 billion yuan (about $1.32 billion)": the figure as written, with its conversions. */
export function writtenWithAlternatives(figure: Figure): string {
  return figure.alternatives.length ? `${figure.raw} (${figure.alternatives.map((alternative) => alternative.raw).join('; ')})` : figure.raw;
}

/** One line: "contracted technology transactions: 412.076 billion yuan (2023; Shaanxi) [doc#3]". */
export function formatFigureLine(figure: Figure): string {
  const context = [figure.period, figure.scope].filter(Boolean).join('; ');
  return `${figure.label}: ${writtenWithAlternatives(figure)}${context ? ` (${context})` : ''} [${figure.id}]`;
}

/** The whole catalog, grouped by document, then by topic (the kind of number). */
export function formatCatalog(figures: Figure[]): string {
  if (figures.length === 0) return 'No figures in the index.';
  const lines: string[] = [];
  const byDocument = groupBy(figures, (figure) => figure.source.id);
  for (const [, documentFigures] of byDocument) {
    const { title, date, id } = documentFigures[0].source;
    lines.push(`${title}${date ? ` (${date})` : ''} — ${id}: ${documentFigures.length} figures`);
    const byKind = groupBy(documentFigures, (figure) => figure.kind);
    for (const kind of TOPIC_ORDER) {
      const group = byKind.get(kind);
      if (!group) continue;
      lines.push(`  ${TOPICS[kind]}`);
      for (const figure of group) lines.push(`    ${formatFigureLine(figure)}`);
    }
    lines.push('');
  }
  lines.push(`${figures.length} figures in ${byDocument.size} documents.`);
  return lines.join('\n');
}

/** Search results, best first, each with the sentence it comes from. */
/** "No figure matches …", with the measures spelled most like the lookup, when there are any. */
export function noFigureFound(query: string, closest: string[]): string {
  return `No figure matches "${query}".${closest.length ? ` Closest measures: ${closest.join('; ')}.` : ''}`;
}

export function formatMatches(query: string, figures: Figure[], closest: string[] = []): string {
  if (figures.length === 0) return noFigureFound(query, closest);
  return figures
    .map(
      (figure, rank) =>
        `${rank + 1}. ${formatFigureLine(figure)}\n   “${figure.quote}” — ${figure.source.title}${figure.source.date ? `, ${figure.source.date}` : ''}`,
    )
    .join('\n');
}

/** A series as `--json` prints it: the points without the ids of the figures they are read from. */
type SeriesJson = Pick<FigureSeries, 'label' | 'scope' | 'unit'> & { points: Omit<SeriesPoint, 'figureId'>[] };

export function seriesToJson(series: FigureSeries | null): { series: SeriesJson | null } {
  if (!series) return { series: null };
  const { label, scope, unit, points } = series;
  return { series: { label, scope, unit, points: points.map(({ period, value, raw, sources }) => ({ period, value, raw, sources })) } };
}

/** A series as text: the measure and place, then a line per point ("  2023  412.076 billion yuan  [doc, copy]"). */
export function formatSeries(query: string, series: FigureSeries | null, closest: string[] = []): string {
  if (!series) return noFigureFound(query, closest);
  const width = Math.max(...series.points.map((point) => point.period.length));
  const periods = new Map<string, number>();
  for (const point of series.points) periods.set(point.period, (periods.get(point.period) ?? 0) + 1);
  // Sources that give another value for the same period are all listed, and said to disagree.
  const lines = series.points.map(
    (point) => `  ${point.period.padEnd(width)}  ${point.raw}  [${point.sources.join(', ')}]${periods.get(point.period)! > 1 ? '  (sources disagree)' : ''}`,
  );
  const note = periods.size === 1 ? ['The library states this measure for one period only: no series to chart.'] : [];
  return [`${series.label}${series.scope ? ` (${series.scope})` : ''}`, ...lines, ...note].join('\n');
}

// Map.groupBy arrives in Node 21.
function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
