import radicals from '../../data/text/cjk-radicals.json' with { type: 'json' };

const SUPPLEMENT: Record<string, string> = radicals.map;

/**
 * Radical look-alikes back to the characters they stand for: the Kangxi radicals by NFKC, the CJK Radicals
 * Supplement by the table in data/text/cjk-radicals.json. A PDF printed by a browser writes 增长 as 增⻓.
 */
export function foldRadicals(text: string): string {
  return text.replace(/[\u2e80-\u2fdf]/gu, (radical) => SUPPLEMENT[radical] ?? radical.normalize('NFKC'));
}
