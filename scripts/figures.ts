import { openEngineForScript } from '../src/cli/engine.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { formatCatalog, formatMatches, toJson } from '../src/figures/format.js';

const USAGE = 'npm run figures -- [--json] [--docs DIR] [--index DIR] [query]';
const MATCHES_SHOWN = 10;

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  const config = withPathFlags(loadConfig(), values);
  const query = positionals.join(' ').trim();
  const { engine } = await openEngineForScript(config, { refresh: Boolean(values.docs) });
  try {
    const catalog = engine.figures();
    const figures = query ? engine.searchFigures(query, MATCHES_SHOWN).map((match) => match.figure) : catalog.all();
    if (values.json) process.stdout.write(`${JSON.stringify(toJson(figures), null, 2)}\n`);
    else if (query) process.stdout.write(`${formatMatches(query, figures)}\n`);
    else process.stdout.write(`${formatCatalog(figures)}\n`);
  } finally {
    await engine.close();
  }
});
