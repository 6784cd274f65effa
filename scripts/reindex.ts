import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { formatSummary, progressBar } from '../src/cli/progress.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { UserError } from '../src/errors/index.js';
import { loadConfig } from '../src/config/index.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { reindex } from '../src/index/index.js';

const USAGE = 'npm run reindex -- [--docs DIR] [--index DIR] [--full] [--json]';

runScript(async () => {
  const { values, positionals } = parseCliArgs({ full: { type: 'boolean' }, json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  if (positionals.length) throw new UserError(`unexpected argument "${positionals[0]}" — usage: ${USAGE}`);
  const config = withPathFlags(loadConfig(), values);
  const progress = progressBar(!values.json);
  try {
    const summary = await reindex({
      docsDir: config.docsDir,
      indexDir: config.indexDir,
      full: values.full,
      embeddings: await createEmbeddings(config.embeddings),
      onProgress: progress.onProgress,
    });
    progress.stop();
    process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
  } finally {
    progress.stop();
  }
});
