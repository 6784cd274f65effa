import { pino } from 'pino';
import { startBot, MISSING_TOKEN } from '../src/bot/index.js';
import { UserError } from '../src/errors/index.js';
import { reportBuild } from '../src/cli/progress.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';
import { openEngine } from '../src/engine/index.js';

runScript(async () => {
  parseCliArgs({}, 'npm start');
  const config = loadConfig();
  // Checked before the index is opened, so a missing token fails at once.
  if (!config.bot.token) throw new UserError(MISSING_TOKEN);
  const logger = pino({ level: config.logLevel });
  const engine = await openEngine(config, {
    watch: true,
    onBuild: (reason) => logger.info({ docsDir: config.docsDir, reason }, 'building the index'),
    onBuilt: (summary) => reportBuild(summary, { quiet: true }),
    onReload: (info) => logger.info(info, 'serving a new index generation'),
  });
  let bot: Awaited<ReturnType<typeof startBot>>;
  try {
    bot = await startBot(config, { engine, logger });
  } catch (error) {
    await engine.close();
    throw error;
  }
  // A stray rejection is logged; the bot keeps serving.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await bot.stop();
    await engine.close();
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
});
