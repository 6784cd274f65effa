import type { CorpusStats, RetrievedPassage } from '../../src/answering/types.js';
import { tokenizeDated } from '../../src/text/tokenize.js';

/** Corpus statistics computed from the passages themselves, as the index would. */
export function statsOf(passages: RetrievedPassage[]): CorpusStats {
  const termSets = passages.map((p) => ({ docId: p.docId, terms: new Set(tokenizeDated([p.meta.title, p.heading ?? '', p.text].join('\n'), p.meta.date)) }));
  const df = (term: string) => termSets.filter((set) => set.terms.has(term)).length;
  return {
    idf: (term) => Math.log(1 + (termSets.length - df(term) + 0.5) / (df(term) + 0.5)),
    has: (term) => df(term) > 0,
    documentHas: (docId, term) => termSets.some((set) => set.docId === docId && set.terms.has(term)),
  };
}

/** A retrieved passage of the Harbor Science Park note, its fields overridable; retrieval ranked it `id`-th in each ranking. */
export function passage(id: number, text: string, overrides: Partial<RetrievedPassage> = {}): RetrievedPassage {
  return {
    id,
    docId: 'reports/harbor.txt',
    meta: { title: 'Harbor Science Park Annual Note', date: '2024-02-10', url: 'https://example.org/harbor', publisher: null, language: 'en' },
    heading: null,
    text,
    score: 1 / (id + 1),
    ranks: { fused: id, lexical: id, translation: null, vector: id },
    ...overrides,
  };
}
