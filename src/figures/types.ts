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
  /**
   * The documents that state this figure: its own (`source`) first, then the copies of that document
   * (src/documents/duplicates.ts) whose same figure — same value, unit and period — was merged into it.
   */
  sources: string[];
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
