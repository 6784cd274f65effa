import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, type ClientOptions } from 'discord.js';
import { pino, type Logger } from 'pino';
import { UserError } from '../errors/index.js';
import type { Config } from '../config/index.js';
import type { Engine } from '../engine/types.js';
import type { BotContext, QuestionTiming } from './context.js';
import { NO_MENTIONS } from './deliver.js';
import { handleInteraction } from './interactions.js';
import { handleMessage } from './messages.js';
import { Cooldowns, WorkQueue } from './queue.js';
import { QuestionRecords } from './records.js';

export interface BotOptions {
  /** Opened by the caller (`openEngine(config, { watch: true })`), so reindexes are served without a restart. */
  engine: Engine;
  logger?: Logger;
  /** Called after each question with its acknowledgement and answer latency (for the benchmark). */
  onTiming?: (timing: QuestionTiming) => void;
  /** How long to wait for the gateway to become ready. */
  readyTimeoutMs?: number;
}

export interface RunningBot {
  client: Client<true>;
  context: BotContext;
  /** Disconnects, waits for questions in progress (briefly), closes the records. Does not close the engine. */
  stop(): Promise<void>;
}

export const MISSING_TOKEN = 'DISCORD_TOKEN is not set: put the bot token in .env (see README, "Running the Discord bot")';
export const REJECTED_TOKEN = 'Discord rejected DISCORD_TOKEN: copy the token again from the Developer Portal (see README, "Running the Discord bot")';
export const DISALLOWED_INTENTS =
  'Discord refused the Message Content intent: enable it under Bot → Privileged Gateway Intents in the Developer Portal (see README, "Running the Discord bot")';

/** The discord.js options of the bot: the intents it needs, and no pings from anything it sends. */
export function clientOptions(config: Config): ClientOptions {
  return {
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    allowedMentions: NO_MENTIONS,
    ...(config.bot.apiUrl ? { rest: { api: config.bot.apiUrl } } : {}),
  };
}

/** Logs in and resolves once the bot is ready; a missing or rejected token is a UserError. */
export async function startBot(config: Config, options: BotOptions): Promise<RunningBot> {
  const token = config.bot.token;
  if (!token) throw new UserError(MISSING_TOKEN);
  const logger = options.logger ?? pino({ level: config.logLevel });
  const records = new QuestionRecords(config.bot.databasePath);
  const context: BotContext = {
    config,
    engine: options.engine,
    records,
    queue: new WorkQueue(config.bot.concurrency, config.bot.maxQueue),
    cooldowns: new Cooldowns(config.bot.cooldownMs),
    logger,
    onTiming: options.onTiming,
  };
  const client = new Client(clientOptions(config));
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    // Handlers catch their own errors; this is the last guard so one event can never stop the bot.
    const guarded = work.catch((error: unknown) => logger.error({ err: error }, 'event handler failed'));
    inFlight.add(guarded);
    void guarded.finally(() => inFlight.delete(guarded));
  };
  client.on(Events.InteractionCreate, (interaction) => track(handleInteraction(context, interaction)));
  client.on(Events.MessageCreate, (message) => track(handleMessage(context, message)));
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => logger.warn(message));

  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(options.readyTimeoutMs ?? 60_000) });
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    await client.destroy();
    records.close();
    const code = (error as { code?: unknown }).code;
    if (code === 'TokenInvalid') throw new UserError(REJECTED_TOKEN);
    if (code === 'DisallowedIntents') throw new UserError(DISALLOWED_INTENTS);
    throw error;
  }
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'bot ready');
  context.engine.warmUp();

  return {
    client: client as Client<true>,
    context,
    async stop() {
      await client.destroy();
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
      records.close();
    },
  };
}
