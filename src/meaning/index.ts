import { loadBilingualDictionary } from './dictionary.js';
import type { Meaning } from './concepts.js';

export { conceptsOf, hasAlternative, termsOfAlternative, type Concept, type Meaning, type TermPresence } from './concepts.js';
export type { BilingualDictionary } from './dictionary.js';
export { questionLanguage, type QuestionLanguage } from './language.js';

/**
 * The meaning data, from the packages that ship it, through caches built in `cacheDir` at first use.
 * A cache that cannot be read is rebuilt (`onNotice` says so in one line); nothing is fetched.
 */
export async function loadMeaning(cacheDir: string, onNotice?: (message: string) => void): Promise<Meaning> {
  return { dictionary: await loadBilingualDictionary(cacheDir, onNotice) };
}
