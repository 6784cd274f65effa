import type { Nodes, Parent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { rebuildParagraphs, type SourceLine } from '../paragraphs.js';
import { decodeText } from './decode.js';
import { frontMatter } from './text.js';
import type { DocumentReader } from './types.js';

/**
 * Markdown through a CommonMark parser with GitHub's extensions (tables): headings, list items and table rows
 * keep their structure; links, emphasis and inline code keep their text; images, code blocks and raw HTML tags
 * are not text. A paragraph's own line breaks go through the paragraph rebuilder like any wrapped text.
 */
export const markdownReader: DocumentReader = {
  extensions: ['.md', '.markdown'],
  async read(bytes) {
    const { text, warning } = decodeText(bytes);
    const { body, meta } = frontMatter(text);
    const tree = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
    const lines: SourceLine[] = [];
    for (const node of tree.children) collect(node, lines);
    return { blocks: rebuildParagraphs(lines), meta, warning };
  },
};

function collect(node: RootContent, lines: SourceLine[]): void {
  switch (node.type) {
    case 'heading':
      push(lines, inlineText(node), 'heading');
      return;
    case 'paragraph':
      inlineText(node)
        .split('\n')
        .forEach((line, i) => push(lines, line, undefined, i === 0));
      return;
    case 'list':
      node.children.forEach((item, i) => {
        const marker = node.ordered ? `${(node.start ?? 1) + i}. ` : '- ';
        const own = item.children.filter((child) => child.type !== 'list');
        push(lines, marker + own.map((child) => inlineText(child)).join(' '), 'item');
        for (const nested of item.children.filter((child) => child.type === 'list')) collect(nested, lines);
      });
      return;
    case 'table':
      for (const row of node.children) push(lines, row.children.map((cell) => inlineText(cell)).join(' | '), 'row');
      return;
    case 'blockquote':
      for (const child of node.children) collect(child, lines);
      return;
    case 'html':
      push(lines, node.value.replace(/<[^>]*>/g, ' '), undefined);
      return;
    default:
      // Code blocks, thematic breaks, definitions and footnote definitions carry no prose.
      return;
  }
}

function push(lines: SourceLine[], text: string, kind: SourceLine['kind'], gapBefore = true): void {
  const clean = text.replace(/[ \t]+/g, ' ').trim();
  if (clean) lines.push({ text: clean, kind, gapBefore });
}

/** A node's text: soft and hard breaks as line breaks, images dropped. */
function inlineText(node: Nodes): string {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
      return node.value;
    case 'break':
      return '\n';
    case 'image':
    case 'imageReference':
    case 'html':
      return '';
    default:
      return 'children' in node ? (node as Parent).children.map((child) => inlineText(child)).join('') : '';
  }
}
