import JSZip from 'jszip';
import mammoth from 'mammoth';
import { rebuildParagraphs } from '../paragraphs.js';
import { firstLine } from './decode.js';
import { htmlToLines, parseDocument } from './html-blocks.js';
import { UnreadableFileError, type DocumentReader } from './types.js';

/** A Word file may expand to at most this much (a zip bomb expands to gigabytes); real reports stay far below. */
const MAX_EXPANDED_BYTES = 256 * 1024 * 1024;

/**
 * Word (.docx) through mammoth: headings (Heading 1–6 styles), paragraphs, list items and tables keep their
 * structure. Title and dates come from the file's core properties; its created date is the weakest source.
 */
export const docxReader: DocumentReader = {
  async read(bytes) {
    const expanded = expandedSize(bytes);
    if (expanded > MAX_EXPANDED_BYTES) throw new UnreadableFileError(`Word file expands to more than ${MAX_EXPANDED_BYTES / 1024 / 1024} MB; not read`);
    let html: string;
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(bytes);
      if (!zip.file('word/document.xml')) throw new Error('no word/document.xml');
      // Images are not text: an empty source keeps their bytes out of memory.
      html = (await mammoth.convertToHtml({ buffer: bytes }, { convertImage: mammoth.images.imgElement(async () => ({ src: '' })) })).value;
    } catch (error) {
      throw new UnreadableFileError(`not a readable Word file (${firstLine(error)})`);
    }
    const core = await coreProperties(zip);
    const body = parseDocument(`<!doctype html><html><body>${html}</body></html>`).body;
    const lines = body ? htmlToLines(body) : [];
    return { blocks: rebuildParagraphs(lines), meta: { title: core.title, date: core.issued }, createdDate: core.created };
  },
};

/** Title and dates from `docProps/core.xml` (Dublin Core), when present. */
async function coreProperties(zip: JSZip): Promise<{ title?: string; created?: string; issued?: string }> {
  const xml = await zip
    .file('docProps/core.xml')
    ?.async('string')
    .catch(() => null);
  if (!xml) return {};
  const field = (tag: string) => new RegExp(`<${tag}[^>]*>([^<]*)</${tag}>`).exec(xml)?.[1]?.trim() || undefined;
  const day = (value: string | undefined) => /^\d{4}-\d{2}-\d{2}/.exec(value ?? '')?.[0];
  return { title: field('dc:title'), created: day(field('dcterms:created')), issued: day(field('dcterms:issued')) };
}

/**
 * The sum of the entries' uncompressed sizes, read from the zip's central directory without inflating
 * anything. A zip whose directory cannot be found is left to the parser to reject.
 */
function expandedSize(bytes: Buffer): number {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > bytes.length) return 0;
  const entries = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  let total = 0;
  for (let i = 0; i < entries && offset + 46 <= bytes.length && bytes.readUInt32LE(offset) === 0x02014b50; i++) {
    const size = bytes.readUInt32LE(offset + 24);
    // 0xFFFFFFFF means a zip64 size: more than 4 GB.
    total += size === 0xffffffff ? Number.MAX_SAFE_INTEGER / 2 : size;
    offset += 46 + bytes.readUInt16LE(offset + 28) + bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
  }
  return total;
}
