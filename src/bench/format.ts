import type { LatencySummary } from './bot.js';
import type { BenchReport } from './run.js';
import type { SideResult } from './types.js';

const ROWS: [keyof SideResult, string][] = [
  ['passages', 'passages'],
  ['build_s', 'full build (s)'],
  ['passages_per_s', 'build rate (passages/s)'],
  ['incremental_s', 'one document changed (s)'],
  ['query_p50_ms', 'query p50 (ms)'],
  ['query_p95_ms', 'query p95 (ms)'],
  ['retrieve_p50_ms', 'retrieval only p50 (ms)'],
  ['retrieve_p95_ms', 'retrieval only p95 (ms)'],
  ['queries', 'questions timed'],
  ['hit_at_10', 'hit@10'],
  ['hit_at_10_on_baseline_queries', "hit@10 on the baseline's questions"],
  ['recall_at_10', 'vector recall@10'],
  ['disk_mb', 'index on disk (MiB)'],
  ['load_s', 'load (s)'],
  ['rss_mb', 'peak RSS serving (MiB)'],
  ['build_rss_mb', 'peak RSS building (MiB)'],
  ['answered', 'answered (not refused)'],
];

/** The report as Markdown tables, one per size, ours beside the baseline with their ratio. */
export function formatReport(report: BenchReport): string {
  const lines = [
    `Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memory_gb} GiB, ${report.machine.os}; Node ${report.node}; ${report.date}; commit ${report.commit?.slice(0, 7) ?? 'unknown'}`,
    '',
  ];
  for (const run of report.runs) {
    lines.push(
      `### ${run.size.toLocaleString('en-US')} passages (${run.documents.toLocaleString('en-US')} documents)`,
      '',
      '| | ours | baseline | ours / baseline |',
      '|---|---:|---:|---:|',
    );
    for (const [field, label] of ROWS) {
      const ours = run.ours[field];
      const baseline = run.baseline[field];
      if (ours === undefined && baseline === undefined) continue;
      const ratio = run.ratios[field];
      lines.push(`| ${label} | ${show(ours)} | ${show(baseline)} | ${ratio === undefined || ratio === null ? '' : `${ratio}×`} |`);
    }
    lines.push('');
  }
  if (report.bot) lines.push(...formatBot(report.bot));
  lines.push(...report.notes.map((note) => `- ${note}`), '');
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: 3 }) : typeof value === 'string' ? value : JSON.stringify(value);
}

function formatBot(bot: NonNullable<BenchReport['bot']>): string[] {
  if ('error' in bot) return [`### Bot over ${bot.passages.toLocaleString('en-US')} passages`, '', `The bot benchmark failed: ${bot.error}`, ''];
  const row = (label: string, s: LatencySummary) =>
    `| ${label} | ${s.n} | ${show(s.ack_p50_ms)} | ${show(s.ack_p95_ms)} | ${show(s.ack_p99_ms)} | ${show(s.answer_p50_ms)} | ${show(s.answer_p95_ms)} | ${show(s.answer_p99_ms)} |`;
  const a = bot.autocomplete;
  return [
    `### Bot over ${bot.passages.toLocaleString('en-US')} passages (ms, from the server's clock)`,
    '',
    '| users | questions | ack p50 | ack p95 | ack p99 | answer p50 | answer p95 | answer p99 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    row('1', bot.one_user),
    row(String(bot.concurrent.users), bot.concurrent),
    '',
    `/figure autocomplete over ${a.figures.toLocaleString('en-US')} figures: catalog built in ${show(a.catalog_build_ms)} ms; ` +
      `FigureCatalog.autocomplete p50/p95/p99 ${show(a.direct_p50_ms)} / ${show(a.direct_p95_ms)} / ${show(a.direct_p99_ms)} ms; ` +
      `through the bot, over its whole catalog of ${a.bot_catalog_figures.toLocaleString('en-US')} figures, ` +
      `${show(a.through_bot_p50_ms)} / ${show(a.through_bot_p95_ms)} / ${show(a.through_bot_p99_ms)} ms. ` +
      `The bot took ${show(bot.startup_ms)} ms from its process starting to being logged in (opening the index), and ${show(bot.figures_ready_ms)} ms to its ` +
      `first autocomplete with choices, reading the figures lookup stored with the index generation; on its first start over the generation, ` +
      `${show(bot.first_start.startup_ms)} ms to logged in and ${show(bot.first_start.figures_ready_ms)} ms to choices (building the lookup after logging in, and storing it).`,
    '',
  ];
}
