import { conceptsOf, termsOfAlternative, type Meaning, type TermPresence } from '../meaning/index.js';

/**
 * What a figure lookup means beyond its words: the index terms that say each of its terms in the other language
 * (or by a synonym), so that "Beijing technology contract turnover" finds "北京…技术合同成交额8536.9亿元", and the
 * places it names, each as the terms that name it in either language, which a figure's sentence or document must have.
 */
export interface FigureQueryMeaning {
  /** Per query term, other index terms that say it, with their credit (below 1). */
  alternatives: Map<string, [term: string, credit: number][]>;
  /** The places asked about, each as the index terms of its names. */
  places: string[][];
}

export function figureQueryMeaning(query: string, meaning: Meaning | null, corpus: TermPresence): FigureQueryMeaning {
  const alternatives = new Map<string, [string, number][]>();
  const places: string[][] = [];
  for (const concept of conceptsOf(query, meaning, corpus)) {
    const said = [...concept.alternatives].flatMap(([alternative, credit]) => termsOfAlternative(alternative).map((term): [string, number] => [term, credit]));
    if (said.length) alternatives.set(concept.term, said);
    if (concept.place) places.push([concept.term, ...said.map(([term]) => term)]);
  }
  return { alternatives, places };
}
