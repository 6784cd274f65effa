import * as chrono from 'chrono-node';

/** A dateline is in a release's first lines ("XI'AN, China, March 21, 2022 /PRNewswire/", "2023年1月31日"). */
const DATELINE_LINES = 8;
const EARLIEST_YEAR = 1949;

/**
 * The date a document states near its top: the first full date (year, month and day all written) in its
 * first lines, read by chrono (English, and Chinese for lines with Han characters). A date that is not a
 * real day ("February 30") or lies outside the plausible years is not a dateline.
 */
export function findDateline(text: string, today = new Date()): string | null {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, DATELINE_LINES);
  for (const line of lines) {
    const parser = /\p{Script=Han}/u.test(line) ? chrono.zh : chrono.en;
    for (const result of parser.parse(line.slice(0, 300), today)) {
      const start = result.start;
      if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
      const [year, month, day] = [start.get('year'), start.get('month'), start.get('day')];
      if (year === null || month === null || day === null || year < EARLIEST_YEAR || year > today.getFullYear() + 1) continue;
      const date = new Date(Date.UTC(year, month - 1, day));
      if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) continue;
      return date.toISOString().slice(0, 10);
    }
  }
  return null;
}
