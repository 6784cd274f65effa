import { withQualifier } from './quantities.js';
import type { FigureAlternative, Quantity } from './types.js';

/**
 * Conversions: an amount given again in another currency right beside it ("9.12 billion yuan ($1.32 billion)",
 * "2.2 trillion yuan, about 118.5 billion U.S. dollars", "4120亿元（约合570亿美元）") is the same figure, written
 * two ways. The second is that figure's alternative, not a figure of its own.
 */

/** What may stand between an amount and its conversion: a bracket or comma, and words that say "that is about". */
const BETWEEN =
  /^\s*(?:[(（]|[,，]|—|-{1,2})?\s*(?:(?:or|about|around|approximately|roughly|nearly|some|equivalent to|equal to|worth|i\.e\.|约合|折合|相当于|合|约)\s*)*$/iu;
/** A bare space says nothing: "… yuan 1.3 billion dollars" is two numbers, not a conversion. */
const SAYS_CONVERSION = /[(（,，—-]|\b(?:or|about|around|approximately|roughly|equivalent|equal|worth)\b|约合|折合|相当于/iu;
const CURRENCY = /^[A-Z]{3}$/;

export interface PairedQuantities {
  /** The quantities that are figures, in order. */
  figures: Quantity[];
  /** Per figure quantity, the conversions written beside it. */
  alternatives: Map<Quantity, FigureAlternative[]>;
}

export function pairConversions(sentence: string, quantities: Quantity[]): PairedQuantities {
  const figures: Quantity[] = [];
  const alternatives = new Map<Quantity, FigureAlternative[]>();
  // Where the last figure's writing ends: after its conversions, if any ("A (B, C)" is measured from B).
  let writtenTo = 0;
  for (const quantity of quantities) {
    const held = figures.at(-1);
    const earlier = held ? (alternatives.get(held) ?? []) : [];
    if (held && isConversionOf(held, quantity, earlier, sentence.slice(writtenTo, quantity.index))) {
      const qualifier = sentence.slice(writtenTo, quantity.index).match(QUALIFIER)?.[0].trim() ?? '';
      earlier.push({ raw: withQualifier(qualifier, quantity.raw), value: quantity.value, unit: quantity.unit });
      alternatives.set(held, earlier);
    } else figures.push(quantity);
    writtenTo = quantity.index + quantity.raw.length;
  }
  return { figures, alternatives };
}

const QUALIFIER = /(?:about|around|approximately|roughly|nearly|some|约合|折合|约)\s*$/iu;

function isConversionOf(amount: Quantity, next: Quantity, earlier: FigureAlternative[], gap: string): boolean {
  if (amount.kind !== 'amount' || next.kind !== 'amount') return false;
  if (!CURRENCY.test(amount.unit) || !CURRENCY.test(next.unit) || amount.unit === next.unit) return false;
  if (earlier.some((alternative) => alternative.unit === next.unit)) return false;
  return BETWEEN.test(gap) && SAYS_CONVERSION.test(gap);
}
