import { Readability } from '@mozilla/readability';
import type { PartialMeta } from '../metadata.js';
import { rebuildParagraphs } from '../paragraphs.js';
import { decodeText } from './decode.js';
import { FURNITURE, htmlToLines, parseDocument, type DomDocument } from './html-blocks.js';
import { UnreadableFileError, type DocumentReader } from './types.js';

/**
 * A web page: its main content as Mozilla's Readability finds it (navigation, breadcrumbs, share buttons,
 * footers and cookie notices left out), or the whole body without its page furniture when Readability finds
 * no article. Metadata from `<title>` and `<meta>` tags.
 */
export const htmlReader: DocumentReader = {
  async read(bytes) {
    const { text: html, warning } = decodeText(bytes);
    // One parse serves the metadata and, when there is no article, the body; Readability changes the tree it
    // reads, so it gets its own.
    const page = parseDocument(html);
    const meta = pageMeta(page);
    const article = new Readability(parseDocument(html), { charThreshold: 200 }).parse();
    const articleBody = article?.content ? parseDocument(`<!doctype html><html><body>${article.content}</body></html>`).body : null;
    let lines = articleBody ? htmlToLines(articleBody, FURNITURE) : [];
    if (!lines.length) lines = htmlToLines(page.body ?? page.documentElement, FURNITURE);
    if (!lines.length) throw new UnreadableFileError('no readable text (the page is scripts or page furniture only)');
    return {
      blocks: rebuildParagraphs(lines),
      meta: { ...meta, title: meta.title ?? article?.title ?? undefined, publisher: meta.publisher ?? article?.siteName ?? undefined },
      warning,
    };
  },
};

function pageMeta(document: DomDocument): PartialMeta {
  const content = (...names: string[]) => {
    for (const name of names) {
      const value = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`)?.getAttribute('content')?.trim();
      if (value) return value;
    }
    return undefined;
  };
  return {
    title: content('og:title') ?? (document.querySelector('title')?.textContent?.trim() || undefined),
    date: content('article:published_time', 'date', 'dc.date', 'DC.date.issued', 'pubdate', 'publishdate', 'datePublished', 'PubDate'),
    url: content('og:url') ?? document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined,
    publisher: content('og:site_name', 'author'),
    language: document.documentElement?.getAttribute('lang')?.slice(0, 2).toLowerCase() || undefined,
  };
}
