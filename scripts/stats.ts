import fs from 'node:fs';
import { readStats } from '../src/bot/index.js';
import { UserError } from '../src/errors/index.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';

const USAGE = 'npm run stats -- [--top N] [--json]';

runScript(async () => {
  const { values } = parseCliArgs({ top: { type: 'string' }, json: { type: 'boolean' } }, USAGE);
  const top = values.top === undefined ? 10 : Number(values.top);
  if (!Number.isInteger(top) || top < 1) throw new UserError(`--top must be a whole number of at least 1 — usage: ${USAGE}`);
  const { databasePath } = loadConfig().bot;
  if (!fs.existsSync(databasePath)) throw new UserError(`no bot records at ${databasePath} yet: they are written once the bot (npm start) answers questions`);
  const stats = readStats(databasePath, top);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return;
  }
  const { answered, refused, busy, error } = stats.byOutcome;
  const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
  const millis = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);
  const lines = [
    `Questions: ${stats.total} (answered ${answered}, refused ${refused}, turned away busy ${busy}, failed ${error})`,
    `Refusal rate: ${percent(stats.refusalRate)}`,
    `Feedback: ${stats.feedback.up} 👍, ${stats.feedback.down} 👎`,
    `Latency: acknowledgement median ${millis(stats.latencyMs.ackMedian)}; answer median ${millis(stats.latencyMs.answerMedian)}, p95 ${millis(stats.latencyMs.answerP95)}`,
    '',
    'Most asked:',
    ...(stats.mostAsked.length ? stats.mostAsked.map(({ question, count }) => `  ${String(count).padStart(4)}×  ${oneLine(question, 100)}`) : ['  (none yet)']),
    '',
    'Down-voted answers:',
    ...(stats.downVoted.length
      ? stats.downVoted.flatMap((row) => [
          `  #${row.id} ${row.askedAt.slice(0, 16).replace('T', ' ')}  ${row.down} 👎 ${row.up} 👍  (${row.mode ?? 'no answer'})`,
          `      Q: ${oneLine(row.question, 100)}`,
          `      A: ${oneLine(row.answer ?? '—', 160)}`,
        ])
      : ['  (none)']),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
});

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
