import path from 'node:path';
import type { Database, Statement } from 'better-sqlite3';
import type { LoadedDocument } from '../documents/types.js';
import { FigureIndex, yieldToEventLoop } from './catalog.js';
import { extractFigures } from './extract.js';
import type { FigureQueryMeaning } from './query-meaning.js';
import { readStoredLookup, readStoredLookupSync, STORED_LOOKUP_FILE, writeStoredLookup } from './stored-lookup.js';
import type { Figure, FigureAlternative, FigureChoice, FigureMatch } from './types.js';

export type { Figure, FigureAlternative, FigureChoice, FigureMatch, FigureKind, FigureSeries, FigureSource, Quantity, SeriesPoint } from './types.js';
export { seriesOf, isSeriesPeriod, SERIES_MIN_SHARE } from './series.js';
export { extractFigures } from './extract.js';
export { noFigureFound, writtenWithAlternatives } from './format.js';
export { yieldToEventLoop } from './catalog.js';
export { figureQueryMeaning, type FigureQueryMeaning } from './query-meaning.js';
export { findQuantities, sameQuantity, type FindQuantitiesOptions } from './quantities.js';

/** Raised whenever extraction or the figures table changes: an index made by another version is rebuilt. 2: conversions; 3: scopes from the release's own place; 4: a count's owner is its scope, not part of its label; 5: a comparison's relative year, a number's comma; 6: 'total investment of signed projects', 'turnover of the region's …'; 7: '…拥有量' is a measure, not who owns it; 'projects with investment exceeding', 'with total investment of'; a participle ends a count's noun; the number after 每 or 'per' is a rate's unit; 年均, 分别 end no measure; 8: a measure said only by how much (成交额) is of its sentence's earlier one, a bracket is an aside, a label's leading place is its scope, 占/省份/市场 make no scope, a measure conjoined to a count is of what it counts; 9: 'with its … exceeding', 'increase X to N', a count's noun is no time ('this year'). */
export const FIGURE_EXTRACTION_VERSION = 9;

/**
 * The key-figures catalog: extracted per document at reindex into the `figures` table of the index
 * database, and read back into a FigureCatalog (an in-memory search index) per index generation.
 */

export function ensureFigureSchema(db: Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS figures (
      id TEXT PRIMARY KEY,
      doc_id TEXT NOT NULL,
      ordinal INTEGER NOT NULL,
      label TEXT NOT NULL,
      raw TEXT NOT NULL,
      value REAL NOT NULL,
      unit TEXT NOT NULL,
      kind TEXT NOT NULL,
      period TEXT,
      scope TEXT,
      quote TEXT NOT NULL,
      -- The JSON array of the figure's conversions into other currencies, when it has any.
      alternatives TEXT,
      source_title TEXT NOT NULL,
      source_date TEXT,
      source_url TEXT,
      -- A copy's figure that another document of its group states too: the id of that figure (it is listed there).
      merged_into TEXT,
      -- On the figure kept: the JSON array of the documents that state it, when more than its own.
      sources TEXT
    );
    CREATE INDEX IF NOT EXISTS figures_by_doc ON figures (doc_id, ordinal);
    CREATE INDEX IF NOT EXISTS figures_merged ON figures (merged_into) WHERE merged_into IS NOT NULL;
    CREATE INDEX IF NOT EXISTS figures_shared ON figures (id) WHERE sources IS NOT NULL;
  `);
}

/** Replaces a document's figures in the table by `figures` (by default, those extracted from it now). */
export function replaceDocumentFigures(db: Database, doc: LoadedDocument, figures: Figure[] = extractFigures(doc)): number {
  removeDocumentFigures(db, doc.id);
  const insert = db.prepare(`
    INSERT INTO figures (id, doc_id, ordinal, label, raw, value, unit, kind, period, scope, quote, alternatives, source_title, source_date, source_url)
    VALUES (@id, @docId, @ordinal, @label, @raw, @value, @unit, @kind, @period, @scope, @quote, @alternatives, @title, @date, @url)`);
  figures.forEach((figure, ordinal) => {
    insert.run({
      ...figure,
      docId: doc.id,
      ordinal,
      alternatives: figure.alternatives.length ? JSON.stringify(figure.alternatives) : null,
      title: figure.source.title,
      date: figure.source.date,
      url: figure.source.url,
      source: undefined,
      sources: undefined,
    });
  });
  return figures.length;
}

export function removeDocumentFigures(db: Database, docId: string): void {
  db.prepare('DELETE FROM figures WHERE doc_id = ?').run(docId);
}

/**
 * Keeps each figure of a group of copies once: going through the group's documents canonical first, a
 * figure with the value, unit and period of one already kept from another document of the group is merged
 * into it (that figure lists both documents in `sources`). Recomputed over the whole catalog, since any
 * reindex may change the groups. Returns the number of figures merged.
 */
export function mergeCopyFigures(db: Database, groups: { canonical: string; copies: string[] }[]): number {
  let merged = 0;
  db.transaction(() => {
    // Each through its partial index: a library without copies costs no scan of its figures.
    db.prepare('UPDATE figures SET merged_into = NULL WHERE merged_into IS NOT NULL').run();
    db.prepare('UPDATE figures SET sources = NULL WHERE sources IS NOT NULL').run();
    const ofDocument = db.prepare('SELECT id, value, unit, period FROM figures WHERE doc_id = ? ORDER BY ordinal');
    const mergeInto = db.prepare('UPDATE figures SET merged_into = ? WHERE id = ?');
    const setSources = db.prepare('UPDATE figures SET sources = ? WHERE id = ?');
    for (const { canonical, copies } of groups) {
      const kept = new Map<string, { id: string; sources: string[] }>();
      for (const docId of [canonical, ...copies]) {
        for (const row of ofDocument.all(docId) as { id: string; value: number; unit: string; period: string | null }[]) {
          const key = JSON.stringify([row.value, row.unit, row.period]);
          const first = kept.get(key);
          if (!first) kept.set(key, { id: row.id, sources: [docId] });
          else if (first.sources[0] !== docId) {
            mergeInto.run(first.id, row.id);
            if (!first.sources.includes(docId)) first.sources.push(docId);
            merged++;
          }
          // else the document states the figure twice: two entries, as without copies.
        }
      }
      for (const { id, sources } of kept.values()) if (sources.length > 1) setSources.run(JSON.stringify(sources), id);
    }
  })();
  return merged;
}

/** Rows read per query by `prepareInSlices` (about 10 ms of work). */
const FIGURE_PAGE = 1_000;
/** How many measures "no figure found" offers. */
const CLOSEST_MEASURES = 5;

/**
 * A row of the figures table as read (an array: better-sqlite3's raw rows take half the time of objects to read): the
 * figure with its source flattened into these columns.
 */
const COLUMNS = 'id, label, raw, value, unit, kind, period, scope, alternatives, quote, doc_id, source_title, source_date, source_url, sources, ordinal';
type FigureRow = [
  id: string,
  label: string,
  raw: string,
  value: number,
  unit: string,
  kind: Figure['kind'],
  period: string | null,
  scope: string | null,
  alternatives: string | null,
  quote: string,
  docId: string,
  title: string,
  date: string | null,
  url: string | null,
  sources: string | null,
  ordinal: number,
];
/** The figures of the catalog: those not merged into a figure of another copy. */
const LISTED = 'merged_into IS NULL';

/** The figures of a catalog, with the maps built over them. */
class FigureSet {
  readonly figures: Figure[] = [];
  readonly byId = new Map<string, Figure>();
  readonly byDocument = new Map<string, Figure[]>();

  constructor(figures: Figure[] = []) {
    this.add(figures);
  }

  add(figures: Figure[]): void {
    for (const figure of figures) {
      this.figures.push(figure);
      this.byId.set(figure.id, figure);
      const list = this.byDocument.get(figure.source.id);
      if (list) list.push(figure);
      else this.byDocument.set(figure.source.id, [figure]);
    }
  }
}

/**
 * The figures of one index generation. Over a database, nothing is read when the index opens (a large
 * catalog takes seconds to read): the figures of a few documents are read by `within`, and the whole
 * catalog on the first lookup that needs it (the bot prepares it in slices once logged in). Its lookup
 * is read from the generation's folder when stored there, else built and stored (stored-lookup.ts).
 */
export class FigureCatalog {
  private loaded: FigureSet | null;
  private lookup: FigureIndex | null = null;
  private quotedQuery: Statement | null = null;

  private constructor(
    private readonly db: Database | null,
    figures: Figure[] | null,
    private readonly lookupFile: string | null = null,
  ) {
    this.loaded = figures ? new FigureSet(figures) : null;
  }

  /** The catalog of an index database (one without the figures table is empty), its lookup kept in `generationDir`. */
  static load(db: Database, generationDir?: string): FigureCatalog {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'figures'").get();
    return exists ? new FigureCatalog(db, null, generationDir ? path.join(generationDir, STORED_LOOKUP_FILE) : null) : new FigureCatalog(null, []);
  }

  /** A catalog over figures already in memory (tests, benchmarks). */
  static fromFigures(figures: Figure[]): FigureCatalog {
    return new FigureCatalog(null, figures);
  }

  /** Reads the catalog and builds its lookup index now, so the first autocomplete is fast. */
  prepare(): void {
    this.index();
  }

  private set(): FigureSet {
    this.loaded ??= new FigureSet(
      (this.db!.prepare(`SELECT ${COLUMNS} FROM figures WHERE ${LISTED} ORDER BY doc_id, ordinal`).raw().all() as FigureRow[]).map(rowToFigure),
    );
    return this.loaded;
  }

  private index(): FigureIndex {
    if (this.lookup) return this.lookup;
    const figures = this.set().figures;
    const stored = this.lookupFile ? readStoredLookupSync(this.lookupFile) : null;
    this.lookup = (stored && FigureIndex.fromStored(figures, stored)) ?? this.stored(FigureIndex.build(figures));
    return this.lookup;
  }

  /** A lookup just built, written beside its generation for the next process to read. */
  private stored(lookup: FigureIndex): FigureIndex {
    if (this.lookupFile) writeStoredLookup(this.lookupFile, lookup.toStored());
    return lookup;
  }

  /**
   * What `prepare` does, a slice at a time with the event loop free in between (a running bot keeps
   * answering while the catalog of a large library is read and indexed, which takes seconds).
   */
  async prepareInSlices(): Promise<void> {
    if (this.lookup) return;
    if (!this.loaded) {
      const page = this.db!.prepare(`SELECT ${COLUMNS} FROM figures WHERE (doc_id, ordinal) > (?, ?) AND ${LISTED} ORDER BY doc_id, ordinal LIMIT ?`).raw();
      const set = new FigureSet();
      let last: FigureRow | undefined;
      for (;;) {
        const rows = page.all(last?.[10] ?? '', last?.[15] ?? -1, FIGURE_PAGE) as FigureRow[];
        set.add(rows.map(rowToFigure));
        last = rows.at(-1);
        if (rows.length < FIGURE_PAGE) break;
        await yieldToEventLoop();
      }
      this.loaded = set;
    }
    const stored = this.lookupFile ? await readStoredLookup(this.lookupFile) : null;
    const figures = this.loaded.figures;
    this.lookup = (stored && (await FigureIndex.fromStoredInSlices(figures, stored))) ?? this.stored(await FigureIndex.buildInSlices(figures));
  }

  get size(): number {
    return this.loaded ? this.loaded.figures.length : (this.db!.prepare(`SELECT count(*) FROM figures WHERE ${LISTED}`).pluck().get() as number);
  }

  all(): Figure[] {
    return [...this.set().figures];
  }

  byId(id: string): Figure | undefined {
    return this.set().byId.get(id);
  }

  /** Best matches first; tolerant of wording ("tech transactions", "how many alliance members", "GDP growth 2023"). */
  search(query: string, limit = 10, meaning?: FigureQueryMeaning): FigureMatch[] {
    return this.index().search(query, limit, meaning);
  }

  /** The best match for a lookup and the other figures of its measure for its place (see FigureIndex.sameMeasure). */
  sameMeasure(query: string, limit: number, minShare: number, meaning?: FigureQueryMeaning): FigureMatch[] {
    return this.index().sameMeasure(query, limit, minShare, meaning);
  }

  /** The measures spelled most like a lookup that found nothing, to offer instead. */
  closestMeasures(query: string, limit = CLOSEST_MEASURES): string[] {
    return this.index().closestMeasures(query, limit);
  }

  /** Up to 25 Discord choices (name ≤ 100 characters, value = figure id); the last word may be unfinished. */
  autocomplete(partial: string): FigureChoice[] {
    return this.index().autocomplete(partial);
  }

  /**
   * The catalog of the figures stated in these passages: what a question's answer may draw on, and
   * small, so matching a question against it costs little however large the whole catalog is.
   */
  within(passages: { docId: string; text: string }[]): FigureCatalog {
    const figures = passages.flatMap((passage) => this.figuresQuotedIn(passage));
    return new FigureCatalog(null, [...new Map(figures.map((figure) => [figure.id, figure])).values()]);
  }

  /** The figures of a passage's document whose sentence the passage contains (filtered by SQLite when not in memory). */
  private figuresQuotedIn(passage: { docId: string; text: string }): Figure[] {
    if (this.loaded) return (this.loaded.byDocument.get(passage.docId) ?? []).filter((figure) => passage.text.includes(figure.quote));
    this.quotedQuery ??= this.db!.prepare(`SELECT ${COLUMNS} FROM figures WHERE doc_id = ? AND instr(?, quote) > 0 AND ${LISTED} ORDER BY ordinal`).raw();
    return (this.quotedQuery.all(passage.docId, passage.text) as FigureRow[]).map(rowToFigure);
  }

  /** The one figure a question asks for, when it asks for a number and a figure matches it clearly; else null. */
  matchQuestion(question: string): FigureMatch | null {
    return this.index().matchQuestion(question);
  }
}

function rowToFigure([id, label, raw, value, unit, kind, period, scope, alternatives, quote, docId, title, date, url, sources]: FigureRow): Figure {
  return {
    id,
    label,
    raw,
    value,
    unit,
    kind,
    period,
    scope,
    alternatives: alternatives ? (JSON.parse(alternatives) as FigureAlternative[]) : [],
    quote,
    source: { id: docId, title, date, url },
    sources: sources ? (JSON.parse(sources) as string[]) : [docId],
  };
}
