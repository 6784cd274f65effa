import matter from 'gray-matter';
import { paragraphsFromText } from '../paragraphs.js';
import type { PartialMeta } from '../metadata.js';
import { decodeText, firstLine } from './decode.js';
import { UnreadableFileError, type DocumentReader } from './types.js';

/** Splits YAML front matter (`---` … `---`) from a text file's body. */
export function frontMatter(text: string): { body: string; meta: PartialMeta } {
  try {
    const parsed = matter(text);
    return { body: parsed.content, meta: parsed.data };
  } catch (error) {
    throw new UnreadableFileError(`front matter is not valid YAML (${firstLine(error)})`);
  }
}

/** Plain text: front matter, then lines rebuilt into paragraphs (hard wraps joined). */
export const textReader: DocumentReader = {
  async read(bytes) {
    const { text, warning } = decodeText(bytes);
    const { body, meta } = frontMatter(text);
    return { blocks: paragraphsFromText(body), meta, warning };
  },
};
