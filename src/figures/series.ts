import type { Figure, FigureMatch, FigureSeries, SeriesPoint } from './types.js';
import { periodOfRelease } from './periods.js';

/**
 * A lookup's series: the best match's measure for its place over every period the library states it for.
 * The candidates are the figures of the best match's measure (FigureCatalog.sameMeasure), so a series is found
 * however differently its releases word the measure ("technology contract turnover", "技术合同成交额").
 */

/** A point's figure must score at least this share of the best match's. Chosen on the even lines of press-dev-figures' series. */
export const SERIES_MIN_SHARE = 0.45;
/** Periods a series can hold: a year, a half, quarters or months of a year — not spans, targets or "since". */
const SERIES_PERIOD = /^(?:19|20)\d{2}(?:-(?:H[12]|Q[1-4](?:–Q[1-4])?|\d{2}(?:–\d{2})?))?$/;

export function seriesOf(matches: FigureMatch[]): FigureSeries | null {
  const head = matches[0]?.figure;
  if (!head) return null;
  const byPeriod = new Map<string, { figure: Figure; sources: Set<string>; dated: boolean }[]>();
  // A period stated in a sentence before one read from a release's date: a headline's "over 3,000" is its own body's 3,017.86.
  const ordered = [...matches.filter(({ figure }) => figure.period !== null), ...matches.filter(({ figure }) => figure.period === null)];
  for (const { figure } of ordered) {
    const period = figure.period ?? periodOfRelease(figure.source.date);
    if (!isSeriesPeriod(period)) continue;
    const stated = byPeriod.get(period!) ?? [];
    // The same value from another document is one point with both sources; another value is a disagreement, kept.
    const same = stated.find((point) => agree(point.figure, figure));
    if (same) for (const source of figure.sources) same.sources.add(source);
    else if (stated.length === 0 || (figure.period !== null && figure.sources.some((source) => !stated.some((point) => point.sources.has(source))))) {
      stated.push({ figure, sources: new Set(figure.sources), dated: figure.period !== null });
    }
    byPeriod.set(period!, stated);
  }
  const points: SeriesPoint[] = [...byPeriod.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([period, stated]) =>
      stated.map(({ figure, sources, dated }) => ({
        period,
        value: figure.value,
        raw: figure.raw,
        sources: [...sources],
        figureId: figure.id,
        ...(!dated && { periodFromDate: true }),
      })),
    );
  return { label: head.label, scope: head.scope, unit: head.unit, kind: head.kind, points };
}

export function isSeriesPeriod(period: string | null): boolean {
  return period !== null && SERIES_PERIOD.test(period);
}

/** Two statements of one value: "301.79 billion" and "3017.86亿" agree; a rounded mention within half a percent does too. */
const AGREEMENT = 0.005;

function agree(a: Figure, b: Figure): boolean {
  return a.unit === b.unit && Math.abs(a.value - b.value) <= Math.max(Math.abs(a.value), Math.abs(b.value)) * AGREEMENT;
}
