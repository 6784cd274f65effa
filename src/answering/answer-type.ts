import { LIST_ITEM } from '../text/sentences.js';
import cues from '../../data/text/answer-type-cues.json' with { type: 'json' };

/** The kind of answer a question asks for; a sentence of that kind is preferred, and a number question needs a number. */
export type AnswerType = 'count' | 'number' | 'duration' | 'time' | 'person' | 'name' | 'definition' | 'other';

/**
 * The words in which documents state an answer of the kind asked (a law states a duration as its 期限, "term"):
 * retrieval looks for them too, since a question's "how long does it last" shares no word with "其保护期限为十五年".
 * From data/text/answer-type-cues.json.
 */
export function answerTypeCues(type: AnswerType): readonly string[] {
  return (cues.types as Partial<Record<AnswerType, string[]>>)[type] ?? [];
}

/**
 * A quantity in Chinese numerals: numerals before a unit or measure word (三十五周岁, 五十年, 十二家), or a share (百分之七十, 三分之一).
 * A numeral alone is mostly part of a word (一定, 统一, 之一) or an ordinal (第一).
 */
const CHINESE_QUANTITY =
  /(?<!第)[零〇一二两三四五六七八九十百千万亿]+(?:点[零〇一二三四五六七八九]+)?(?:%|％|个|家|项|名|人|位|元|倍|年|月|日|天|周|岁|次|件|所|条|座|台|户|亩|里|米|吨|成|万|亿|平方|公顷)|[零〇一二两三四五六七八九十百千万]+分之/u;
const YEAR = /\b(?:19|20)\d{2}\b/g;
const ARTICLE_NUMBER = /第[一二三四五六七八九十百零\d]+[条章节款项]/gu;

export function detectAnswerType(question: string): AnswerType {
  const q = question.toLowerCase();
  // "How many contracts", "多少家企业": a count of things, which a sum of money or a share does not give.
  // A question that asks something else besides ("how many … and how long") asks for a number of any kind.
  const asksMore = /\b(how long|how much|when|which|what|who)\b|多久|何时|什么|多少钱|哪/.test(q);
  if (!asksMore && /\bhow many\b(?! (years|months|days|times)\b)|多少(?:家|个|项|名|件|所|位|人|座|批)|几(?:家|个|项|名|件|所|位)/.test(q)) return 'count';
  if (
    /\b(how (many|much|large|big|fast|high)|what (share|percentage|proportion|portion|number|amount|volume|value|rate|size)|by how)\b|多少|几[个家项]|比例|增长率|百分之/.test(
      q,
    )
  )
    return 'number';
  if (/\bhow long\b|\bfor how many (years|months|days)\b|多久|多长时间|多长期限|几年|几天|几个月/.test(q)) return 'duration';
  if (/\b(when|what year|which year|what date|since when)\b|何时|什么时候|哪一年|哪年/.test(q)) return 'time';
  if (/\b(who|whom|whose)\b|谁/.test(q)) return 'person';
  if (
    /^\s*(which|what) (company|firm|start-?up|organi[sz]ation|institute|university|city|county|province|district|zone|park|agency|department|team|project|program(me)?|fund)\b/.test(
      q,
    )
  )
    return 'name';
  if (/\b(define[sd]?|definition of|what is meant by|what does .+ mean)\b|什么是|是指什么|指的是什么|什么叫|定义|指什么/.test(q)) return 'definition';
  return 'other';
}

/** Sums of money and shares ("45.1 billion yuan", "$19.17 billion", "2738.08亿元", "39.7%"): quantities that count nothing. */
const MONEY_OR_SHARE =
  /(?:us\$|\$|¥|￥)\s*[\d.,]+(?:\s*(?:million|billion|trillion))?|[\d.,]+\s*(?:(?:million|billion|trillion|万|亿)\s*)?(?:yuan|元|美元|dollars?|usd|rmb|u\.s\. dollars)|[\d.]+\s*(?:%|％|percent|per cent)|百分之[零〇一二两三四五六七八九十点]+/giu;

export function fitsAnswerType(sentence: string, type: AnswerType): boolean {
  switch (type) {
    case 'count':
      return fitsAnswerType(sentence.replace(MONEY_OR_SHARE, ' '), 'number');
    case 'number':
      // A year alone is a date, not the quantity asked for; nor is an article's number (第三条).
      // Nor is a list item's marker ("（二）", "3.").
      sentence = sentence.replace(ARTICLE_NUMBER, '').replace(LIST_ITEM, '');
      return (
        /\d/.test(sentence.replace(YEAR, '')) ||
        /\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|double[sd]?|tripled?|half)\b/i.test(
          sentence,
        ) ||
        CHINESE_QUANTITY.test(sentence)
      );
    case 'duration':
      return /\d+\s*(?:years?|months?|days?|weeks?)\b|[\d一二三四五六七八九十百]+\s*(?:个)?(?:年|个月|月|日|天|周)/iu.test(
        sentence.replace(ARTICLE_NUMBER, ''),
      );
    case 'time':
      return /\b(1[89]|20)\d{2}\b|\b(january|february|march|april|may|june|july|august|september|october|november|december|last year|this year)\b|年|月/i.test(
        sentence,
      );
    case 'person':
      return /\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+/u.test(sentence) || /\p{Script=Han}{2,4}(?:同志|主任|书记|市长|局长|院长|教授)/u.test(sentence);
    case 'name':
      return /\S\s+\p{Lu}[\p{L}\d]*(?:\s+\p{Lu}[\p{L}\d]*)*/u.test(sentence);
    case 'definition':
      return /是指|所称|指的是|\b(means|refers to|is defined as|are defined as)\b/i.test(sentence);
    default:
      return true;
  }
}

/** After a cue word, the words that state its value ("期限为", "term is", "period of"). */
const STATES_VALUE = /^\s*(?:为|是|is|are|of|shall be|will be)\s*/i;
/** How far after a cue its value is looked for. */
const VALUE_CHARS = 16;

/**
 * Whether a sentence states the answer outright, as its cue word's value ("发明专利权的期限为二十年", "the term is ten
 * years"), rather than only holding a quantity of the kind asked (a deadline counted from some other date).
 */
export function statesAnswer(sentence: string, type: AnswerType): boolean {
  const lower = sentence.toLowerCase();
  return answerTypeCues(type).some((cue) => {
    for (let at = lower.indexOf(cue); at >= 0; at = lower.indexOf(cue, at + 1)) {
      const after = sentence.slice(at + cue.length, at + cue.length + VALUE_CHARS);
      const value = STATES_VALUE.exec(after);
      if (value && fitsAnswerType(after.slice(value[0].length), type)) return true;
    }
    return false;
  });
}

/**
 * A number as a count is read with the words around it: this many words before it and after it (Chinese: characters),
 * enough for "the total number of high-tech enterprises in South China's Guangdong province has exceeded 75,000".
 */
const COUNT_WINDOW = { wordsBefore: 12, wordsAfter: 4, charsBefore: 20, charsAfter: 6 };
/** What ends a figure's clause: a semicolon, a Chinese comma or enumeration comma. */
const CLAUSE_STOPS = [';', '；', '，', '、'];
const COUNT_NUMBER = /\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+(?=[万亿]?[家个项名件所位人座批])/gu;

/**
 * The stretches of a sentence around each number that counts something (sums of money and shares left out), for
 * telling what it counts: "2,405 provincial sci-tech SMEs" counts SMEs, not the contracts a question asks about.
 */
export function countContexts(sentence: string): string[] {
  const text = sentence.replace(MONEY_OR_SHARE, ' ').replace(ARTICLE_NUMBER, ' ').replace(YEAR, ' ');
  const contexts: string[] = [];
  for (const match of text.matchAll(COUNT_NUMBER)) {
    const at = match.index ?? 0;
    const end = at + match[0].length;
    // Within the number's clause: a semicolon or a Chinese comma starts another figure's.
    const clauseStart = Math.max(...CLAUSE_STOPS.map((stop) => text.lastIndexOf(stop, at))) + 1;
    const clauseEnd = Math.min(...CLAUSE_STOPS.map((stop) => (text.indexOf(stop, end) + 1 || text.length + 1) - 1));
    if (/\p{Script=Han}/u.test(text.slice(Math.max(0, at - 2), end + 2))) {
      contexts.push(text.slice(Math.max(clauseStart, at - COUNT_WINDOW.charsBefore), Math.min(clauseEnd, end + COUNT_WINDOW.charsAfter)));
      continue;
    }
    const before = text.slice(clauseStart, at).split(/\s+/).slice(-COUNT_WINDOW.wordsBefore).join(' ');
    const after = text
      .slice(end, clauseEnd)
      .split(/\s+/)
      .slice(0, COUNT_WINDOW.wordsAfter + 1)
      .join(' ');
    contexts.push(`${before} ${after}`);
  }
  return contexts;
}
