import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalHashEmbeddings } from '../src/embeddings/index.js';
import { loadConfig } from '../src/config/index.js';
import { IndexSnapshot, reindex } from '../src/index/index.js';
import { loadMeaning, type Meaning } from '../src/meaning/index.js';
import { fuseRankings, retrieve } from '../src/retrieval/index.js';
import { queryTerms } from '../src/text/tokenize.js';
import { tempDir, writeFiles } from './support/corpus.js';

const embeddings = new LocalHashEmbeddings(384);
let snapshot: IndexSnapshot;
let cleanup: () => Promise<void>;

/** A library of the given files, indexed in a temporary folder and opened. */
async function indexLibrary(files: Record<string, string>): Promise<{ snapshot: IndexSnapshot; cleanup: () => Promise<void> }> {
  const temp = await tempDir();
  const docsDir = path.join(temp.dir, 'docs');
  await writeFiles(docsDir, files);
  await reindex({ docsDir, indexDir: path.join(temp.dir, 'index'), embeddings });
  return { snapshot: await IndexSnapshot.open(path.join(temp.dir, 'index')), cleanup: temp.cleanup };
}

beforeAll(async () => {
  ({ snapshot, cleanup } = await indexLibrary({
    'energy.txt':
      'Energy Note\n\nThe Solara program installed rooftop panels on 1,200 factories across the delta region.\n\nWind turbines along the coast supplied 14 percent of the grid.',
    'transfer.txt':
      'Transfer Note\n\nUniversities licensed 310 patents to local manufacturers, and researchers founded 45 spin-off companies.\n\nThe licensing office trains technology managers.',
    'zh.txt': '科技通知\n\n全市技术合同成交额达到86.4亿元，同比增长18%。\n\n新建孵化器三家。',
    'case.txt': 'Case Note\n\nThe ZX-9 reactor code name appears only here, with no other words in common.',
  }));
});
afterAll(async () => {
  snapshot.close();
  await cleanup();
});

function texts(results: { id: number }[]): string[] {
  return results.map(({ id }) => snapshot.passage(id)!.text);
}

describe('document frequencies read ahead', () => {
  it('are those counted on first use, for every term and for one no passage has', async () => {
    const terms = [...new Set(['rooftop', 'technolog', '技术', '成交', 'zx', 'absentterm', ...queryTerms('Universities licensed 310 patents')])];
    const counted = terms.map((term) => [term, snapshot.has(term), snapshot.idf(term)]);
    const dir = path.dirname(path.dirname(snapshot.databasePath));
    const ahead = await IndexSnapshot.open(dir);
    try {
      expect(await ahead.preloadFrequencies()).toBeGreaterThan(terms.length);
      expect(terms.map((term) => [term, ahead.has(term), ahead.idf(term)])).toEqual(counted);
      expect(counted.filter(([, has]) => has)).toHaveLength(terms.length - 1);
    } finally {
      ahead.close();
    }
  });
});

describe('lexical search (FTS5 BM25 over our terms)', () => {
  it('matches word forms, whatever their case', () => {
    const [first] = texts(snapshot.lexicalSearch(queryTerms('LICENSING of Patent'), 5));
    expect(first).toMatch(/licensed 310 patents/);
  });

  it('matches exact names and numbers, not substrings', () => {
    expect(texts(snapshot.lexicalSearch(queryTerms('zx-9'), 5))[0]).toMatch(/ZX-9/);
    expect(snapshot.lexicalSearch(queryTerms('1,200'), 5)).toHaveLength(1);
    expect(snapshot.lexicalSearch(queryTerms('200'), 5)).toHaveLength(0);
  });

  it('finds Chinese through words and character pairs, with finite scores', () => {
    const results = snapshot.lexicalSearch(queryTerms('技术合同成交额是多少'), 5);
    expect(texts(results)[0]).toContain('86.4亿元');
    expect(results.every(({ score }) => Number.isFinite(score) && score > 0)).toBe(true);
  });

  it('ranks by BM25: the rarer shared term wins', () => {
    const results = texts(snapshot.lexicalSearch(queryTerms('coast wind grid'), 5));
    expect(results[0]).toMatch(/Wind turbines along the coast/);
  });
});

describe('vector search (HNSW)', () => {
  it('finds the nearest passage by its vector, with cosine similarity as score', async () => {
    const results = snapshot.vectorSearch(await embeddings.embedQuery('rooftop solar panels on factories'), 3);
    expect(texts(results)[0]).toMatch(/rooftop panels/);
    expect(results[0].score).toBeGreaterThan(results[1].score);
    expect(results[0].score).toBeLessThanOrEqual(1);
  });

  it('returns no more results than there are passages', async () => {
    expect(snapshot.vectorSearch(await embeddings.embedQuery('anything'), 1000)).toHaveLength(snapshot.passageCount);
  });
});

describe('fusion', () => {
  it('sums weighted reciprocal ranks, so agreement between rankings wins', () => {
    const fused = fuseRankings([
      { ranking: [{ id: 1 }, { id: 2 }, { id: 3 }], weight: 1 },
      { ranking: [{ id: 3 }, { id: 2 }], weight: 1 },
    ]);
    // 3: 1/63 + 1/61, 2: 1/62 + 1/62, 1: 1/61 alone.
    expect(fused.map(({ id }) => id)).toEqual([3, 2, 1]);
    expect(fused[1].score).toBeCloseTo(2 / 62, 10);
    expect(fused[2].score).toBeCloseTo(1 / 61, 10);
  });

  it('lets a lighter ranking break ties without overriding the heavier one', () => {
    const fused = fuseRankings([
      { ranking: [{ id: 1 }, { id: 2 }], weight: 1 },
      { ranking: [{ id: 2 }, { id: 1 }], weight: 0.5 },
    ]);
    expect(fused.map(({ id }) => id)).toEqual([1, 2]);
  });

  it('retrieves passages with their document metadata, best first', async () => {
    const results = await retrieve(snapshot, embeddings, 'How many spin-off companies did researchers found?', { k: 3 });
    expect(results[0]).toMatchObject({ docId: 'transfer.txt', meta: { title: 'Transfer Note' } });
    expect(results[0].text).toMatch(/45 spin-off companies/);
    expect(results.map((r) => r.score)).toEqual([...results.map((r) => r.score)].sort((a, b) => b - a));
  });

  it('keeps where each passage stood in each ranking it was fused from, for the answerer to weigh', async () => {
    const results = await retrieve(snapshot, embeddings, 'How many spin-off companies did researchers found?', { k: 3 });
    expect(results[0].ranks).toMatchObject({ fused: 0, lexical: 0, translation: null });
    expect(results[0].ranks?.vector).toEqual(expect.any(Number));
    const fused = results.map((r) => r.ranks!.fused);
    expect(fused).toEqual([...fused].sort((a, b) => a - b));
  });
});

describe('a question about a place', () => {
  let placeSnapshot: IndexSnapshot;
  let meaning: Meaning;
  let placeCleanup: () => Promise<void>;

  beforeAll(async () => {
    // Ten short releases about Chengdu's contracts, each saying 技术合同 again and again, and one long review of Xi'an's year.
    const chengdu = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `chengdu-${i}.txt`,
        `成都技术合同通报${i}\n\n成都市技术合同成交额达到${100 + i}亿元，技术合同登记数量增长${i}%，技术合同交易活跃，技术合同服务机构增加。`,
      ]),
    );
    ({ snapshot: placeSnapshot, cleanup: placeCleanup } = await indexLibrary({
      ...chengdu,
      'xian-review.txt':
        '西安市政府工作报告\n\n过去一年，全市经济运行稳中向好，新建5G基站一万座，城市更新项目开工两百个，' +
        '文化旅游接待游客三亿人次，科技成果转化加快，全市技术合同成交额达到3800亿元，高新技术企业突破一万家，' +
        '民生实事全部完成，生态环境持续改善。',
    }));
    meaning = await loadMeaning(loadConfig({}).meaningCacheDir);
  });
  afterAll(async () => {
    placeSnapshot.close();
    await placeCleanup();
  });

  it("puts the passages of documents about that place first, ahead of another city's more numerous ones", async () => {
    const passages = await retrieve(placeSnapshot, embeddings, '西安技术合同成交额是多少？', { k: 3, meaning });
    expect(passages[0].docId).toBe('xian-review.txt');
  });
});
