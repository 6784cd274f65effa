import { promises as fs } from 'node:fs';
import { UserError } from '../src/errors/index.js';
import { openEngineForScript } from '../src/cli/engine.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { parseEvalFile, runEval, type EvalReport } from '../src/eval/index.js';

const USAGE = 'npm run eval -- [--json] [--docs DIR] [--index DIR] FILE.jsonl...';

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  if (!positionals.length) throw new UserError(`name at least one eval file — usage: ${USAGE}`);
  const items = [];
  for (const file of positionals) {
    const text = await fs.readFile(file, 'utf8').catch(() => {
      throw new UserError(`cannot read eval file ${file}`);
    });
    items.push(...parseEvalFile(text, file));
  }
  const config = withPathFlags(loadConfig(), values);
  const { engine } = await openEngineForScript(config, { refresh: Boolean(values.docs) });
  try {
    const report = await runEval(engine, items);
    process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    if (report.summary.failed > 0) process.exitCode = 1;
  } finally {
    await engine.close();
  }
});

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
