export type FigureKind = 'amount' | 'percent' | 'growth' | 'multiple' | 'count';

export interface FigureSource {
  id: string;
  title: string;
  date: string | null;
  url: string | null;
}

/** One quantitative statement of a document, normalized. */
export interface Figure {
  /** Stable across reindexes of an unchanged document (document id + position). */
  id: string;
  label: string;
  raw: string;
  value: number;
  unit: string;
  kind: FigureKind;
  period: string | null;
  scope: string | null;
  quote: string;
  source: FigureSource;
  /** The same value written in other currencies beside it ("(about $1.32 billion)"), as written. */
  alternatives: FigureAlternative[];
  /**
   * The documents that state this figure: its own (`source`) first, then the copies of that document
   * (src/documents/duplicates.ts) whose same figure — same value, unit and period — was merged into it.
   */
  sources: string[];
}

/** A conversion of a figure: its value in another unit, in base units as `Figure.value`. */
export interface FigureAlternative {
  raw: string;
  value: number;
  unit: string;
}

export interface FigureMatch {
  figure: Figure;
  /** Higher is better; comparable within one query. */
  score: number;
}

/** A Discord autocomplete choice: name at most 100 characters, value the figure id. */
export interface FigureChoice {
  name: string;
  value: string;
}

/**
 * A number with its unit as written in a text, normalized: `value` is in base units (412076000000 for
 * "412.076 billion yuan" and "4120.76亿元"), `unit` a currency code, `%`, `pp` (percentage points), `×`,
 * a measure (`km²`, `t`, …) or `''` for counts and plain numbers.
 */
export interface Quantity {
  raw: string;
  value: number;
  unit: string;
  kind: FigureKind;
  /** Offset of `raw` in the text. */
  index: number;
  /** Half the last written digit's place, in base units: "412.1 billion" → 0.05e9; lets a rounded mention match. */
  tolerance: number;
}

/** One period of a series: the value stated for it, and every document that states it. */
export interface SeriesPoint {
  /** "2022", "2023-H1", "2024-Q1–Q3", "2022-01–05": sortable by its leading year. */
  period: string;
  /** In the series' unit (base units, as `Figure.value`). */
  value: number;
  raw: string;
  sources: string[];
  /** The figure the point is read from. */
  figureId: string;
  /** Set when the figure's sentence names no period and the point's is read from its release's date. */
  periodFromDate?: boolean;
}

/**
 * The same measure for the same place over several periods, oldest first. Two points may share a period when
 * sources disagree on its value: both are kept, each with its sources.
 */
export interface FigureSeries {
  label: string;
  scope: string | null;
  unit: string;
  kind: FigureKind;
  points: SeriesPoint[];
}
