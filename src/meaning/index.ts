import type { Meaning } from './concepts.js';
import { loadBilingualDictionary } from './dictionary.js';
import { loadSynonyms } from './synonyms.js';
import { loadWordVectors } from './word-vectors.js';

/**
 * The meaning data, offline: the Chinese–English dictionary (translations, place names), English word similarity
 * from word vectors and synonyms from WordNet, each from the package that ships it through a cache built in
 * `cacheDir` at first use. A cache that cannot be read is rebuilt (`onNotice` says so in one line); nothing is fetched.
 */
export async function loadMeaning(cacheDir: string, onNotice: (message: string) => void = () => {}): Promise<Meaning> {
  const [dictionary, vectors, synonyms] = await Promise.all([
    loadBilingualDictionary(cacheDir, { onNotice }),
    loadWordVectors(cacheDir, { onNotice }),
    loadSynonyms(cacheDir, { onNotice }),
  ]);
  return { dictionary, vectors, synonyms };
}

export { conceptsOf, hasAlternative, liesWithin, termsOfAlternative, withNearTerms, type Concept, type Meaning, type TermPresence } from './concepts.js';
export type { MeaningOptions } from './cache-file.js';
export type { BilingualDictionary } from './dictionary.js';
export { questionLanguage, type QuestionLanguage } from './language.js';
export { loadSynonyms, type Synonyms } from './synonyms.js';
export { loadWordVectors, type WordVectors } from './word-vectors.js';
