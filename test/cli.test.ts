import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readCurrentGeneration } from '../src/index/layout.js';
import { SAMPLE_DOCS_DIR, tempDir, writeFiles } from './support/corpus.js';
import { exited, startReindex, type ReindexProcess } from './support/processes.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
/** The scripts run as a user runs them, without a model configured (whatever a developer's .env says). */
const ENV = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', EMBEDDINGS_PROVIDER: '', FORCE_COLOR: '0' };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, 'scripts', `${script}.ts`), ...args],
      { cwd: ROOT, env: { ...ENV, ...env }, maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A failure is one `error:` line on stderr, exit code 1, and nothing that looks like a stack trace. */
function expectOneLineError(result: Run, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

let root: string;
let cleanup: () => Promise<void>;
let docs: string;
let index: string;

beforeAll(async () => {
  ({ dir: root, cleanup } = await tempDir());
  docs = path.join(root, 'docs');
  index = path.join(root, 'index');
  await fs.cp(SAMPLE_DOCS_DIR, docs, { recursive: true });
  const built = await run('reindex', ['--docs', docs, '--index', index]);
  expect(built.code).toBe(0);
});
afterAll(() => cleanup());

describe('ask', () => {
  it('prints a cited answer with its numbered sources', async () => {
    const result = await run('ask', ['--docs', docs, '--index', index, 'What did the three reforms allow researchers to do?']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[1\]/);
    expect(result.stdout).toMatch(/Sources:\n\[1\] .+\(\d{4}-\d{2}-\d{2}, English\) — xixian-new-area-sci-tech-2024-03-27\.txt\n {4}“.+”/);
  });

  it('prints one JSON object with --json', async () => {
    const result = await run('ask', ['--json', '--index', index, '--docs', docs, 'What share of all contracts were local technology utilization contracts?']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(Object.keys(answer)).toEqual(expect.arrayContaining(['question', 'answer', 'refused', 'mode', 'citations', 'timings_ms']));
    expect(answer.mode).toBe('extractive');
    expect(answer.citations[0]).toEqual({
      n: 1,
      source: 'xixian-new-area-sci-tech-2024-03-27.txt',
      title: expect.any(String),
      url: null,
      date: '2024-03-27',
      language: 'en',
      quote: expect.any(String),
      score: expect.any(Number),
      also: [],
    });
  });

  it.each([
    ['an empty question', ['   '], /question is empty/],
    ['a 10,000-character question', ['why'.repeat(3333) + '?'], /10000 characters long; the limit is 1000/],
    ['an unknown option', ['--bogus', 'question'], /Unknown option '--bogus'.*usage: npm run ask/],
  ])('refuses %s in one line', async (_label, args, pattern) => {
    expectOneLineError(await run('ask', ['--docs', docs, '--index', index, ...args]), pattern);
  });

  it('strips control characters from a question and still answers it', async () => {
    const result = await run('ask', ['--json', '--docs', docs, '--index', index, 'When was the \u0007Qinchuangyuan\u001b Platform launched?']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.question).toBe('When was the Qinchuangyuan Platform launched?');
    expect(answer.answer).toContain('2021');
  });

  it('answers a question in Chinese from an English release, quoting the English sentence', async () => {
    const result = await run('ask', ['--json', '--docs', docs, '--index', index, '秦创原平台是哪一年启动的？']);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.refused).toBe(false);
    expect(answer.citations[0].quote).toContain('In 2021, Shaanxi launched the Qinchuangyuan Platform');
  });

  it('names a missing docs folder in one line', async () => {
    expectOneLineError(await run('ask', ['--docs', path.join(root, 'no-such-folder'), 'What is this?']), /docs folder not found: .*no-such-folder/);
  });

  it('rebuilds a truncated index and answers', async () => {
    const { dir, cleanup: remove } = await tempDir();
    try {
      const copy = path.join(dir, 'index');
      await fs.cp(index, copy, { recursive: true });
      const generation = (await readCurrentGeneration(copy))!;
      await fs.truncate(path.join(copy, generation, 'vectors.hnsw'), 100);
      const result = await run('ask', ['--index', copy, '--docs', docs, 'How many member centers does the alliance have?']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('13 member centers');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await remove();
    }
  });
});

describe('ask while a reindex runs', () => {
  let reindexing: ReindexProcess | null = null;
  afterEach(async () => {
    if (!reindexing) return;
    if (reindexing.parent.exitCode === null && reindexing.parent.signalCode === null) process.kill(reindexing.pid, 'SIGKILL');
    await exited(reindexing.parent);
    reindexing = null;
  });

  it('answers from the serving index and says a newer one is being built', async () => {
    const { dir, cleanup: remove } = await tempDir();
    try {
      const [copyDocs, copyIndex] = [path.join(dir, 'docs'), path.join(dir, 'index')];
      await fs.cp(docs, copyDocs, { recursive: true });
      await fs.cp(index, copyIndex, { recursive: true });
      await writeFiles(copyDocs, { 'new-park.txt': 'Pine Ridge Park hosts 18 battery makers.' });
      reindexing = await startReindex(copyDocs, copyIndex, 60_000);
      const notice = `a reindex \\(pid ${reindexing.pid}, started [^)]+\\) of ${escapeRegExp(copyIndex)} is running; using the index built at \\S+ until it finishes`;

      const text = await run('ask', ['--docs', copyDocs, '--index', copyIndex, 'How many member centers does the alliance have?']);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('13 member centers');
      expect(text.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^note: ${notice}$`))]);

      const json = await run('ask', ['--json', '--docs', copyDocs, '--index', copyIndex, 'How many member centers does the alliance have?']);
      expect(json.code).toBe(0);
      const answer = JSON.parse(json.stdout);
      expect(answer.answer).toContain('13 member centers');
      expect(answer.index_notice).toMatch(new RegExp(`^${notice}$`));

      const figures = await run('figures', ['--docs', copyDocs, '--index', copyIndex, 'member centers']);
      expect(figures.code).toBe(0);
      expect(figures.stdout).toContain('13');
      expect(figures.stderr).toMatch(new RegExp(`^note: ${notice}\n$`));
    } finally {
      await remove();
    }
  });

  it('waits for a reindex building the first index, saying so, then answers', async () => {
    const { dir, cleanup: remove } = await tempDir();
    try {
      const fresh = path.join(dir, 'index');
      reindexing = await startReindex(docs, fresh, 5_000);
      const result = await run('ask', ['--docs', docs, '--index', fresh, 'How many member centers does the alliance have?']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('13 member centers');
      expect(result.stderr).toMatch(
        new RegExp(`^Waiting for the reindex \\(pid ${reindexing.pid}, started [^)]+\\) running on .*index to build the index \\(at most 300 s\\)…\n$`),
      );
      expect(await reindexing.nextLine()).toBe('done');
    } finally {
      await remove();
    }
  });
});

describe('reindex', () => {
  it('indexes the readable files of a messy folder and names each skipped one with its reason', async () => {
    const { dir, cleanup: remove } = await tempDir();
    try {
      await writeFiles(path.join(dir, 'docs'), {
        'good.md': '# Report\n\nThe Cedar Lake lab trained 75 engineers in 2024 under the regional skills program.',
        'empty.txt': '',
        'random.txt': Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 97 + 3) % 256)),
        'corrupt.pdf': '%PDF-1.5\nnot really',
        'latin1.txt': Buffer.from('Économie régionale: 12 projets financés.', 'latin1'),
      });
      const result = await run('reindex', ['--docs', path.join(dir, 'docs'), '--index', path.join(dir, 'index')]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/2 added, 0 changed, 0 removed, 0 unchanged, 3 skipped/);
      expect(result.stdout).toMatch(/skipped: corrupt\.pdf: not a readable PDF/);
      expect(result.stdout).toMatch(/skipped: empty\.txt: empty file/);
      expect(result.stdout).toMatch(/skipped: random\.txt: not a text file/);
      expect(result.stdout).toMatch(/warning: latin1\.txt: not UTF-8; read as Latin-1/);

      const json = await run('reindex', ['--json', '--docs', path.join(dir, 'docs'), '--index', path.join(dir, 'index')]);
      expect(JSON.parse(json.stdout)).toMatchObject({ added: [], changed: [], removed: [], unchanged: 2, embedded: 0 });
    } finally {
      await remove();
    }
  });

  it('rejects a stray argument in one line', async () => {
    expectOneLineError(await run('reindex', ['--index', index, 'extra']), /unexpected argument "extra"/);
  });
});

describe('figures --series', () => {
  /** The sample release and two releases of one city a year apart: a measure stated for 2022 and 2023. */
  let seriesDocs: string;
  let seriesIndex: string;
  beforeAll(async () => {
    seriesDocs = path.join(root, 'series-docs');
    seriesIndex = path.join(root, 'series-index');
    await fs.cp(docs, seriesDocs, { recursive: true });
    await fs.cp(path.join(ROOT, 'test', 'fixtures', 'series'), seriesDocs, { recursive: true });
  });
  const figures = (...args: string[]) => run('figures', ['--docs', seriesDocs, '--index', seriesIndex, ...args]);

  it('prints the best-matching series as JSON, and as a listing', async () => {
    const json = await figures('--json', '--series', 'Lakeside robotics industry output');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      series: {
        label: 'robotics industry output',
        scope: 'Lakeside City',
        unit: 'CNY',
        points: [
          { period: '2022', value: 18.6e9, raw: '18.6 billion yuan', sources: ['lakeside-robotics-2023-02-14.txt'] },
          { period: '2023', value: 23.9e9, raw: '23.9 billion yuan', sources: ['lakeside-robotics-2024-02-20.txt'] },
        ],
      },
    });
    const text = await figures('--series', 'Lakeside robotics industry output');
    expect(text.stdout).toBe(
      'robotics industry output (Lakeside City)\n  2022  18.6 billion yuan  [lakeside-robotics-2023-02-14.txt]\n  2023  23.9 billion yuan  [lakeside-robotics-2024-02-20.txt]\n',
    );
    const none = await figures('--json', '--series', 'zzzz qqqq');
    expect(JSON.parse(none.stdout)).toEqual({ series: null });
  });

  it('writes the chart of a series as a PNG, and none for one period', async () => {
    const file = path.join(root, 'robotics.png');
    const charted = await figures('--series', '--chart', file, 'Lakeside robotics industry output');
    expect(charted.code).toBe(0);
    expect((await fs.readFile(file)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    const single = path.join(root, 'engineers.png');
    const refused = await figures('--series', '--chart', single, 'robotics engineers trained');
    expectOneLineError(refused, /only one period: no chart/);
    expect(refused.stdout).toContain('3,400 robotics engineers');
    await expect(fs.access(single)).rejects.toThrow();
  });

  it('asks for --series with --chart, and a query with --series', async () => {
    expectOneLineError(await figures('--chart', path.join(root, 'x.png'), 'robotics'), /--chart draws a series: add --series/);
    expectOneLineError(await figures('--series'), /--series needs a query/);
  });
});

describe('eval', () => {
  it('names the bad line of an eval file', async () => {
    const file = path.join(root, 'bad.jsonl');
    await fs.writeFile(file, '{"id":"a","question":"What?"}\n{"id": "b", "question": 5}\n');
    expectOneLineError(await run('eval', ['--docs', docs, '--index', index, file]), /bad\.jsonl line 2 needs a "question" string/);
  });

  it('asks for a file when none is given', async () => {
    expectOneLineError(await run('eval', []), /name at least one eval file/);
  });

  it('says so when no item of a set spanning libraries is asked of the folder', async () => {
    const file = path.join(root, 'other-library.jsonl');
    await fs.writeFile(file, '{"id":"a","question":"What?","docs":"another-library"}\n');
    expectOneLineError(await run('eval', ['--docs', docs, '--index', index, file]), /no item of .* is asked of/);
  });
});

describe('the answer model', () => {
  it('stops the program at start with one line when its file is damaged', async () => {
    const file = path.join(root, 'damaged-model.json');
    await fs.writeFile(file, '{"features": ["sentence_coverage"], "mean": [0]}');
    expectOneLineError(
      await run('ask', ['--docs', docs, '--index', index, 'What did the three reforms allow?'], { ANSWER_MODEL: file }),
      /answer model .*damaged-model\.json is damaged/,
    );
  });

  it('fit turns away arguments it cannot use with one line', async () => {
    expectOneLineError(await run('fit', []), /name the libraries to fit on/);
    expectOneLineError(await run('fit', ['set.jsonl', '--docs', docs]), /set\.jsonl comes before any --docs/);
    expectOneLineError(await run('fit', ['--docs', docs, path.join(root, 'missing.jsonl')]), /cannot read question set/);
  });
});
