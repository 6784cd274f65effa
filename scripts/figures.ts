import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { reportBuild } from '../src/cli/progress.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { openEngine } from '../src/engine/index.js';
import { formatCatalog, formatMatches, toJson } from '../src/figures/format.js';
import { reindex } from '../src/index/index.js';

const USAGE = 'npm run figures -- [--json] [--docs DIR] [--index DIR] [query]';
const MATCHES_SHOWN = 10;

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  const config = withPathFlags(loadConfig(), values);
  const query = positionals.join(' ').trim();
  if (values.docs) {
    reportBuild(await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: createEmbeddings(config.embeddings) }), { quiet: true });
  }
  const engine = await openEngine(config, {
    onBuild: (reason) => process.stderr.write(`Building the index from ${config.docsDir} (${reason})…\n`),
    onBuilt: (summary) => reportBuild(summary, { quiet: false }),
  });
  try {
    const catalog = engine.figures();
    const figures = query ? catalog.search(query, MATCHES_SHOWN).map((match) => match.figure) : catalog.all();
    if (values.json) process.stdout.write(`${JSON.stringify(toJson(figures), null, 2)}\n`);
    else if (query) process.stdout.write(`${formatMatches(query, figures)}\n`);
    else process.stdout.write(`${formatCatalog(figures)}\n`);
  } finally {
    await engine.close();
  }
});
