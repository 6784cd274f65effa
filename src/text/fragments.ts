/**
 * Whether a quote is a fragment rather than a sentence: it starts in lower case (cut from the middle of a
 * sentence), or has six words or more and no end punctuation (cut before its end, or a headline), or is
 * Chinese of 15 characters or more without its end mark. The answerer does not quote fragments; the eval
 * counts them.
 */
const END_PUNCTUATION = /[.!?。！？;；:：…]["'”’»)）\]】」』]*$/u;
const CHINESE_END = /[。！？；：…][”’」』）)]*$/u;
const MIN_WORDS = 6;
const MIN_HAN = 15;

export function isFragment(quote: string): boolean {
  const text = quote.trim();
  if (!text) return false;
  if (/^\p{Ll}/u.test(text)) return true;
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  if (han >= MIN_HAN) return !CHINESE_END.test(text);
  return text.split(/\s+/).length >= MIN_WORDS && !END_PUNCTUATION.test(text);
}
