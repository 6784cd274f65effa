export { startBot, clientOptions, MISSING_TOKEN, REJECTED_TOKEN, type BotOptions, type RunningBot } from './bot.js';
export type { BotContext, QuestionTiming } from './context.js';
export { registerCommands, type RegisteredCommands } from './register.js';
export { commandDefinitions } from './commands/index.js';
export { readStats, type QuestionStats } from './records.js';
export { presentAnswer, presentFigure, presentFigureList, presentSources, type BotMessage } from './present.js';
export { DISCORD_LIMITS, splitText, cutText } from './limits.js';
