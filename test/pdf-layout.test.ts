import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { extractPdfText } from '../src/documents/readers/pdf-layout.js';
import { UnreadableFileError } from '../src/documents/index.js';

// PDFs are drawn here with pdf-lib (A4, y upwards from the bottom edge); the encrypted and the Chinese ones are
// written by hand, since pdf-lib neither encrypts nor embeds a CJK font without fontkit.

interface Text {
  text: string;
  x: number;
  y: number;
  size?: number;
  bold?: boolean;
}

const WIDTH = 595;
const HEIGHT = 842;

async function drawPdf(pages: Text[][], options: { title?: string; created?: Date } = {}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  if (options.title) pdf.setTitle(options.title);
  if (options.created) pdf.setCreationDate(options.created);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const texts of pages) {
    const page = pdf.addPage([WIDTH, HEIGHT]);
    for (const { text, x, y, size = 11, bold: isBold } of texts) page.drawText(text, { x, y, size, font: isBold ? bold : regular });
  }
  return pdf.save();
}

let measuring: PDFFont | undefined;
async function helvetica(): Promise<PDFFont> {
  measuring ??= await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica);
  return measuring;
}

/** Words wrapped to `width` at 11 pt, one line every 14 pt from `top` down. */
async function column(text: string, x: number, top: number, width: number): Promise<Text[]> {
  const font = await helvetica();
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && font.widthOfTextAtSize(next, 11) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines.map((text, index) => ({ text, x, y: top - index * 14 }));
}

const sentences = (label: string, count: number) => Array.from({ length: count }, (_, n) => `The ${label} column states fact number ${n + 1} about the zone.`);

/** A browser's print header and footer, as Chrome draws them (8 pt, 20 pt from the edges). */
const printed = (page: number, pages: number): Text[] => [
  { text: '12/1/26, 8:15 PM', x: 24, y: HEIGHT - 22, size: 8 },
  { text: 'Some Title', x: 270, y: HEIGHT - 22, size: 8 },
  { text: 'https://example.org/news/some-title.html', x: 24, y: 17, size: 8 },
  { text: `${page}/${pages}`, x: 560, y: 17, size: 8 },
];

describe('extractPdfText: lines', () => {
  it('reads a single-column page line by line, with paragraph gaps, the Info title and the creation day', async () => {
    const first = await column(sentences('only', 6).join(' '), 60, 760, 470);
    const second = await column(sentences('second', 3).join(' '), 60, 760 - (first.length + 1) * 14, 470);
    const bytes = await drawPdf([[...first, ...second]], { title: 'Annual Report', created: new Date('2024-04-15T10:00:00Z') });
    const text = await extractPdfText(bytes);
    expect(text.lines).toEqual([...first.map((line) => line.text), '', ...second.map((line) => line.text)]);
    expect(text).toMatchObject({ pages: 1, title: 'Annual Report', createdDate: '2024-04-15' });
  });

  it('keeps a hyphen at a line end as it is, the next line following', async () => {
    const bytes = await drawPdf([
      [
        { text: "The committee plans to expand the zone's testing capa-", x: 60, y: 700 },
        { text: 'city and to open a second incubator campus.', x: 60, y: 686 },
      ],
    ]);
    expect((await extractPdfText(bytes)).lines).toEqual([
      "The committee plans to expand the zone's testing capa-",
      'city and to open a second incubator campus.',
    ]);
  });

  it('keeps superscripts and subscripts on their line, and spaces items by their gap', async () => {
    const font = await helvetica();
    const main = 'Output rose 9.7 percent';
    const supX = 60 + font.widthOfTextAtSize(main, 11);
    const co = 60 + font.widthOfTextAtSize('Less CO', 11);
    const bytes = await drawPdf([
      [
        { text: main, x: 60, y: 700 },
        { text: '2', x: supX, y: 704, size: 7 },
        { text: ' over 2022.', x: supX + font.widthOfTextAtSize('2', 7), y: 700 },
        { text: 'Less CO', x: 60, y: 670 },
        { text: '2', x: co, y: 668, size: 7 },
        { text: ' was emitted.', x: co + font.widthOfTextAtSize('2', 7), y: 670 },
        // A word in bold 3 pt after the last (a space), and one right against it (no space).
        { text: 'alpha', x: 60, y: 640 },
        { text: 'beta', x: 60 + font.widthOfTextAtSize('alpha', 11) + 3, y: 640, bold: true },
        { text: 'gamma', x: 300, y: 640 },
        { text: 'delta', x: 300 + font.widthOfTextAtSize('gamma', 11), y: 640, bold: true },
      ],
    ]);
    expect((await extractPdfText(bytes)).lines).toEqual(['Output rose 9.7 percent2 over 2022.', '', 'Less CO2 was emitted.', '', 'alpha beta gammadelta']);
  });

  it('puts no space between Chinese characters set one by one with gaps, keeps a space glyph between them', async () => {
    expect((await extractPdfText(hanPdf('中关村科技园区', 2))).lines).toEqual(['中关村科技园区']);
    expect((await extractPdfText(hanPdf('来源:新华社 责任编辑', 0))).lines).toEqual(['来源:新华社 责任编辑']);
  });
});

describe('extractPdfText: columns', () => {
  it('reads a two-column page column by column, the full-width title first and a full-width note last', async () => {
    const left = await column(sentences('left', 8).join(' '), 50, 700, 230);
    const right = await column(sentences('right', 8).join(' '), 315, 700, 230);
    const bytes = await drawPdf([
      [
        { text: 'A Title That Runs Across Both Columns', x: 50, y: 760, size: 22, bold: true },
        ...left,
        ...right,
        { text: 'This closing note spans both columns of the page and is read after them.', x: 50, y: 700 - 14 * (left.length + 2) },
      ],
    ]);
    const { lines } = await extractPdfText(bytes);
    expect(lines[0]).toBe('A Title That Runs Across Both Columns');
    expect(lines.at(-1)).toBe('This closing note spans both columns of the page and is read after them.');
    const joined = lines.join(' ');
    const positions = [...sentences('left', 8), ...sentences('right', 8)].map((sentence) => joined.indexOf(sentence));
    expect(positions.every((position) => position > 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((p, q) => p - q));
    // A column break is a paragraph gap.
    expect(lines[lines.indexOf(left.at(-1)!.text) + 1]).toBe('');
  });

  it('reads a label/value table row by row (not as two columns)', async () => {
    // Labels of about one length, so that they run up to the gap as a column's lines would.
    const rows = [
      ['Gross output value', '218.5 billion yuan'],
      ['Research spending', '11.8 billion yuan'],
      ['Patent applications', '9,150'],
      ['Patents now granted', '3,870'],
      ['Incubated start-ups', '1,080'],
      ['Doctoral researchers', '9,600'],
      ['Technology contracts', '24.6 billion yuan'],
      ['Solar panel capacity', '210 megawatts'],
      ['Monitoring stations', '64'],
    ];
    const bytes = await drawPdf([
      rows.flatMap(([label, value], index) => [
        { text: label, x: 60, y: 700 - index * 14 },
        { text: value, x: 330, y: 700 - index * 14 },
      ]),
    ]);
    expect((await extractPdfText(bytes)).lines).toEqual(rows.map(([label, value]) => `${label} ${value}`));
  });
});

describe('extractPdfText: page furniture', () => {
  it("drops a browser's print header (timestamp and title), footer URL and page numbers; keeps the body and its own title", async () => {
    const bodies = await Promise.all([1, 2, 3].map((page) => column(sentences(`page ${page}`, 5).join(' '), 66, 740, 460)));
    const pages = bodies.map((body, index) => [
      ...printed(index + 1, 3),
      ...(index === 0 ? [{ text: 'Some Title', x: 66, y: 780, size: 18, bold: true }] : []),
      ...body,
    ]);
    const calls: [number, number][] = [];
    const { lines, pages: count } = await extractPdfText(await drawPdf(pages), (page, total) => calls.push([page, total]));
    expect(count).toBe(3);
    expect(calls).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(lines).toEqual(['Some Title', '', ...bodies.flatMap((body, index) => [...(index ? [''] : []), ...body.map((line) => line.text)])]);
  });

  it("drops the print header and footer of a one-page document too, not the article's own dateline", async () => {
    const dateline = { text: '2024-01-19 10:55:04 Source: China News Service', x: 66, y: 790 };
    const body = await column(sentences('single', 3).join(' '), 66, 762, 460);
    const { lines } = await extractPdfText(await drawPdf([[...printed(1, 1), dateline, ...body]]));
    expect(lines).toEqual([dateline.text, '', ...body.map((line) => line.text)]);
  });

  it('drops "Page 2 of 3" and "- 2 -" page numbers, keeps a number alone in the body', async () => {
    const bodies = await Promise.all([1, 2, 3].map((page) => column(sentences(`page ${page}`, 4).join(' '), 66, 760, 460)));
    const pages = bodies.map((body, index) => [
      { text: `- ${index + 1} -`, x: 290, y: HEIGHT - 30 },
      ...body,
      { text: '2023', x: 66, y: 400 },
      { text: `Page ${index + 1} of 3`, x: 270, y: 30 },
    ]);
    const { lines } = await extractPdfText(await drawPdf(pages));
    expect(lines).toEqual(bodies.flatMap((body, index) => [...(index ? [''] : []), ...body.map((line) => line.text), '', '2023']));
    // On a single page nothing recurs: the patterns alone identify them.
    const single = [{ text: '- 1 -', x: 290, y: HEIGHT - 30 }, ...bodies[0], { text: 'Page 1 of 1', x: 270, y: 30 }];
    expect((await extractPdfText(await drawPdf([single]))).lines).toEqual(bodies[0].map((line) => line.text));
  });

  it('drops a running header that recurs on half the pages or more (digits aside), keeps the first page’s title', async () => {
    const bodies = await Promise.all([1, 2, 3, 4].map((page) => column(sentences(`page ${page}`, 3).join(' '), 66, 740, 460)));
    const pages = bodies.map((body, index) => [
      // Odd and even pages carry different running headers, as in a printed book.
      { text: index % 2 ? `Chapter ${index + 1}: Results` : 'Fenghe Annual Report 2023', x: 66, y: HEIGHT - 40, size: 9 },
      ...(index === 0 ? [{ text: 'The Fenghe Zone in 2023', x: 66, y: 775, size: 18, bold: true }] : []),
      ...body,
      { text: 'Fenghe High-Tech Zone Management Committee', x: 66, y: 40, size: 9 },
    ]);
    const { lines } = await extractPdfText(await drawPdf(pages));
    expect(lines).toEqual(['The Fenghe Zone in 2023', '', ...bodies.flatMap((body, index) => [...(index ? [''] : []), ...body.map((line) => line.text)])]);
  });

  it('keeps a line at the top of one page only when it recurs nowhere else (a two-page document)', async () => {
    const bodies = await Promise.all([1, 2].map((page) => column(sentences(`page ${page}`, 3).join(' '), 66, 740, 460)));
    const pages = bodies.map((body, index) => [...(index === 0 ? [{ text: 'Notice on Science Parks', x: 66, y: 800, size: 9 }] : []), ...body]);
    const { lines } = await extractPdfText(await drawPdf(pages));
    expect(lines[0]).toBe('Notice on Science Parks');
  });
});

describe('extractPdfText: unreadable files', () => {
  const reason = async (bytes: Uint8Array) => {
    const error: unknown = await extractPdfText(bytes).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UnreadableFileError);
    return (error as Error).message;
  };

  it('refuses garbage bytes and a corrupt PDF', async () => {
    expect(await reason(Buffer.from('this is not a PDF at all, just some text'))).toMatch(/not a readable PDF \(not a PDF file/);
    expect(await reason(Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage'))).toMatch(/not a readable PDF \(corrupt/);
  });

  it('refuses a password-protected PDF', async () => {
    expect(await reason(encryptedPdf('secret', 'Confidential figures'))).toBe('PDF is password-protected');
  });

  it('the hand-written encrypted PDF is genuine: it opens with its password, and one with an empty user password is read', async () => {
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const document = await pdfjs.getDocument({ data: encryptedPdf('secret', 'Confidential figures'), password: 'secret', verbosity: 0 }).promise;
    const content = await (await document.getPage(1)).getTextContent();
    expect(content.items.map((item) => ('str' in item ? item.str : '')).join('')).toBe('Confidential figures');
    await document.destroy();
    expect((await extractPdfText(encryptedPdf('', 'Open figures'))).lines).toEqual(['Open figures']);
  });

  it('refuses a PDF without a text layer', async () => {
    const pdf = await PDFDocument.create();
    pdf.addPage([WIDTH, HEIGHT]).drawRectangle({ x: 50, y: 50, width: 200, height: 100, color: rgb(0.2, 0.4, 0.6) });
    expect(await reason(await pdf.save())).toBe('PDF has no text layer (scanned images need OCR first)');
  });
});

// Hand-written PDFs.

function handPdf(objects: (string | Buffer)[], trailer: string): Uint8Array {
  const chunks = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0].length;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${index + 1} 0 obj\n`),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n'),
    ]);
    chunks.push(chunk);
    length += chunk.length;
  });
  const xref = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  const tail = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailer} >>\nstartxref\n${length}\n%%EOF\n`;
  return new Uint8Array(Buffer.concat([...chunks, Buffer.from(tail)]));
}

function stream(data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
  return Buffer.concat([Buffer.from(`<< /Length ${bytes.length} >>\nstream\n`), bytes, Buffer.from('\nendstream')]);
}

const PAGE_TREE = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>'];

/** The standard security handler, revision 2 (RC4, 40-bit key), as in the PDF 1.7 reference, algorithms 3.1–3.4. */
function encryptedPdf(userPassword: string, text: string): Uint8Array {
  const padding = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
  const pad = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), padding]).subarray(0, 32);
  const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const id = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44);
  const owner = rc4(md5(pad('owner-secret')).subarray(0, 5), pad(userPassword));
  const key = md5(pad(userPassword), owner, permissions, id).subarray(0, 5);
  const user = rc4(key, padding);
  // Streams are encrypted with a key made from the file key and the object's number (4) and generation (0).
  const content = rc4(md5(key, Buffer.from([4, 0, 0, 0, 0])).subarray(0, 10), Buffer.from(`BT /F1 12 Tf 72 700 Td (${text}) Tj ET`));
  return handPdf(
    [
      ...PAGE_TREE,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      stream(content),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P -44 >>`,
    ],
    `/Encrypt 6 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>]`,
  );
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i] + key[i % key.length]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]) & 255;
    [s[i], s[j]] = [s[j], s[i]];
    out[k] = data[k] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}

/**
 * Chinese characters set one by one, `gap` points apart at 12 pt, alternating between two font resources so that
 * pdf.js gives each character as an item of its own (as browsers' PDFs do). The font is a CID font with no
 * embedded program; the text comes from its ToUnicode map.
 */
function hanPdf(chars: string, gap: number): Uint8Array {
  const codes = [...chars].map((char, index) => ({
    cid: (index + 1).toString(16).padStart(4, '0'),
    unicode: char.codePointAt(0)!.toString(16).padStart(4, '0'),
  }));
  // A space glyph is a third of an em wide, as in Chrome's PDFs; the others are an em (the font's default width).
  const spaces = codes.filter(({ unicode }) => unicode === '0020').map(({ cid }) => `${parseInt(cid, 16)} [333]`);
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Hand-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    `${codes.length} beginbfchar`,
    ...codes.map(({ cid, unicode }) => `<${cid}> <${unicode}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  let x = 72;
  const shows = codes.map(({ cid, unicode }, index) => {
    const show = `/F${(index % 2) + 1} 12 Tf 1 0 0 1 ${x} 700 Tm <${cid}> Tj`;
    x += (unicode === '0020' ? 4 : 12) + gap;
    return show;
  });
  return handPdf(
    [
      ...PAGE_TREE,
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 5 0 R >> >> >>',
      stream(`BT\n${shows.join('\n')}\nET`),
      '<< /Type /Font /Subtype /Type0 /BaseFont /HandHan /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
      `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /HandHan /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /W [${spaces.join(' ')}] /CIDToGIDMap /Identity >>`,
      stream(toUnicode),
      '<< /Type /FontDescriptor /FontName /HandHan /Flags 4 /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>',
    ],
    '',
  );
}
