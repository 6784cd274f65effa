import type { LoadedDocument } from '../documents/types.js';
import measureNames from '../../data/text/measure-suffixes.json' with { type: 'json' };
import { splitSentences } from '../text/sentences.js';
import { resolvePeriod } from './periods.js';
import { pairConversions } from './conversions.js';
import { chineseSubjectFor, documentSubject, type DocumentSubject } from './document-subject.js';
import { findQuantities, withQualifier } from './quantities.js';
import type { Figure, FigureSource, Quantity } from './types.js';

/**
 * Turns every quantity of a document into a figure: what it measures (label, from the words around it),
 * whose it is (scope), when (period, resolved against the document's date) and the sentence it comes from.
 * The rules read sentence structure (subject … verb … number, "X and Y … respectively", "N of the total",
 * "the province's", "去年…达到…亿元"), never particular names or numbers.
 */
export function extractFigures(doc: LoadedDocument): Figure[] {
  const source: FigureSource = { id: doc.id, title: doc.meta.title, date: doc.meta.date, url: doc.meta.url };
  const documentYear = yearOf(doc.meta.date);
  const documentMonth = monthOf(doc.meta.date);
  const subject = documentSubject(doc);
  const referents = new Referents(subject);
  // A title's "Xixian New Area" is what a lead's "the new area" refers to.
  referents.learn(doc.meta.title);
  const figures: Figure[] = [];
  for (const paragraph of doc.text.split(/\n\s*\n|\n(?=\s*[-*•\d])/)) {
    // A paragraph keeps talking about the same time and place until a sentence says otherwise.
    let paragraphPeriod: string | null = null;
    let paragraphScope: string | null = null;
    let paragraphLabel: string | null = null;
    for (const sentence of splitSentences(paragraph)) {
      referents.learn(sentence);
      const { figures: quantities, alternatives } = pairConversions(sentence, findQuantities(sentence));
      if (quantities.length === 0) {
        paragraphPeriod = resolvePeriod(sentence, 0, documentYear, [], documentMonth) ?? paragraphPeriod;
        continue;
      }
      const described = describeSentence(sentence, quantities, referents, paragraphLabel);
      const positions = quantities.map((quantity) => quantity.index);
      const sentencePeriod = resolvePeriod(sentence, quantities[0].index, documentYear, positions, documentMonth);
      const sentenceScope = described.find((entry) => entry.scope)?.scope ?? null;
      for (const { quantity, label, scope, raw } of described) {
        const period = resolvePeriod(sentence, quantity.index, documentYear, positions, documentMonth) ?? sentencePeriod ?? paragraphPeriod;
        figures.push({
          id: `${doc.id}#${figures.length + 1}`,
          label,
          raw,
          value: quantity.value,
          unit: quantity.unit,
          kind: quantity.kind,
          period,
          // A figure that names no place is the release's own place's.
          scope: referents.fullScope(scope ?? sentenceScope ?? paragraphScope),
          alternatives: alternatives.get(quantity) ?? [],
          quote: sentence,
          source,
          sources: [doc.id],
        });
      }
      paragraphPeriod = sentencePeriod ?? paragraphPeriod;
      paragraphScope = sentenceScope ?? paragraphScope;
      paragraphLabel = described.at(-1)?.label ?? paragraphLabel;
    }
  }
  return figures;
}

function yearOf(date: string | null): number | null {
  const match = date?.match(/^(\d{4})/);
  return match ? Number(match[1]) : null;
}

function monthOf(date: string | null): number | null {
  const match = date?.match(/^\d{4}-(\d{2})/);
  return match ? Number(match[1]) : null;
}

// ---------------------------------------------------------------------------------------------------------
// Scope: generic nouns ("the province", "the area") resolved to the last name the document gave them.

const PLACE_NOUNS =
  'province|area|city|region|county|district|zone|park|country|nation|company|firm|group|corporation|university|alliance|platform|municipality|prefecture|state|town|village|bank|fund|agency|ministry|department|institute|center|centre|hub';
/** The generic nouns of a place (not of a body): an unnamed "the city" is the release's own place. */
const PLACE_KIND = /^(?:province|area|city|region|county|district|zone|park|municipality|prefecture)$/i;
const CHINESE_GENERIC_PLACE = /^[占在于]?[全本该](?:省|市|区|县)$/u;
const NAMED_AS = new RegExp(`\\b((?:[A-Z][\\w’'-]*\\s+){0,4}?[A-Z][\\w’'-]*)\\s+(${PLACE_NOUNS})\\b`, 'gi');
const APPOSITION = new RegExp(`\\b([A-Z][\\w’'-]*(?:\\s+[A-Z][\\w’'-]*){0,3}),\\s+(?:a|an|the)\\s+(?:[\\w-]+\\s+){0,2}?(${PLACE_NOUNS})\\b`, 'g');

class Referents {
  private readonly names = new Map<string, string>();

  constructor(private readonly subject: DocumentSubject) {}

  learn(sentence: string): void {
    for (const match of sentence.matchAll(APPOSITION)) this.names.set(match[2].toLowerCase(), match[1]);
    for (const match of sentence.matchAll(NAMED_AS)) {
      const name = match[1].replace(/^(?:The|A|An|In|As|By|With|For|And|Of)\s+/, '');
      // Only a capitalized head noun makes a name ("Xixian New Area"), not "Shaanxi province located".
      if (!/^[A-Z]/.test(match[2]) || !/^[A-Z]/.test(name)) continue;
      this.names.set(match[2].toLowerCase(), `${name} ${match[2]}`);
    }
  }

  /** "the province" → "Shaanxi"; a name is returned as it is; a generic noun the document never named, null (it says no more than "here"). */
  resolve(phrase: string): string | null {
    const cleaned = phrase
      .replace(/^(?:the|this|that|its|their|our)\s+/i, '')
      .replace(/[’']s$/, '')
      .trim();
    const generic = cleaned.match(new RegExp(`^(?:[a-z-]+\\s+)?(${PLACE_NOUNS})$`, 'i'));
    if (generic && /^[a-z]/.test(cleaned)) return this.names.get(generic[1].toLowerCase()) ?? (PLACE_KIND.test(generic[1]) ? this.subject.main : null);
    return cleaned;
  }

  /**
   * A figure's scope as the release names its place: none is the release's own place; "全省", "本市", "该区" its own
   * province, city or district; a short form of its place's name ("未来科技城" in a release on "杭州未来科技城") the full name.
   */
  fullScope(scope: string | null): string | null {
    const main = this.subject.main;
    if (!scope) return main;
    if (CHINESE_GENERIC_PLACE.test(scope)) return chineseSubjectFor(scope, this.subject) ?? scope;
    return main && main !== scope && main.includes(scope) ? main : scope;
  }

  /**
   * "北京流向津冀技术合同成交额" in a release on 北京市: a Chinese label that starts with the name of the release's place
   * (or its short form, without 市/省/区) says whose the measure is; the place and the measure's name, else null.
   */
  leadingPlace(label: string): { place: string; rest: string } | null {
    for (const name of new Set([this.subject.main, ...this.subject.chinese.values()])) {
      if (!name || !/^\p{Script=Han}+$/u.test(name)) continue;
      const short = name.replace(/(?:省|市|自治区|新区|区|县)$/u, '');
      const said = label.startsWith(name) ? name : short.length >= 2 && label.startsWith(short) ? short : null;
      // The rest must name a measure of its own; "北京市场" is not 北京's 场.
      if (said && label.length - said.length >= 2 && !/^(?:省|市|区|县)/u.test(label.slice(said.length)))
        return { place: name, rest: label.slice(said.length) };
    }
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Labels

interface Described {
  quantity: Quantity;
  label: string;
  scope: string | null;
  raw: string;
}

const QUALIFIER =
  /(?:\b(?:more than|over|about|around|nearly|almost|approximately|roughly|some|up to|at least|less than|under|close to)|超过|约|近|逾|达|突破|破)\s*$/i;
const VERB =
  /\b(?:reach(?:ed|es|ing)?|hit|hits|st(?:oo|a)d(?:s)? at|standing at|total(?:l?ed|s|l?ing)?|amount(?:ed|s|ing)? to|came to|comes to|was|were|is|are|rose|rise[sn]?|rising|grew|grow[sn]?|growing|increas(?:ed|es|e|ing)|decreas(?:ed|es|e|ing)|declin(?:ed|es|e|ing)|fell|fall(?:s|en|ing)?|dropped|drop[s]?|jump(?:ed|s)?|surg(?:ed|es|e)|climb(?:ed|s)?|account(?:ed|s|ing)? for|ma(?:de|ke|kes|king) up|represent(?:ed|s|ing)?|expand(?:ed|s)?|exceed(?:ed|s|ing)?|surpass(?:ed|es|ing)?|top(?:ped|s)|record(?:ed|s)|register(?:ed|s)|post(?:ed|s)|attract(?:ed|s)|generat(?:ed|es)|earn(?:ed|s)|rais(?:ed|es)|achiev(?:ed|es)|double[ds]?|tripled|saw|see[sn]?|by)\b/gi;
const CHINESE_VERB =
  /(?:达到|达|为|实现|完成|突破|超过|增长|增加|增至|提高|提升|上升|下降|减少|降低|占比|占|共有|拥有|累计|新增|同比|环比|超|逾|约|近|有|破)+$/u;
const TIME_LEAD =
  /^(?:(?:in|during|by|as of|at|over|for|since|after)\s+)?(?:(?:the\s+)?(?:end|first half|second half|first|second|third|fourth) (?:of|quarter of)\s+)?(?:(?:the\s+)?(?:last|this|past|previous|next) (?:year|decade|\w+ years)|(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:\s*[-–]\s*(?:January|February|March|April|May|June|July|August|September|October|November|December))?\s+)?(?:19|20)\d{2}|(?:in\s+)?just a few years|recent years)\s*(?:,\s*|\s+saw\s+|\s+)/i;
const DETERMINER_LEAD = /^(?:(?:the|a|an|its|their|this|that|these|those|our|his|her|some|all|which|total|overall|annual|combined)\s+)+/i;
const MEASURE_LEAD = /^(?:(?:total|overall|annual|combined)\s+)?(?:number|volume|amount|value|size|count|sum|total|level|figure|scale)\s+of\s+/i;
const TRAILING_AUX =
  /\s+(?:has|have|had|has been|have been|had been|will|would|will be|was|were|is|are|also|further|already|respectively|all|both|each|almost|nearly|now|still|steadily|rapidly|sharply|significantly)\s*$/i;
/** ", having increased … by 38.3%": a participle clause has no subject of its own; it goes on about the last measure. */
const PARTICIPLE_CLAUSE = /^(?:having|being)\b/i;
const PRONOUN_SUBJECT = /^(?:which|that|it|this|they|these|those|who|accounting|representing|making|or|and|while|with|of|a|an|the)?$/i;

/** "In 2022, this figure … rose to 1,550 companies": the measure is the one an earlier sentence of the paragraph stated. */
const ANAPHORIC_MEASURE = /\b(?:this|that|the same) (?:figure|number|total)\b|这一数字|该数字/i;

function describeSentence(sentence: string, quantities: Quantity[], referents: Referents, earlierLabel: string | null): Described[] {
  const described: Described[] = [];
  const chinese = /\p{Script=Han}/u.test(sentence);
  let previous: { label: string; scope: string | null } | null = null;
  let inheritedScope: string | null = null;
  let respectively: { parts: string[]; scope: string | null; next: number; growing: boolean } | null = null;
  for (let i = 0; i < quantities.length; i++) {
    const quantity = quantities[i];
    const start = quantity.index;
    const end = start + quantity.raw.length;
    const previousEnd = i > 0 ? quantities[i - 1].index + quantities[i - 1].raw.length : 0;
    const left = sentence.slice(previousEnd, start);
    const right = sentence.slice(end);
    const qualifier = left.match(QUALIFIER)?.[0].trim() ?? '';
    let raw = withQualifier(qualifier, quantity.raw);

    let subject: { label: string; scope: string | null } | null = null;
    if (quantity.kind === 'count' && quantity.unit === '') {
      // "6348家，": a measure word alone names no counted thing; the subject before the number does.
      const measureWord = chinese ? right.match(CHINESE_MEASURE_WORD)?.[0] : undefined;
      const noun = chinese ? (measureWord ? null : chineseCountNoun(right)) : englishCountNoun(right);
      if (measureWord) raw = `${raw}${measureWord}`;
      if (noun) {
        raw = chinese ? `${raw}${right.slice(0, right.indexOf(noun) + noun.length)}` : `${raw} ${noun}`;
        if (chinese) {
          const owner = /(?:共有|拥有|有|包括|设立|成立)$/u.test(left) ? chineseSubject(sentence.slice(0, start)) : null;
          subject = { label: owner ? `${owner.label}${noun}` : noun, scope: owner?.scope ?? null };
        } else {
          const owner = left.match(
            /((?:[A-Z][\w’'-]*\s+)*[A-Z][\w’'-]*)\s+(?:now\s+)?(?:with|has|have|had|comprising|consisting of|including|hosts|host|hosted|houses|housed|includes|included|employs|employed|comprises|covers|gathers|gathered|attracted|attracts)\s+(?:a total of\s+|some\s+|about\s+|more than\s+|over\s+)?$/,
          );
          // "The alliance has 12 member centers": the counted thing is the measure, its owner the scope; "Xixian New Area
          // signed 36 projects": what was done to them says which ("signed projects").
          const actor = owner ? null : left.match(ACTOR_DID);
          const ownerName = owner && !PRONOUN_SUBJECT.test(owner[1]) ? owner[1] : actor && !PRONOUN_SUBJECT.test(actor[1]) ? actor[1] : null;
          subject = { label: actor ? `${actor[2].toLowerCase()} ${noun}` : noun, scope: ownerName ? referents.resolve(ownerName) : null };
        }
      }
    }
    const clauseLeft = clauseBefore(sentence, start);
    let growing = GROWTH_VERB.test(clauseLeft);
    if (!subject && respectively && respectively.next < respectively.parts.length && /^\s*(?:,\s*)?(?:and\s+)?$|^[、和及与]$/iu.test(left)) {
      subject = { label: respectively.parts[respectively.next++], scope: respectively.scope };
      growing = respectively.growing;
    }
    if (!subject) {
      const before = sentence.slice(0, start);
      const found = chinese ? chineseSubject(before, previousEnd) : englishSubject(before, quantity.unit === '×' && /^[a-z]/i.test(quantity.raw), referents);
      if (found && !PRONOUN_SUBJECT.test(found.label) && !PARTICIPLE_CLAUSE.test(found.label)) subject = found;
      const groupSize = respectivelyGroup(sentence, quantities, i);
      if (subject && groupSize > 1) {
        const parts = splitSubject(subject.label, groupSize);
        if (parts) {
          respectively = { parts, scope: subject.scope, next: 1, growing };
          subject = { label: parts[0], scope: subject.scope };
        }
      }
    }
    // "set aside €40 million for a computing center": with no subject of its own, an amount is named by its purpose.
    const purpose =
      !subject && !chinese && quantity.kind === 'amount'
        ? right.match(/^\s+(?:for|to fund|on)\s+((?:the|a|an)\s+)?([\w’'-]+(?:\s+(?!and\b|which\b|that\b|in\b|by\b)[\w’'-]+){0,4})/i)?.[2]
        : undefined;
    if (purpose) subject = { label: `funding for ${purpose}`, scope: null };
    if (earlierLabel && i === 0 && ANAPHORIC_MEASURE.test(sentence.slice(0, start))) subject = { label: earlierLabel, scope: subject?.scope ?? null };
    subject ??= previous ?? { label: chinese ? '数值' : 'figure', scope: null };

    // "认定登记技术合同总量…达106552项；成交额达8536.9亿元": a measure named only by how much is of what the one before was of.
    if (chinese && previous && GENERIC_CHINESE_MEASURES.has(subject.label)) {
      const stem = withoutGenericMeasure(previous.label);
      if (stem) subject = { label: `${stem}${subject.label}`, scope: subject.scope };
    }
    // "484,000 technology contracts signed … and a transaction volume reaching N": the measure is of the things counted.
    const conjoinedCount = !chinese && i > 0 && quantities[i - 1].kind === 'count' ? described[i - 1]?.label : undefined;
    if (
      conjoinedCount &&
      /^[a-z][\w\s&-]*[a-z]{2}s$/.test(conjoinedCount) &&
      CONJOINED_MEASURE.test(left) &&
      !/\bof\b/i.test(subject.label) &&
      !subject.label.includes(conjoinedCount)
    )
      subject = { label: `${subject.label} of ${conjoinedCount}`, scope: subject.scope };
    const placeFirst: { place: string; rest: string } | null = chinese && !subject.scope ? referents.leadingPlace(subject.label) : null;
    if (placeFirst) subject = { label: placeFirst.rest, scope: placeFirst.place };
    let label = subject.label;
    if (quantity.kind === 'percent') {
      const whole = chinese
        ? null
        : right.match(/^\s+of\s+(?:the\s+)?((?:total\s+)?[\w’'-]+(?:\s+(?!in\b|of\b|for\b|and\b|from\b|to\b|by\b|at\b|with\b)[\w’'-]+){0,4})/i)?.[1];
      if (whole) label = `${label} (share of ${whole})`;
      else if (chinese && /占/.test(left)) label = `${label}占比`;
    } else if (quantity.kind === 'growth' || (quantity.kind === 'multiple' && growing)) {
      label = growthLabel(label, chinese);
    }
    const scope: string | null = subject.scope ?? inheritedScope;
    described.push({ quantity, label: tidy(label), scope, raw });
    previous = { label: subject.label, scope };
    inheritedScope = scope;
  }
  return described;
}

const GROWTH_VERB = /\b(?:increas|grow|grew|rise|rose|surg|jump|climb|expand|multipl)\w*|增长|增加|提高|提升/iu;

function clauseBefore(sentence: string, position: number): string {
  const head = sentence.slice(0, position);
  const start = Math.max(...[',', ';', '，', '；', '。'].map((mark) => head.lastIndexOf(mark)));
  return head.slice(start + 1);
}

function growthLabel(label: string, chinese: boolean): string {
  if (chinese) return /增长|增速/.test(label) ? label : `${label}增长`;
  if (/\bgrowth\b/i.test(label)) return label;
  return label.split(/\s+/).length <= 2 ? `${label} growth` : `growth of ${label}`;
}

function tidy(label: string): string {
  const cleaned = label.replace(/\s+/g, ' ').replace(/^[\s,;:，、]+|[\s,;:，、]+$/g, '');
  return cleaned.length > 90 ? `${cleaned.slice(0, 89).replace(/\s+\S*$/, '')}…` : cleaned;
}

/** How many quantities starting at `i` are joined by "and" / commas and then "respectively". */
function respectivelyGroup(sentence: string, quantities: Quantity[], i: number): number {
  let size = 1;
  while (i + size < quantities.length) {
    const gapStart = quantities[i + size - 1].index + quantities[i + size - 1].raw.length;
    const gap = sentence.slice(gapStart, quantities[i + size].index);
    if (!/^\s*(?:,\s*)?(?:and\s+)?$|^[、和及与]$/iu.test(gap)) break;
    size++;
  }
  if (size < 2) return 1;
  const last = quantities[i + size - 1];
  const after = sentence.slice(last.index + last.raw.length, last.index + last.raw.length + 20);
  return /^\s*,?\s*respectively|^\s*分别|分别/.test(after) || /分别/.test(sentence.slice(0, quantities[i].index)) ? size : 1;
}

/** "A and B" → [A, B]; "the valuations of A and B" → ["valuations of A", "valuations of B"]. */
function splitSubject(subject: string, count: number): string[] | null {
  const clean = (part: string) => stripSubject(part.trim());
  const byDeterminer = subject.split(/\s+and\s+(?=(?:the|its|their|a|an)\s)/i);
  if (byDeterminer.length === count) return byDeterminer.map(clean);
  // "the valuations of A and B": the head noun is shared, the owners are listed.
  const shared = subject.match(/^(.*?\bof\s+)(.+)$/i);
  if (shared) {
    const owners = shared[2].split(/\s*,\s*(?:and\s+)?|\s+and\s+/i);
    if (owners.length === count) return owners.map((owner) => clean(`${shared[1]}${owner}`));
  }
  for (const separator of [/\s*,\s*(?:and\s+)?|\s+and\s+/i, /[、和与及]/u]) {
    const parts = subject.split(separator);
    if (parts.length === count) return parts.map(clean);
  }
  return null;
}

function englishSubject(sentenceBefore: string, quantityIsVerb: boolean, referents: Referents): { label: string; scope: string | null } | null {
  const before = sentenceBefore.replace(DATELINE, '');
  // "achieved a technical income of 850 billion yuan": the measure is the object; the subject says whose it is.
  const clause = clauseBefore(before, before.length);
  const measured = clause.match(MEASURE_OF) ?? clause.match(MEASURE_WITH_VERB);
  // "a total of", "a year-on-year increase of" say how much, not of what; "a total transaction volume of" names the measure.
  if (measured && !measured[1].split(/\s+/).every((word) => GENERIC_MEASURE.test(word) || HOW_MUCH_MODIFIER.test(word))) {
    const owner = englishSubject(before.slice(0, before.length - clause.length + (measured.index ?? 0)), false, referents);
    // "a total investment of" names the measure, "total" and all; "88 projects with a total investment of" says of what.
    const counted = /^with\b/i.test(measured[0]) ? before.slice(0, before.length - clause.length + (measured.index ?? 0)).match(COUNTED_BEFORE) : null;
    const measure = measured[1].replace(/^(?:its|their|this|that)\s+/i, '');
    return { label: counted ? `${measure} of ${counted[1]}` : measure, scope: owner?.scope ?? null };
  }
  // "increase the added value of X by 8 percent", "increase the number of firms to 20,000": the measured thing is the verb's object.
  const object = clauseBefore(before, before.length).match(
    /\b(?:increas|rais|boost|expand|grow|cut|reduc|lower|doubl)\w*\s+(.+?)\s+(?:by|to)\s+(?:more than\s+|over\s+|about\s+|nearly\s+|at least\s+)?$/i,
  );
  // "increased in annual terms by 38.3%" names no object: the measure is the sentence's subject.
  if (object && !/^(?:in|on|at|for|from|over|year|compared|against|by)\b/i.test(object[1])) return { label: stripSubject(object[1]), scope: null };
  // A quantity that is itself the verb ("GDP doubled") has its subject right before it.
  const verbs = quantityIsVerb ? [{ index: before.length, 0: '' }] : [...before.matchAll(VERB)];
  if (verbs.length === 0) return null;
  // The subject ends at the first verb of the verb group closest to the number ("has increased by").
  let verbIndex = verbs[verbs.length - 1].index;
  for (let v = verbs.length - 2; v >= 0; v--) {
    const between = before.slice(verbs[v].index + verbs[v][0].length, verbIndex);
    if (/^\s*(?:\w+\s+){0,2}$/.test(between) && !/\bsaw\b/i.test(verbs[v][0])) verbIndex = verbs[v].index;
    else break;
  }
  if (/\bsaw\b|\bsee[sn]?\b/i.test(before.slice(verbIndex, verbIndex + 5))) return null;
  let subject = before.slice(0, verbIndex);
  // Start of the clause: after the last comma, semicolon, "saw", or sentence start.
  const cut = Math.max(
    // Not the comma of a number ("484,000").
    lastWordIndex(subject, /,(?!\d)/g),
    // "484,000 contracts signed and a transaction volume reaching …": a new conjunct after an earlier number.
    lastWordIndex(subject, /(?<![\d,.])(?!(?:19|20)\d{2}(?!\d))\d+(?:[,.]\d+)*(?:\s+[\w-]+){1,8}?\s+and\s+/g),
    subject.lastIndexOf(';'),
    subject.lastIndexOf(':'),
    lastWordIndex(subject, /\b(?:saw|sees|see|while|whereas|and then)\s+/gi),
  );
  subject = subject.slice(Math.max(cut + 1, lastWordIndex(subject, REPORTED_THAT) + 1));
  const saw = subject.match(/^\s*(?:saw|sees|see|while|whereas|and then)\s+/i);
  if (saw) subject = subject.slice(saw[0].length);
  subject = subject
    .trim()
    .replace(CLOSED_BRACKET_LEAD, '')
    .replace(CONJUNCTION_LEAD, '')
    .replace(TIME_LEAD, '')
    .replace(TRAILING_AUX, '')
    .replace(TRAILING_AUX, '')
    .trim();
  if (!subject) return null;
  let scope: string | null = null;
  const possessive = subject.match(/^((?:the\s+)?(?:[\w-]+\s+){0,3}?[\w-]+)[’']s\s+(.+)$/i);
  if (possessive) {
    // "the turnover of the region's technology contracts": the measure is "turnover of technology contracts".
    const measureOf = possessive[1].match(/^(.+?)\s+of\s+(?:the\s+)?(.+)$/i);
    scope = referents.resolve(measureOf ? measureOf[2] : possessive[1]);
    subject = measureOf ? `${measureOf[1]} of ${possessive[2]}` : possessive[2];
  }
  const place = subject.match(PLACE_PHRASE);
  if (place && !scope) {
    scope = referents.resolve(place[2].replace(REGION_OF_COUNTRY, ''));
    subject = place[1];
  }
  return { label: stripSubject(subject), scope };
}

/** A news dateline before the lead, every word capitalized: "SHENZHEN --", "BEIJING, Aug. 6 (Xinhua) --". */
const DATELINE = /^(?:[\p{Lu}\d(][^\s]*\s+){0,8}?(?:--|—)\s*/u;
/** The end of a bracket opened in an earlier clause: "19th Feb, 2024) The total number…". */
const CLOSED_BRACKET_LEAD = /^[^()]*\)\s*/;
const CONJUNCTION_LEAD = /^(?:and|but|while|whereas|also|meanwhile|moreover|furthermore|besides|in addition|additionally|among them|of which|of them)\b,?\s*/i;
/** "… has reported that the total number of …": the subject is the reported clause's. */
const REPORTED_THAT =
  /\b(?:said|says|reported|reports|announced|announces|showed|shows|revealed|reveals|noted|notes|stated|states|indicated|indicates|added|adds)\s+that\s+/gi;
/** "the number of firms in South China's Guangdong province", "enterprises in the Zhongguancun national demonstration zone". */
const PLACE_PHRASE = new RegExp(
  `^(.+?)\\s+in\\s+((?:the\\s+)?(?:[Nn]orth|[Ss]outh|[Ee]ast|[Ww]est|[Cc]entral|[Nn]orth-?east|[Nn]orth-?west|[Ss]outh-?east|[Ss]outh-?west)?(?:ern)?\\s*(?:China[’']s\\s+)?(?:[A-Z][\\w’'-]*(?:\\s+[A-Z][\\w’'-]*)*(?:(?:\\s+[a-z-]+){0,2}\\s+(?:${PLACE_NOUNS}))?|(?:${PLACE_NOUNS})))$`,
);
const REGION_OF_COUNTRY = /^(?:the\s+)?(?:north|south|east|west|central|northeast|northwest|southeast|southwest)(?:ern)?\s+China[’']s\s+/i;
/** "… and a transaction volume reaching": a measure conjoined to an earlier count, with the verb or "of" that gives its number. */
const CONJOINED_MEASURE =
  /\band\s+(?:a|an|the|their|its)?\s*[\w&-]+(?:\s+[\w&-]+){0,3}\s+(?:reaching|of|totaling|totalling|worth|exceeding|amounting to|hitting|topping|at)\s+(?:about\s+|around\s+|over\s+|more than\s+|nearly\s+)?$/i;
/** "a technical income of N", "with a total investment of N", "with total investment of N": a measure named before "of" and its number. */
const MEASURE_OF =
  /\b(?:(?:with\s+)?(?:a|an|the|its|their)|with)\s+((?:[\w&-]+\s+){0,3}?[\w&-]+)\s+of\s+(?:about\s+|around\s+|over\s+|more than\s+|nearly\s+|some\s+|up to\s+|at least\s+)?$/i;
/** "32 projects with investment exceeding N": a measure named before the verb that gives its number. */
const MEASURE_WITH_VERB =
  /\bwith\s+(?:(?:a|an|the|its|their)\s+)?((?:[\w&-]+\s+){0,3}?[\w&-]+)\s+(?:exceeding|totaling|totalling|worth|reaching|topping|surpassing|amounting to)\s+(?:about\s+|around\s+|over\s+|more than\s+|nearly\s+)?$/i;
/**
 * "88 centralized contracted projects", "36 projects in 2023,", "17 projects related to …,": before a measure said "with"
 * (MEASURE_OF, MEASURE_WITH_VERB), the counted things it is of.
 */
const COUNTED_BEFORE = /\d[\d,.]*\s+([a-z][\w-]*(?:\s+[a-z][\w-]*){0,4}?)(?:\s+(?:in|during|by|as of|over|related to)\s+[^,]*)?,?\s+$/i;
/** "Xixian New Area signed 36": a named actor and a verb that says what the counted things are (signed, launched…). */
const ACTOR_DID =
  /((?:[A-Z][\w’'-]*\s+)*[A-Z][\w’'-]*)\s+(?:has\s+|have\s+|had\s+)?(signed|launched|introduced|completed|started|landed|registered|added|approved|attracted)\s+(?:a total of\s+|some\s+|about\s+|more than\s+|over\s+)?$/;
/** Words that say how or when a quantity is counted, not what it is of: "a year-on-year increase of", "an annual average of". */
const HOW_MUCH_MODIFIER = /^(?:year-on-year|yoy|annual|yearly|monthly|average|overall|new|all-time|historic)$/i;
/** Words that say only "how much", not of what: a phrase before "of" made only of them is no measure's name ("a total of 44", "a record high of"). */
const GENERIC_MEASURE =
  /^(?:(?:grand\s+)?total|number|amount|sum|value|level|figure|increase|rise|growth|drop|decline|share|proportion|percentage|average|maximum|minimum|record|high|low|peak|rate|range|scale|size|volume|group|team|batch|series|set)$/i;

function stripSubject(subject: string): string {
  return subject.trim().replace(DETERMINER_LEAD, '').replace(MEASURE_LEAD, '').replace(DETERMINER_LEAD, '').trim();
}

function lastWordIndex(text: string, pattern: RegExp): number {
  let last = -1;
  for (const match of text.matchAll(pattern)) last = match.index + match[0].length - 1;
  return last;
}

/** "35,124 local technology utilization contracts, which" → "local technology utilization contracts". */
function englishCountNoun(right: string): string | null {
  const words: string[] = [];
  for (const word of right.replace(/^\s+/, '').split(/\s+/)) {
    const bare = word.replace(/[,.;:!?)”"]+$/, '');
    if (!/^[\p{L}][\p{L}’'-]*$/u.test(bare)) break;
    if (STOP_AFTER_NOUN.has(bare.toLowerCase())) break;
    // "36 enterprises achieved …", "17 projects related to …": a participle after the noun starts what is said of it.
    if (words.length > 0 && /^[a-z]{3,}ed$/.test(bare)) break;
    words.push(bare);
    if (bare !== word || words.length >= 7) break;
  }
  if (!words.length) return null;
  // "269 enterprises with advanced high-tech technologies were registered": what kind of thing is counted.
  const kind = right.slice(right.indexOf(words.at(-1)!) + words.at(-1)!.length).match(COUNTED_KIND)?.[0];
  return kind && words.length === right.trim().split(/\s+/).slice(0, words.length).length ? `${words.join(' ')}${kind.trimEnd()}` : words.join(' ');
}
/** "with" and a few describing words (no article, number or verb), up to the clause's verb or end. */
const COUNTED_KIND = /^\s+with\s+(?!(?:the|a|an|its|their|this|that)\b)(?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*(?=\s+(?:were|was|are|is|have|has|had)\b|[,.;]|$)/;
const STOP_AFTER_NOUN = new Set(
  'in on at by for from with as than that which who whom whose to into across and or but of is are was were has have had will would can could should respectively each per while since during including such over under above below worth this next last'.split(
    ' ',
  ),
);

/** Chinese measure names that say how much, not of what (data/text/measure-suffixes.json). */
const GENERIC_CHINESE_MEASURES = new Set(measureNames.generic);
const GENERIC_CHINESE_ENDING = new RegExp(`(?:${[...GENERIC_CHINESE_MEASURES].join('|')}|[${measureNames.suffixes.join('')}])$`, 'u');

/** What a Chinese measure's name is of: "认定登记技术合同总量" → "认定登记技术合同"; null when it names nothing more. */
function withoutGenericMeasure(label: string): string | null {
  const stem = label.replace(GENERIC_CHINESE_ENDING, '');
  return stem !== label && stem.length >= 2 && /\p{Script=Han}$/u.test(stem) ? stem : null;
}

const CHINESE_MEASURE_WORD = /^\s*多?[个项家名人所座条款台次户只件位批支场套部栋辆架颗株](?=[，。；、：,.;:\s）)]|和|与|及|$)/u;

/** "13个成员中心，" → "成员中心". */
function chineseCountNoun(right: string): string | null {
  const match = right.match(/^\s*多?[个项家名人所座条款台次户只件位批支场套部栋辆架颗株]?([\p{Script=Han}A-Za-z]{1,12}?)(?=[，。；、：,.;:\s]|和|与|及|的|$)/u);
  return match?.[1] || null;
}

const CHINESE_TIME_LEAD =
  /^(?:(?:截至|截止|到)?(?:\d{4}年(?:底|末|年底|年末)?|去年|今年|上年|全年|明年|近年来?|(?:前|第)?[一二三四1-4]季度|上半年|下半年|\d{1,2}月(?:底|末)?|\d{1,2}[-—–至到]\d{1,2}月)(?:底|末|以来|期间|内)?)+[，,]?/u;
const CHINESE_SCOPE_LEAD =
  /^(全省|全市|全区|全县|全国|全球|本省|本市|本区|该省|该市|该区|[\p{Script=Han}]{2,8}?(?:省(?!份)|市(?!场)|自治区|新区|开发区|高新区|区(?!域)|县|集团|公司))(?=[\p{Script=Han}])/u;

function chineseSubject(before: string, previousEnd = 0): { label: string; scope: string | null } | null {
  const clauses = before.split(/[，。；：,;:！？]/u);
  let clause = clauses.pop() ?? '';
  // "登记技术合同76719项、成交额达…": the subject starts after the clause's previous number.
  const clauseStart = before.length - clause.length;
  if (previousEnd > clauseStart) clause = before.slice(previousEnd).replace(/^[)）]?[个项家名人所座条款台次户只件位批支场套部栋辆架颗株]?[、和及与]?/u, '');
  // "前五位分别是广东(69.27亿元)、北京(": a value in brackets is the named one's, of the measure the list is of.
  if (/[(（]$/u.test(clause)) {
    const owner = clause.match(/(?:^|[是为、，,])([\p{Script=Han}A-Za-z]{2,8}?)[(（]$/u)?.[1] ?? null;
    const whole = before.slice(clauseStart);
    const firstOwner = whole.match(/(?:^|[是为、])[\p{Script=Han}A-Za-z]{2,8}?[(（]/u);
    const head = (firstOwner ? whole.slice(0, firstOwner.index! + (/^[是为、]/u.test(firstOwner[0]) ? 1 : 0)) : whole).replace(LIST_LEAD, '');
    return { label: head.replace(CHINESE_TIME_LEAD, ''), scope: owner };
  }
  let subject = clause
    .replace(/[\d.,]+$/u, '')
    .replace(CHINESE_VERB, '')
    .replace(/(?:超过|约|近|逾|共|合计|总计)$/u, '')
    .replace(/(?:首次|首度|再次|已经?|均|年均|分别|预计|预期|有望|将|力争)+$/u, '');
  // "认定登记技术合同总量首次突破十万项，达106552项": a clause of only a verb takes its subject from the one before.
  if (!subject.trim() && clauses.length) {
    let previousClause = clauses.pop() ?? '';
    // "成交额达8536.9亿元(人民币,下同),同比增长7.4%": the clauses of a bracket are an aside, read with the clause it follows.
    while (/[)）]\s*$/u.test(previousClause) && !/[(（]/u.test(previousClause) && clauses.length) previousClause = `${clauses.pop()},${previousClause}`;
    // "…实现营业收入841.0亿元，同比增长9.9%": after a number, a verb-only clause is about that number's measure.
    if (previousEnd > clauseStart - previousClause.length - 1) return null;
    subject = previousClause.replace(/[(（][^()（）]*[)）]\s*$/u, '').replace(CHINESE_PREDICATE, '');
  }
  subject = subject
    .replace(/^(?:是|为|达|约|占)/u, '')
    .replace(CHINESE_TIME_LEAD, '')
    .replace(/^的/u, '');
  let scope: string | null = null;
  // "园区全年实现地区生产总值": the measure follows the verb; who achieved it comes before ("发明专利拥有量" is a measure, not 拥有).
  const achieved = subject.match(CHINESE_ACHIEVED);
  if (achieved) {
    scope = achieved[1].replace(CHINESE_TIME_LEAD, '') || null;
    subject = achieved[2];
  }
  const scoped = scope ? null : subject.match(CHINESE_SCOPE_LEAD);
  if (scoped && subject.length - scoped[1].length >= 2) {
    scope = scoped[1];
    subject = subject.slice(scoped[1].length);
  }
  subject = subject.replace(/^(?:的|其|共)/u, '').replace(/(?:的|了)$/u, '');
  return subject ? { label: subject, scope } : null;
}

const CHINESE_ACHIEVED = /^([\p{Script=Han}]{2,8}?)(?:全年|上半年|下半年|前三季度)?(?:累计)?(?:实现|完成|拥有(?!量)|共有)([\p{Script=Han}A-Za-z]{2,})$/u;
/** What introduces a list of named values: "的前五位分别是", "依次为". */
const LIST_LEAD = /(?:的)?(?:前[一二三四五六七八九十\d]+(?:位|名))?(?:分别|依次)?(?:是|为)?$/u;
/** A clause's predicate, from its first verb: what is cut to leave its subject. */
const CHINESE_PREDICATE = /(?:首次|首度|再次|已经?|均)?(?:突破|超过|达到|达|为|实现|完成|增长|增加|提高|破).*$/u;
