import type { Citation, CopyRef } from './types.js';

/** A quote as a reader compares it: NFKC, white space folded, case ignored. */
export function quoteKey(quote: string): string {
  return quote.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * No answer carries two citations with the same quote, whatever the grouping of copies found: a citation
 * quoting what an earlier one quotes is merged into it, its document joining the earlier one's `also`.
 * The kept citations are renumbered 1..k in order; `renumbered` maps each old number to its new one.
 */
export function mergeRepeatedQuotes(citations: Citation[]): { citations: Citation[]; renumbered: Map<number, number> } {
  const kept: Citation[] = [];
  const byQuote = new Map<string, Citation>();
  const renumbered = new Map<number, number>();
  for (const citation of citations) {
    const key = quoteKey(citation.quote);
    const earlier = byQuote.get(key);
    if (earlier) {
      renumbered.set(citation.n, earlier.n);
      earlier.also = withCopies(earlier, [{ source: citation.source, title: citation.title, url: citation.url, publisher: null }, ...citation.also]);
      continue;
    }
    const copy = { ...citation, n: kept.length + 1, also: [...citation.also] };
    renumbered.set(citation.n, copy.n);
    byQuote.set(key, copy);
    kept.push(copy);
  }
  return { citations: kept, renumbered };
}

/** The citation's copies with the others added, each document once and never the cited one itself. */
function withCopies(citation: Citation, others: CopyRef[]): CopyRef[] {
  const also = [...citation.also];
  for (const other of others) {
    if (other.source !== citation.source && !also.some((known) => known.source === other.source)) also.push(other);
  }
  return also;
}

/** Rewrites `[n]` markers to the new numbers, and a marker repeated next to itself ("[1][1]") once. */
export function applyRenumbering(text: string, renumbered: Map<number, number>): string {
  return text
    .replace(/\[(\d+)\]/g, (marker, n: string) => (renumbered.has(Number(n)) ? `[${renumbered.get(Number(n))}]` : marker))
    .replace(/(\[\d+\])(?:\1)+/g, '$1');
}
