import { paragraphsFromText } from '../paragraphs.js';
import { extractPdfText } from './pdf-layout.js';
import type { DocumentReader } from './types.js';

/**
 * PDF: the text layer in reading order without running headers, footers and page numbers (pdf-layout), then
 * its lines rebuilt into paragraphs. Its CreationDate is only the weakest date source: for a web page printed
 * to PDF it is the day of printing.
 */
export const pdfReader: DocumentReader = {
  extensions: ['.pdf'],
  async read(bytes) {
    const pdf = await extractPdfText(new Uint8Array(bytes));
    return { blocks: paragraphsFromText(pdf.lines.join('\n')), meta: { title: pdf.title }, createdDate: pdf.createdDate };
  },
};
