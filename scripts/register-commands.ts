import { registerCommands } from '../src/bot/index.js';
import { parseCliArgs, runScript } from '../src/cli/run.js';
import { loadConfig } from '../src/config/index.js';

runScript(async () => {
  parseCliArgs({}, 'npm run register-commands');
  const config = loadConfig();
  const { scope, names } = await registerCommands(config);
  const where = scope === 'guild' ? `in the server ${config.bot.guildId} (available now)` : 'globally (Discord may take up to an hour to show them)';
  process.stdout.write(`Registered ${names.length} commands ${where}: ${names.map((name) => `/${name}`).join(', ')}\n`);
});
