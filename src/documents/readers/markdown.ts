import MarkdownIt from 'markdown-it';
import { rebuildParagraphs, type SourceLine } from '../paragraphs.js';
import { decodeText } from './decode.js';
import { frontMatter } from './text.js';
import type { DocumentReader } from './types.js';

/** CommonMark with GFM tables; raw HTML is recognised so that its tags can be dropped. */
const markdown = new MarkdownIt({ html: true });
type Token = ReturnType<typeof markdown.parse>[number];

/**
 * Markdown through markdown-it (a CommonMark parser, tables included): headings, list items and table rows keep
 * their structure; links, emphasis and inline code keep their text; images, code blocks and HTML tags are not
 * text. A paragraph's own line breaks go through the paragraph rebuilder like any wrapped text.
 */
export const markdownReader: DocumentReader = {
  async read(bytes) {
    const { text, warning } = decodeText(bytes);
    const { body, meta } = frontMatter(text);
    return { blocks: rebuildParagraphs(markdownLines(markdown.parse(body, {}))), meta, warning };
  },
};

function markdownLines(tokens: Token[]): SourceLine[] {
  const lines: SourceLine[] = [];
  const push = (text: string, kind: SourceLine['kind'], gapBefore = true) => {
    const clean = text.replace(/[ \t]+/g, ' ').trim();
    if (clean) lines.push({ text: clean, kind, gapBefore });
  };
  /** Open list items, innermost last: each gathers its paragraphs until its own nested list or its end. */
  const items: { marker: string; text: string; pushed: boolean }[] = [];
  const flushItem = (item: (typeof items)[number] | undefined) => {
    if (item && !item.pushed) {
      push(item.marker + item.text, 'item');
      item.pushed = true;
    }
  };
  let row: string[] | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'heading_open':
        push(inlineText(tokens[++i]), 'heading');
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        flushItem(items.at(-1));
        break;
      case 'list_item_open':
        items.push({ marker: token.info ? `${token.info}${token.markup} ` : '- ', text: '', pushed: false });
        break;
      case 'list_item_close':
        flushItem(items.pop());
        break;
      case 'tr_open':
        row = [];
        break;
      case 'tr_close':
        if (row) push(row.filter(Boolean).join(' | '), 'row');
        row = null;
        break;
      case 'inline': {
        const text = inlineText(token);
        const item = items.at(-1);
        if (row) row.push(text.replace(/\s+/g, ' ').trim());
        else if (item && !item.pushed) item.text += (item.text ? ' ' : '') + text.replace(/\s+/g, ' ');
        else text.split('\n').forEach((line, n) => push(line, undefined, n === 0));
        break;
      }
      case 'html_block':
        push(token.content.replace(/<[^>]*>/g, ' '), undefined);
        break;
      default:
        // Code blocks, rules and the tokens that only open or close a paragraph carry no text of their own.
        break;
    }
  }
  return lines;
}

/** An inline token's text: soft and hard breaks as line breaks, images and HTML tags dropped. */
function inlineText(token: Token | undefined): string {
  return (token?.children ?? [])
    .map((child) => {
      switch (child.type) {
        case 'text':
        case 'code_inline':
          return child.content;
        case 'softbreak':
        case 'hardbreak':
          return '\n';
        default:
          return '';
      }
    })
    .join('');
}
