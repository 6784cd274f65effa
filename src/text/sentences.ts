/**
 * Sentence splitting for English and Chinese: ICU sentence boundaries (Intl.Segmenter), with the
 * breaks it makes after common abbreviations undone, and every line break treated as a boundary
 * (headings and list items are their own sentences).
 */

/** A list item's marker ("- ", "3. ", "(2) "); a Chinese one ("（三）") takes no space after it. */
export const LIST_ITEM = /^\s*(?:(?:[-*•·]|\d{1,2}[.)]|\(\d{1,2}\))\s+|[（(][一二三四五六七八九十]+[)）]\s*)/u;

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
const ABBREVIATION_END =
  /(?:\b(?:mr|mrs|ms|dr|prof|st|no|vs|etc|e\.g|i\.e|inc|ltd|co|corp|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|u\.s|u\.k|fig|art|sec)\.|\b[A-Z]\.)$/i;
const CHINESE_END = /([。！？；!?])/u;
/** Scrapes glue a caption to the sentence before ("industry.Chengdu Hi-tech …"): the missing space is put back. */
const GLUED_SENTENCES = /(\p{Ll}{2}[.!?])(?=\p{Lu}\p{Ll})/gu;

export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim().replace(GLUED_SENTENCES, '$1 ');
    if (!trimmed) continue;
    let pending = '';
    for (const { segment } of sentenceSegmenter.segment(trimmed)) {
      pending += segment;
      if (ABBREVIATION_END.test(pending.trimEnd())) continue;
      pushChinese(sentences, pending);
      pending = '';
    }
    if (pending) pushChinese(sentences, pending);
  }
  return sentences;
}

/** ICU keeps a Chinese paragraph without spaces whole more often than not; cut it at its own end marks. */
function pushChinese(into: string[], sentence: string): void {
  const parts = sentence.split(CHINESE_END);
  let current = '';
  for (const part of parts) {
    current += part;
    if (CHINESE_END.test(part) && /\p{Script=Han}/u.test(current)) {
      if (current.trim()) into.push(current.trim());
      current = '';
    }
  }
  if (current.trim()) {
    // Western end marks inside an English sentence were not cut above; join the remainder to the last Chinese cut only if it is punctuation.
    into.push(current.trim());
  }
}
