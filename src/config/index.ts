import path from 'node:path';
import dotenv from 'dotenv';
import { UserError } from '../errors/index.js';

/** Every setting of the project, read from the environment (and `.env`) in this one place. */
export interface Config {
  docsDir: string;
  indexDir: string;
  /** Where the meaning data's caches (dictionary, word vectors, WordNet) are built at first use; safe to delete. */
  meaningCacheDir: string;
  embeddings: EmbeddingsConfig;
  /** Set when a chat model is configured (OPENAI_API_KEY or OPENAI_BASE_URL); null means extractive answers. */
  chat: ChatConfig | null;
  maxQuestionChars: number;
  /** The fitted answer model the offline answerer decides with (data/tuning/answer-model.json; `npm run fit` writes it). */
  answerModelPath: string;
  logLevel: string;
  bot: BotConfig;
}

export type EmbeddingsConfig = { provider: 'local'; dimensions: number } | { provider: 'openai'; model: string; apiKey: string; baseURL: string | undefined };

export interface ChatConfig {
  model: string;
  apiKey: string;
  baseURL: string | undefined;
  /** The whole budget for one model answer, retries included. */
  timeoutMs: number;
}

export interface BotConfig {
  token: string | undefined;
  clientId: string | undefined;
  guildId: string | undefined;
  askChannelIds: string[];
  apiUrl: string | undefined;
  databasePath: string;
  cooldownMs: number;
  maxQueue: number;
  concurrency: number;
}

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

let dotenvLoaded = false;

/** Reads `.env` once (existing environment variables win), then validates. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  if (env === process.env && !dotenvLoaded) {
    dotenv.config({ path: path.join(PROJECT_ROOT, '.env'), quiet: true });
    dotenvLoaded = true;
  }
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const apiKey = read('OPENAI_API_KEY');
  const baseURL = read('OPENAI_BASE_URL');
  if (baseURL) validateUrl('OPENAI_BASE_URL', baseURL);
  const modelConfigured = Boolean(apiKey || baseURL);
  // Local servers (Ollama, vLLM, llama.cpp) ignore the key, but the client insists on one.
  const effectiveKey = apiKey ?? 'not-needed';

  const provider = (read('EMBEDDINGS_PROVIDER') ?? 'local').toLowerCase();
  let embeddings: EmbeddingsConfig;
  if (provider === 'local') {
    embeddings = { provider: 'local', dimensions: readInt(read, 'LOCAL_EMBEDDINGS_DIMENSIONS', 384, 16, 4096) };
  } else if (provider === 'openai') {
    if (!modelConfigured) {
      throw new UserError('EMBEDDINGS_PROVIDER=openai needs OPENAI_API_KEY or OPENAI_BASE_URL (see .env.example)');
    }
    embeddings = { provider: 'openai', model: read('EMBEDDINGS_MODEL') ?? 'text-embedding-3-small', apiKey: effectiveKey, baseURL };
  } else {
    throw new UserError(`EMBEDDINGS_PROVIDER must be "local" or "openai", not "${provider}"`);
  }

  const resolve = (p: string) => path.resolve(PROJECT_ROOT, p);
  const askChannelIds = (read('ASK_CHANNEL_IDS') ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of askChannelIds) {
    if (!/^\d{5,25}$/.test(id)) throw new UserError(`ASK_CHANNEL_IDS holds "${id}", which is not a Discord channel id`);
  }
  const apiUrl = read('DISCORD_API_URL');
  if (apiUrl) validateUrl('DISCORD_API_URL', apiUrl);

  return {
    docsDir: resolve(read('DOCS_DIR') ?? 'data/docs'),
    indexDir: resolve(read('INDEX_DIR') ?? 'data/index'),
    meaningCacheDir: resolve(read('MEANING_CACHE_DIR') ?? 'data/cache'),
    embeddings,
    chat: modelConfigured
      ? {
          model: read('CHAT_MODEL') ?? 'gpt-4o-mini',
          apiKey: effectiveKey,
          baseURL,
          timeoutMs: readInt(read, 'CHAT_TIMEOUT_MS', 20_000, 1_000, 600_000),
        }
      : null,
    maxQuestionChars: readInt(read, 'MAX_QUESTION_CHARS', 1_000, 10, 100_000),
    answerModelPath: resolve(read('ANSWER_MODEL') ?? 'data/tuning/answer-model.json'),
    logLevel: read('LOG_LEVEL') ?? 'info',
    bot: {
      token: read('DISCORD_TOKEN'),
      clientId: read('DISCORD_CLIENT_ID'),
      guildId: read('DISCORD_GUILD_ID'),
      askChannelIds,
      apiUrl,
      databasePath: resolve(read('BOT_DB_PATH') ?? 'data/bot.sqlite'),
      cooldownMs: readInt(read, 'BOT_COOLDOWN_MS', 3_000, 0, 3_600_000),
      maxQueue: readInt(read, 'BOT_MAX_QUEUE', 100, 1, 10_000),
      concurrency: readInt(read, 'BOT_CONCURRENCY', 4, 1, 64),
    },
  };
}

function readInt(read: (name: string) => string | undefined, name: string, fallback: number, min: number, max: number): number {
  const raw = read(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return value;
}

function validateUrl(name: string, value: string): void {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new UserError(`${name} must be an http(s) URL, not "${value}"`);
  }
}
