import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../src/bench/index.js';

const run = promisify(execFile);

const FIELDS = ['build_s', 'passages_per_s', 'incremental_s', 'query_p50_ms', 'query_p95_ms', 'hit_at_10', 'recall_at_10', 'disk_mb', 'load_s', 'rss_mb'];

describe('npm run bench', () => {
  it('runs at a small size and prints every figure for ours, the baseline and the bot as JSON', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--json', '--sizes', '300', '--queries', '20'], {
      timeout: 110_000,
    });
    const report = JSON.parse(stdout);
    expect(report.node).toBe(process.version);
    expect(typeof report.machine.cpu).toBe('string');
    expect(Number.isNaN(Date.parse(report.date))).toBe(false);
    expect(report.runs).toHaveLength(1);
    const [only] = report.runs;
    expect(only.size).toBe(300);
    for (const side of [only.ours, only.baseline]) {
      for (const field of FIELDS) {
        expect(typeof side[field], field).toBe('number');
        expect(side[field], field).toBeGreaterThanOrEqual(0);
      }
      expect(side.passages).toBe(300);
      expect(side.queries).toBe(20);
      expect(side.hit_at_10).toBeLessThanOrEqual(1);
      expect(side.recall_at_10).toBeLessThanOrEqual(1);
    }
    // The engine finds most generated facts; a broken pipeline would find none.
    expect(only.ours.hit_at_10).toBeGreaterThan(0.3);

    // The bot on the wire, over the same corpus: every question acknowledged and answered.
    const { bot } = report;
    expect(bot.passages).toBe(300);
    for (const [summary, n] of [
      [bot.one_user, 50],
      [bot.concurrent, 200],
    ] as const) {
      expect(summary.n).toBe(n);
      for (const field of ['ack_p50_ms', 'ack_p95_ms', 'ack_p99_ms', 'answer_p50_ms', 'answer_p95_ms', 'answer_p99_ms']) {
        expect(typeof summary[field], field).toBe('number');
      }
      expect(summary.answer_p50_ms).toBeGreaterThanOrEqual(summary.ack_p50_ms);
    }
    expect(bot.concurrent.users).toBe(50);
    expect(bot.autocomplete.figures).toBe(10_000);
    expect(bot.autocomplete.bot_catalog_figures).toBeGreaterThan(0);
    expect(bot.autocomplete.bot_catalog_figures).toBeLessThan(10_000);
    // Each start logs in before its figures lookup is ready.
    for (const start of [bot.first_start, bot]) expect(start.figures_ready_ms).toBeGreaterThanOrEqual(start.startup_ms);
    for (const field of ['catalog_build_ms', 'direct_p50_ms', 'direct_p99_ms', 'through_bot_p50_ms', 'through_bot_p99_ms']) {
      expect(typeof bot.autocomplete[field], field).toBe('number');
    }
  }, 120_000);

  it('refuses a bad size with one line', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/bench.ts', '--sizes', 'lots'], { timeout: 60_000 }).catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr.trim().split('\n')).toHaveLength(1);
    expect(failure.stderr).toMatch(/--sizes must be/);
  });
});

describe('the bench corpus', () => {
  it('is the same for the same seed, and each question names a fact its document holds', async () => {
    const dirs = await Promise.all([0, 1].map(() => fs.mkdtemp(path.join(os.tmpdir(), 'bench-corpus-'))));
    try {
      const [a, b] = await Promise.all(dirs.map((dir) => generateCorpus(dir, { passages: 200, questions: 10 })));
      expect(a).toEqual(b);
      expect(a.passages).toBe(200);
      for (const question of a.questions) {
        expect(await fs.readFile(path.join(dirs[0], question.docId), 'utf8')).toContain(question.fact);
      }
      expect(await fs.readdir(dirs[0])).toEqual(await fs.readdir(dirs[1]));
    } finally {
      await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
    }
  });
});
