import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import { askCommand } from './ask.js';
import { figureCommand } from './figure.js';
import { figuresCommand } from './figures.js';
import { helpCommand } from './help.js';
import { sourcesCommand } from './sources.js';
import type { BotCommand } from './types.js';

export type { BotCommand } from './types.js';

export const commands: ReadonlyMap<string, BotCommand> = new Map(
  [askCommand, figureCommand, figuresCommand, sourcesCommand, helpCommand].map((command) => [command.data.name, command]),
);

/** The definitions to register with Discord (one bulk overwrite). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return [...commands.values()].map((command) => command.data.toJSON());
}
