import { foldRadicals } from '../../text/radicals.js';
import { paragraphsFromText } from '../paragraphs.js';
import { extractPdfText } from './pdf-layout.js';
import type { DocumentReader } from './types.js';

/**
 * PDF: the text layer in reading order without running headers, footers and page numbers (pdf-layout), then
 * its lines rebuilt into paragraphs. Its CreationDate is only the weakest date source: for a web page printed
 * to PDF it is the day of printing.
 */
export const pdfReader: DocumentReader = {
  async read(bytes, onPage) {
    const pdf = await extractPdfText(new Uint8Array(bytes), onPage);
    // Chrome writes some characters as look-alike radicals (⻓ for 长, ⼤ for 大).
    const text = foldRadicals(pdf.lines.join('\n'));
    // A page printed from a browser was created the day it was printed: that is no date of the document's.
    return { blocks: paragraphsFromText(text), meta: { title: pdf.title }, createdDate: pdf.printedFromBrowser ? undefined : pdf.createdDate };
  },
};
