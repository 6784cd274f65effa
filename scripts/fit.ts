import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ANSWER_MODEL_PATH } from '../src/answering/model.js';
import { runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { UserError } from '../src/errors/index.js';
import { libraryName } from '../src/eval/index.js';
import { fitAnswerModel, readLibrary, type FittingItem, type FittingLibrary, type LeaveOneOutRow } from '../src/fitting/index.js';

const USAGE = 'npm run fit -- [--cv] [--out FILE] [--fold NAME] --docs DIR SET.jsonl [SET.jsonl ...] [[--fold NAME] --docs DIR SET.jsonl ...]';

runScript(async () => {
  const { libraries, crossValidate, out } = parseFitArgs(process.argv.slice(2));
  const config = loadConfig();
  for (const { setFile } of libraries) await fs.access(setFile).catch(() => Promise.reject(new UserError(`cannot read question set ${setFile}`)));
  const items: FittingItem[] = [];
  for (const library of libraries) {
    process.stderr.write(`reading ${library.setFile} over ${library.docsDir} (fold ${library.fold})…\n`);
    items.push(...(await readLibrary(library, config)));
  }
  if (new Set(items.map((item) => item.fold)).size < 3)
    throw new UserError('fitting needs libraries in at least 3 folds, to validate on folds it was not fitted on');
  // The command as run, with the output path left out, so that the same sets give the same file wherever it is written.
  const command = ['npm run fit --', ...process.argv.slice(2).filter((arg, i, args) => arg !== '--out' && args[i - 1] !== '--out')].join(' ');
  const { file, table } = fitAnswerModel(items, { crossValidate, command });
  await fs.mkdir(path.dirname(out), { recursive: true });
  const temporary = `${out}.tmp-${process.pid}`;
  await fs.writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
  await fs.rename(temporary, out);
  const lines = [
    `wrote ${out}: ${file.features.length} features, l2 ${file.l2}, threshold ${file.threshold}, composition ${JSON.stringify(file.composition)}`,
    'validated (each library predicted by the model fitted on the other folds):',
  ];
  for (const row of file.validation)
    lines.push(`  ${row.library.padEnd(40)} ${percent(row.passed, row.items)} (${row.passed}/${row.items}), refusals ${row.refused}/${row.refusals}`);
  if (table) lines.push(...formatTable(table));
  process.stdout.write(`${lines.join('\n')}\n`);
});

function formatTable(table: LeaveOneOutRow[]): string[] {
  const lines = ['', 'leave one library out (the whole fit made without the fold, scored on it):'];
  let gaps = 0;
  for (const row of table) {
    const left = [...row.leftOut.values()].reduce((sum, s) => ({ passed: sum.passed + s.passed, items: sum.items + s.items }), { passed: 0, items: 0 });
    const gap = (100 * row.fitted.passed) / row.fitted.items - (100 * left.passed) / left.items;
    gaps += gap;
    lines.push(
      `  fold ${row.fold}: fitted ${percent(row.fitted.passed, row.fitted.items)}, left out ${percent(left.passed, left.items)} (l2 ${row.settings.l2}, threshold ${row.threshold.toFixed(3)})`,
    );
    for (const [library, score] of row.leftOut)
      lines.push(
        `    ${library.padEnd(38)} ${percent(score.passed, score.items)} (${score.passed}/${score.items}), refusals ${score.refused}/${score.refusals}`,
      );
  }
  lines.push(`  mean of (fitted - left out): ${(gaps / table.length).toFixed(1)} points`);
  return lines;
}

function percent(passed: number, items: number): string {
  return `${((100 * passed) / Math.max(1, items)).toFixed(1)}%`;
}

/**
 * `--docs DIR` is followed by the sets asked of it; its fold is the library's name, or the name `--fold` gives just before
 * it (a library that shares another's documents, as a PDF print of it, is validated with it).
 */
function parseFitArgs(args: string[]): { libraries: FittingLibrary[]; crossValidate: boolean; out: string } {
  let tokens;
  try {
    ({ tokens } = parseArgs({
      args,
      options: { docs: { type: 'string', multiple: true }, fold: { type: 'string', multiple: true }, out: { type: 'string' }, cv: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
      tokens: true,
    }));
  } catch (error) {
    throw new UserError(`${(error instanceof Error ? error.message : String(error)).split('\n')[0]} — usage: ${USAGE}`);
  }
  const libraries: FittingLibrary[] = [];
  let docsDir: string | null = null;
  let docsFold = '';
  let nextFold: string | null = null;
  let crossValidate = false;
  let out = ANSWER_MODEL_PATH;
  for (const token of tokens) {
    if (token.kind === 'option' && token.name === 'docs') {
      docsDir = token.value!;
      docsFold = nextFold ?? libraryName(docsDir);
      nextFold = null;
    } else if (token.kind === 'option' && token.name === 'fold') nextFold = token.value!;
    else if (token.kind === 'option' && token.name === 'cv') crossValidate = true;
    else if (token.kind === 'option' && token.name === 'out') out = path.resolve(token.value ?? out);
    else if (token.kind === 'positional') {
      if (!docsDir) throw new UserError(`${token.value} comes before any --docs — usage: ${USAGE}`);
      libraries.push({ docsDir, setFile: token.value, fold: docsFold });
    }
  }
  if (!libraries.length) throw new UserError(`name the libraries to fit on — usage: ${USAGE}`);
  return { libraries, crossValidate, out };
}
