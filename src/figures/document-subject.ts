import country from '../../data/text/country.json' with { type: 'json' };
import places from '../../data/text/place-names.json' with { type: 'json' };
import type { LoadedDocument } from '../documents/types.js';

/**
 * The place a release is about: what its "the city", "the province", "全省", "全区" and its figures that name no place
 * refer to. The candidates are the names its sentences are about ("Shenzhen is…", "Shaanxi's…"), the places it names
 * ("Xixian New Area", "firms in Beijing", "陕西省"); each is counted wherever it is written (a title's mention counts
 * more), and the most written wins if it is written at least twice. No list of places: the structure says it.
 */
export interface DocumentSubject {
  /** The name the document is most about, in either language ("Shenzhen", "湖北省"), if it says one often enough. */
  main: string | null;
  /** Per Chinese place suffix (省, 市, 区…), the name the document most uses with it ("陕西省"). */
  chinese: Map<string, string>;
}

/** Names the subject must be said by at least this often: once may be a passing mention. */
const MIN_MENTIONS = 2;
/** A title says what the release is about: its names count as this many mentions. */
const TITLE_MENTIONS = 2;
/** A release says what it is about early: only this much of a long document is read (it bounds the counting's cost). */
const SUBJECT_TEXT = 20_000;

/** A capitalized word; an apostrophe only inside one ("Xi'an"), not an owner's "’s". */
const WORD = String.raw`[A-Z](?:[\w-]|['’](?!s\b))*`;
const NAME = String.raw`${WORD}(?:[ \t]+(?:${WORD}|of|and))*?`;
/** "Shenzhen is committed", "Hangzhou Future Sci-Tech City has amassed", "Shaanxi’s": a name a sentence is about. */
const ENGLISH_SUBJECT = new RegExp(
  String.raw`(?:^|[:;.]\s+|,[ \t]+)(?:(?:In|By|During|Since) [^,\n]{1,40},[ \t]+)?(${NAME}[A-Za-z])(?:[’']s\b|[ \t]+(?:is|was|has|had|have|will|saw|sees|ranks|ranked|reported|recorded|achieved|registered|hosts|hosted|boasts|led|leads)\b)`,
  'gm',
);
const PLACE_NOUN = String.raw`(?:Province|City|New Area|Area|Region|Zone|District|County|Municipality|Park|Science City|Sci-Tech City)`;
const ENGLISH_PLACE = new RegExp(String.raw`\b((?:${WORD}[ \t]+){1,5}?${PLACE_NOUN})\b`, 'g');
/** "firms in Beijing", "across Guangdong": a capitalized word after a preposition of place. */
const ENGLISH_LOCATED = new RegExp(String.raw`\b(?:in|across|throughout)[ \t]+(${WORD}(?:[ \t]+${WORD})?)`, 'g');
const NOT_A_NAME = new RegExp(`^(?:${places.englishNotNames.join('|')})\\b`);
const COUNTRY = new Set(country.names.map((name) => name.toLowerCase()));
/** "China's Guangdong Province", "SW China's Chongqing": the country before a place is not part of its name. */
const COUNTRY_LEAD = new RegExp(
  `^(?:(?:[A-Z]{1,2}|[A-Z][a-z]+ern|East|West|North|South)\\s+)?(?:${country.names.filter((name) => /^[a-z]/.test(name)).join('|')})(?:[’']s)?\\s+`,
  'i',
);

const CHINESE_SUFFIX = new RegExp(`(?:${places.chineseSuffixes.join('|')})(?![${places.chineseNotAfterSuffix}])`, 'gu');
/** At most this many characters before the suffix make a name ("西咸新区", "杭州未来科技城"). */
const CHINESE_NAME_LENGTH = 6;
const CHINESE_BOUNDARY = new Set(places.chineseBoundaries);
const CHINESE_GENERIC = new RegExp(`^(?:${places.chineseGenericStarts.join('|')})`, 'u');
const HAN = /\p{Script=Han}/u;

/** "上半年湖北省技术合同…" → "湖北省": each place name that ends in a place suffix, read back to a boundary. */
function chinesePlaces(text: string): { name: string; suffix: string }[] {
  const found: { name: string; suffix: string }[] = [];
  for (const match of text.matchAll(CHINESE_SUFFIX)) {
    let start = match.index;
    while (start > 0 && match.index - start < CHINESE_NAME_LENGTH && HAN.test(text[start - 1]) && !CHINESE_BOUNDARY.has(text[start - 1])) start--;
    const name = text.slice(start, match.index + match[0].length);
    if (match.index - start < 2 || CHINESE_GENERIC.test(name)) continue;
    found.push({ name, suffix: match[0] });
  }
  return found;
}

export function documentSubject(doc: LoadedDocument): DocumentSubject {
  // Candidates: what sentences are about, and the places the title or text names.
  const english = new Set<string>();
  const chinese = new Map<string, string>();
  const collect = (text: string, inTitle: boolean) => {
    // A title is often in title case: only its named places ("… Sci-Tech City") say what it is about.
    for (const pattern of inTitle ? [ENGLISH_PLACE, ENGLISH_LOCATED] : [ENGLISH_SUBJECT, ENGLISH_PLACE, ENGLISH_LOCATED]) {
      for (const match of text.matchAll(pattern)) {
        const name = match[1]
          .replace(/^(?:The|In|At|Of)\s+/, '')
          .replace(COUNTRY_LEAD, '')
          .trim();
        if (!NOT_A_NAME.test(name) && !COUNTRY.has(name.toLowerCase())) english.add(name);
      }
    }
    for (const { name, suffix } of chinesePlaces(text)) chinese.set(name, suffix);
  };
  const text = doc.text.slice(0, SUBJECT_TEXT);
  collect(doc.meta.title, true);
  collect(text, false);
  // Each is then counted wherever it is written, outside a longer candidate ("Hangzhou" in "Hangzhou Future
  // Sci-Tech City" is the longer one's); a Chinese place also by its name without the suffix ("海南" for "海南省").
  const candidates = [...english, ...chinese.keys()];
  const mentions = new Map<string, number>();
  for (const name of candidates) {
    const suffix = chinese.get(name);
    const core = suffix && name.length - suffix.length >= 2 ? name.slice(0, -suffix.length) : name;
    const longer = candidates.filter((other) => other !== name && other.includes(core) && !other.startsWith(name));
    const count = (text: string) => occurrences(text, core) - longer.reduce((sum, other) => sum + occurrences(text, other), 0);
    mentions.set(name, Math.max(0, count(text)) + Math.max(0, count(doc.meta.title)) * TITLE_MENTIONS);
  }
  const bySuffix = new Map<string, Map<string, number>>();
  for (const [name, suffix] of chinese) bySuffix.set(suffix, (bySuffix.get(suffix) ?? new Map<string, number>()).set(name, mentions.get(name)!));
  return {
    main: mostMentioned(mentions),
    chinese: new Map(
      [...bySuffix].flatMap(([suffix, names]) => {
        const name = mostMentioned(names);
        return name ? [[suffix, name] as const] : [];
      }),
    ),
  };
}

function occurrences(text: string, name: string): number {
  let count = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + name.length)) count++;
  return count;
}

function mostMentioned(names: Map<string, number>): string | null {
  let best: [string, number] | null = null;
  for (const entry of names) if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0].length > best[0].length)) best = entry;
  return best && best[1] >= MIN_MENTIONS ? best[0] : null;
}

/** "全省" → the document's 省 ("陕西省"); "全区" → its 区, else its 新区 or 高新区. Null when the document names none. */
export function chineseSubjectFor(generic: string, subject: DocumentSubject): string | null {
  const kind = generic.slice(-1);
  const suffixes = kind === '区' ? ['区', '新区', '高新区', '开发区', '园区', '自治区'] : [kind];
  for (const suffix of suffixes) {
    const name = subject.chinese.get(suffix);
    if (name) return name;
  }
  return null;
}
