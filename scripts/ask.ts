import { formatAnswerText } from '../src/answering/format.js';
import { openEngineForScript } from '../src/cli/engine.js';
import { PATH_FLAGS, withPathFlags } from '../src/cli/paths.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { validateQuestion } from '../src/engine/index.js';

const USAGE = 'npm run ask -- [--json] [--docs DIR] [--index DIR] "question"';

runScript(async () => {
  const { values, positionals } = parseCliArgs({ json: { type: 'boolean' }, ...PATH_FLAGS }, USAGE);
  const config = withPathFlags(loadConfig(), values);
  const question = validateQuestion(positionals.join(' '), config.maxQuestionChars);
  const { engine, notice } = await openEngineForScript(config, { refresh: Boolean(values.docs) });
  try {
    const answer = await engine.ask(question);
    process.stdout.write(values.json ? `${JSON.stringify(notice ? { ...answer, index_notice: notice } : answer, null, 2)}\n` : `${formatAnswerText(answer)}\n`);
  } finally {
    await engine.close();
  }
});
