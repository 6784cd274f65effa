/**
 * One copy of a release: near-duplicate documents found by MinHash, grouped under a canonical copy, cited once
 * (with the other copies named), listed under it, their figures merged, and regrouped by every reindex.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteKey } from '../src/answering/citations.js';
import { checkAnswer } from '../src/answering/checks.js';
import { readCandidates } from '../src/answering/candidates.js';
import { decide, ExtractiveAnswerer } from '../src/answering/extractive.js';
import { loadAnswerModel, prepareModel } from '../src/answering/model.js';
import { restates } from '../src/answering/restatements.js';
import { LlmAnswerer } from '../src/answering/llm.js';
import type { Answer, AnswerContext, RetrievedPassage } from '../src/answering/types.js';
import { presentAnswer, presentSources } from '../src/bot/present.js';
import { formatSummary } from '../src/cli/progress.js';
import { loadDocument, scanDocuments } from '../src/documents/index.js';
import {
  compareCopies,
  documentSignature,
  DUPLICATE_TUNING,
  estimatedJaccard,
  findCopyGroups,
  signatureFromBytes,
  signatureToBytes,
  type DuplicateCandidate,
} from '../src/documents/duplicates.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { openEngine, type Engine } from '../src/engine/index.js';
import { toJson } from '../src/figures/format.js';
import { reindex, type ReindexSummary } from '../src/index/index.js';
import { releaseFiles, releases } from './support/releases.js';
import { tempDir, writeFiles } from './support/corpus.js';
import { testConfig } from './support/engine.js';
import { startOpenAiServer } from './support/openai-server.js';

const PLAIN: string = releaseFiles.plain.name;
const HTML: string = releaseFiles.html.name;
const REWORDED: string = releaseFiles.reworded.name;
const PREVIOUS_YEAR: string = releaseFiles.previousYear.name;

/** The signatures of the documents of a folder, as the reindex computes them. */
async function candidates(docsDir: string): Promise<DuplicateCandidate[]> {
  const { files } = await scanDocuments(docsDir);
  return Promise.all(
    files.map(async (file) => {
      const doc = await loadDocument(file);
      return { id: doc.id, meta: doc.meta, signature: documentSignature(doc.text) };
    }),
  );
}

function signatureOf(all: DuplicateCandidate[], id: string): Uint32Array {
  return all.find((candidate) => candidate.id === id)!.signature!;
}

/** No two citations quote the same sentence, and no sentence of the answer's quotes comes twice. */
function expectNoRepeatedQuote(answer: Answer): void {
  const quotes = answer.citations.map((citation) => quoteKey(citation.quote));
  expect(new Set(quotes).size).toBe(quotes.length);
  for (const quote of quotes) expect(quoteKey(answer.answer).split(quote).length - 1).toBe(1);
}

describe('finding copies of a release', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let all: DuplicateCandidate[];
  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeFiles(dir, releases('plain', 'html', 'reworded', 'previousYear'));
    all = await candidates(dir);
  });
  afterAll(() => cleanup());

  it('groups the plain, the reformatted HTML and the reworded copy, canonical first, and not the previous year release', () => {
    expect(findCopyGroups(all)).toEqual([{ canonical: PLAIN, copies: [HTML, REWORDED] }]);
    const { threshold } = DUPLICATE_TUNING;
    expect(estimatedJaccard(signatureOf(all, PLAIN), signatureOf(all, REWORDED))).toBeGreaterThanOrEqual(threshold);
    expect(estimatedJaccard(signatureOf(all, PLAIN), signatureOf(all, HTML))).toBeGreaterThanOrEqual(threshold);
    for (const copy of [PLAIN, HTML, REWORDED]) expect(estimatedJaccard(signatureOf(all, PREVIOUS_YEAR), signatureOf(all, copy))).toBeLessThan(threshold / 2);
  });

  it('finds a copy whatever its position in the library, and nothing among different releases', () => {
    const reversed = [...all].reverse();
    expect(findCopyGroups(reversed)).toEqual([{ canonical: PLAIN, copies: [HTML, REWORDED] }]);
    expect(findCopyGroups(all.filter((candidate) => candidate.id !== HTML && candidate.id !== REWORDED))).toEqual([]);
  });

  it('shingles Chinese by characters: an e-paper copy with its page furniture is found, another release of the agency is not', () => {
    const release = [
      '新华社河湾1月15日电 河湾市科学技术局15日发布,2024年全市登记技术合同18420项,成交额963亿元,同比增长21.4%。',
      '其中,高校与本地制造企业之间的技术合同成交额首次超过一半。市级成果转化资金12亿元支持本地实验室340项技术开展首次试验。',
      '市科学技术局局长林海燕说,河湾将继续降低中小企业把科研成果转化为产品的成本,年内再建设4个技术转移中心。',
    ];
    const epaper = [
      '第A02版:要闻 上一版 下一版',
      '首页 | 电子报首页 | 版面导航',
      ...release,
      '上一篇 下一篇 放大 缩小 默认',
      '河湾日报社版权所有,未经书面授权不得复制或建立镜像',
    ];
    const other = [
      '新华社河湾1月17日电 河湾市科学技术局17日发布,2023年全市登记技术合同15030项,成交额793亿元,同比增长12.8%。',
      '其中,高校与本地制造企业之间的技术合同成交额占46%。市级成果转化资金8亿元支持本地实验室210项技术开展首次试验。',
      '市科学技术局局长林海燕说,加快合同登记和专利收益分享新规将帮助科研人员与企业合作。',
    ];
    const meta = (title: string) => ({ title, date: null, url: null, publisher: null });
    const groups = findCopyGroups([
      { id: 'xinhua.txt', meta: meta('河湾技术市场创新高'), signature: documentSignature(release.join('\n')) },
      { id: 'epaper.html', meta: meta('河湾技术市场创新高'), signature: documentSignature(epaper.join('\n')) },
      { id: 'last-year.txt', meta: meta('河湾技术市场稳步增长'), signature: documentSignature(other.join('\n')) },
    ]);
    expect(groups).toEqual([{ canonical: 'epaper.html', copies: ['xinhua.txt'] }]);
  });

  it('chooses the canonical copy by metadata present, then the earliest date, then the id; a title from the file name does not count', () => {
    const doc = (id: string, meta: Partial<DuplicateCandidate['meta']>): DuplicateCandidate => ({
      id,
      meta: { title: 'A title', date: null, url: null, publisher: null, ...meta },
      signature: null,
    });
    const order = (docs: DuplicateCandidate[]) => [...docs].sort(compareCopies).map((candidate) => candidate.id);
    expect(order([doc('b.txt', { date: '2024-01-02' }), doc('a.txt', {}), doc('c.txt', { date: '2024-01-02', url: 'https://x.example' })])).toEqual([
      'c.txt',
      'b.txt',
      'a.txt',
    ]);
    expect(order([doc('b.txt', { date: '2024-01-02' }), doc('a.txt', { date: '2024-01-05' }), doc('c.txt', { date: '2024-01-02' })])).toEqual([
      'b.txt',
      'c.txt',
      'a.txt',
    ]);
    // "riverbend release" is only the file name spelled out: the copy with a date ranks first.
    expect(order([doc('riverbend-release.txt', { title: 'riverbend release' }), doc('z.txt', { title: 'Release', date: null })])).toEqual([
      'z.txt',
      'riverbend-release.txt',
    ]);
  });

  it('keeps a signature whole through a BLOB and a structured clone (postMessage), and gives no words no copies', () => {
    const signature = signatureOf(all, PLAIN);
    expect(signature).toHaveLength(DUPLICATE_TUNING.hashes);
    expect(signatureFromBytes(signatureToBytes(signature))).toEqual(signature);
    const cloned = structuredClone(signature);
    expect(cloned).toBeInstanceOf(Uint32Array);
    expect(cloned).toEqual(signature);
    const meta = { title: 't', date: null, url: null, publisher: null };
    expect(findCopyGroups([1, 2].map((i) => ({ id: `${i}.txt`, meta, signature: documentSignature('— … —') })))).toEqual([]);
  });
});

describe('answering over copies of a release', () => {
  let root: string;
  let cleanup: () => Promise<void>;
  let docsDir: string;
  let config: ReturnType<typeof testConfig>;
  let first: ReindexSummary;
  let engine: Engine;
  const reindexDocs = async () => reindex({ docsDir, indexDir: config.indexDir, embeddings: await createEmbeddings(config.embeddings) });

  beforeAll(async () => {
    ({ dir: root, cleanup } = await tempDir());
    docsDir = path.join(root, 'docs');
    await writeFiles(docsDir, releases('plain', 'html', 'reworded', 'previousYear'));
    config = testConfig(docsDir, path.join(root, 'index'));
    first = await reindexDocs();
    engine = await openEngine(config);
  });
  afterAll(async () => {
    await engine?.close();
    await cleanup();
  });

  it('lists each duplicate in the reindex summary as a copy of the canonical document', () => {
    expect(first.figures).toBe(engine.figures().size);
    expect(formatSummary(first).split('\n').slice(-2)).toEqual([`  duplicate: ${HTML}: copy of ${PLAIN}`, `  duplicate: ${REWORDED}: copy of ${PLAIN}`]);
    expect(first.duplicates).toEqual([
      { file: HTML, copyOf: PLAIN },
      { file: REWORDED, copyOf: PLAIN },
    ]);
    expect(engine.sources().map(({ id, copyOf }) => [id, copyOf])).toEqual([
      [REWORDED, PLAIN],
      [HTML, PLAIN],
      [PREVIOUS_YEAR, null],
      [PLAIN, null],
    ]);
  });

  it('cites the canonical copy once, naming the other two, and the other release apart', async () => {
    const answer = await engine.ask('How many technology brokers did the bureau train?');
    expect(answer.refused).toBe(false);
    const copies = answer.citations.filter((citation) => [PLAIN, HTML, REWORDED].includes(citation.source));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ source: PLAIN, quote: expect.stringContaining('1,560 technology brokers') });
    expect(copies[0].also.map((copy) => copy.source)).toEqual([HTML, REWORDED]);
    expect(copies[0].also[0]).toMatchObject({ url: 'https://portal.example.com/business/riverbend-record-contracts', publisher: null });
    const other = answer.citations.find((citation) => citation.source === PREVIOUS_YEAR);
    if (other) expect(other.also).toEqual([]);
    expectNoRepeatedQuote(answer);
  });

  it('never quotes a sentence twice and quotes the release from one copy, whatever the question', async () => {
    for (const question of [
      'How many technology contracts did Riverbend sign in 2024?',
      'What made up the largest share of the Riverbend technology market?',
      'How many technologies did the municipal fund pay trials for?',
      'What did Lin Haiyan, director of the bureau, say about small firms?',
      'How many contracts did small and medium-sized enterprises sign?',
    ]) {
      const answer = await engine.ask(question);
      expect(answer.refused, question).toBe(false);
      expectNoRepeatedQuote(answer);
      const copies = answer.citations.filter((citation) => [PLAIN, HTML, REWORDED].includes(citation.source));
      expect(copies, question).toHaveLength(1);
      expect(copies[0].also.map((copy) => copy.source).sort(), question).toEqual([PLAIN, HTML, REWORDED].filter((id) => id !== copies[0].source).sort());
    }
  });

  it('retrieves each text once: a copy’s passage is replaced by the canonical passage that carries it', async () => {
    const passages = await engine.retrieve('the municipal fund paid for the first trials of technologies developed in local laboratories', 8);
    expect(passages.filter((passage) => passage.docId === HTML)).toEqual([]);
    const fund = passages.filter((passage) => passage.text.includes('1.2 billion yuan paid for the first trials'));
    expect(fund.map((passage) => passage.docId)).toEqual([PLAIN]);
  });

  it('keeps a figure once with all the copies that state it, canonical first', () => {
    const figures = toJson(engine.figures().all()).figures;
    const turnover = figures.filter((figure) => figure.value === 96.3e9);
    expect(turnover).toHaveLength(1);
    expect(turnover[0]).toMatchObject({ source: { id: PLAIN }, sources: [PLAIN, HTML, REWORDED] });
    const previous = figures.find((figure) => figure.value === 79.3e9);
    expect(previous?.sources).toEqual([PREVIOUS_YEAR]);
    expect(figures.every((figure) => figure.sources[0] === figure.source.id)).toBe(true);
    // Every figure of the HTML copy is stated by the canonical copy too: none is listed on its own.
    expect(figures.filter((figure) => figure.source.id === HTML)).toEqual([]);
  });

  it('shows "also published by" in the bot and lists the copies under their canonical document in /sources', async () => {
    const answer = await engine.ask('How many technology brokers did the bureau train?');
    const fields = presentAnswer(answer, { builtAt: engine.indexInfo().builtAt }).flatMap((message) => message.embeds!.flatMap((embed) => embed.fields ?? []));
    const field = fields.find((candidate) => candidate.name.includes('Riverbend technology market sets a record'))!;
    // The copies have no publisher: the HTML page (dated, with its address: the better metadata) is named by its site, the reworded one by its title.
    expect(field.value).toContain('also published by portal.example.com, Riverbend signs a record number of technology contracts\n');

    const listing = presentSources(engine.sources(), engine.indexInfo())[0].embeds![0];
    const lines = listing.description!.split('\n');
    const canonical = lines.findIndex((line) => line.includes('Riverbend technology market sets a record in 2024'));
    expect(lines[canonical]).toMatch(/^• \*\*Riverbend technology market sets a record in 2024\*\*/);
    expect(lines.slice(canonical + 1, canonical + 3)).toEqual([
      expect.stringMatching(/^↳ copy: .*Riverbend signs a record/),
      expect.stringMatching(/^↳ copy: portal\.example\.com/),
    ]);
    expect(lines.filter((line) => line.startsWith('•'))).toHaveLength(2);
    expect(listing.title).toBe('Indexed documents (4, 2 of them copies of another)');
  });

  it('promotes another copy when an incremental reindex removes the canonical one', async () => {
    await fs.rm(path.join(docsDir, PLAIN));
    await fs.rm(path.join(docsDir, `${PLAIN}.meta.json`));
    const summary = await reindexDocs();
    expect(summary.removed).toEqual([PLAIN]);
    expect(summary.unchanged).toBe(3);
    expect(summary.duplicates).toEqual([{ file: REWORDED, copyOf: HTML }]);
    const promoted = await openEngine(config);
    try {
      expect(promoted.sources().find((source) => source.id === HTML)?.copyOf).toBeNull();
      const answer = await promoted.ask('How many technology brokers did the bureau train?');
      const copies = answer.citations.filter((citation) => [HTML, REWORDED].includes(citation.source));
      expect(copies).toHaveLength(1);
      expect(copies[0].source).toBe(HTML);
      expect(copies[0].also.map((copy) => copy.source)).toEqual([REWORDED]);
      expect(
        promoted
          .figures()
          .all()
          .find((figure) => figure.value === 96.3e9)?.sources,
      ).toEqual([HTML, REWORDED]);
    } finally {
      await promoted.close();
    }
  });
});

describe('a model-written answer over copies of a release', () => {
  it('cites the canonical copy once, naming the other two, as the extractive answer does', async () => {
    const server = await startOpenAiServer();
    const { dir, cleanup } = await tempDir();
    try {
      await writeFiles(path.join(dir, 'docs'), releases('plain', 'html', 'reworded', 'previousYear'));
      const config = testConfig(path.join(dir, 'docs'), path.join(dir, 'index'), { OPENAI_BASE_URL: server.baseURL, CHAT_TIMEOUT_MS: '2000' });
      const shown: string[] = [];
      // The model cites every source that states the figure.
      server.setDefaultChat((body) => {
        const sources: string = body.messages.at(-1).content;
        shown.push(sources);
        const citing = sources
          .split('<source n="')
          .flatMap((part, n) => (n > 0 && part.includes('1,560 technology brokers') ? [`[${n}]`] : []))
          .join('');
        return { text: `The bureau trained 1,560 technology brokers in 2024 ${citing}.` };
      });
      const engine = await openEngine(config, { answerer: new LlmAnswerer(config.chat!, new ExtractiveAnswerer(loadAnswerModel())) });
      try {
        const answer = await engine.ask('How many technology brokers did the bureau train in 2024?');
        expect(answer.mode).toBe('llm');
        // Each copy of the sentence reached the model once: the HTML and reworded copies' passages collapsed into the canonical one.
        expect(shown[0].split('The bureau trained 1,560 technology brokers').length - 1).toBe(1);
        expect(answer.citations).toHaveLength(1);
        expect(answer.citations[0]).toMatchObject({ n: 1, source: PLAIN });
        expect(answer.citations[0].also.map((copy) => copy.source)).toEqual([HTML, REWORDED]);
        expect(answer.answer).toBe('The bureau trained 1,560 technology brokers in 2024 [1].');
      } finally {
        await engine.close();
      }
    } finally {
      await cleanup();
      await server.close();
    }
  });
});

/** A retrieved passage of a document, ranked by its id. */
function passage(id: number, docId: string, text: string, extra: Partial<RetrievedPassage> = {}): RetrievedPassage {
  return {
    id,
    docId,
    meta: { title: `Title of ${docId}`, date: '2025-01-15', url: null, publisher: null, language: 'en' },
    heading: null,
    text,
    score: 1 / (id + 1),
    ranks: { fused: id, lexical: id, translation: null, vector: id },
    ...extra,
  };
}

describe('an extractive answer over passages of two copies', () => {
  const copyRef = (source: string) => ({ source, title: `Title of ${source}`, url: null, publisher: null });
  const corpus = { idf: () => 1, has: () => true, documentHas: () => true };
  const question = 'How many technology brokers did the bureau train?';

  it('quotes the canonical copy when its sentence does about as well as the copy ranked first, and only one of the two', async () => {
    const passages = [
      passage(0, 'copy.txt', 'The bureau trained 1,560 technology brokers during the year, the newswire reported.', {
        also: [copyRef('canonical.txt')],
        copyOf: 'canonical.txt',
      }),
      passage(1, 'canonical.txt', 'The bureau trained 1,560 technology brokers during the year.', { also: [copyRef('copy.txt')] }),
    ];
    const draft = await new ExtractiveAnswerer(loadAnswerModel()).answer({ question, standaloneQuestion: question, passages, history: [], corpus });
    expect(draft.citations.map((citation) => [citation.source, citation.also.map((copy) => copy.source)])).toEqual([['canonical.txt', ['copy.txt']]]);
  });
});

describe('no answer carries two citations with the same quote, whatever the grouping', () => {
  const sentence = 'The bureau trained 1,560 technology brokers during the year.';
  // Two documents that are not grouped as copies, both stating the sentence (white space and case differ).
  const passages = [
    passage(0, 'a.txt', `${sentence} It certified 210 of them.`),
    passage(1, 'b.txt', `THE BUREAU  trained 1,560 technology brokers during the year.`),
  ];

  it('in a model-written answer: the second citation merges into the first, and its marker with it', () => {
    const checked = checkAnswer('The bureau trained 1,560 technology brokers [1][2]. That was during the year [2].', passages);
    expect(checked.citations).toHaveLength(1);
    expect(checked.citations[0]).toMatchObject({ n: 1, source: 'a.txt', also: [{ source: 'b.txt', title: 'Title of b.txt' }] });
    expect(checked.text).toBe('The bureau trained 1,560 technology brokers [1]. That was during the year [1].');
  });

  it('in an extractive answer', async () => {
    const corpus = { idf: () => 1, has: () => true, documentHas: () => true };
    const context: AnswerContext = { question: 'How many technology brokers did the bureau train?', standaloneQuestion: '', passages, history: [], corpus };
    context.standaloneQuestion = context.question;
    const draft = await new ExtractiveAnswerer(loadAnswerModel()).answer(context);
    const quotes = draft.citations.map((citation) => quoteKey(citation.quote));
    expect(quotes.filter((quote) => quote.includes('1,560 technology brokers'))).toHaveLength(1);
    expect(new Set(quotes).size).toBe(quotes.length);
  });
});

describe('a statement another site reworded', () => {
  const original = 'The bureau trained 1,560 technology brokers in 2024, up from 1,200 the year before.';
  const reworded = 'In 2024 some 1,560 technology brokers were trained by the bureau, against 1,200 the year before.';

  it('is the same statement: the same numbers and most of the words', () => {
    expect(restates(original, reworded)).toBe(true);
    expect(restates(original, 'The bureau trained 1,420 technology brokers in 2023, up from 1,100 the year before.')).toBe(false);
    expect(restates(original, 'In 2024 the port handled 1,560 ships and 1,200 barges.')).toBe(false);
    expect(restates('The bureau trained technology brokers.', 'The bureau trained technology brokers.')).toBe(false);
  });

  it('is quoted once in an extractive answer, the other document listed under also', () => {
    const passages = [passage(0, 'a.txt', original), passage(1, 'b.txt', reworded)];
    const question = 'How many technology brokers did the bureau train in 2024?';
    const corpus = { idf: () => 1, has: () => true, documentHas: () => true };
    const set = readCandidates({ question, standaloneQuestion: question, passages, history: [], corpus });
    // Every sentence as likely as the other: without the rule both would be quoted, as a near tie.
    const even = prepareModel({
      features: ['sentence_coverage'],
      mean: [0],
      scale: [1],
      weights: [0],
      bias: 2,
      threshold: 0.5,
      composition: { followerRatio: 0.8, neighbourRatio: 0.6, nearTieRatio: 0.93 },
    });
    const draft = decide(set, even);
    expect(draft.citations).toHaveLength(1);
    expect(draft.citations[0].also.map((copy) => copy.source)).toEqual(['b.txt']);
  });
});
