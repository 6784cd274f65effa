/** Formatting and splitting at Discord's limits, the work queue, the cooldown and the records (no Discord here). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../src/answering/types.js';
import { DISCORD_LIMITS, cutText, packLines, splitText } from '../src/bot/limits.js';
import { citationField, embedLength, parseFeedbackId, presentAnswer, presentFigure, presentFigureList, presentSources } from '../src/bot/present.js';
import { Cooldowns, WorkQueue } from '../src/bot/queue.js';
import { QuestionRecords, readStats } from '../src/bot/records.js';
import { limitViolations } from './support/discord-server.js';
import type { Figure, FigureSeries } from '../src/figures/index.js';

const BUILT_AT = '2024-04-01T08:30:00.000Z';

function citation(n: number, overrides: Partial<Citation> = {}): Citation {
  return {
    n,
    source: `doc-${n}.txt`,
    title: `Document ${n}`,
    url: null,
    date: '2024-03-27',
    language: 'en',
    quote: `Quoted sentence ${n}.`,
    score: 1,
    also: [],
    ...overrides,
  };
}

function answer(overrides: Partial<Answer> = {}): Answer {
  return {
    question: 'What happened?',
    answer: 'Transactions reached 412 billion yuan [1]. Contracts grew [2].',
    refused: false,
    mode: 'extractive',
    citations: [citation(1), citation(2, { url: 'https://example.org/2' })],
    timings_ms: { total: 12 },
    ...overrides,
  };
}

/** Every message within every limit, checked the way the local Discord server checks requests. */
function expectWithinLimits(messages: ReturnType<typeof presentAnswer>): void {
  for (const message of messages) {
    expect(limitViolations(message)).toEqual([]);
    expect((message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedsTotal);
  }
}

describe('splitText and cutText', () => {
  it('keeps text within the limit whole, and splits longer text between sentences', () => {
    expect(splitText('One. Two.', 100)).toEqual(['One. Two.']);
    const text = Array.from({ length: 50 }, (_, i) => `Sentence number ${i} ends here.`).join(' ');
    const pieces = splitText(text, 200);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(200);
      expect(piece).toMatch(/^Sentence number \d+ .*ends here\.$/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('splits exactly at the limit and falls back to words, then characters', () => {
    const exact = 'a'.repeat(99) + '.';
    expect(splitText(exact, 100)).toEqual([exact]);
    expect(splitText(`${exact} b.`, 100)).toEqual([exact, 'b.']);
    const words = Array.from({ length: 100 }, () => 'word').join(' ');
    for (const piece of splitText(words, 23)) {
      expect(piece.length).toBeLessThanOrEqual(23);
      expect(piece).toMatch(/^(word ?)+$/);
    }
    expect(splitText('x'.repeat(250), 100).map((p) => p.length)).toEqual([100, 100, 50]);
  });

  it('never splits a surrogate pair and handles Chinese sentences', () => {
    const emoji = '😀'.repeat(60);
    for (const piece of splitText(emoji, 51)) {
      expect(piece.length).toBeLessThanOrEqual(51);
      expect(piece).toMatch(/^(😀)+$/u);
    }
    const chinese = '去年全省技术合同成交额创历史新高。本地转化合同占比百分之五十。';
    expect(splitText(chinese, 20)).toEqual(['去年全省技术合同成交额创历史新高。', '本地转化合同占比百分之五十。']);
  });

  it('cuts at a sentence boundary with an ellipsis', () => {
    expect(cutText('First sentence. Second sentence is longer.', 30)).toBe('First sentence.…');
    expect(cutText('short', 30)).toBe('short');
    expect(cutText('x'.repeat(300), 256)).toHaveLength(256);
  });

  it('packs lines without breaking them', () => {
    const pieces = packLines(['aaaa', 'bbbb', 'cccc'], 9);
    expect(pieces).toEqual(['aaaa\nbbbb', 'cccc']);
  });
});

describe('presentAnswer', () => {
  it('renders the answer, numbered sources, footer and feedback buttons', () => {
    const [message, ...rest] = presentAnswer(answer(), { builtAt: BUILT_AT, recordId: 7, title: 'What happened?' });
    expect(rest).toEqual([]);
    const embed = message.embeds![0];
    expect(embed.title).toBe('What happened?');
    expect(embed.description).toBe('Transactions reached 412 billion yuan [1]. Contracts grew [2].');
    expect(embed.fields).toEqual([
      { name: '[1] Document 1', value: '2024-03-27 · English\n> Quoted sentence 1.' },
      { name: '[2] Document 2', value: '2024-03-27 · English · [link](<https://example.org/2>)\n> Quoted sentence 2.' },
    ]);
    expect(embed.footer!.text).toBe('Extractive answer (quoted from the sources) · index built 2024-04-01 08:30 UTC');
    const ids = message.components![0].components.map((button) => ('custom_id' in button ? button.custom_id : ''));
    expect(ids.map(parseFeedbackId)).toEqual([
      { recordId: 7, vote: 1 },
      { recordId: 7, vote: -1 },
    ]);
  });

  it('names a model-written answer and the reason for an extractive fallback', () => {
    const llm = presentAnswer(answer({ mode: 'llm' }), { builtAt: BUILT_AT })[0];
    expect(llm.embeds![0].footer!.text).toMatch(/^Model-written answer · index built/);
    const fallback = presentAnswer(answer({ mode_reason: 'the model timed out' }), { builtAt: BUILT_AT })[0];
    expect(fallback.embeds![0].footer!.text).toMatch(/^Extractive answer \(quoted from the sources\) — the model timed out · /);
    expect(llm.components).toEqual([]);
  });

  it('says a refusal plainly, with no sources', () => {
    const messages = presentAnswer(answer({ refused: true, answer: "I couldn't find this in the indexed documents.", citations: [] }), {
      builtAt: BUILT_AT,
      recordId: 3,
    });
    expect(messages).toHaveLength(1);
    expect(messages[0].content).toBe("I couldn't find this in the indexed documents.");
    expect(messages[0].embeds).toBeUndefined();
  });

  it('continues an answer past every limit over several messages, losing nothing', () => {
    const sentences = Array.from({ length: 400 }, (_, i) => `Sentence ${i} reports a figure of ${i}.5 billion yuan [${(i % 40) + 1}].`);
    const citations = Array.from({ length: 40 }, (_, i) =>
      citation(i + 1, {
        title: 'T'.repeat(400),
        quote: `A very long quoted sentence number ${i + 1}. `.repeat(60),
        url: `https://example.org/${'p'.repeat(100)}/${i}`,
      }),
    );
    const messages = presentAnswer(answer({ answer: sentences.join(' '), citations, mode_reason: 'r'.repeat(3000) }), {
      builtAt: BUILT_AT,
      recordId: 1,
      title: 'Q'.repeat(1000),
    });
    expect(messages.length).toBeGreaterThan(2);
    expectWithinLimits(messages);
    const embeds = messages.flatMap((message) => message.embeds ?? []);
    expect(
      embeds
        .map((embed) => embed.description ?? '')
        .filter(Boolean)
        .join(' '),
    ).toBe(sentences.join(' '));
    expect(embeds.flatMap((embed) => embed.fields ?? []).map((field) => field.name.match(/^\[(\d+)\]/)![1])).toEqual(citations.map((c) => String(c.n)));
    expect(embeds.filter((embed) => embed.title)).toHaveLength(1);
    expect(embeds.filter((embed) => embed.footer)).toEqual([embeds.at(-1)]);
    expect(messages.map((message) => message.components?.length ?? 0)).toEqual([...messages.slice(1).map(() => 0), 1]);
  });

  it('splits a very long refusal into messages of at most 2,000 characters', () => {
    const text = 'I could not find this. '.repeat(200);
    const messages = presentAnswer(answer({ refused: true, answer: text, citations: [] }), { builtAt: BUILT_AT, recordId: 1 });
    expect(messages.length).toBeGreaterThan(1);
    expectWithinLimits(messages);
    expect(messages.map((m) => m.content).join(' ')).toBe(text.trim());
  });

  it('fits a field of a huge quote and title into 256 / 1,024 characters, cut at a sentence', () => {
    const field = citationField(citation(1, { title: 'Title '.repeat(100), quote: 'First sentence of the quote. '.repeat(100) }));
    expect(field.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
    expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    expect(field.value).toMatch(/quote\.…$/);
  });
});

describe('lists', () => {
  it('pages long figure and source lists within the limits', () => {
    const figure: Figure = {
      id: 'doc#1',
      label: 'contracted technology transactions',
      raw: '412.076 billion yuan',
      value: 412.076e9,
      unit: 'yuan',
      kind: 'amount',
      period: '2023',
      scope: 'Shaanxi',
      quote: 'q',
      source: { id: 'doc', title: 'A source title '.repeat(5), date: null, url: null },
      sources: ['doc'],
      alternatives: [],
    };
    const figures = presentFigureList(
      'Key figures',
      Array.from({ length: 300 }, (_, i) => ({ ...figure, id: `d#${i}` })),
      BUILT_AT,
    );
    expect(figures.length).toBeGreaterThan(1);
    expectWithinLimits(figures);
    const lines = figures
      .flatMap((m) => m.embeds!)
      .map((e) => e.description!)
      .join('\n')
      .split('\n');
    expect(lines).toHaveLength(300);
    const sources = presentSources(
      Array.from({ length: 500 }, (_, i) => ({
        id: `d${i}`,
        passages: 3,
        copyOf: null,
        meta: { title: `Doc ${i}`, date: '2024-01-01', url: 'https://example.org', publisher: 'P', language: 'en' },
      })),
      { builtAt: BUILT_AT, embedder: 'local-hash-256', documents: 500, passages: 1500 },
    );
    expectWithinLimits(sources);
    expect(sources.at(-1)!.embeds!.at(-1)!.footer!.text).toMatch(/^Index built 2024-04-01 08:30 UTC · 500 documents/);
  });
});

describe('presentFigure with its series', () => {
  const figure: Figure = {
    id: 'doc-2023#1',
    label: 'contracted technology transactions',
    raw: '412.076 billion yuan',
    value: 412.076e9,
    unit: 'CNY',
    kind: 'amount',
    period: '2023',
    scope: 'Shaanxi',
    quote: 'Transactions reached a record high of 412.076 billion yuan. '.repeat(80),
    source: { id: 'doc-2023', title: 'Release of 2024', date: '2024-03-27', url: null },
    sources: ['doc-2023'],
    alternatives: [],
  };
  const point = (year: number) => ({
    period: String(year),
    value: year * 1e8,
    raw: `${year / 10} billion yuan`,
    sources: [`doc-${year}`, `copy-${year}`],
    figureId: year === 2023 ? figure.id : `doc-${year}#1`,
  });
  const series = (years: number[]): FigureSeries => ({ label: figure.label, scope: figure.scope, unit: 'CNY', kind: 'amount', points: years.map(point) });
  const titleOf = (id: string) => `Title of ${id} `.repeat(4).trim();

  it('lists the other periods with their sources, within the limits, and attaches the chart', () => {
    const chart = Buffer.from('png');
    const years = Array.from({ length: 50 }, (_, i) => 1990 + i);
    const message = presentFigure(figure, BUILT_AT, { series: series(years), titleOf, chart });
    expectWithinLimits([message]);
    const description = message.embeds![0].description!;
    expect(description).toContain('**412.076 billion yuan**');
    expect(description).toContain(`**Other periods**\n• 1990: 199 billion yuan — _${titleOf('doc-1990')}_, _${titleOf('copy-1990')}_`);
    expect(description).not.toContain('• 2023:');
    expect(description).toMatch(/\n…and \d+ more$/);
    expect(message.embeds![0].image).toEqual({ url: 'attachment://series.png' });
    expect(message.files).toEqual([{ attachment: chart, name: 'series.png' }]);
  });

  it('says when the library has the figure for one period only, and attaches nothing', () => {
    const message = presentFigure({ ...figure, quote: 'q' }, BUILT_AT, { series: series([2023]), titleOf, chart: null });
    expect(message.embeds![0].description).toBe('**412.076 billion yuan**\n> q\n\n_The library has this figure for one period only (2023)._');
    expect(message.files).toBeUndefined();
    expect(message.embeds![0].image).toBeUndefined();
  });

  it('shows another source’s different value for the same period beside the figure, with that source', () => {
    const other = { period: '2023', value: 4.1e11, raw: '410 billion yuan', sources: ['other-2023'], figureId: 'other-2023#1' };
    const disagreeing: FigureSeries = { ...series([2022, 2023]), points: [...series([2022, 2023]).points, other] };
    const description = presentFigure({ ...figure, quote: 'q' }, BUILT_AT, { series: disagreeing, titleOf, chart: null }).embeds![0].description!;
    expect(description).toContain(`⚠️ For 2023 another source gives 410 billion yuan — _${titleOf('other-2023')}_`);
    expect(description).toMatch(/\*\*Other periods\*\*\n• 2022: 202.2 billion yuan/);
    const alone: FigureSeries = { ...series([2023]), points: [...series([2023]).points, other] };
    expect(presentFigure({ ...figure, quote: 'q' }, BUILT_AT, { series: alone, titleOf, chart: null }).embeds![0].description).toContain(
      'another source gives 410 billion yuan',
    );
  });

  it('lists the other periods without an image when there is no chart', () => {
    const message = presentFigure(figure, BUILT_AT, { series: series([2022, 2023]), titleOf, chart: null });
    expect(message.embeds![0].description).toMatch(/\*\*Other periods\*\*\n• 2022: 202.2 billion yuan/);
    expect(message.files).toBeUndefined();
  });
});

describe('WorkQueue and Cooldowns', () => {
  it('runs at most `concurrency` jobs, queues up to the bound and turns the rest away', async () => {
    const queue = new WorkQueue(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const job = () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        releases.push(() => {
          running -= 1;
          resolve();
        });
      });
    const accepted = Array.from({ length: 5 }, () => queue.tryRun(job));
    expect(accepted.every((p) => p !== null)).toBe(true);
    expect(queue.tryRun(job)).toBeNull();
    expect(queue.size).toEqual({ running: 2, waiting: 3 });
    expect(queue.retryAfterSeconds()).toBeGreaterThanOrEqual(1);
    for (let released = 0; released < 5; released++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      releases.shift()!();
    }
    await Promise.all(accepted as Promise<unknown>[]);
    expect(peak).toBe(2);
    expect(queue.size).toEqual({ running: 0, waiting: 0 });
    expect(queue.tryRun(async () => 'ok')).not.toBeNull();
  });

  it('frees the slot when a job fails', async () => {
    const queue = new WorkQueue(1, 0);
    await expect(queue.tryRun(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.tryRun(async () => 'next')).resolves.toBe('next');
  });

  it('makes a user wait between questions, others not', () => {
    const cooldowns = new Cooldowns(3_000);
    expect(cooldowns.take('a', 0)).toBe(0);
    expect(cooldowns.take('a', 1_000)).toBe(2);
    expect(cooldowns.take('b', 1_000)).toBe(0);
    expect(cooldowns.take('a', 3_000)).toBe(0);
    expect(new Cooldowns(0).take('a')).toBe(0);
  });
});

describe('QuestionRecords', () => {
  it('stores questions with hashed users, feedback and latencies, and summarises them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-records-'));
    try {
      const file = path.join(dir, 'bot.sqlite');
      const records = new QuestionRecords(file);
      const first = records.add({ userId: '123456789', via: 'slash', question: 'What happened?', outcome: 'answered', answer: answer(), ackMs: 5 });
      records.setAnswerLatency(first, 40);
      records.add({ userId: '123456789', via: 'mention', question: 'what happened? ', outcome: 'refused', answer: answer({ refused: true, citations: [] }) });
      records.add({ userId: '42', via: 'channel', question: 'Other?', outcome: 'busy' });
      expect(records.setFeedback(first, '42', -1)).toBe(true);
      expect(records.setFeedback(first, '42', -1)).toBe(true);
      expect(records.setFeedback(999, '42', 1)).toBe(false);
      expect(records.hashUser('123456789')).not.toContain('123456789');
      records.close();

      const raw = fs.readFileSync(file);
      expect(raw.includes(Buffer.from('123456789'))).toBe(false);
      const stats = readStats(file);
      expect(stats.total).toBe(3);
      expect(stats.byOutcome).toEqual({ answered: 1, refused: 1, busy: 1, error: 0 });
      expect(stats.refusalRate).toBe(0.5);
      expect(stats.feedback).toEqual({ up: 0, down: 1 });
      expect(stats.mostAsked[0]).toEqual({ question: 'What happened?', count: 2 });
      expect(stats.downVoted).toEqual([expect.objectContaining({ id: first, question: 'What happened?', down: 1, up: 0, mode: 'extractive' })]);
      expect(stats.latencyMs.ackMedian).toBe(5);
      expect(stats.latencyMs.answerMedian).toBe(40);
      // Reopening keeps the salt, so a user's hash is stable.
      const reopened = new QuestionRecords(file);
      expect(reopened.hashUser('123456789')).toBe(new QuestionRecords(file).hashUser('123456789'));
      reopened.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
