import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanDocuments, splitIntoPassages, UnreadableFileError } from '../src/documents/index.js';
import { loadFrom, makePdf, tempDir, writeFiles } from './support/corpus.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const load = (relative: string) => loadFrom(dir, relative);

describe('scanning the docs folder', () => {
  it('finds supported files in nested folders with ids relative to the folder, and lists the rest as ignored', async () => {
    await writeFiles(dir, {
      'a.txt': 'Alpha.',
      'sub/deeper/b.md': '# B\n\nBeta.',
      'c.html': '<p>Gamma.</p>',
      'image.png': 'not a document',
      '.hidden/secret.txt': 'hidden',
      'a.txt.meta.json': '{"title":"A"}',
    });
    const { files, ignored } = await scanDocuments(dir);
    expect(files.map((f) => f.id)).toEqual(['a.txt', 'c.html', 'sub/deeper/b.md']);
    expect(files[0].sidecarMtimeMs).not.toBeNull();
    expect(ignored).toEqual([{ file: 'image.png', reason: 'unsupported file type ".png"' }]);
  });

  it('names a missing docs folder in one line', async () => {
    await expect(scanDocuments(path.join(dir, 'nope'))).rejects.toThrow(/docs folder not found: .*nope$/);
  });
});

describe('loaders', () => {
  it('reads plain text with metadata from a sidecar file', async () => {
    await writeFiles(dir, {
      'release.txt': 'Some Title Line\n\nThe body says something.',
      'release.txt.meta.json': JSON.stringify({ title: 'Sidecar Title', date: '2024-03-27', url: 'https://example.org/r', publisher: 'Office' }),
    });
    const doc = await load('release.txt');
    expect(doc.meta).toEqual({ title: 'Sidecar Title', date: '2024-03-27', url: 'https://example.org/r', publisher: 'Office', language: 'en' });
    expect(doc.text).toContain('The body says something.');
    expect(doc.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes the title from the first short line and the date from the file name when no metadata is given', async () => {
    await writeFiles(dir, { 'notes/brief-2023-11-02.txt': 'Quarterly Brief\n\nRevenue rose.' });
    const doc = await load('notes/brief-2023-11-02.txt');
    expect(doc.meta.title).toBe('Quarterly Brief');
    expect(doc.meta.date).toBe('2023-11-02');
  });

  it('reads Markdown front matter and strips Markdown syntax but keeps headings', async () => {
    await writeFiles(dir, {
      'plan.md': '---\ntitle: Action Plan\ndate: 2025-01-15\nurl: https://example.org/plan\n---\n# Goals\n\nWe **will** fund [labs](https://x.y) quickly.\n',
    });
    const doc = await load('plan.md');
    expect(doc.meta.title).toBe('Action Plan');
    expect(doc.meta.date).toBe('2025-01-15');
    expect(doc.meta.url).toBe('https://example.org/plan');
    expect(doc.text).toContain('# Goals');
    expect(doc.text).toContain('We will fund labs quickly.');
  });

  it('reads HTML text, title and date, without scripts or navigation', async () => {
    await writeFiles(dir, {
      'news.html': `<!doctype html><html lang="en"><head><title>Innovation &amp; Growth</title>
        <meta name="date" content="2024-05-06"><script>var x = "hidden script";</script></head>
        <body><nav>Home | About</nav><h1>Big news</h1><p>The park added 12 firms.</p><p>Second paragraph.</p></body></html>`,
    });
    const doc = await load('news.html');
    expect(doc.meta.title).toBe('Innovation & Growth');
    expect(doc.meta.date).toBe('2024-05-06');
    expect(doc.text).toContain('# Big news');
    expect(doc.text).toContain('The park added 12 firms.');
    expect(doc.text).not.toContain('hidden script');
    expect(doc.text).not.toContain('Home | About');
  });

  it('reads the text layer of a PDF, joining wrapped lines into paragraphs', async () => {
    const long =
      'The provincial fund invested 3.2 billion yuan in pilot laboratories, which is a long sentence that wraps across more than one line of the page for sure.';
    await writeFiles(dir, { 'report.pdf': await makePdf([long, 'A second paragraph follows.'], 'Annual Report') });
    const doc = await load('report.pdf');
    expect(doc.meta.title).toBe('Annual Report');
    expect(doc.text).toContain(long);
    expect(doc.text.split('\n\n')).toHaveLength(2);
  });

  it('reads Chinese text and detects its language', async () => {
    await writeFiles(dir, { 'zh/通知.txt': '关于促进科技成果转化的通知\n\n2023年全省技术合同成交额达到4120.76亿元，同比增长30%。' });
    const doc = await load('zh/通知.txt');
    expect(doc.meta.language).toBe('zh');
    expect(doc.meta.title).toBe('关于促进科技成果转化的通知');
  });

  it('reads a Latin-1 file with a warning instead of garbling or refusing it', async () => {
    await writeFiles(dir, { 'latin.txt': Buffer.from('Café policy: the région funds 5 labs.', 'latin1') });
    const doc = await load('latin.txt');
    expect(doc.text).toContain('Café policy: the région funds 5 labs.');
    expect(doc.warning).toMatch(/Latin-1/);
  });

  it.each([
    ['an empty file', 'empty.txt', Buffer.alloc(0), /empty file/],
    ['random bytes named .txt', 'random.txt', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256)), /not a text file/],
    ['a corrupt PDF', 'broken.pdf', Buffer.from('%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage'), /not a readable PDF|no text layer/],
    ['a whitespace-only file', 'blank.md', Buffer.from('   \n\n  '), /no readable text/],
  ])('refuses %s with a reason', async (_label, name, content, reason) => {
    await writeFiles(dir, { [name]: content });
    const error = await load(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as Error).message).toMatch(reason);
  });

  it('refuses a sidecar that is not a JSON object', async () => {
    await writeFiles(dir, { 'a.txt': 'Text.', 'a.txt.meta.json': '{not json' });
    await expect(load('a.txt')).rejects.toThrow(/a\.txt\.meta\.json is not a JSON object/);
  });
});

describe('splitting into passages', () => {
  it('keeps paragraphs as passages, under their heading, and joins a dateline to the next paragraph', () => {
    const passages = splitIntoPassages(
      '# Section One\n\nBy the Office\n\nFirst paragraph is here and it is long enough to stand as a passage of its own, surely.\n\n# Section Two\n\nSecond paragraph is here and it also is long enough to stand alone as its own passage.',
    );
    expect(passages).toEqual([
      { heading: 'Section One', text: 'By the Office\nFirst paragraph is here and it is long enough to stand as a passage of its own, surely.' },
      { heading: 'Section Two', text: 'Second paragraph is here and it also is long enough to stand alone as its own passage.' },
    ]);
  });

  it('cuts a long English paragraph at sentence boundaries', () => {
    const sentence = 'The committee approved forty-two new research projects in advanced materials this spring. ';
    const passages = splitIntoPassages(sentence.repeat(30));
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) {
      expect(passage.text.length).toBeLessThanOrEqual(900);
      expect(passage.text).toMatch(/spring\.$/);
    }
  });

  it('cuts a long Chinese paragraph at Chinese sentence ends', () => {
    const sentence = '全省技术合同成交额达到四千亿元，同比增长百分之三十，创历史新高。';
    const passages = splitIntoPassages(sentence.repeat(40));
    expect(passages.length).toBeGreaterThan(2);
    for (const passage of passages) expect(passage.text.endsWith('。')).toBe(true);
  });
});
