import type { RetrievalRanks, RetrievedPassage } from '../answering/types.js';
import { carryingPassage, carries } from '../documents/duplicates.js';
import type { Passage } from '../documents/types.js';
import type { NamedEmbeddings } from '../embeddings/index.js';
import type { IndexSnapshot } from '../index/index.js';
import { answerTypeCues, detectAnswerType } from '../answering/answer-type.js';
import { conceptsOf, namesConcept, termsOfAlternative, type Concept, type Meaning } from '../meaning/concepts.js';
import { tokenize } from '../text/tokenize.js';

export interface RetrievalOptions {
  /** How many passages to return. */
  k: number;
  /** How deep each ranking is read before fusion. */
  depth?: number;
  /** The meaning data: the question's translations and synonyms are searched for too. */
  meaning?: Meaning | null;
}

/** Reciprocal rank fusion's constant: 60 is the value of the original paper and holds up on our eval sets. */
const RRF_K = 60;
/**
 * The share of the returned passages kept for the best by the question's words in the other language (3 of 8).
 * Counting that ranking in the fusion as well, even at a quarter, let passages that share only a year with a Chinese
 * question outrank its answer (the project's held-out set). Tuned on the dev sets' even lines: a quarter, 3/8 and a
 * half were tried; 3/8 and a half tied there (a quarter one item fewer), and the smaller was kept.
 */
const TRANSLATION_SHARE = 0.375;
/** How many of the best passages (times k) are reordered so that those about the place asked about come first. */
const PLACE_WINDOW = 4;
const HAN = /\p{Script=Han}/u;
/**
 * How much the vector ranking counts against the lexical one. The local embedder hashes the same
 * words the lexical index matches, only more coarsely, so its ranking counts half (the eval sets'
 * answers improve, their hit@k does not drop); a model's embeddings bring meaning and count fully.
 */
function vectorWeight(embeddings: NamedEmbeddings): number {
  return embeddings.id.startsWith('local-') ? 0.5 : 1;
}

/**
 * Hybrid retrieval: the lexical ranking (FTS5 BM25 over our index terms) and the vector ranking
 * (HNSW over the embedder's vectors) fused by reciprocal rank. Lexical matching finds exact names
 * and figures; vectors find passages that share word forms and fragments the terms miss.
 */
export async function retrieve(snapshot: IndexSnapshot, embeddings: NamedEmbeddings, question: string, options: RetrievalOptions): Promise<RetrievedPassage[]> {
  const depth = Math.max(options.depth ?? 50, options.k);
  const concepts = conceptsOf(question, options.meaning ?? null, snapshot);
  // The question's terms with their synonyms in its own script; their words in the other script (translations, place
  // names) are searched for on their own, else their rare terms would crowd the question's own out of the candidates.
  const own = new Set<string>();
  const translated = new Set<string>();
  for (const { term, alternatives } of concepts) {
    own.add(term);
    for (const alternative of alternatives.keys()) (HAN.test(alternative) === HAN.test(term) ? own : translated).add(alternative);
  }
  // The words in which documents state the kind of answer asked for (a duration as its 期限, its term).
  const asksInChinese = HAN.test(question);
  for (const cue of answerTypeCues(detectAnswerType(question)))
    for (const term of tokenize(cue)) (HAN.test(term) === asksInChinese ? own : translated).add(term);
  const vector = await embeddings.embedQuery(question);
  // The other language's words find passages by their rare terms only: a common translation (技术 for "technology")
  // matches a large part of a large library, costs a full scan of it, and tells nothing.
  const translations = snapshot.lexicalSearch([...new Set([...translated].flatMap(termsOfAlternative))], depth, { rareOnly: true });
  // The translations count as much as the question's own words miss in the corpus (all of it for an English question
  // over Chinese laws); their best passages are always among those returned, since an answer in the other language
  // rarely outranks passages that share the question's own words.
  const missing = concepts.filter(({ term, alternatives }) => !snapshot.has(term) && alternatives.size > 0).length / Math.max(1, concepts.length);
  const lexical = snapshot.lexicalSearch([...new Set([...own].flatMap(termsOfAlternative))], depth);
  const vectors = snapshot.vectorSearch(vector, depth);
  const fused = fuseRankings([
    { ranking: lexical, weight: 1 },
    { ranking: translations, weight: missing },
    { ranking: vectors, weight: vectorWeight(embeddings) },
  ]);
  const places = concepts.filter((concept) => concept.place);
  if (places.length) placeFirst(snapshot, fused, places, options.k, options.k * PLACE_WINDOW);
  const reserved = new Set(translations.slice(0, Math.floor(options.k * TRANSLATION_SHARE)).map(({ id }) => id));
  const leading = fused.filter(({ id }) => !reserved.has(id)).slice(0, Math.max(0, options.k - reserved.size));
  const taken = new Set(leading.map(({ id }) => id));
  const ordered = [...leading, ...fused.filter(({ id }) => reserved.has(id)), ...fused.filter(({ id }) => !taken.has(id) && !reserved.has(id))];
  const rankIn = (ranking: { id: number }[]) => new Map(ranking.map(({ id }, rank) => [id, rank]));
  const [lexicalRanks, translationRanks, vectorRanks] = [lexical, translations, vectors].map(rankIn);
  // Each passage keeps where it stood in each ranking (the answerer weighs them), by the id it was ranked under.
  const ranksOf = (id: number, fusedRank: number): RetrievalRanks => ({
    fused: fusedRank,
    lexical: lexicalRanks.get(id) ?? null,
    translation: translationRanks.get(id) ?? null,
    vector: vectorRanks.get(id) ?? null,
  });
  return collapseCopies(snapshot, ordered, options.k, ranksOf);
}

/**
 * A question about a place is answered from a document about that place: among the first `window` passages, those
 * whose document names every place asked about (in either language) go first, in their order. Otherwise a library's
 * many passages about another city's figures of the same kind crowd this city's out. A passage is looked up in its
 * whole document only when its own terms (text, heading, title) lack the place and it is among the first `k`, the
 * places it would lose: a document's terms cost a query each.
 */
function placeFirst(snapshot: IndexSnapshot, ranked: { id: number; score: number }[], places: Concept[], k: number, window: number): void {
  const head = ranked.slice(0, window);
  const terms = snapshot.passageTerms(head.map(({ id }) => id));
  const about = head.filter(({ id }, rank) => {
    const passageTerms = terms.get(id);
    if (passageTerms && places.every((place) => namesConcept(place, passageTerms))) return true;
    const docId = rank < k ? snapshot.passage(id)?.docId : undefined;
    return docId !== undefined && places.every((place) => namesConcept(place, { has: (term) => snapshot.documentHas(docId, term) }));
  });
  ranked.splice(0, head.length, ...about, ...head.filter((entry) => !about.includes(entry)));
}

/**
 * The best k passages, with copies of a release collapsed into its canonical document: a passage of a copy
 * that a passage of the canonical document carries (see `carries`) is replaced by that passage, at the
 * copy's rank, and a passage carried by one already taken from the same group of copies is left out. So
 * the k passages are k different texts, cited from the canonical copy where it has them; each passage
 * names its document's other copies (`also`).
 */
function collapseCopies(
  snapshot: IndexSnapshot,
  ranked: { id: number; score: number }[],
  k: number,
  ranksOf: (id: number, fusedRank: number) => RetrievalRanks,
): RetrievedPassage[] {
  const kept: RetrievedPassage[] = [];
  const keptIds = new Set<number>();
  for (const [fusedRank, { id, score }] of ranked.entries()) {
    if (kept.length >= k) break;
    let passage: Passage | undefined = snapshot.passage(id);
    if (!passage) continue;
    const canonical = snapshot.canonicalOf(passage.docId);
    const grouped = snapshot.copiesOf(passage.docId).length > 0;
    if (grouped && canonical !== passage.docId) passage = carryingPassage(snapshot.documentPassages(canonical), passage) ?? passage;
    const text = passage.text;
    if (keptIds.has(passage.id) || (grouped && kept.some((other) => snapshot.canonicalOf(other.docId) === canonical && carries(other.text, text)))) continue;
    const meta = snapshot.documents.get(passage.docId);
    if (!meta) continue;
    const { passages: _count, copyOf: _copyOf, ...docMeta } = meta;
    keptIds.add(passage.id);
    kept.push({
      id: passage.id,
      docId: passage.docId,
      meta: docMeta,
      heading: passage.heading,
      text,
      score,
      ranks: ranksOf(id, fusedRank),
      also: grouped ? snapshot.copiesOf(passage.docId) : [],
      ...(passage.docId !== canonical ? { copyOf: canonical } : {}),
    });
  }
  return kept;
}

/** Sums weight/(RRF_K + rank) over the rankings an item appears in; best first. */
export function fuseRankings(rankings: { ranking: { id: number }[]; weight: number }[]): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const { ranking, weight } of rankings) {
    ranking.forEach(({ id }, rank) => scores.set(id, (scores.get(id) ?? 0) + weight / (RRF_K + rank + 1)));
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score || a.id - b.id);
}
