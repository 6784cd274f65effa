import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiscordServer, type SentInteraction } from '../../test/support/discord-server.js';
import { loadConfig, PROJECT_ROOT } from '../config/index.js';
import { openEngine } from '../engine/index.js';
import { FigureCatalog } from '../figures/index.js';
import { seededRandom } from './corpus.js';
import { percentile, round, timed } from './measure.js';

export interface BotBenchOptions {
  /** A docs folder and its up-to-date index (the bench's largest corpus), and questions about it. */
  docsDir: string;
  indexDir: string;
  questions: string[];
  /** Questions asked one after another by one user. */
  sequential: number;
  /** Users asking at the same moment, and how many such waves. */
  concurrentUsers: number;
  waves: number;
  /** Size of the figures catalog whose autocomplete is timed. */
  figures: number;
  log?: (line: string) => void;
}

export interface LatencySummary {
  n: number;
  ack_p50_ms: number | null;
  ack_p95_ms: number | null;
  ack_p99_ms: number | null;
  answer_p50_ms: number | null;
  answer_p95_ms: number | null;
  answer_p99_ms: number | null;
}

export interface BotStart {
  startup_ms: number;
  figures_ready_ms: number;
}

export interface BotBenchResult {
  bot_concurrency: number;
  /**
   * Two starts over the same index: the first builds the generation's figures lookup (after logging in) and stores it,
   * the second reads it. Each: from starting the bot's process to its being logged in (opening the index included), and
   * to its first /figure autocomplete with choices (the lookup ready).
   */
  first_start: BotStart;
  /** The second start, with the lookup stored; its startup_ms is the bot's start-up. */
  startup_ms: number;
  figures_ready_ms: number;
  one_user: LatencySummary;
  concurrent: LatencySummary & { users: number };
  autocomplete: {
    figures: number;
    /** Building the catalog's search index over that many figures (part of loading an index). */
    catalog_build_ms: number;
    direct_p50_ms: number | null;
    direct_p95_ms: number | null;
    direct_p99_ms: number | null;
    /** The figures in the bot's own catalog (the corpus's), which its autocomplete searches. */
    bot_catalog_figures: number;
    /** /figure autocomplete through the bot, over its whole catalog: INTERACTION_CREATE sent -> choices received. */
    through_bot_p50_ms: number | null;
    through_bot_p95_ms: number | null;
    through_bot_p99_ms: number | null;
  };
}

const ASK_CHANNEL = '300000000000000002';
const BOT_CONCURRENCY = 4;
/** How long one interaction may take before the run gives up (a wave of 50 at 100,000 passages takes seconds). */
const WAIT_MS = 60_000;

/**
 * The bot on the wire: the real discord.js bot (in a child process) against the local Discord-compatible
 * server, answering /ask from the real engine over the bench's corpus. Times are taken by the server:
 * from sending INTERACTION_CREATE to receiving the acknowledgement, and to receiving the first answer message.
 */
export async function runBotBench(options: BotBenchOptions): Promise<BotBenchResult> {
  const log = options.log ?? (() => {});
  const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'policy-qa-bench-bot-'));
  let server: DiscordServer | null = null;
  /** The bot processes started, the running one last. */
  const bots: BotProcess[] = [];
  try {
    const env = { DOCS_DIR: options.docsDir, INDEX_DIR: options.indexDir, BOT_DB_PATH: path.join(workDir, 'bot.sqlite'), LOG_LEVEL: 'silent' };
    log(`[bot] /figure autocomplete over ${options.figures} figures`);
    const autocomplete = await directAutocomplete(loadConfig(env), options.figures);

    server = await DiscordServer.start({ channels: [{ id: ASK_CHANNEL, name: 'ask-policy' }] });
    const running = server;
    const autocompleteOnce = async (partial: string) => {
      const interaction = running.sendAutocomplete({ name: 'figure', options: [{ name: 'name', value: partial, focused: true }], channelId: ASK_CHANNEL });
      const ack = await running.waitForAck(interaction, WAIT_MS);
      const body = ack.body as { data?: { choices?: unknown[] } } | null;
      return { ms: ack.at - interaction.sentAt, choices: body?.data?.choices?.length ?? 0 };
    };
    const bot = () => bots.at(-1)!;
    // A failure names the step and what the bot logged, so a timeout is not mistaken for a slow answer.
    const step = <T>(name: string, work: Promise<T>): Promise<T> =>
      work.catch((error: unknown) => {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}${bot().loggedErrors()}`);
      });
    /** Starts the bot (as `npm start` does: it logs in, then reads its figures lookup) and times it to logged in and to choices. */
    const start = async (): Promise<BotStart> => {
      const spawned = performance.now();
      bots.push(
        await spawnBot({
          ...env,
          DISCORD_TOKEN: running.token,
          DISCORD_CLIENT_ID: running.applicationId,
          DISCORD_GUILD_ID: running.guildId,
          DISCORD_API_URL: running.apiUrl,
          BOT_COOLDOWN_MS: '0',
          BOT_MAX_QUEUE: String(Math.max(100, options.concurrentUsers * 2)),
          BOT_CONCURRENCY: String(BOT_CONCURRENCY),
        }),
      );
      const startup = performance.now() - spawned;
      await step('the bot logging in', running.waitForIdentify(WAIT_MS));
      // Until the lookup is ready an autocomplete answers with no choices (within Discord's 3 s).
      while ((await step('/figure autocomplete at start-up', autocompleteOnce('tech'))).choices === 0);
      return { startup_ms: roundMs(startup)!, figures_ready_ms: roundMs(performance.now() - spawned)! };
    };
    log('[bot] starting the bot: its figures lookup built and stored');
    const firstStart = await start();
    await bot().stop();
    log('[bot] starting it again: its figures lookup read back');
    const secondStart = await start();

    let user = 0;
    // Questions are reused in turn when there are fewer than the run needs.
    const needed = 3 + options.sequential + options.concurrentUsers * options.waves;
    const questions = Array.from({ length: needed }, (_, i) => options.questions[i % options.questions.length]);
    const ask = (question: string): SentInteraction =>
      running.sendCommand({
        name: 'ask',
        options: [{ name: 'question', value: question }],
        user: { id: String(500000000000000000n + BigInt(++user)) },
        channelId: ASK_CHANNEL,
      });
    for (const question of questions.splice(0, 3)) await step('warm-up question', running.measure(ask(question), WAIT_MS));

    log(`[bot] ${options.sequential} questions from one user`);
    const sequential = [];
    for (const question of questions.splice(0, options.sequential))
      sequential.push(await step('question from one user', running.measure(ask(question), WAIT_MS)));

    log(`[bot] ${options.waves} waves of ${options.concurrentUsers} users at once`);
    const concurrent = [];
    for (let wave = 0; wave < options.waves; wave++) {
      const sent = questions.splice(0, options.concurrentUsers).map(ask);
      const measured = await Promise.all(sent.map((interaction) => running.measure(interaction, WAIT_MS))).catch((error: unknown) => {
        const acked = sent.filter((interaction) => running.interactionRequests(interaction).some((r) => r.path.endsWith('/callback'))).length;
        const answered = sent.filter((interaction) => running.interactionRequests(interaction).length > 1).length;
        const statuses = [...new Set(sent.flatMap((interaction) => running.interactionRequests(interaction).map((r) => r.status)))].join(', ');
        throw new Error(
          `wave ${wave + 1}: ${error instanceof Error ? error.message : String(error)}; of ${sent.length} interactions ${acked} were acknowledged and ${answered} had a further request (statuses ${statuses})${bot().loggedErrors()}`,
        );
      });
      concurrent.push(...measured);
    }

    const throughBot: number[] = [];
    for (const partial of autocompletePartials(options.sequential))
      throughBot.push((await step(`/figure autocomplete "${partial}"`, autocompleteOnce(partial))).ms);

    return {
      bot_concurrency: BOT_CONCURRENCY,
      first_start: firstStart,
      ...secondStart,
      one_user: summarize(sequential),
      concurrent: { users: options.concurrentUsers, ...summarize(concurrent) },
      autocomplete: {
        ...autocomplete,
        through_bot_p50_ms: roundMs(percentile(throughBot, 50)),
        through_bot_p95_ms: roundMs(percentile(throughBot, 95)),
        through_bot_p99_ms: roundMs(percentile(throughBot, 99)),
      },
    };
  } finally {
    await bots.at(-1)?.stop();
    await server?.close();
    await fs.rm(workDir, { recursive: true, force: true });
  }
}

/** What a user types into /figure's box, letter by letter: prefixes of topic words, with and without a year. */
function autocompletePartials(count: number): string[] {
  const random = seededRandom(11);
  const words = [
    'technology contracts',
    'patents',
    'enterprises',
    'turnover',
    'yuan',
    'percent',
    'r&d spending',
    'hydrogen',
    'registered capital',
    '技术合同',
    '企业',
  ];
  return Array.from({ length: count }, () => {
    const word = words[Math.floor(random() * words.length)];
    const typed = word.slice(0, 2 + Math.floor(random() * (word.length - 1)));
    return random() < 0.3 ? `${typed} 20${18 + Math.floor(random() * 7)}` : typed;
  });
}

async function directAutocomplete(config: ReturnType<typeof loadConfig>, size: number) {
  const engine = await openEngine(config);
  const all = engine.figures().all();
  await engine.close();
  // Repeat the corpus's figures (with fresh ids) when it has fewer than asked for.
  const figures = Array.from({ length: size }, (_, i) => ({ ...all[i % all.length], id: `${all[i % all.length].id}#${Math.floor(i / all.length)}` }));
  const build = await timed(async () => {
    const catalog = FigureCatalog.fromFigures(figures);
    catalog.prepare();
    return catalog;
  });
  const latencies: number[] = [];
  for (const partial of autocompletePartials(500)) latencies.push((await timed(async () => build.value.autocomplete(partial))).ms);
  return {
    figures: build.value.size,
    bot_catalog_figures: all.length,
    catalog_build_ms: roundMs(build.ms)!,
    direct_p50_ms: roundMs(percentile(latencies, 50), 3),
    direct_p95_ms: roundMs(percentile(latencies, 95), 3),
    direct_p99_ms: roundMs(percentile(latencies, 99), 3),
  };
}

interface BotProcess {
  stop(): Promise<void>;
  /** The last errors the bot logged, as "; the bot logged: …" (empty when none). */
  loggedErrors(): string;
}

async function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'bot-worker.ts'), JSON.stringify(env)], {
    cwd: PROJECT_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the bot process exited (${code}): ${output.trim().split('\n').slice(-3).join(' | ')}`)));
  });
  return {
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin.end();
      await Promise.race([once(child, 'exit'), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      if (child.exitCode === null) child.kill();
    },
    loggedErrors() {
      const lines = output.trim().split('\n').filter(Boolean).slice(-3).map(describeLogLine);
      return lines.length ? `; the bot logged: ${lines.join(' | ')}` : '';
    },
  };
}

/** A pino JSON line as "message (error type: error message)"; other output as it is. */
function describeLogLine(line: string): string {
  try {
    const entry = JSON.parse(line) as { msg?: string; err?: { type?: string; message?: string } };
    return entry.err ? `${entry.msg} (${entry.err.type}: ${entry.err.message})` : (entry.msg ?? line);
  } catch {
    return line;
  }
}

function summarize(samples: { ackMs: number; answerMs: number }[]): LatencySummary {
  const acks = samples.map((s) => s.ackMs);
  const answers = samples.map((s) => s.answerMs);
  return {
    n: samples.length,
    ack_p50_ms: roundMs(percentile(acks, 50)),
    ack_p95_ms: roundMs(percentile(acks, 95)),
    ack_p99_ms: roundMs(percentile(acks, 99)),
    answer_p50_ms: roundMs(percentile(answers, 50)),
    answer_p95_ms: roundMs(percentile(answers, 95)),
    answer_p99_ms: roundMs(percentile(answers, 99)),
  };
}

function roundMs(value: number | null, digits = 1): number | null {
  return value === null ? null : round(value, digits);
}
