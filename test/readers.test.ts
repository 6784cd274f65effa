import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyFileLoader, scanDocuments, splitIntoPassages, UnreadableFileError } from '../src/documents/index.js';
import { findDateline } from '../src/documents/dateline.js';
import { paragraphsFromText } from '../src/documents/paragraphs.js';
import { splitSentences } from '../src/text/sentences.js';
import { isFragment } from '../src/text/fragments.js';
import { loadFrom, makeDocx, makePdf, tempDir, writeFiles } from './support/corpus.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const load = (relative: string) => loadFrom(dir, relative);

const texts = (text: string) => paragraphsFromText(text).map((block) => block.text);

describe('paragraphs rebuilt from wrapped lines', () => {
  const wrapped = [
    'The Innovation Promotion Center Alliance was founded by thirteen member',
    'centers in the province. Its members share laboratories, testing equipment',
    'and a pool of technology managers, and they agreed on ten initiatives for',
    'the transfer of research results to market projects during the first year.',
    '',
    'The alliance will also train certified technology managers so that every',
    'university has at least one on its staff by the end of the coming year,',
    'according to the plan published by the provincial science department.',
  ];

  it('joins a hard-wrapped text into its paragraphs, and quotes whole sentences from it', () => {
    const blocks = texts(wrapped.join('\n'));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(/^The Innovation .* first year\.$/);
    const sentences = blocks.flatMap((block) => splitSentences(block));
    expect(sentences).toContain(
      'Its members share laboratories, testing equipment and a pool of technology managers, and they agreed on ten initiatives for the transfer of research results to market projects during the first year.',
    );
    expect(sentences.filter(isFragment)).toEqual([]);
  });

  it('judges a filled line by the line itself, not by the paragraph it joined', () => {
    const blocks = texts(
      [...wrapped, 'The plan was adopted by the provincial government after a review of all', 'the proposals', 'Annex One lists the member centers.'].join(
        '\n',
      ),
    );
    expect(blocks.at(-2)).toMatch(/after a review of all the proposals$/);
    expect(blocks.at(-1)).toBe('Annex One lists the member centers.');
  });

  it('joins across the blank line some scrapes put after every wrapped line, but keeps the paragraphs apart', () => {
    const spaced = wrapped.map((line) => (line ? `${line}\n` : '\n\n')).join('\n');
    expect(texts(spaced)).toEqual(texts(wrapped.join('\n')));
  });

  it('rejoins a word hyphenated at a line end, and keeps a compound hyphen', () => {
    const blocks = texts(
      [
        'The zone supports innovation in every district and rewards technology-',
        'based firms for their inno-',
        'vation with grants from the provincial fund of the science department.',
      ].join('\n'),
    );
    expect(blocks).toEqual([
      'The zone supports innovation in every district and rewards technology-based firms for their innovation with grants from the provincial fund of the science department.',
    ]);
  });

  it('joins a lower-case line to one that ends in an abbreviation or a semicolon', () => {
    expect(texts('The turnover reached 794.75 billion yuan (about 114.28 billion U.S.\ndollars) in 2022.')).toEqual([
      'The turnover reached 794.75 billion yuan (about 114.28 billion U.S. dollars) in 2022.',
    ]);
    expect(texts('You may publish an appropriate copyright notice;\nkeep intact all notices of the absence of any warranty.')).toHaveLength(1);
    expect(texts('The zone opened a lab.\nThe park added 12 firms.')).toHaveLength(2);
  });

  it('joins Chinese lines without a space', () => {
    const blocks = texts(['2023年全省技术合同成交额达到4120.76亿元，', '同比增长35%，继续保持全国前列。'].join('\n'));
    expect(blocks).toEqual(['2023年全省技术合同成交额达到4120.76亿元，同比增长35%，继续保持全国前列。']);
  });

  it('joins Chinese prose cut before its end mark, but not a title', () => {
    expect(texts('2021年上半年,全省共登记技术合同21198项,合同成交额981.77亿元,同比增\n长57.53%。其中技术服务合同成交额661.21亿元。')).toEqual([
      '2021年上半年,全省共登记技术合同21198项,合同成交额981.77亿元,同比增长57.53%。其中技术服务合同成交额661.21亿元。',
    ]);
    expect(texts('湖北技术合同成交额破3000亿元\n中新网武汉2月2日电 记者2日从湖北省科技厅获悉。')).toHaveLength(2);
  });

  it('keeps headings, list items, numbered articles and clauses, table rows and standalone lines as lines', () => {
    const blocks = paragraphsFromText(
      [
        '第五条 国家鼓励研究开发机构、高等院校采取转让、许可或者作价投资等方式，向企业转移科技成果。',
        '（一）科技成果转化的收益分配；',
        '（二）技术经理人的培训；',
        '4.1.2. Transfer offices report every quarter',
        '(a) the number of licences granted',
        '- a seed fund',
        'Region    2022    2023',
        'Xixian    35      41',
        '',
        'Key figures',
        '',
        'The park added 12 firms.',
      ].join('\n'),
    );
    expect(blocks.map((block) => block.kind)).toEqual(['paragraph', 'item', 'item', 'item', 'item', 'item', 'row', 'row', 'paragraph', 'paragraph']);
    expect(blocks[8].text).toBe('Key figures');
  });

  it('does not join a title to the line under it', () => {
    expect(texts('中华人民共和国著作权法\n\n1990年9月7日 第七届全国人民代表大会常务委员会第十五次会议通过')).toHaveLength(2);
    expect(texts('Data from the high-tech zone\nUpdated: 2023-01-19')).toHaveLength(2);
  });
});

describe('readers, one per format', () => {
  it('reads a Markdown file with a parser: headings, lists, tables, links, emphasis and code', async () => {
    await writeFiles(dir, {
      'plan.md': [
        '---',
        'title: The Plan',
        '---',
        'Plan Title',
        '==========',
        '',
        'The plan is *ambitious* and **funded**: see [the annex](https://example.org/annex) and `code words`.',
        '',
        '![a chart](chart.png)',
        '',
        '## Measures',
        '',
        '1. A seed fund',
        '2. Shared workshops',
        '',
        '| Region | Firms |',
        '| --- | --- |',
        '| Xixian | 41 |',
        '',
        '```js',
        'var hidden = 1;',
        '```',
      ].join('\n'),
    });
    const doc = await load('plan.md');
    expect(doc.meta.title).toBe('The Plan');
    expect(doc.text).toBe(
      [
        '# Plan Title',
        '',
        'The plan is ambitious and funded: see the annex and code words.',
        '',
        '# Measures',
        '',
        '1. A seed fund\n2. Shared workshops',
        '',
        'Region | Firms\nXixian | 41',
      ].join('\n'),
    );
  });

  it('reads the article of a web page with Readability: no navigation, crumbs, share bar or footer', async () => {
    const paragraph = (n: number) =>
      `<p>Paragraph ${n} of the release says that the high-tech zone registered many new technology enterprises this year, and that the provincial government will keep supporting research institutes, universities and firms in the zone.</p>`;
    await writeFiles(dir, {
      'page.html': `<!doctype html><html lang="en"><head><title>Zone news</title><meta property="og:title" content="Zone registers new firms">
        <meta property="article:published_time" content="2024-03-27T08:00:00Z"></head><body>
        <header><a href="/">Home</a> &gt; <a href="/news">News</a></header>
        <nav><ul><li><a href="/a">About us</a></li><li><a href="/b">Contact</a></li></ul></nav>
        <div class="share-bar"><a>Share on WeChat</a><a>Print</a></div>
        <article><h1>Zone registers new firms</h1>${[1, 2, 3, 4, 5].map(paragraph).join('')}
        <ul><li>First measure of the plan</li><li>Second measure of the plan</li></ul>
        <table><tr><th>Year</th><th>Firms</th></tr><tr><td>2023</td><td>545</td></tr></table></article>
        <aside class="related"><a>Related: another story about weather</a></aside>
        <footer>Copyright 2024 Zone Committee. All rights reserved. Cookie notice: we use cookies.</footer>
        </body></html>`,
    });
    const doc = await load('page.html');
    expect(doc.meta).toMatchObject({ title: 'Zone registers new firms', date: '2024-03-27', language: 'en' });
    expect(doc.text).toContain('Paragraph 5 of the release');
    expect(doc.text).toContain('- First measure of the plan\n- Second measure of the plan');
    expect(doc.text).toContain('Year | Firms\n2023 | 545');
    for (const furniture of ['About us', 'Contact', 'WeChat', 'weather', 'Cookie', 'Home']) expect(doc.text).not.toContain(furniture);
  });

  it('refuses a web page of scripts only, with its reason', async () => {
    await writeFiles(dir, { 'scripts.html': '<html><head><script>var a = 1;</script></head><body><script>document.write("x")</script></body></html>' });
    await expect(load('scripts.html')).rejects.toThrow(/no readable text/);
  });

  it('reads a Word file with mammoth: headings and list items kept, title and date from its core properties', async () => {
    await writeFiles(dir, {
      'report.docx': await makeDocx(
        [
          { heading: 1, text: 'Annual report of the zone' },
          'The zone registered 545 national high-tech enterprises in 2023.',
          { heading: 2, text: 'Measures' },
          { bullet: 'A seed fund for new labs' },
          { bullet: 'Shared prototyping workshops' },
        ],
        { title: 'Zone annual report', created: '2024-01-15' },
      ),
    });
    const doc = await load('report.docx');
    expect(doc.meta.title).toBe('Zone annual report');
    expect(doc.meta.date).toBe('2024-01-15');
    expect(doc.text).toContain('# Annual report of the zone');
    expect(doc.text).toContain('# Measures');
    expect(doc.text).toContain('- A seed fund for new labs\n- Shared prototyping workshops');
    const passages = splitIntoPassages(doc.text);
    expect(passages.find((p) => p.text.includes('seed fund'))?.heading).toBe('Measures');
  });

  it('skips a corrupt Word file, and one that expands to gigabytes, each with its reason', async () => {
    const docx = await makeDocx(['Text.']);
    // The central directory claims 3 GB for an entry: the reader refuses before inflating anything.
    const bomb = Buffer.from(docx);
    const directory = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(3_000_000_000, directory + 24);
    await writeFiles(dir, { 'broken.docx': Buffer.from('PK\u0003\u0004 not really a zip'), 'bomb.docx': bomb, 'old.doc': 'binary Word 97' });
    await expect(load('broken.docx')).rejects.toThrow(/not a readable Word file/);
    await expect(load('bomb.docx')).rejects.toThrow(/expands to more than/);
    const { ignored } = await scanDocuments(dir);
    expect(ignored).toEqual([{ file: 'old.doc', reason: 'unsupported format ".doc" (save as .docx or PDF)' }]);
  });

  it('feeds LangChain: a file as a Document with pageContent and metadata', async () => {
    await writeFiles(dir, { 'news/release-2024-03-27.txt': 'Zone news\n\nThe park added 12 firms.' });
    const [document] = await new PolicyFileLoader(path.join(dir, 'news/release-2024-03-27.txt'), dir).load();
    expect(document.pageContent).toContain('The park added 12 firms.');
    expect(document.metadata).toMatchObject({ source: 'news/release-2024-03-27.txt', title: 'Zone news', date: '2024-03-27' });
  });

  it('reads a 50 MB text file', async () => {
    const line = 'The zone registered new technology enterprises and opened new laboratories this year.\n\n';
    await fs.writeFile(path.join(dir, 'big.txt'), line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
    const doc = await load('big.txt');
    expect(doc.text.length).toBeGreaterThan(40 * 1024 * 1024);
  });
});

describe('the right date', () => {
  it('reads datelines in English and Chinese', () => {
    expect(findDateline("Zone news\nXI'AN, China, March 21, 2022 /PRNewswire/ -- The zone")).toBe('2022-03-21');
    expect(findDateline('March 24, 2023 /Xinhua=KYODO JBN/ - Hainan')).toBe('2023-03-24');
    expect(findDateline('湖北技术合同成交额破3000亿元\n2023年1月31日 来源：湖北日报')).toBe('2023-01-31');
    expect(findDateline('Title\n2020-01-10 10:42 Source: Xinhua')).toBe('2020-01-10');
    expect(findDateline('Friday, May 21 2021 - 19:01')).toBe('2021-05-21');
  });

  it('takes no date from a nonsense or partial dateline', () => {
    expect(findDateline('February 30, 2023 /Wire/')).toBeNull();
    expect(findDateline('On May 17, the two bodies began work.')).toBeNull();
    expect(findDateline('In 2022, the zone grew.')).toBeNull();
    expect(findDateline('March 3, 2197 /Wire/')).toBeNull();
  });

  it('prefers a dateline to the date a PDF was printed, and uses the print date only when nothing else says', async () => {
    const printed = async (body: string[]) => {
      const pdf = await makePdf(body, 'Zone news');
      // pdf-lib stamps the creation date now: the day the page was "printed".
      return pdf;
    };
    await writeFiles(dir, {
      'release.pdf': await printed(['Zone news', 'XIAN, China, March 21, 2022 /PRNewswire/ -- The zone opened a new lab.']),
      'undated.pdf': await printed(['Zone news', 'The zone opened a new lab.']),
    });
    expect((await load('release.pdf')).meta.date).toBe('2022-03-21');
    expect((await load('undated.pdf')).meta.date).toBe(new Date().toISOString().slice(0, 10));
  });

  it('ignores a sidecar date no one can read, falling back to the dateline', async () => {
    await writeFiles(dir, {
      'a.txt': 'Zone news\nMarch 24, 2023 /Wire/ -- The zone opened a lab.',
      'a.txt.meta.json': '{"date": "sometime soon"}',
    });
    expect((await load('a.txt')).meta.date).toBe('2023-03-24');
  });
});

describe('page furniture', () => {
  it('leaves out crumbs before the title and share or print toolbars', async () => {
    await writeFiles(dir, {
      'page.html': `<html><head><title>Zone opens new lab</title></head><body><p>govt.example.com.cn</p><p>News and Policies</p>
        <p>Zone opens new lab</p><p>Updated: Dec 18, 2020 example.com.cn Print</p><p>Share - WeChat</p>
        <p>The zone opened a new laboratory for sensor chips on Monday, its committee said.</p></body></html>`,
    });
    const doc = await load('page.html');
    expect(doc.text).toBe('Zone opens new lab\n\nThe zone opened a new laboratory for sensor chips on Monday, its committee said.');
    expect(doc.meta.date).toBe('2020-12-18');
  });

  it('leaves out a line of breadcrumbs wherever it stands, in English and Chinese', async () => {
    await writeFiles(dir, {
      'crumbs.txt':
        'Zone opens new lab\n\nYou are here: Home > Business > Regional\n\n当前位置:首页 > 新闻资讯 > 开发区新闻\n\nThe zone opened a laboratory, its committee said.',
    });
    expect((await load('crumbs.txt')).text).toBe('Zone opens new lab\n\nThe zone opened a laboratory, its committee said.');
  });

  it('names a file from which nothing readable is left', async () => {
    await writeFiles(dir, { 'bar.txt': 'Share | Print\n\nexample.com.cn' });
    const error = await load('bar.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableFileError);
    expect((error as Error).message).toMatch(/page furniture only/);
  });
});

describe('fragments', () => {
  it('tells a fragment from a sentence', () => {
    expect(isFragment('component.')).toBe(true);
    expect(isFragment('In 2022, the number of new technology-based enterprises in Xixian New Area was')).toBe(true);
    expect(isFragment('2023年全省技术合同成交额达到4120.76亿元，同比增长')).toBe(true);
    expect(isFragment('The zone registered 545 firms.')).toBe(false);
    expect(isFragment('2023年全省技术合同成交额达到4120.76亿元。')).toBe(false);
    expect(isFragment('Key figures')).toBe(false);
  });
});
