/**
 * Checks a model-written answer before anyone sees it: citation markers must point to a given passage,
 * the citation list holds only cited passages (renumbered 1..k in order of first use), and every number
 * the answer states must appear, after normalization, in a passage it cites.
 */
import { findQuantities, sameQuantity, type Quantity } from '../figures/index.js';
import { splitSentences } from '../text/sentences.js';
import { queryTerms } from '../text/tokenize.js';
import { applyRenumbering, mergeRepeatedQuotes } from './citations.js';
import type { Citation, RetrievedPassage } from './types.js';

export interface CheckedAnswer {
  /** The answer with markers cleaned and renumbered. */
  text: string;
  citations: Citation[];
  /** Marker numbers the model used that point to no given passage (removed from the text). */
  danglingMarkers: number[];
  /** Numbers stated in the answer that no cited passage holds ("500 billion yuan"). */
  unsupportedNumbers: string[];
}

// [1], [1, 2], [1][2], [1-3], and the full-width 【1】 some models write in Chinese.
const MARKER = /[[【]\s*(\d{1,4}(?:\s*[-–]\s*\d{1,4})?(?:\s*[,，、;]\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?)*)\s*[\]】]/gu;
const RENUMBERED_MARKER = /\[(\d+)\]/g;
// A sentence end with the markers that follow it ("claim.[1] Next"), so the markers stay with their claim.
const CLAIM_END = /[.!?;](?:\s*\[\d+\])*(?=\s|$)|[。！？；](?:\s*\[\d+\])*/gu;
const LIST_NUMBER = /^(\s*)\d{1,2}[.)](?=\s)/gm;
const QUOTE_MAX_CHARS = 400;

export function checkAnswer(modelText: string, passages: RetrievedPassage[]): CheckedAnswer {
  const { text, cited, dangling } = renumberMarkers(modelText, passages.length);
  const citedPassages = cited.map((index) => passages[index]);
  const claims = claimsByCitation(text, cited.length);
  const answerQuantities = statedQuantities(text);

  const evidence = citedPassages.flatMap((passage) => findQuantities(evidenceText(passage), { allNumbers: true }));
  const unsupported = answerQuantities.filter((stated) => !evidence.some((found) => supports(found, stated)));

  const quoted: Citation[] = citedPassages.map((passage, i) => ({
    n: i + 1,
    source: passage.docId,
    title: passage.meta.title,
    url: passage.meta.url,
    date: passage.meta.date,
    language: passage.meta.language,
    quote: bestQuote(passage, claims[i], answerQuantities),
    score: passage.score,
    also: passage.also ?? [],
  }));
  // Two cited passages that support their claims with the same sentence (copies of one release) are one source.
  const { citations, renumbered } = mergeRepeatedQuotes(quoted);
  return {
    text: applyRenumbering(text, renumbered),
    citations,
    danglingMarkers: dangling,
    unsupportedNumbers: [...new Set(unsupported.map((q) => q.raw))],
  };
}

/**
 * Rewrites every marker group as `[a][b]` in the new numbering, drops numbers outside 1..passageCount,
 * and returns the passage indexes in order of first citation.
 */
function renumberMarkers(modelText: string, passageCount: number): { text: string; cited: number[]; dangling: number[] } {
  const newNumber = new Map<number, number>();
  const dangling = new Set<number>();
  const rewritten = modelText.replace(MARKER, (_marker, list: string) => {
    const numbers: number[] = [];
    for (const item of list.split(/\s*[,，、;]\s*/)) {
      const [from, to = from] = item.split(/\s*[-–]\s*/).map(Number);
      for (let n = from; n <= Math.min(to, from + 20); n++) numbers.push(n);
    }
    const kept: number[] = [];
    for (const n of numbers) {
      if (n < 1 || n > passageCount) {
        dangling.add(n);
        continue;
      }
      if (!newNumber.has(n)) newNumber.set(n, newNumber.size + 1);
      const renumbered = newNumber.get(n)!;
      if (!kept.includes(renumbered)) kept.push(renumbered);
    }
    return kept.map((n) => `[${n}]`).join('');
  });
  const text = rewritten
    .replace(/(\[\d+\])(?:\1)+/g, '$1') // "[1][1]" from adjacent groups
    .replace(/[ \t]+([.,;:!?。，；：！？])/g, '$1') // space left where a removed marker stood
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
  const cited = [...newNumber.entries()].sort((a, b) => a[1] - b[1]).map(([old]) => old - 1);
  return { text, cited, dangling: [...dangling] };
}

/** For each citation number (1-based, index n-1), the answer sentences that cite it, markers removed. */
function claimsByCitation(text: string, citationCount: number): string[] {
  const claims: string[] = Array.from({ length: citationCount }, () => '');
  for (const sentence of text.replace(CLAIM_END, '$&\n').split('\n')) {
    const plain = sentence.replace(RENUMBERED_MARKER, ' ');
    for (const [, n] of sentence.matchAll(RENUMBERED_MARKER)) claims[Number(n) - 1] += ` ${plain}`;
  }
  return claims;
}

/** Numbers the answer states, ignoring its citation markers and list numbering. */
function statedQuantities(text: string): Quantity[] {
  const blanked = text
    .replace(RENUMBERED_MARKER, (m) => ' '.repeat(m.length))
    .replace(LIST_NUMBER, (m, indent: string) => indent + ' '.repeat(m.length - indent.length));
  return findQuantities(blanked, { allNumbers: true });
}

/** What a passage can vouch for: its text, heading, title, and its document's date (written so its parts are numbers). */
function evidenceText(passage: RetrievedPassage): string {
  const date = passage.meta.date ? passage.meta.date.split(/\D+/).filter(Boolean).join(' ') : '';
  return [passage.meta.title, passage.heading ?? '', passage.text, date].join('\n');
}

/** A bare number in the answer ("1.2 billion") is supported by the same value with any unit in the source. */
function supports(found: Quantity, stated: Quantity): boolean {
  if (sameQuantity(found, stated)) return true;
  return stated.unit === '' && sameQuantity({ ...found, unit: '' }, stated);
}

/** The passage sentence that best supports the claims citing it: shared terms, and the answer's numbers. */
function bestQuote(passage: RetrievedPassage, claim: string, answerQuantities: Quantity[]): string {
  const claimTerms = new Set(queryTerms(claim));
  let best = '';
  let bestScore = -1;
  for (const sentence of splitSentences(passage.text)) {
    const terms = queryTerms(sentence);
    let score = terms.filter((term) => claimTerms.has(term)).length / Math.sqrt(terms.length + 1);
    const numbers = findQuantities(sentence, { allNumbers: true });
    score += 2 * answerQuantities.filter((stated) => claim.includes(stated.raw) && numbers.some((found) => supports(found, stated))).length;
    if (score > bestScore) {
      best = sentence;
      bestScore = score;
    }
  }
  return best.length > QUOTE_MAX_CHARS ? `${best.slice(0, QUOTE_MAX_CHARS - 1).trimEnd()}…` : best;
}
