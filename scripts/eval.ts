import { promises as fs } from 'node:fs';
import { UserError } from '../src/errors/index.js';
import { openEngineForScript } from '../src/cli/engine.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { runFigureEval, isFigureItem, toFigureItem, type FigureEvalItem, type FigureEvalReport } from '../src/eval/figures.js';
import { asksOf, readJsonLines, runEval, toEvalItem, type EvalItem, type EvalReport } from '../src/eval/index.js';

const USAGE = 'npm run eval -- [--json] [--docs DIR] [--index DIR] FILE.jsonl...';

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  if (!positionals.length) throw new UserError(`name at least one eval file — usage: ${USAGE}`);
  // Questions (`*-qa.jsonl`) are asked; figure lookups (`*-figures.jsonl`, a "query" each) are looked up in the catalog.
  const items: EvalItem[] = [];
  const lookups: FigureEvalItem[] = [];
  for (const file of positionals) {
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw new UserError(`cannot read eval file ${file}`);
    });
    for (const { value, where } of readJsonLines(text, file)) {
      if (isFigureItem(value)) lookups.push(toFigureItem(value, where));
      else items.push(toEvalItem(value, where));
    }
  }
  const config = withPathFlags(loadConfig(), values);
  // A set spanning several libraries names each item's ("docs"): only those of this folder are asked here.
  const asked = items.filter((item) => asksOf(item, config.docsDir));
  if (items.length && !asked.length)
    throw new UserError(`no item of ${positionals.join(', ')} is asked of ${config.docsDir} (their "docs" name other libraries)`);
  const { engine } = await openEngineForScript(config, { refresh: Boolean(values.docs) });
  try {
    const report = asked.length ? await runEval(engine, asked) : null;
    const figures = lookups.length
      ? runFigureEval(
          (query) => engine.searchFigures(query, 1)[0]?.figure ?? null,
          lookups,
          (query) => engine.figureSeries(query),
        )
      : null;
    if (values.json) process.stdout.write(`${JSON.stringify(figures ? { ...report, figures } : report, null, 2)}\n`);
    else process.stdout.write([report && formatReport(report), figures && formatFigureReport(figures)].filter(Boolean).join('\n'));
    if ((report?.summary.failed ?? 0) > 0 || (figures?.summary.failed ?? 0) > 0) process.exitCode = 1;
  } finally {
    await engine.close();
  }
});

function formatFigureReport({ items, summary }: FigureEvalReport): string {
  const lines = items.map((item) => `${item.pass ? 'PASS' : 'FAIL'} ${item.id}${item.pass ? '' : ` — ${item.why}`}`);
  lines.push('', `${summary.passed} of ${summary.items} lookups found the right figure first (${(summary.first_right * 100).toFixed(1)}%)`);
  if (summary.series_items) lines.push(`${summary.series_complete} of ${summary.series_items} series have every listed period`);
  for (const item of items)
    if (item.series && !item.series.complete)
      lines.push(`  ${item.id}: missing ${item.series.missing.join(', ')} (has ${item.series.periods.join(', ') || 'no series'})`);
  return `${lines.join('\n')}\n`;
}

function formatReport({ items, summary }: EvalReport): string {
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const lines = items.map((item) => `${item.pass ? 'PASS' : 'FAIL'} ${item.id}${item.pass ? '' : ` — ${item.why}`}`);
  lines.push(
    '',
    `${summary.passed} passed, ${summary.failed} failed`,
    `answer accuracy ${percent(summary.answer_accuracy)}, citation accuracy ${percent(summary.citation_accuracy)}, ` +
      `refusal accuracy ${percent(summary.refusal_accuracy)}, hit@${summary.k} ${percent(summary.hit_at_k)}`,
    `${summary.quotes} quotes, ${percent(summary.fragment_share)} fragments; ${summary.repeated_quotes} answers quote a sentence twice`,
  );
  return `${lines.join('\n')}\n`;
}
