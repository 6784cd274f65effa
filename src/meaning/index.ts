/** English word meaning, offline: word similarity from word vectors, synonyms from WordNet, both cached at first use. */
export type { MeaningOptions } from './cache-file.js';
export { loadSynonyms, type Synonyms } from './synonyms.js';
export { loadWordVectors, type WordVectors } from './word-vectors.js';
