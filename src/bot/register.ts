import { REST, Routes } from 'discord.js';
import { UserError } from '../errors/index.js';
import type { Config } from '../config/index.js';
import { MISSING_TOKEN, REJECTED_TOKEN } from './bot.js';
import { commandDefinitions } from './commands/index.js';

export interface RegisteredCommands {
  scope: 'guild' | 'global';
  names: string[];
}

/**
 * Registers the slash commands as one bulk overwrite (idempotent: the set replaces whatever was there),
 * in DISCORD_GUILD_ID when set (instant), else globally.
 */
export async function registerCommands(config: Config): Promise<RegisteredCommands> {
  const { token, clientId, guildId, apiUrl } = config.bot;
  if (!token) throw new UserError(MISSING_TOKEN);
  if (!clientId) throw new UserError('DISCORD_CLIENT_ID is not set: put the application id in .env (see README, "Running the Discord bot")');
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const route = guildId ? Routes.applicationGuildCommands(clientId, guildId) : Routes.applicationCommands(clientId);
  const body = commandDefinitions();
  try {
    const registered = (await rest.put(route, { body })) as { name: string }[];
    return { scope: guildId ? 'guild' : 'global', names: registered.map((command) => command.name) };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (status === 401) throw new UserError(REJECTED_TOKEN);
    if (status === 403 || status === 404) {
      throw new UserError(
        `Discord refused to register the commands (${status}): check DISCORD_CLIENT_ID${guildId ? ' and DISCORD_GUILD_ID (is the bot in that server?)' : ''}`,
      );
    }
    throw error;
  }
}
