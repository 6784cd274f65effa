import { destination, pino } from 'pino';
import { startBot } from '../bot/index.js';
import { loadConfig } from '../config/index.js';
import { openEngine } from '../engine/index.js';

/**
 * The bot in its own process for the bot benchmark, so the local Discord server's clock is not held up
 * by the bot's work. Settings come as a JSON environment in argv[2]; prints "ready" once logged in and
 * stops when its stdin closes. The bot's errors go to stderr (pino JSON lines), for the bench to report.
 */
const config = loadConfig(JSON.parse(process.argv[2]) as NodeJS.ProcessEnv);
// As `npm start` opens it: following new generations; the figures lookup is built in the background once it has logged in.
const engine = await openEngine(config, { watch: true });
const bot = await startBot(config, { engine, logger: pino({ level: 'error' }, destination(2)) });
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void bot
    .stop()
    .then(() => engine.close())
    .then(() => process.exit(0));
});
