// The two locales read, not the whole package: all of chrono's locales take most of a second to import.
import * as english from 'chrono-node/en';
import * as chinese from 'chrono-node/zh';

/** A dateline is in a release's first lines ("XI'AN, China, March 21, 2022 /PRNewswire/", "2023年1月31日"). */
const DATELINE_LINES = 8;
const EARLIEST_YEAR = 1949;
/** Lines up to this long may carry a dateline anywhere ("Japan JST China news, October 20, 2020"). */
const DATELINE_MAX_CHARS = 120;
/** In a longer English line the date opens it ("XI'AN, China, March 21, 2022 /PRNewswire/ -- …"); a Chinese one starts with it. */
const DATELINE_OPENING_CHARS = 60;

/**
 * The date a document states near its top: the first full date (year, month and day all written) in its
 * first lines, read by chrono (English, and Chinese for lines with Han characters). A date that is not a
 * real day ("February 30") or lies outside the plausible years is not a dateline, nor is the file's own
 * creation date (for a printed page, the print header's date; where it is the true date it is used anyway).
 */
export function findDateline(text: string, options: { today?: Date; notOn?: string } = {}): string | null {
  const today = options.today ?? new Date();
  const all = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  // A line repeated at the top (a page's date widget, a running header) is furniture, not the release's dateline.
  const lines = all
    .slice(0, DATELINE_LINES * 2)
    .filter((line, _, top) => top.indexOf(line) === top.lastIndexOf(line))
    .slice(0, DATELINE_LINES);
  for (const line of lines) {
    // Strict parsers: only written dates, not "today" or "tomorrow" (which a release's text uses about other days).
    const parser = /\p{Script=Han}/u.test(line) ? chinese.strict : english.strict;
    for (const result of parser.parse(line.slice(0, 300), today)) {
      // A dateline is a short line, or opens its paragraph; a date deep in a sentence ("自2021年3月30日…") is about something else.
      if (line.length > DATELINE_MAX_CHARS && result.index > (parser === english.strict ? DATELINE_OPENING_CHARS : 0)) continue;
      const start = result.start;
      if (!start.isCertain('year') || !start.isCertain('month') || !start.isCertain('day')) continue;
      const [year, month, day] = [start.get('year'), start.get('month'), start.get('day')];
      if (year === null || month === null || day === null || year < EARLIEST_YEAR || year > today.getFullYear() + 1) continue;
      const date = new Date(Date.UTC(year, month - 1, day));
      if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) continue;
      const iso = date.toISOString().slice(0, 10);
      // The day a page was printed, in the print header a browser puts on every page, is no dateline.
      if (iso !== options.notOn) return iso;
    }
  }
  return null;
}
