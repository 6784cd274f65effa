import { parseHTML } from 'linkedom';
import type { SourceLine } from '../paragraphs.js';

/** Elements that are not part of a page's text. */
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'img',
  'picture',
  'video',
  'audio',
  'iframe',
  'canvas',
  'button',
  'select',
  'input',
  'textarea',
  'form',
]);
/** Page furniture, skipped when the whole body is read (Readability already left it out of an article). */
export const FURNITURE = new Set(['nav', 'header', 'footer', 'aside']);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const BLOCKS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'blockquote',
  'pre',
  'address',
  'figcaption',
  'figure',
  'dd',
  'dt',
  'dl',
  'center',
  'body',
  'ul',
  'ol',
  'li',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'hr',
  ...HEADINGS,
  ...FURNITURE,
]);

export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

export interface DomElement extends DomNode {
  getAttribute(name: string): string | null;
}

/** The part of a parsed HTML document the readers use. */
export interface DomDocument {
  body: DomNode | null;
  documentElement: DomElement;
  querySelector(selector: string): DomElement | null;
}

/** Parses HTML with linkedom (a small DOM without a browser). */
export function parseDocument(html: string): DomDocument {
  // linkedom's own types do not resolve under the type-aware linter; the reader needs only this surface.
  const parsed = parseHTML(html) as unknown as { document: DomDocument };
  return parsed.document;
}

/**
 * An HTML tree's text as lines with their structure: headings, paragraphs (a `<br>` is a line break, which
 * the paragraph rebuilder judges like any other), list items, and table rows with their cells joined by ` | `.
 */
export function htmlToLines(root: DomNode, skip: ReadonlySet<string> = new Set()): SourceLine[] {
  const lines: SourceLine[] = [];
  let inline = '';
  const flush = () => {
    inline.split('\n').forEach((line, i) => push(line, 'paragraph', i === 0));
    inline = '';
  };
  const push = (text: string, kind: SourceLine['kind'], gapBefore = true) => {
    const clean = text.replace(/[ \t\r\f\v\u00a0]+/g, ' ').trim();
    if (clean) lines.push({ text: clean, kind, gapBefore });
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      inline += (node.textContent ?? '').replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1) return;
    const name = node.nodeName.toLowerCase();
    if (SKIPPED.has(name) || skip.has(name)) return;
    if (name === 'br') {
      inline += '\n';
      return;
    }
    if (!BLOCKS.has(name)) {
      for (const child of Array.from(node.childNodes)) walk(child);
      return;
    }
    flush();
    if (HEADINGS.has(name)) push(textOf(node), 'heading');
    else if (name === 'li') {
      push(`- ${textOf(node, new Set(['ul', 'ol']))}`, 'item');
      for (const child of Array.from(node.childNodes)) if (['ul', 'ol'].includes(child.nodeName.toLowerCase())) walk(child);
    } else if (name === 'tr') {
      const cells = Array.from(node.childNodes).filter((cell) => ['td', 'th'].includes(cell.nodeName.toLowerCase()));
      push(
        cells
          .map((cell) => textOf(cell))
          .filter(Boolean)
          .join(' | '),
        'row',
      );
    } else {
      for (const child of Array.from(node.childNodes)) walk(child);
      flush();
    }
  };
  walk(root);
  flush();
  return lines;

  function textOf(node: DomNode, except: ReadonlySet<string> = new Set()): string {
    if (node.nodeType === 3) return (node.textContent ?? '').replace(/\s+/g, ' ');
    const name = node.nodeName.toLowerCase();
    if (node.nodeType !== 1 || SKIPPED.has(name) || except.has(name)) return '';
    if (name === 'br') return ' ';
    const text = Array.from(node.childNodes)
      .map((child) => textOf(child, except))
      .join(BLOCKS.has(name) ? ' ' : '');
    return BLOCKS.has(name) ? ` ${text} ` : text;
  }
}
