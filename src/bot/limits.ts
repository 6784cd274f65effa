/** Discord's message limits (characters), and cutting text to them at sentence boundaries. */
export const DISCORD_LIMITS = {
  content: 2_000,
  embedTitle: 256,
  embedDescription: 4_096,
  fieldName: 256,
  fieldValue: 1_024,
  fieldsPerEmbed: 25,
  footerText: 2_048,
  /** Title, description, field names and values, footer and author of all embeds of one message together. */
  embedsTotal: 6_000,
  embedsPerMessage: 10,
} as const;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/**
 * Splits text into pieces of at most `limit` characters: between sentences (line breaks included) where
 * possible, else between words, and only inside a word that is itself longer than the limit.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed ? [trimmed] : [];
  const sentences = [...sentenceSegmenter.segment(trimmed)].map((s) => s.segment);
  return pack(sentences, limit, (sentence) =>
    pack(
      [...wordSegmenter.segment(sentence)].map((s) => s.segment),
      limit,
      (word) => hardSplit(word, limit),
    ),
  );
}

/** Shortens text to at most `limit` characters at a sentence (else word) boundary, marking the cut with "…". */
export function cutText(text: string, limit: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= limit) return trimmed;
  if (limit <= 1) return '…'.slice(0, limit);
  return `${splitText(trimmed, limit - 1)[0].trimEnd()}…`;
}

/** Groups lines into pieces of at most `limit` characters without breaking a line (over-long lines are cut). */
export function packLines(lines: string[], limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = cutText(raw, limit);
    if (current && current.length + 1 + line.length > limit) {
      pieces.push(current);
      current = '';
    }
    current = current ? `${current}\n${line}` : line;
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Greedy packing of consecutive units; a unit longer than the limit is broken with `breakUnit`. */
function pack(units: string[], limit: number, breakUnit: (unit: string) => string[]): string[] {
  const pieces: string[] = [];
  let current = '';
  const flush = () => {
    const piece = current.trim();
    if (piece) pieces.push(piece);
    current = '';
  };
  for (const unit of units) {
    if ((current + unit).trimEnd().length <= limit) {
      current += unit;
      continue;
    }
    flush();
    if (unit.trim().length <= limit) {
      current = unit.trimStart();
      continue;
    }
    const parts = breakUnit(unit.trim());
    pieces.push(
      ...parts
        .slice(0, -1)
        .map((part) => part.trim())
        .filter(Boolean),
    );
    current = parts.at(-1) ?? '';
  }
  flush();
  return pieces;
}

/** Cuts by code points, so a surrogate pair is never split. */
function hardSplit(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const char of text) {
    if (current.length + char.length > limit) {
      pieces.push(current);
      current = '';
    }
    current += char;
  }
  if (current) pieces.push(current);
  return pieces;
}
