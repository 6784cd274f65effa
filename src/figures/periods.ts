import { parseCount } from './quantities.js';

/**
 * The period a statement is about, as releases write it in English and Chinese, resolved against the document's
 * date: a year ("2023", "last year", "去年"), a part of one ("first half of 2023" / "2023年上半年" → "2023-H1",
 * "Q1" / "一季度" → "2022-Q1", "the first three quarters" / "前三季度" → "2024-Q1–Q3", "January-May" / "1-5月" /
 * "前5个月" → "2022-01–05", "by the end of October" / "截至10月底" → "2021-10"), a span ("since 2021" →
 * "2021–2023", "three consecutive years") and what is not yet measured ("by 2027" in a 2023 plan → "2027 (target)",
 * "is expected to" / "预计" → "2023 (expected)").
 *
 * Written by hand rather than with a date recognizer: chrono-node reads calendar dates, not a statistical release's
 * periods (halves, cumulative months, targets); Microsoft's recognizers-text resolves such ranges in both languages
 * but runs a large grammar over every sentence at reindex, where every figure's sentence is read.
 */

const YEAR = /(?<!\d)((?:19|20)\d{2})(?!\d)(?!\s*(?:percent|%|times|yuan|元|亿|万))/g;
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = `(${MONTHS.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?`;
const ORDINAL: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, '1st': 1, '2nd': 2, '3rd': 3, '4th': 4 };

/** A part of a year, in the order tried (the cumulative forms before the single ones they contain). */
const PARTS: { pattern: RegExp; part: (match: RegExpMatchArray) => Part | null }[] = [
  { pattern: /\bfirst three quarters\b|前三(?:个)?季度|1-3季度/, part: () => ({ code: 'Q1–Q3', endMonth: 9 }) },
  { pattern: /\b(?:first|1st) half\b|\bh1\b|上半年/, part: () => ({ code: 'H1', endMonth: 6 }) },
  { pattern: /\b(?:second|2nd) half\b|\bh2\b|下半年/, part: () => ({ code: 'H2', endMonth: 12 }) },
  {
    pattern: /\b(first|second|third|fourth|1st|2nd|3rd|4th) quarter\b|\bq([1-4])\b|(?<![前三])第?([一二三四])季度/,
    part: (match) => {
      const quarter = match[1] ? ORDINAL[match[1]] : match[2] ? Number(match[2]) : parseCount(match[3]);
      return quarter ? { code: `Q${quarter}`, endMonth: quarter * 3 } : null;
    },
  },
  {
    pattern: /\b(?:the )?first (two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2}) months\b|前(\d{1,2}|[一二三四五六七八九十]{1,2})个?月/,
    part: (match) => monthSpan(1, parseCount(match[1] ?? match[2])),
  },
  {
    pattern: new RegExp(`\\b${MONTH}\\s*(?:-|–|to|through)\\s*${MONTH}`),
    part: (match) => monthSpan(monthNumber(match[1]), monthNumber(match[2])),
  },
  { pattern: /(?<!\d)(\d{1,2})\s*[-—–~至到]\s*(\d{1,2})月/, part: (match) => monthSpan(Number(match[1]), Number(match[2])) },
  {
    pattern: new RegExp(`\\b(?:end of|as of|by|until|through|in)\\s+(?:the end of\\s+)?${MONTH}(?!\\s*\\d{1,2}\\b)`),
    part: (match) => month(monthNumber(match[1])),
  },
  { pattern: /(?:截至|截止|到)?(?<![\d-])(\d{1,2})月(?:底|末|份)/, part: (match) => month(Number(match[1])) },
];

interface Part {
  /** After the year and a hyphen: "H1", "Q1–Q3", "01–05", "10". */
  code: string;
  /** The part's last month, to tell which year an undated part means. */
  endMonth: number;
}

const RELATIVE_YEARS = [
  { pattern: /\b(?:last|previous|past) year\b|去年|上年|上一年/, offset: -1, name: 'last year' },
  { pattern: /\bthis year\b|今年|本年/, offset: 0, name: 'this year' },
  { pattern: /\bnext year\b|明年/, offset: 1, name: 'next year' },
];
const RELATIVE_COMPARISON =
  /\b(?:over|than|compared (?:with|to)|from|versus|vs\.?|against|on)\s+(?:that of\s+)?(?:the\s+)?(?:last|previous|past|prior) year\b|(?:比|较)(?:上年|去年|上一年)/;
/** What marks a relative year that the document's missing date leaves unresolved: "last year (undated document)". */
export const UNRESOLVED = '(undated document)';

const TARGET_WORDS = /\b(?:target|goal|aim|plan(?:s|ned)?|strive|seek|will|shall)\b|力争|目标|计划|规划|确保|将/;
/** Words that make a statement about the document's own year an aim rather than a result. */
const AIM_WORDS = /\b(?:aims?|aiming|target(?:s|ed)?|goal|plans? to|strives?|seeks?)\b|力争|目标|计划/;
const EXPECTED_WORDS = /\b(?:expected|estimated|projected|forecast)\b|预计|有望/;

/** The year or period a sentence's figure at `position` refers to; null when the sentence and document say nothing. */
export function resolvePeriod(
  sentence: string,
  position: number,
  documentYear: number | null,
  quantityPositions: number[] = [],
  documentMonth: number | null = null,
): string | null {
  const text = sentence.toLowerCase();
  // A comparison ("since 2021", "that of … in 2017") belongs to its own clause, or to the whole sentence when its clause states no number.
  const clauses = clausesOf(text);
  const own = clauses.find((clause) => position >= clause.start && position < clause.end) ?? { start: 0, end: text.length };
  const free = clauses.filter((clause) => clause === own || !quantityPositions.some((at) => at >= clause.start && at < clause.end));
  const clause = free.map((part) => text.slice(part.start, part.end)).join(' , ');
  const explicit = [...text.matchAll(YEAR)].map((match) => Number(match[1]));
  // "In 2019, … up 17.5% over the previous year": beside a year the sentence names, a relative year is the comparison's.
  const comparedWithRelative = explicit.length > 0 && RELATIVE_COMPARISON.test(text);
  const relativeYear = comparedWithRelative ? undefined : RELATIVE_YEARS.find((year) => year.pattern.test(text));
  // "last year" in a document with no date: which year cannot be told, and the period says so.
  if (relativeYear && documentYear === null && explicit.length === 0) return `${relativeYear.name} ${UNRESOLVED}`;
  const relative = relativeYear !== undefined && documentYear !== null;
  let end: number | null = relative ? documentYear + relativeYear.offset : null;
  const baseMatch = clause.match(
    /\b(?:since|compared (?:with|to)|from|than(?: in)?|over|versus|vs\.?|relative to)\s+(?:the (?:same period|level|end) (?:in|of)\s+)?((?:19|20)\d{2})\b|(?:that|those|the level) of[^.;,]*?\bin\s+((?:19|20)\d{2})\b|(?:比|较|与|是)((?:19|20)\d{2})年/,
  );
  const base = baseMatch ? Number(baseMatch[1] ?? baseMatch[2] ?? baseMatch[3]) : null;
  const others = explicit.filter((year) => year !== base);
  if (end === null && others.length > 0) end = Math.max(...others);

  const consecutive = text.match(/\b(two|three|four|five|six|seven|eight|nine|ten|\d+) consecutive years\b|连续([两二三四五六七八九十]|\d+)年/);
  if (consecutive) {
    const count = parseCount(consecutive[1] ?? consecutive[2]);
    const last = end ?? (documentYear !== null ? documentYear - 1 : null);
    if (last !== null && count) return `${last - count + 1}–${last}`;
  }
  if (base !== null) {
    const last = end ?? (documentYear !== null ? documentYear - 1 : null);
    return last !== null && last > base ? `${base}–${last}` : `since ${base}`;
  }
  // A part of a year: of the year the sentence names, else of the document's latest such part that has ended.
  const part = partOf(clause) ?? partOf(text);
  let period: string | null = null;
  if (part) {
    const year = end ?? (documentYear !== null ? (documentMonth !== null && part.endMonth > documentMonth ? documentYear - 1 : documentYear) : null);
    if (year !== null) period = `${year}-${part.code}`;
  }
  if (end === null) return period;
  period ??= String(end);
  // "到2021年一季度…预计超过1000家": an estimate or a plan's figure, of a year or of a part of one.
  if (EXPECTED_WORDS.test(clause)) return `${period} (expected)`;
  // A year after the document's is a plan's, not a measurement; so is "by 2025" / "到2025年" with words of intent, and
  // what a document aims at for its own year ("aims to … this year"; of a part of the year, in the figure's own clause,
  // since a report of the months so far may name the year's target for another figure).
  const aimed =
    (new RegExp(`\\b(?:by|until|to) ${end}\\b|(?:到|至)${end}年`).test(text) && TARGET_WORDS.test(text)) ||
    (documentYear !== null && end >= documentYear && AIM_WORDS.test(part ? clause : text));
  if ((documentYear !== null && end > documentYear && !relative) || aimed) return `${period} (target)`;
  return period;
}

function partOf(text: string): Part | null {
  for (const { pattern, part } of PARTS) {
    const match = text.match(pattern);
    const found = match && part(match);
    if (found) return found;
  }
  return null;
}

function monthNumber(name: string): number {
  return MONTHS.findIndex((full) => full.startsWith(name.replace(/\.$/, '').slice(0, 3))) + 1;
}

function monthSpan(first: number, last: number | null): Part | null {
  if (!last || first < 1 || last > 12 || last <= first) return last === first && last ? month(last) : null;
  return { code: `${pad(first)}–${pad(last)}`, endMonth: last };
}

function month(number: number): Part | null {
  return number >= 1 && number <= 12 ? { code: pad(number), endMonth: number } : null;
}

function pad(number: number): string {
  return String(number).padStart(2, '0');
}

function clausesOf(text: string): { start: number; end: number }[] {
  const clauses: { start: number; end: number }[] = [];
  let start = 0;
  for (const match of text.matchAll(/[,;，；。]/g)) {
    clauses.push({ start, end: match.index });
    start = match.index + 1;
  }
  clauses.push({ start, end: text.length });
  return clauses;
}

/** The year a period starts in ("2023-H1" → 2023, "2021–2023" → 2021, "since 2021" → 2021); null for none. */
export function periodYear(period: string | null): number | null {
  const match = period?.match(/(?:19|20)\d{2}/);
  return match ? Number(match[0]) : null;
}

/**
 * The period a statement with none of its own ("currently", "now has") is about: the year its release is dated, or the
 * year before for a release of the first four months, when releases report the past year's totals.
 */
export function periodOfRelease(date: string | null): string | null {
  const match = date?.match(/^(\d{4})-(\d{2})/);
  if (!match) return null;
  return String(Number(match[1]) - (Number(match[2]) <= LAST_MONTH_REPORTING_PAST_YEAR ? 1 : 0));
}

/** Chosen from how statistical releases are timed (annual figures come out from January to April), not fitted to a set. */
const LAST_MONTH_REPORTING_PAST_YEAR = 4;

/** Whether a period is a plan's or an estimate, not a measurement. */
export function isProjected(period: string | null): boolean {
  return period !== null && /\((?:target|expected)\)$/.test(period);
}

/**
 * How well a figure's period fits the period a lookup asks for: 1 when the same, less for a part of the same year
 * (or the whole year for a part asked), least for another year. A figure with no period may be about any.
 */
export function periodFit(asked: string, stated: string | null): number {
  if (stated === null) return PERIOD_FIT.unknown;
  if (stated === asked) return 1;
  const [askedYear, statedYear] = [periodYear(asked), periodYear(stated)];
  if (askedYear === null || statedYear === null) return PERIOD_FIT.unknown;
  // A span that holds the year asked ("2021–2023" for 2021) fits as a part does.
  const span = stated.match(/^((?:19|20)\d{2})–((?:19|20)\d{2})$/);
  if (span && askedYear >= Number(span[1]) && askedYear <= Number(span[2]) && !asked.includes('-')) return PERIOD_FIT.sameYear;
  if (askedYear !== statedYear) return PERIOD_FIT.otherYear;
  return stated.replace(/ \((?:target|expected)\)$/, '') === asked ? PERIOD_FIT.projected : PERIOD_FIT.sameYear;
}

/**
 * Chosen on the even lines of press-dev-figures: another year's figure must not outrank the year asked unless it
 * matches the measure far better (0.7, the earlier factor, let two through); a part of the year asked sits between.
 */
const PERIOD_FIT = { unknown: 0.8, sameYear: 0.6, projected: 0.8, otherYear: 0.35 };
