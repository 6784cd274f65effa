import type { FigureKind, Quantity } from './types.js';

export type { Quantity } from './types.js';

/**
 * Finds the quantities of a text — amounts of money, percentages, multiples, counts, measures — in English
 * and Chinese, normalized so that differently written mentions of one number compare equal. Years, dates,
 * times, section numbers, phone numbers and numbers inside URLs are not quantities; with `{ allNumbers: true }`
 * every digit-written number outside URLs and phone numbers is returned as well (a plain number, unit `''`),
 * which is what a check "does this answer state a number the sources do not" needs.
 */
export interface FindQuantitiesOptions {
  allNumbers?: boolean;
}

const DIGITS = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const HAN_NUMERAL = '零〇一二两三四五六七八九十百千万亿';
const WORD_UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const WORD_SCALES: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };
const WORD_NUMBER = `(?:${Object.keys(WORD_UNITS).join('|')})(?:[\\s-]+(?:${[...Object.keys(WORD_UNITS), 'hundred'].join('|')}))*`;

const ENGLISH_SCALE = String.raw`(?:\s*(?:thousand|million|billion|trillion)\b|\s?(?:bn|mn|mln)\b|k\b)`;
const ENGLISH_SCALES: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  mn: 1e6,
  mln: 1e6,
  billion: 1e9,
  bn: 1e9,
  trillion: 1e12,
};
const HAN_SCALE = '[十百千万亿]+';

interface UnitRule {
  pattern: string;
  unit: string;
  kind: FigureKind;
}
// Order matters: longer spellings first.
const SUFFIX_UNITS: UnitRule[] = [
  { pattern: String.raw`\s*(?:percentage points?|个百分点)`, unit: 'pp', kind: 'percent' },
  { pattern: String.raw`\s*(?:%|％|percent\b|per\s?cent\b|pct\b)`, unit: '%', kind: 'percent' },
  { pattern: String.raw`(?:\s*times\b|\s*-?fold\b|\s*倍)`, unit: '×', kind: 'multiple' },
  { pattern: String.raw`\s*(?:(?:billion |million )?yuan\b|renminbi\b|RMB\b|CNY\b|元|人民币)`, unit: 'CNY', kind: 'amount' },
  { pattern: String.raw`\s*(?:Hong Kong dollars?\b|HKD\b|港元|港币)`, unit: 'HKD', kind: 'amount' },
  { pattern: String.raw`\s*(?:U\.?S\.? dollars?\b|dollars?\b|USD\b|美元)`, unit: 'USD', kind: 'amount' },
  { pattern: String.raw`\s*(?:euros?\b|EUR\b|欧元)`, unit: 'EUR', kind: 'amount' },
  { pattern: String.raw`\s*(?:pounds? sterling\b|GBP\b|英镑)`, unit: 'GBP', kind: 'amount' },
  { pattern: String.raw`\s*(?:yen\b|JPY\b|日元)`, unit: 'JPY', kind: 'amount' },
  { pattern: String.raw`\s*(?:won\b|KRW\b|韩元)`, unit: 'KRW', kind: 'amount' },
  { pattern: String.raw`\s*(?:rupees?\b|INR\b)`, unit: 'INR', kind: 'amount' },
  { pattern: String.raw`\s*(?:square kilomet(?:er|re)s?\b|sq\.? km\b|km2\b|km²|平方公里)`, unit: 'km²', kind: 'amount' },
  { pattern: String.raw`\s*(?:kilomet(?:er|re)s?\b|km\b|公里)`, unit: 'km', kind: 'amount' },
  { pattern: String.raw`\s*(?:hectares?\b|ha\b|公顷)`, unit: 'ha', kind: 'amount' },
  { pattern: String.raw`\s*(?:mu\b|亩)`, unit: 'mu', kind: 'amount' },
  { pattern: String.raw`\s*(?:metric tons?\b|tonnes?\b|tons?\b|吨)`, unit: 't', kind: 'amount' },
  { pattern: String.raw`\s*(?:kilowatt[- ]hours?\b|kWh\b|千瓦时)`, unit: 'kWh', kind: 'amount' },
  { pattern: String.raw`\s*(?:gigawatts?\b|GW\b)`, unit: 'GW', kind: 'amount' },
  { pattern: String.raw`\s*(?:megawatts?\b|MW\b)`, unit: 'MW', kind: 'amount' },
  { pattern: String.raw`\s*(?:kilowatts?\b|kW\b|千瓦)`, unit: 'kW', kind: 'amount' },
];
const PREFIX_UNITS: { pattern: string; unit: string }[] = [
  { pattern: String.raw`(?:HK\$)`, unit: 'HKD' },
  { pattern: String.raw`(?:US\$|USD\s?|\$)`, unit: 'USD' },
  { pattern: String.raw`(?:RMB\s?|CNY\s?|¥|￥)`, unit: 'CNY' },
  { pattern: String.raw`(?:€|EUR\s?)`, unit: 'EUR' },
  { pattern: String.raw`(?:£|GBP\s?)`, unit: 'GBP' },
];

const NUMBER_CORE = `(?:${DIGITS})(?:${ENGLISH_SCALE}|\\s*${HAN_SCALE})?|${WORD_NUMBER}(?:${ENGLISH_SCALE})?|[${HAN_NUMERAL}]+`;
const QUANTITY = new RegExp(
  `(?<percentOf>百分之)?(?<prefix>${PREFIX_UNITS.map((u) => u.pattern).join('|')})?(?<number>${NUMBER_CORE})(?<unit>${SUFFIX_UNITS.map((u) => u.pattern).join('|')})?`,
  'giu',
);
const SUFFIX_RES = SUFFIX_UNITS.map((rule) => ({ ...rule, re: new RegExp(`^(?:${rule.pattern})$`, 'iu') }));
const PREFIX_RES = PREFIX_UNITS.map((rule) => ({ ...rule, re: new RegExp(`^(?:${rule.pattern})$`, 'iu') }));

/** Each pattern with a cheap test of whether the text can hold a match at all (the URL pattern is slow to fail). */
const MASKED: { mayOccur: (text: string) => boolean; pattern: RegExp }[] = [
  {
    mayOccur: (text) => text.includes('@') || text.includes('://') || /www\./i.test(text),
    pattern: /\bhttps?:\/\/\S+|\bwww\.\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu,
  },
  // Phone numbers: an international prefix or groups of digits joined by dashes, dots or spaces.
  {
    mayOccur: () => true,
    pattern:
      /(?:\+\d{1,3}[\s-]?)?(?:\(\d{2,5}\)[\s-]?)?\b\d{2,5}[-\s.]\d{3,4}[-\s.]\d{3,5}\b|(?:\+\d{1,3}|\(0\d{1,4}\))[\s-]?\d[\d\s-]{6,}\d|\b0\d{2,3}-\d{7,8}\b/gu,
  },
  // Dates and times written with separators: 2024-03-27, 27/03/2024, 10:30.
  { mayOccur: () => true, pattern: /\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}:\d{2}\b/gu },
];
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE_BEFORE = new RegExp(`\\b${MONTH}\\.?\\s+$`, 'i');
const DATE_AFTER = new RegExp(`^(?:st|nd|rd|th)?\\s*(?:of\\s+)?${MONTH}\\b|^(?:st|nd|rd|th)\\b|^\\s*[年月日号时点分秒]|^\\s*(?:年代|世纪|届|期|号)`, 'i');
const REFERENCE_BEFORE =
  /(?:\b(?:section|sec|article|art|chapter|chap|clause|paragraph|para|item|no|number|page|pp?|figure|fig|table|part|rule|phase|version|v|annex|appendix|step|level|grade|room|floor|line|route|tel|phone|fax|ext|code|id|iso)\.?|§|#|第)\s*$/i;
const HYPHEN_WORD_AFTER = /^-(?!fold)[a-z]/i;
const TIME_NOUNS = /^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?|centuries|century|times|o'clock|am|pm|a\.m|p\.m)$/i;
const COUNT_MEASURE = /^\s*(?:[个项家名人所座条款台次户只件位批支场套部栋辆架颗株万千百]|多[个项家名人所座条款台次户只件位批])/u;
const NON_NOUN_AFTER = new Set(
  `a an the and or but of to in on at by for from with as than that which who whom whose this these those is are was were be been being has have had
  will would can could should may might must do does did not no nor so if then per percent years year months month days day times
  respectively each more less about around over under between among into onto through during after before since until up down out off
  further also only just even still yet again while when where what why how it its they them their our your his her we you i he she`.split(/\s+/),
);
const GROWTH_BEFORE =
  /(?:increas\w*|grow\w*|grew|growth|rise|rose|risen|rising|jump\w*|surg\w*|climb\w*|up|gain\w*|expand\w*|boost\w*|decreas\w*|declin\w*|fell|fall\w*|drop\w*|down|shr[aiu]nk\w*|增长|增加|增幅|提高|提升|上升|下降|减少|降低|同比|环比)(?:\s+(?:by|of|at))?(?:\s+(?:more than|over|about|around|nearly|almost|approximately|some|roughly|up to|at least|just))?\s*$/iu;
const GROWTH_BY =
  /\b(?:increas|grow|grew|rais|rise|rose|boost|expand|cut|reduc|lower|decreas)\w*\b[^,;，。；]*\bby(?:\s+(?:more than|over|about|around|nearly|almost|approximately|some|roughly|up to|at least|just))?\s*$/iu;
const MULTIPLIED_WORD = /\b(?:doubled|tripled|quadrupled)\b|翻(?:了)?(?:一|两)番|翻番/giu;
const GROWTH_AFTER = /^\s*(?:year[- ]on[- ]year|year[- ]over[- ]year|yoy|from a year earlier|over the previous year|同比)/iu;

export function findQuantities(text: string, options: FindQuantitiesOptions = {}): Quantity[] {
  const work = maskIgnored(text);
  const found: Quantity[] = [];
  for (const match of work.matchAll(QUANTITY)) {
    const groups = match.groups ?? {};
    const index = match.index;
    const raw = match[0];
    const numberText = groups.number;
    if (!numberText || !isBoundary(work, index, index + raw.length, numberText)) continue;
    const before = work.slice(Math.max(0, index - 40), index);
    const after = work.slice(index + raw.length, index + raw.length + 60);
    const parsed = parseNumber(numberText);
    if (!parsed) continue;

    let unit = '';
    let kind: FigureKind = 'count';
    if (groups.percentOf) {
      unit = '%';
      kind = 'percent';
    }
    const prefix = groups.prefix ? PREFIX_RES.find((rule) => rule.re.test(groups.prefix)) : undefined;
    if (prefix) {
      unit = prefix.unit;
      kind = 'amount';
    }
    const suffix = groups.unit ? SUFFIX_RES.find((rule) => rule.re.test(groups.unit)) : undefined;
    if (suffix && !prefix) {
      unit = suffix.unit;
      kind = suffix.kind;
    } else if (suffix && prefix && suffix.kind !== 'amount') {
      continue; // "$5 times" is not a quantity we can read
    }
    const hasUnit = unit !== '';
    const isPercent = unit === '%' || unit === 'pp';
    if (isPercent && (GROWTH_BEFORE.test(before) || GROWTH_BY.test(clauseBefore(work, index)) || GROWTH_AFTER.test(after))) kind = 'growth';

    const plain = !hasUnit;
    const written = parsed.kind;
    if (plain) {
      const ignoredReason = plainNumberIgnored(numberText, parsed.value, before, after);
      if (ignoredReason === 'never') continue;
      // "rose to 8,760": a number written with a thousands separator or decimals is a statistic even without a noun.
      const statistic = /^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+\.\d+$/.test(numberText);
      if (ignoredReason === 'not-quantity' || !(statistic || looksLikeCount(after, written, numberText))) {
        if (!options.allNumbers || written !== 'digits') continue;
      }
    }
    found.push({
      raw: raw.trim(),
      value: round(parsed.value),
      unit,
      kind,
      index: index + (raw.length - raw.trimStart().length),
      tolerance: parsed.tolerance,
    });
  }
  for (const match of work.matchAll(MULTIPLIED_WORD)) {
    const lower = match[0].toLowerCase();
    const value = lower.startsWith('tripl') ? 3 : lower.startsWith('quadrupl') || lower.includes('两番') ? 4 : 2;
    found.push({ raw: match[0], value, unit: '×', kind: 'multiple', index: match.index, tolerance: 0 });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** True when two quantities state the same number: same unit, values equal up to the rounding either was written with. */
export function sameQuantity(a: Quantity, b: Quantity): boolean {
  if (a.unit !== b.unit) return false;
  const slack = Math.max(a.tolerance, b.tolerance, Math.abs(a.value) * 1e-9);
  return Math.abs(a.value - b.value) <= slack;
}

function clauseBefore(work: string, index: number): string {
  const start = Math.max(
    work.lastIndexOf(',', index - 1),
    work.lastIndexOf(';', index - 1),
    work.lastIndexOf('.', index - 2),
    work.lastIndexOf('，', index - 1),
    work.lastIndexOf('。', index - 1),
  );
  return work.slice(Math.max(start + 1, index - 200), index);
}

function maskIgnored(text: string): string {
  let work = text;
  for (const { mayOccur, pattern } of MASKED) {
    if (mayOccur(work)) work = work.replace(pattern, (span) => ' '.repeat(span.length));
  }
  return work;
}

/** Rejects matches that start or end inside a word or a longer number ("A380", "3.2.1", "one-stop"). */
function isBoundary(work: string, start: number, end: number, numberText: string): boolean {
  const previous = work[start - 1] ?? '';
  const next = work[end] ?? '';
  if (/[\p{L}\d_]/u.test(previous) && !/\p{Script=Han}/u.test(previous)) return false;
  if (/[\d]/.test(next) || (/[.,]/.test(next) && /\d/.test(work[end + 1] ?? ''))) return false;
  if (/^[a-z]/i.test(numberText) && /[\p{L}]/u.test(next)) return false;
  if (HYPHEN_WORD_AFTER.test(work.slice(end, end + 3))) return false;
  if (previous === '-' && /\p{L}/u.test(work[start - 2] ?? '')) return false; // COVID-19, Type-2
  return true;
}

type PlainVerdict = 'never' | 'not-quantity' | 'maybe';

/** Years, dates, references and the like: never a figure, though a plain-number listing may still include them. */
function plainNumberIgnored(numberText: string, value: number, before: string, after: string): PlainVerdict {
  const isDigits = /^\d/.test(numberText);
  if (isDigits && /^\d{4}$/.test(numberText) && value >= 1800 && value <= 2200) return 'not-quantity';
  if (isDigits && (/^\d{4}s\b/.test(numberText + after) || /^s\b/.test(after))) return 'not-quantity';
  if (DATE_BEFORE.test(before) || DATE_AFTER.test(after)) return 'not-quantity';
  if (REFERENCE_BEFORE.test(before)) return 'not-quantity';
  // "每万人口发明专利拥有量", "per 10,000 residents": the unit a rate is per, not a quantity of its own.
  if (/(?:每|\bper\s+)$/iu.test(before)) return 'not-quantity';
  if (/^\.\d/.test(after) || /\d\.$/.test(before)) return 'not-quantity'; // section numbers such as 3.2.1
  // Chinese numerals inside ordinary words (一些, 统一, 两岸) are not numbers, and 一个 is "a", not a count.
  if (!isDigits && /^[零〇一二两三四五六七八九十百千万亿]/u.test(numberText) && (!COUNT_MEASURE.test(after) || value === 1)) return 'never';
  return 'maybe';
}

/** A bare number is a count when a noun follows it: "13 member centers", "ten initiatives", "13个成员中心". */
function looksLikeCount(after: string, written: NumberSpelling, numberText: string): boolean {
  if (COUNT_MEASURE.test(after)) return true;
  if (written === 'han') return false;
  const words =
    after
      .match(/^\s+((?:[a-z][\w'-]*\s*){1,6})/i)?.[1]
      ?.trim()
      .split(/\s+/) ?? [];
  if (words.length === 0) return false;
  if (NON_NOUN_AFTER.has(words[0].toLowerCase())) return false;
  for (const word of words) {
    const lower = word.toLowerCase().replace(/[^a-z'-]/g, '');
    if (TIME_NOUNS.test(lower)) return false;
    if (NON_NOUN_AFTER.has(lower)) break;
  }
  // "one" and "a" alone are too often not counts ("one of", "one key area"); a written "one" needs a unit.
  if (written === 'words' && /^one$/i.test(numberText)) return false;
  return true;
}

type NumberSpelling = 'digits' | 'words' | 'han';

interface ParsedNumber {
  value: number;
  tolerance: number;
  kind: NumberSpelling;
}

function parseNumber(text: string): ParsedNumber | null {
  const trimmed = text.trim();
  const digits = trimmed.match(new RegExp(`^(${DIGITS})(.*)$`, 'su'));
  if (digits) {
    const mantissa = digits[1].replace(/,/g, '');
    const decimals = mantissa.split('.')[1]?.length ?? 0;
    const scale = parseScale(digits[2].trim());
    if (scale === null) return null;
    const value = Number(mantissa) * scale;
    return { value, tolerance: (0.5 * scale) / 10 ** decimals, kind: 'digits' };
  }
  const word = trimmed.match(new RegExp(`^(${WORD_NUMBER})(.*)$`, 'isu'));
  if (word) {
    const scale = parseScale(word[2].trim());
    const base = parseEnglishWords(word[1]);
    if (scale === null || base === null) return null;
    return { value: base * scale, tolerance: 0, kind: 'words' };
  }
  if (new RegExp(`^[${HAN_NUMERAL}]+$`, 'u').test(trimmed)) {
    const value = parseChineseNumeral(trimmed);
    return value === null ? null : { value, tolerance: 0, kind: 'han' };
  }
  return null;
}

function parseScale(text: string): number | null {
  if (!text) return 1;
  const english = ENGLISH_SCALES[text.toLowerCase()];
  if (english) return english;
  if (/^[十百千万亿]+$/u.test(text)) return parseChineseScale(text);
  return null;
}

/** "亿" → 1e8, "千亿" → 1e11, "万亿" → 1e12. */
function parseChineseScale(text: string): number {
  const unit: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 1e4, 亿: 1e8 };
  let scale = 1;
  for (const char of text) scale *= unit[char];
  return scale;
}

/** A count written in digits, English words ("three") or Chinese numerals (三, 两); null when it is none of them. */
export function parseCount(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  return /\p{Script=Han}/u.test(text) ? parseChineseNumeral(text) : parseEnglishWords(text);
}

function parseEnglishWords(text: string): number | null {
  let total = 0;
  let current = 0;
  for (const word of text.toLowerCase().split(/[\s-]+/)) {
    if (word === 'and' || !word) continue;
    if (word in WORD_UNITS) current += WORD_UNITS[word];
    else if (word === 'hundred') current = (current || 1) * 100;
    else if (word in WORD_SCALES) {
      total += (current || 1) * WORD_SCALES[word];
      current = 0;
    } else return null;
  }
  return total + current;
}

/** Chinese numerals: positional (一百二十三, 三万五千, 十三) or digit by digit (二〇二三). */
export function parseChineseNumeral(text: string): number | null {
  const digit: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
  const small: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
  const large: Record<string, number> = { 万: 1e4, 亿: 1e8 };
  if (![...text].some((char) => char in small || char in large)) {
    return Number([...text].map((char) => digit[char]).join(''));
  }
  let total = 0;
  let section = 0;
  let pending = 0;
  for (const char of text) {
    if (char in digit) pending = digit[char];
    else if (char in small) {
      section += (pending || 1) * small[char];
      pending = 0;
    } else if (char === '亿') {
      total = (total + section + pending) * 1e8;
      section = 0;
      pending = 0;
    } else if (char in large) {
      total += (section + pending || (total ? 0 : 1)) * large[char];
      section = 0;
      pending = 0;
    } else return null;
  }
  return total + section + pending;
}

function round(value: number): number {
  return Number(value.toPrecision(12));
}

/** "about 1.32 billion dollars", "超过1000家": a number with the word that qualifies it; Chinese writes no space between. */
export function withQualifier(qualifier: string, raw: string): string {
  if (!qualifier) return raw;
  return /\p{Script=Han}$/u.test(qualifier) ? `${qualifier}${raw}` : `${qualifier} ${raw}`;
}
