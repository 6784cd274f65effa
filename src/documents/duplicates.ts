import { readFileSync } from 'node:fs';
import { isFileNameTitle } from './file-name.js';
import type { DocumentMeta } from './types.js';

/**
 * Near-duplicate documents: the same release republished on several sites (as text, HTML or Markdown,
 * reformatted, lightly reworded, with other boilerplate around it).
 *
 * Each document gets a MinHash signature when it is prepared: its text is normalized (NFKC, lower case,
 * punctuation dropped) into units — a word, or one Han character, so Chinese is shingled by characters —
 * and every run of `shingleUnits` units is hashed; the signature keeps, for each of `hashes` hash
 * functions, the smallest hash over the document's shingles. Two signatures agree at a position with
 * probability equal to the Jaccard similarity of the two shingle sets, so the share of equal positions
 * estimates it. Over all documents, LSH banding (`bands` bands of `rows` positions: documents equal on a
 * whole band are candidates) finds the pairs worth comparing without comparing every pair; a candidate
 * pair whose estimate reaches `threshold` is a pair of copies, and copies of copies are one group.
 *
 * The calibration is in data/tuning/duplicates.json, each value with how it was chosen.
 */

export interface DuplicateTuning {
  hashes: number;
  shingleUnits: number;
  minLineUnits: number;
  numberShingleWeight: number;
  bands: number;
  rows: number;
  threshold: number;
  passageShingleUnits: number;
  passageContainment: number;
}

export const DUPLICATE_TUNING: DuplicateTuning = loadTuning(new URL('../../data/tuning/duplicates.json', import.meta.url));

/** What a stored signature depends on: an index whose signatures were made another way is rebuilt. */
export const SIGNATURE_SCHEME = [
  'minhash-oph-v1',
  `${DUPLICATE_TUNING.hashes}h`,
  `${DUPLICATE_TUNING.shingleUnits}u`,
  `${DUPLICATE_TUNING.minLineUnits}l`,
  `${DUPLICATE_TUNING.numberShingleWeight}n`,
].join('-');

const EMPTY = 0xffffffff;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Fixed seeds: the same signatures on every run and platform. */
const SHINGLE_SEED = 0x5eed1e55;
const DENSIFY_SEED = 0x2545f491;

/**
 * The MinHash signature of a document's text: `hashes` 32-bit values, by one-permutation hashing — each
 * shingle is hashed once, the hash picks one of `hashes` bins and each bin keeps its smallest hash; a bin
 * no shingle fell in borrows the value of another bin, chosen by a hash of its position that is the same
 * for every document ("optimal densification", Shrivastava 2017), so equal positions still estimate the
 * Jaccard similarity. One hash per shingle instead of one per shingle and function: a 5,000-word document
 * costs about a millisecond.
 *
 * Lines shorter than `minLineUnits` (navigation, crumbs, datelines) are left out, unless that would leave
 * out most of the text. A shingle that holds a number counts `numberShingleWeight` times: copies of a
 * release repeat its figures, while the same agency's release of another year, written on the same
 * template, changes them.
 */
export function documentSignature(text: string): Uint32Array {
  const kept: number[] = [];
  const all: number[] = [];
  let lineStart = 0;
  let lineWeight = 0;
  forEachUnit(
    text,
    (unit, weight) => {
      all.push(unit);
      lineWeight += weight;
    },
    () => {
      if (lineWeight >= DUPLICATE_TUNING.minLineUnits) for (let i = lineStart; i < all.length; i++) kept.push(all[i]);
      lineStart = all.length;
      lineWeight = 0;
    },
  );
  return signatureOf(kept.length * 2 >= all.length ? kept : all);
}

function signatureOf(units: number[]): Uint32Array {
  const { hashes, shingleUnits: size, numberShingleWeight } = DUPLICATE_TUNING;
  const bins = new Uint32Array(hashes).fill(EMPTY);
  // A text shorter than one shingle is one shingle.
  const shingles = units.length >= size ? units.length - size + 1 : Math.min(units.length, 1);
  let numbers = 0;
  for (let i = 0; i < Math.min(size, units.length) - 1; i++) numbers += units[i] & 1;
  for (let i = 0; i < shingles; i++) {
    const end = Math.min(i + size, units.length);
    numbers += units[end - 1] & 1;
    const shingle = shingleHash(units, i, end);
    const copies = numbers > 0 ? numberShingleWeight : 1;
    for (let copy = 0; copy < copies; copy++) {
      const hash = mix(shingle ^ Math.imul(copy, 0x9e3779b9) ^ SHINGLE_SEED);
      // The top bits pick the bin (uniformly for any number of bins); the whole hash is compared.
      const bin = Math.floor((hash / 0x100000000) * hashes);
      if (hash < bins[bin]) bins[bin] = hash;
    }
    numbers -= units[i] & 1;
  }
  const signature = bins.slice();
  if (shingles === 0) return signature;
  for (let bin = 0; bin < hashes; bin++) {
    if (bins[bin] !== EMPTY) continue;
    for (let attempt = 1; ; attempt++) {
      const source = Math.floor((mix(Math.imul(bin, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca77) ^ DENSIFY_SEED) / 0x100000000) * hashes);
      if (bins[source] !== EMPTY) {
        signature[bin] = bins[source];
        break;
      }
    }
  }
  return signature;
}

/** murmur3's 32-bit finalizer: every input bit moves every output bit. */
function mix(value: number): number {
  let x = value;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function shingleHash(units: number[], start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ units[i], FNV_PRIME);
  return hash >>> 0;
}

/** Per BMP code point: 0 not yet known, 1 part of a word, 2 a Han character, 3 neither (punctuation, space). */
const charClass = new Uint8Array(0x10000);
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const HAN_CHAR = /^\p{Script=Han}$/u;

function classify(codePoint: number): number {
  if (codePoint < 0x10000 && charClass[codePoint]) return charClass[codePoint];
  const char = String.fromCodePoint(codePoint);
  const kind = HAN_CHAR.test(char) ? 2 : WORD_CHAR.test(char) ? 1 : 3;
  if (codePoint < 0x10000) charClass[codePoint] = kind;
  return kind;
}

/**
 * The text's units after NFKC and lower case, each as an FNV-1a hash whose lowest bit says whether it holds
 * a digit: words (letters, digits, marks), and each Han character alone (weighing half a word). `onLine`
 * is called at each line's end. Punctuation and spaces separate units and are dropped.
 */
function forEachUnit(text: string, onUnit: (unit: number, weight: number) => void, onLine: () => void = () => {}): void {
  const normalized = text.normalize('NFKC').toLowerCase();
  let hash = FNV_OFFSET;
  let inWord = false;
  let digit = false;
  const endWord = () => {
    if (!inWord) return;
    onUnit(((hash & ~1) | (digit ? 1 : 0)) >>> 0, 1);
    hash = FNV_OFFSET;
    inWord = false;
    digit = false;
  };
  for (let i = 0; i < normalized.length; i++) {
    const code = normalized.charCodeAt(i);
    if (code === 10) {
      endWord();
      onLine();
      continue;
    }
    let kind: number;
    let codePoint = code;
    if (code < 0x80) kind = (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) ? 1 : 3;
    else {
      if (code >= 0xd800 && code < 0xdc00 && i + 1 < normalized.length) codePoint = normalized.codePointAt(i)!;
      kind = classify(codePoint);
    }
    if (kind === 1) {
      hash = Math.imul(hash ^ codePoint, FNV_PRIME);
      if (code >= 0x30 && code <= 0x39) digit = true;
      inWord = true;
    } else {
      endWord();
      if (kind === 2) onUnit((Math.imul(FNV_OFFSET ^ codePoint, FNV_PRIME) & ~1) >>> 0, 0.5);
    }
    if (codePoint > 0xffff) i++;
  }
  endWord();
  onLine();
}

/** A signature of a text with no words: it is nobody's copy. */
export function isEmptySignature(signature: Uint32Array): boolean {
  return signature.every((value) => value === EMPTY);
}

/** The share of positions where two signatures agree: an estimate of their documents' Jaccard similarity. */
export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i] && a[i] !== EMPTY) equal++;
  return equal / a.length;
}

/** A signature as stored in a BLOB column, and back (a stored one of another size reads as none). */
export function signatureToBytes(signature: Uint32Array): Buffer {
  const bytes = Buffer.alloc(signature.length * 4);
  signature.forEach((value, i) => bytes.writeUInt32LE(value, i * 4));
  return bytes;
}

export function signatureFromBytes(bytes: Buffer | null): Uint32Array | null {
  if (!bytes || bytes.length !== DUPLICATE_TUNING.hashes * 4) return null;
  const signature = new Uint32Array(DUPLICATE_TUNING.hashes);
  for (let i = 0; i < signature.length; i++) signature[i] = bytes.readUInt32LE(i * 4);
  return signature;
}

export interface DuplicateCandidate {
  id: string;
  meta: Pick<DocumentMeta, 'title' | 'date' | 'url' | 'publisher'>;
  signature: Uint32Array | null;
}

/** A release and its copies: `canonical` is cited, the others are "copy of" it (best first). */
export interface CopyGroup {
  canonical: string;
  copies: string[];
}

/**
 * The groups of near-duplicate documents, each with its canonical copy (see `compareCopies`), sorted by
 * canonical id. Documents without a signature, or with an empty one, are in no group.
 */
export function findCopyGroups(documents: DuplicateCandidate[]): CopyGroup[] {
  const { hashes, bands, rows, threshold } = DUPLICATE_TUNING;
  // The signed documents' signatures one after another, for comparisons that stay in cache; the comparisons read
  // only the low 16 bits of each value (two different values agree there once in 65,536: no measurable bias).
  const signed = documents.flatMap((doc, i) => (doc.signature?.length === hashes && !isEmptySignature(doc.signature) ? [i] : []));
  const flat = new Uint32Array(signed.length * hashes);
  signed.forEach((doc, i) => flat.set(documents[doc].signature!, i * hashes));
  const low = Uint16Array.from(flat);
  const parent = Int32Array.from(signed, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const needed = Math.ceil(threshold * hashes - 1e-9);
  // Per band, the documents sorted by the band's hash: equal hashes are adjacent (a collision only adds a candidate).
  const indexBits = Math.max(1, Math.ceil(Math.log2(signed.length + 1)));
  const keys = new Float64Array(signed.length);
  const indexMask = 2 ** indexBits;
  const hashScale = 2 ** Math.max(0, 32 + indexBits - 52);
  for (let band = 0; band < bands; band++) {
    for (let i = 0; i < signed.length; i++) keys[i] = Math.floor(bandHash(flat, i * hashes + band * rows, rows) / hashScale) * indexMask + i;
    keys.sort();
    for (let start = 0; start < keys.length;) {
      const bucketHash = Math.floor(keys[start] / indexMask);
      let end = start + 1;
      while (end < keys.length && Math.floor(keys[end] / indexMask) === bucketHash) end++;
      for (let a = start + 1; a < end; a++) {
        const docA = keys[a] % indexMask;
        for (let b = start; b < a; b++) {
          const docB = keys[b] % indexMask;
          const rootA = find(docA);
          const rootB = find(docB);
          if (rootA !== rootB && agreesEnough(low, (docA * hashes) | 0, (docB * hashes) | 0, hashes, needed))
            parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
        }
      }
      start = end;
    }
  }
  const members = new Map<number, DuplicateCandidate[]>();
  signed.forEach((doc, i) => {
    const root = find(i);
    const group = members.get(root);
    if (group) group.push(documents[doc]);
    else members.set(root, [documents[doc]]);
  });
  return [...members.values()]
    .filter((group) => group.length > 1)
    .map((group) => {
      const [canonical, ...copies] = [...group].sort(compareCopies);
      return { canonical: canonical.id, copies: copies.map((copy) => copy.id) };
    })
    .sort((a, b) => (a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0));
}

/** A band's positions as one 32-bit hash. */
function bandHash(flat: Uint32Array, offset: number, rows: number): number {
  let hash = FNV_OFFSET;
  for (let i = offset; i < offset + rows; i++) hash = mix(hash ^ flat[i]);
  return hash;
}

/** Whether two signatures agree at `needed` positions or more; stops as soon as the answer is known. */
function agreesEnough(flat: Uint16Array, a: number, b: number, hashes: number, needed: number): boolean {
  let equal = 0;
  for (let i = 0; i < hashes; i++) {
    if (flat[a + i] === flat[b + i]) {
      if (++equal >= needed) return true;
    } else if (i + 1 - equal > hashes - needed) return false;
  }
  return false;
}

/**
 * The order of copies, canonical first: the most metadata present (date, url, publisher, a title that is
 * not the file name), then the earliest date (an undated copy last), then the id.
 */
export function compareCopies(a: DuplicateCandidate, b: DuplicateCandidate): number {
  const present = (doc: DuplicateCandidate) =>
    [doc.meta.date, doc.meta.url, doc.meta.publisher].filter(Boolean).length + (doc.meta.title && !isFileNameTitle(doc.id, doc.meta.title) ? 1 : 0);
  const byMetadata = present(b) - present(a);
  if (byMetadata !== 0) return byMetadata;
  if (a.meta.date !== b.meta.date) {
    if (!a.meta.date) return 1;
    if (!b.meta.date) return -1;
    return a.meta.date < b.meta.date ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The share of `part`'s shingles (of `passageShingleUnits` units) that `whole` has: whether a passage of
 * one copy is carried by a passage of another, whatever the paragraph boundaries of each.
 */
export function passageContainment(part: string, whole: string): number {
  const partShingles = passageShingles(part);
  if (partShingles.size === 0) return 0;
  const wholeShingles = passageShingles(whole);
  let found = 0;
  for (const shingle of partShingles) if (wholeShingles.has(shingle)) found++;
  return found / partShingles.size;
}

/** Whether a passage of one copy is carried by a passage of another (see `passageContainment`). */
export function carries(whole: string, part: string): boolean {
  return passageContainment(part, whole) >= DUPLICATE_TUNING.passageContainment;
}

/** Of another copy's passages, the one that carries most of `part`, if one carries it. */
export function carryingPassage<T extends { text: string }>(candidates: T[], part: { text: string }): T | null {
  let best: T | null = null;
  let bestShare = DUPLICATE_TUNING.passageContainment;
  for (const candidate of candidates) {
    const share = passageContainment(part.text, candidate.text);
    if (share >= bestShare) {
      best = candidate;
      bestShare = share;
    }
  }
  return best;
}

function passageShingles(text: string): Set<number> {
  const units: number[] = [];
  forEachUnit(text, (unit) => units.push(unit));
  const size = DUPLICATE_TUNING.passageShingleUnits;
  const shingles = new Set<number>();
  if (units.length > 0 && units.length < size) shingles.add(shingleHash(units, 0, units.length));
  for (let i = 0; i + size <= units.length; i++) shingles.add(shingleHash(units, i, i + size));
  return shingles;
}

function loadTuning(file: URL): DuplicateTuning {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { value?: unknown } | undefined>;
  const value = (name: keyof DuplicateTuning, min: number, max: number): number => {
    const entry = raw[name]?.value;
    if (typeof entry !== 'number' || !(entry >= min && entry <= max))
      throw new Error(`${file.pathname}: "${name}.value" must be a number from ${min} to ${max}`);
    return entry;
  };
  const tuning: DuplicateTuning = {
    hashes: value('hashes', 16, 1024),
    shingleUnits: value('shingleUnits', 1, 16),
    minLineUnits: value('minLineUnits', 0, 100),
    numberShingleWeight: value('numberShingleWeight', 1, 10),
    bands: value('bands', 1, 1024),
    rows: value('rows', 1, 16),
    threshold: value('threshold', 0.01, 1),
    passageShingleUnits: value('passageShingleUnits', 1, 16),
    passageContainment: value('passageContainment', 0.01, 1),
  };
  if (tuning.bands * tuning.rows > tuning.hashes)
    throw new Error(`${file.pathname}: bands x rows (${tuning.bands * tuning.rows}) exceeds hashes (${tuning.hashes})`);
  return tuning;
}
