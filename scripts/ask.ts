import { formatAnswerText } from '../src/answering/format.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { reportBuild } from '../src/cli/progress.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { openEngine, validateQuestion } from '../src/engine/index.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { reindex } from '../src/index/index.js';

const USAGE = 'npm run ask -- [--json] [--docs DIR] [--index DIR] "question"';

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  const config = withPathFlags(loadConfig(), values);
  const question = validateQuestion(positionals.join(' '), config.maxQuestionChars);
  if (values.docs) {
    // A folder named on the command line is brought up to date first (only changed files are read).
    reportBuild(await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: createEmbeddings(config.embeddings) }), { quiet: true });
  }
  const engine = await openEngine(config, {
    onBuild: (reason) => process.stderr.write(`Building the index from ${config.docsDir} (${reason})…\n`),
    onBuilt: (summary) => reportBuild(summary, { quiet: false }),
  });
  try {
    const answer = await engine.ask(question);
    process.stdout.write(values.json ? `${JSON.stringify(answer, null, 2)}\n` : `${formatAnswerText(answer)}\n`);
  } finally {
    await engine.close();
  }
});
