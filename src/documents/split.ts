import { splitSentences } from '../text/sentences.js';

export interface PassageDraft {
  heading: string | null;
  text: string;
}

/** Passage size, counting a Chinese character as two (it carries about as much as an English word's letters). */
const MAX_PASSAGE_WEIGHT = 900;
/** Lines this short (a dateline, a byline) are joined to the paragraph after them rather than standing alone. */
const MIN_PASSAGE_WEIGHT = 80;

/**
 * Splits a document into passages: paragraphs within their section (a `# ` line or a short unpunctuated
 * line is a heading), long paragraphs cut at sentence boundaries, fragments joined to their neighbour.
 * A passage is the unit of retrieval and of citation, so it stays one paragraph-sized idea.
 */
export function splitIntoPassages(text: string): PassageDraft[] {
  const drafts: PassageDraft[] = [];
  let heading: string | null = null;
  let carry = '';
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.replace(/[ \t]+/g, ' ').trim())
    .filter(Boolean);

  for (const paragraph of paragraphs) {
    const lines = paragraph
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const body: string[] = [];
    for (const line of lines) {
      if (isHeading(line)) {
        if (body.length) pushParagraph(body.join('\n'));
        body.length = 0;
        heading = line.replace(/^#+\s*/, '');
      } else {
        body.push(line);
      }
    }
    if (body.length) pushParagraph(body.join('\n'));
  }
  if (carry) drafts.push({ heading, text: carry });
  return drafts;

  function pushParagraph(paragraph: string): void {
    const joined = carry ? `${carry}\n${paragraph}` : paragraph;
    carry = '';
    if (weight(joined) < MIN_PASSAGE_WEIGHT) {
      carry = joined;
      return;
    }
    for (const chunk of chunkBySentences(joined)) drafts.push({ heading, text: chunk });
  }
}

function isHeading(line: string): boolean {
  if (/^#{1,6}\s/.test(line)) return true;
  // Numbered section titles and short title-like lines without end punctuation.
  return (
    weight(line) <= 80 &&
    !/[.,;:!?。，；：！？"”)）]$/.test(line) &&
    /^(\d+(\.\d+)*\.?\s+|[一二三四五六七八九十]+、|第[一二三四五六七八九十百\d]+[章节条部分])/.test(line)
  );
}

function chunkBySentences(paragraph: string): string[] {
  if (weight(paragraph) <= MAX_PASSAGE_WEIGHT) return [paragraph];
  const chunks: string[] = [];
  let current = '';
  for (const sentence of splitSentences(paragraph)) {
    const joiner = current && !/\p{Script=Han}$/u.test(current) ? ' ' : '';
    if (current && weight(current) + weight(sentence) > MAX_PASSAGE_WEIGHT) {
      chunks.push(current);
      current = sentence;
    } else {
      current += joiner + sentence;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

export function weight(text: string): number {
  return text.length + (text.match(/\p{Script=Han}/gu)?.length ?? 0);
}
