/**
 * The bot end to end: the real discord.js Client against the local Discord-compatible server
 * (test/support/discord-server.ts) on 127.0.0.1, answering from the real engine over a copy of data/docs.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { REFUSAL_TEXT } from '../src/answering/types.js';
import { readStats, registerCommands, startBot, type QuestionTiming, type RunningBot } from '../src/bot/index.js';
import { UserError } from '../src/errors/index.js';
import { loadConfig, PROJECT_ROOT, type Config } from '../src/config/index.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { openEngine } from '../src/engine/index.js';
import type { Engine } from '../src/engine/types.js';
import type { Answer, ConversationTurn } from '../src/answering/types.js';
import { reindex } from '../src/index/index.js';
import { writeFiles } from './support/corpus.js';
import { releases } from './support/releases.js';
import { DiscordServer, isMessageWrite, limitViolations, messageBody, type RecordedRequest, type StoredMessage } from './support/discord-server.js';

const run = promisify(execFile);

const GENERAL = '300000000000000001';
const ASK_CHANNEL = '300000000000000002';
const THREAD = '300000000000000003';
const COOLDOWN_MS = 800;
const MAX_QUEUE = 20;
const CONCURRENCY = 2;

/** Two releases of one (fictional) city, a year apart: a measure stated for 2022 and 2023, and figures of one period. */
const SERIES_FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'series');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const VOLUME_QUESTION = 'What was the volume of contracted technology transactions in Shaanxi last year?';
const SHARE_FOLLOW_UP = 'and what share of all contracts was that?';

let tmp: string;
let server: DiscordServer;
let config: Config;
let env: Record<string, string>;
let engine: Engine;
let bot: RunningBot;
let failNextAsk = false;
let inflateNextAnswer = false;
/** What the bot passed to the engine, per question. */
const asked: { question: string; history: ConversationTurn[] }[] = [];
const logged: { level: number; msg: string }[] = [];
const timings: QuestionTiming[] = [];
let userCounter = 0;

/** A fresh user per question, so the per-user cooldown only applies where a test wants it. */
function newUser(): { id: string; username: string } {
  userCounter += 1;
  return { id: String(500000000000000000n + BigInt(userCounter)), username: `asker${userCounter}` };
}

const mention = () => `<@${server.bot.id}>`;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bot-test-'));
  fs.cpSync(path.join(PROJECT_ROOT, 'data', 'docs'), path.join(tmp, 'docs'), { recursive: true });
  server = await DiscordServer.start({
    channels: [
      { id: GENERAL, name: 'general' },
      { id: ASK_CHANNEL, name: 'ask-policy' },
      { id: THREAD, name: 'contracts thread', parentId: GENERAL },
    ],
  });
  env = {
    DOCS_DIR: path.join(tmp, 'docs'),
    INDEX_DIR: path.join(tmp, 'index'),
    BOT_DB_PATH: path.join(tmp, 'bot.sqlite'),
    DISCORD_TOKEN: server.token,
    DISCORD_CLIENT_ID: server.applicationId,
    DISCORD_GUILD_ID: server.guildId,
    DISCORD_API_URL: server.apiUrl,
    ASK_CHANNEL_IDS: ASK_CHANNEL,
    BOT_COOLDOWN_MS: String(COOLDOWN_MS),
    BOT_MAX_QUEUE: String(MAX_QUEUE),
    BOT_CONCURRENCY: String(CONCURRENCY),
    LOG_LEVEL: 'silent',
  };
  config = loadConfig(env);
  engine = await openEngine(config, { watch: true });
  // The real engine, recording what it was asked, with switches to make one question fail (the handler's
  // error path) or answer at a length beyond Discord's limits.
  const observed: Engine = {
    ...engine,
    ask: async (question, options) => {
      asked.push({ question, history: options?.history ?? [] });
      if (failNextAsk) {
        failNextAsk = false;
        throw new Error('simulated engine failure');
      }
      const answer = await engine.ask(question, options);
      if (!inflateNextAnswer) return answer;
      inflateNextAnswer = false;
      return inflate(answer);
    },
  };
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
      done();
    },
  });
  bot = await startBot(config, { engine: observed, logger: pino({ level: 'warn' }, sink), onTiming: (t) => timings.push(t) });
  await registerCommands(config);
});

afterAll(async () => {
  await bot?.stop();
  await engine?.close();
  await server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Sends /ask and returns the acknowledgement and the first answer message on the wire. */
async function ask(question: string, user = newUser()) {
  const interaction = server.sendCommand({ name: 'ask', options: [{ name: 'question', value: question }], user });
  const ack = await server.waitForAck(interaction);
  const answer = await server.waitForAnswer(interaction, 20_000);
  return { interaction, ack, answer, body: messageBody(answer) };
}

/** Posts a user message and waits for the bot's reply to it. */
async function say(channelId: string, content: string, options: { user?: ReturnType<typeof newUser>; mentionsBot?: boolean; replyTo?: StoredMessage } = {}) {
  const user = options.user ?? newUser();
  const author = server.user(user.id, user.username);
  const message = server.postUserMessage({ channelId, content, author, mentionsBot: options.mentionsBot, replyTo: options.replyTo });
  const reply = await server.waitForRequest(
    (request) => request.method === 'POST' && request.path === `/channels/${channelId}/messages` && request.body?.message_reference?.message_id === message.id,
    20_000,
  );
  const stored = server.channelMessages(channelId).find((m) => m.author.id === server.bot.id && m.message_reference?.message_id === message.id)!;
  return { message, reply, stored };
}

/** Reindexes the docs folder and waits until the bot's engine serves the new index. */
async function reindexed(): Promise<void> {
  const before = engine.indexInfo().builtAt;
  await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: await createEmbeddings(config.embeddings) });
  const deadline = Date.now() + 15_000;
  while (engine.indexInfo().builtAt === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Waits for the serving figures catalog to hold a figure (after a reindex, it is built a slice at a time). */
async function servedFigure(docId: string, raw: string) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const figure = engine
      .figures()
      .all()
      .find((entry) => entry.source.id === docId && entry.raw === raw);
    if (figure || Date.now() > deadline) return figure!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answerText(body: any): string {
  return [body?.content ?? '', ...(body?.embeds ?? []).map((embed: any) => embed.description ?? '')].join('\n');
}

describe('the bot against a local Discord-compatible server', () => {
  it('logs in, becomes ready and registers its commands as one idempotent bulk overwrite', async () => {
    expect(bot.client.isReady()).toBe(true);
    const gateway = server.requests.find((request) => request.path === '/gateway/bot');
    expect(gateway?.authorization).toBe(`Bot ${server.token}`);
    const names = server.registeredCommands
      .get(server.guildId)
      ?.map((command) => command.name)
      .sort();
    expect(names).toEqual(['ask', 'figure', 'figures', 'help', 'sources']);
    await registerCommands(config);
    const puts = server.requests.filter((request) => request.method === 'PUT' && request.path.endsWith('/commands'));
    expect(puts.length).toBe(2);
    expect(puts[1].path).toBe(`/applications/${server.applicationId}/guilds/${server.guildId}/commands`);
    expect(puts[1].body).toEqual(puts[0].body);
  });

  it('defers /ask at once, then edits the reply with the cited answer, and takes 👍/👎 feedback', async () => {
    const { ack, answer, body, interaction } = await ask(VOLUME_QUESTION);
    expect(ack.body).toMatchObject({ type: 5 });
    expect(ack.at - interaction.sentAt).toBeGreaterThanOrEqual(0);
    expect(answer.method).toBe('PATCH');
    expect(answer.path).toBe(`/webhooks/${server.applicationId}/${interaction.token}/messages/@original`);
    const embed = body.embeds[0];
    expect(embed.title).toBe(VOLUME_QUESTION);
    expect(embed.description).toContain('412.076 billion yuan');
    expect(embed.description).toMatch(/\[1\]/);
    expect(embed.fields[0].name).toMatch(/^\[1\] West China/);
    expect(embed.fields[0].value).toContain('2024-03-27');
    expect(embed.fields[0].value).toMatch(/> .+/);
    expect(embed.footer.text).toMatch(/Extractive answer/);
    expect(embed.footer.text).toMatch(/index built \d{4}-\d\d-\d\d/);
    const buttons = body.components[0].components.map((button: any) => button.custom_id);
    expect(buttons).toEqual([expect.stringMatching(/^feedback:up:\d+$/), expect.stringMatching(/^feedback:down:\d+$/)]);

    const original = server.channelMessages(GENERAL).find((message) => message.interaction_metadata?.id === interaction.id)!;
    const click = server.clickButton({ message: original, customId: buttons[1], user: { id: '400000000000000777' } });
    const thanks = await server.waitForAnswer(click);
    expect(thanks.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(thanks.body.data.content).toMatch(/recorded/);
    const stats = readStats(config.bot.databasePath);
    expect(stats.feedback.down).toBeGreaterThanOrEqual(1);
    expect(stats.downVoted.map((row) => row.question)).toContain(VOLUME_QUESTION);
    expect(stats.mostAsked.map((row) => row.question)).toContain(VOLUME_QUESTION);
  });

  it('/figure autocompletes from the catalog (1–25 choices) and replies with the chosen figure', async () => {
    const typing = server.sendAutocomplete({ name: 'figure', options: [{ name: 'name', value: '', focused: true }] });
    const suggestions = await server.waitForAck(typing);
    expect(suggestions.body.type).toBe(8);
    const choices: { name: string; value: string }[] = suggestions.body.data.choices;
    expect(choices.length).toBeGreaterThanOrEqual(1);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const choice of choices) {
      expect(choice.name.length).toBeLessThanOrEqual(100);
      expect(choice.value.length).toBeLessThanOrEqual(100);
    }
    const figure = engine.figures().byId(choices[0].value) ?? engine.figures().search(choices[0].value, 1)[0].figure;
    const command = server.sendCommand({ name: 'figure', options: [{ name: 'name', value: choices[0].value }] });
    const reply = await server.waitForAnswer(command);
    // A figure with a chart is acknowledged first and its reply comes as an edit; one without is answered at once.
    const message = reply.method === 'PATCH' ? reply.body : reply.body.data;
    if (reply.method !== 'PATCH') expect(reply.body.type).toBe(4);
    const embed = message.embeds[0];
    expect(embed.description).toContain(figure.raw);
    expect(embed.fields.map((field: any) => field.name)).toEqual(['Value', 'Period', 'Scope', 'Source']);
    expect(embed.fields[3].value).toContain(figure.source.title);

    const list = server.sendCommand({ name: 'figures' });
    const listed = await server.waitForAnswer(list);
    expect(listed.body.data.embeds[0].description).toContain(figure.label);
  });

  it('/figure attaches the chart of a measure stated for two periods and lists the other period; one period gets no chart', async () => {
    const files = Object.fromEntries(fs.readdirSync(SERIES_FIXTURES).map((name) => [name, fs.readFileSync(path.join(SERIES_FIXTURES, name))]));
    await writeFiles(env.DOCS_DIR, files);
    try {
      await reindexed();
      const output = await servedFigure('lakeside-robotics-2024-02-20.txt', '23.9 billion yuan');
      const command = server.sendCommand({ name: 'figure', options: [{ name: 'name', value: output.id }] });
      // Deferred, since drawing the first chart loads its renderer.
      expect((await server.waitForAck(command)).body.type).toBe(5);
      const reply = await server.waitForAnswer(command, 20_000);
      expect(reply.files).toHaveLength(1);
      const [chart] = reply.files;
      expect(chart.data.subarray(0, 8)).toEqual(PNG_SIGNATURE);
      const embed = messageBody(reply).embeds[0];
      expect(embed.image.url).toBe(`attachment://${chart.filename}`);
      expect(embed.description).toContain('**23.9 billion yuan**');
      expect(embed.description).toContain('**Other periods**\n• 2022: 18.6 billion yuan — _Lakeside City robotics industry keeps growing_');
      expect(limitViolations(messageBody(reply))).toEqual([]);

      const engineers = await servedFigure('lakeside-robotics-2023-02-14.txt', '3,400 robotics engineers');
      const single = server.sendCommand({ name: 'figure', options: [{ name: 'name', value: engineers.id }] });
      const answer = await server.waitForAnswer(single);
      expect(answer.body.type).toBe(4);
      expect(answer.files).toEqual([]);
      expect(answer.body.data.embeds[0].image).toBeUndefined();
      expect(answer.body.data.embeds[0].description).toContain('one period only (2022)');
    } finally {
      for (const file of Object.keys(files)) fs.rmSync(path.join(env.DOCS_DIR, file));
      await reindexed();
    }
  });

  it('/sources lists the documents and the index date; /help explains, privately', async () => {
    const sources = await server.waitForAnswer(server.sendCommand({ name: 'sources' }));
    const embed = sources.body.data.embeds[0];
    expect(embed.description).toContain("West China's Xixian New Area");
    expect(embed.footer.text).toMatch(/Index built \d{4}-\d\d-\d\d .* 1 documents/);
    const help = await server.waitForAnswer(server.sendCommand({ name: 'help' }));
    expect(help.body.data.flags).toBe(64);
    expect(help.body.data.embeds[0].description).toContain('/ask');
  });

  it('answers a mention with a typing indicator, then a reply that pings no one', async () => {
    const { message, reply } = await say(GENERAL, `${mention()} @everyone what share of all contracts were local technology utilization contracts?`, {
      mentionsBot: true,
    });
    const typing = server.requests.find((request) => request.path === `/channels/${GENERAL}/typing` && request.at <= reply.at);
    expect(typing).toBeDefined();
    expect(reply.body.message_reference.message_id).toBe(message.id);
    expect(reply.body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(answerText(reply.body)).toContain('50.38');
    expect(reply.body.embeds[0].fields.length).toBeGreaterThanOrEqual(1);
  });

  it('answers any message in an ASK_CHANNEL_IDS channel, and ignores other bots', async () => {
    const { reply } = await say(ASK_CHANNEL, 'When was the Qinchuangyuan Platform launched?');
    expect(answerText(reply.body)).toContain('2021');

    const before = server.requests.length;
    const robot = { ...server.user('600000000000000001', 'other-bot'), bot: true };
    server.postUserMessage({ channelId: ASK_CHANNEL, content: `${mention()} When was the platform launched?`, author: robot, mentionsBot: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(server.requests.slice(before).filter((request) => request.path.startsWith(`/channels/${ASK_CHANNEL}`))).toEqual([]);
    // Its own messages come back over the gateway too (as on Discord); none of them is answered.
    const botMessageIds = new Set(
      server
        .channelMessages(ASK_CHANNEL)
        .filter((m) => m.author.id === server.bot.id)
        .map((m) => m.id),
    );
    const repliesToSelf = server.requests.filter((request) => botMessageIds.has(request.body?.message_reference?.message_id));
    expect(repliesToSelf).toEqual([]);
  });

  it('answers a follow-up in a reply chain with the conversation', async () => {
    const user = newUser();
    const first = await say(GENERAL, `${mention()} ${VOLUME_QUESTION}`, { user, mentionsBot: true });
    expect(answerText(first.reply.body)).toContain('412.076 billion yuan');
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS));
    // A reply to the bot's answer, without a mention.
    const followUp = await say(GENERAL, SHARE_FOLLOW_UP, { user, replyTo: first.stored });
    expect(answerText(followUp.reply.body)).toContain('50.38');
    const history = asked.findLast((entry) => entry.question === SHARE_FOLLOW_UP)!.history;
    expect(history[0]).toEqual({ role: 'user', content: VOLUME_QUESTION });
    expect(history[1].role).toBe('assistant');
    expect(history[1].content).toContain('412.076 billion yuan');
  });

  it('answers a follow-up in a thread with the conversation', async () => {
    const user = newUser();
    const first = await say(THREAD, `${mention()} ${VOLUME_QUESTION}`, { user, mentionsBot: true });
    expect(answerText(first.reply.body)).toContain('412.076');
    await new Promise((resolve) => setTimeout(resolve, COOLDOWN_MS));
    const followUp = await say(THREAD, `${mention()} ${SHARE_FOLLOW_UP}`, { user, mentionsBot: true });
    expect(answerText(followUp.reply.body)).toContain('50.38');
    const history = asked.findLast((entry) => entry.question === SHARE_FOLLOW_UP)!.history;
    expect(history.map((turn) => turn.role)).toEqual(['user', 'assistant']);
    expect(history[0].content).toBe(VOLUME_QUESTION);
  });

  it('echoes a question containing @everyone in /ask without pinging anyone', async () => {
    const { body } = await ask(`@everyone ${VOLUME_QUESTION}`);
    expect(body.embeds[0].title).toBe(`@everyone ${VOLUME_QUESTION}`);
    expect(body.allowed_mentions).toMatchObject({ parse: [] });
    expect(asked.at(-1)!.question).toBe(VOLUME_QUESTION);
  });

  it('refuses an out-of-scope question plainly, without sources', async () => {
    const { body } = await ask('What is the best recipe for chocolate cake?');
    expect(body.content).toBe(REFUSAL_TEXT);
    expect(body.embeds ?? []).toEqual([]);
  });

  it('turns away an over-long question, a too-quick second question, and apologises for a failure', async () => {
    const tooLong = server.sendCommand({ name: 'ask', options: [{ name: 'question', value: 'why '.repeat(config.maxQuestionChars) }], user: newUser() });
    const limit = await server.waitForAnswer(tooLong);
    expect(limit.body).toMatchObject({ type: 4, data: { flags: 64 } });
    expect(limit.body.data.content).toMatch(/limit is 1,000/);

    const user = newUser();
    await say(GENERAL, `${mention()} When was the Qinchuangyuan Platform launched?`, { user, mentionsBot: true });
    const { reply } = await say(GENERAL, `${mention()} Who runs it?`, { user, mentionsBot: true });
    expect(reply.body.content).toMatch(/please wait \d+ s/);

    failNextAsk = true;
    const failed = await ask(VOLUME_QUESTION);
    expect(failed.body.content).toMatch(/^Sorry — something went wrong/);
    expect(logged.some((entry) => entry.level >= 50 && /answering a question failed/.test(entry.msg))).toBe(true);
    // Still serving.
    const next = await ask(VOLUME_QUESTION);
    expect(answerText(next.body)).toContain('412.076');
  });

  it('acknowledges 50 concurrent /ask, then answers each or tells it to retry', async () => {
    const started = performance.now();
    const interactions = Array.from({ length: 50 }, (_, i) =>
      server.sendCommand({
        name: 'ask',
        options: [{ name: 'question', value: i % 2 ? VOLUME_QUESTION : 'How many initiatives did the innovation promotion center alliance issue?' }],
        user: newUser(),
      }),
    );
    const acks = await Promise.all(interactions.map((interaction) => server.waitForAck(interaction, 10_000)));
    const answers = await Promise.all(interactions.map((interaction) => server.waitForAnswer(interaction, 60_000)));
    const ackMs = acks.map((ack, i) => ack.at - interactions[i].sentAt);
    const answerMs = answers.map((answer, i) => answer.at - interactions[i].sentAt);
    for (const ack of acks) expect(ack.body.type).toBe(5);
    let answered = 0;
    let busy = 0;
    for (const answer of answers) {
      const body = messageBody(answer);
      if (body.embeds?.length) answered += 1;
      else if (/busy .* try again in \d+ s/.test(body.content)) busy += 1;
    }
    expect(answered + busy).toBe(50);
    // With 2 workers and 20 waiting places, some are told to retry, and at least those places are answered.
    expect(answered).toBeGreaterThanOrEqual(CONCURRENCY + MAX_QUEUE);
    // Discord's limit is 3 s; the local run is far below it, so this bound is generous, not a benchmark.
    expect(Math.max(...ackMs)).toBeLessThan(3_000);
    const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
    console.log(
      `50 concurrent /ask: ack max ${Math.round(Math.max(...ackMs))} ms; answer median ${Math.round(sorted(answerMs)[25])} ms, ` +
        `max ${Math.round(Math.max(...answerMs))} ms; ${answered} answered, ${busy} told to retry; total ${Math.round(performance.now() - started)} ms`,
    );
  });

  it('serves a reindex of its docs folder without a restart', async () => {
    fs.writeFileSync(
      path.join(env.DOCS_DIR, 'quantum-valley-2025-01-10.md'),
      [
        '---',
        'title: Hefei Quantum Valley programme report',
        'date: 2025-01-10',
        'url: https://example.org/quantum-valley',
        '---',
        'The Hefei Quantum Valley programme funded 77 quantum laboratories in 2024.',
        'Its venture fund raised 9.5 billion yuan from provincial investors.',
      ].join('\n'),
    );
    const before = engine.indexInfo().builtAt;
    await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: await createEmbeddings(config.embeddings) });
    const deadline = Date.now() + 15_000;
    while (engine.indexInfo().builtAt === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const { body } = await ask('How many quantum laboratories did the Hefei Quantum Valley programme fund?');
    expect(body.embeds[0].description).toContain('77');
    expect(body.embeds[0].fields.map((field: any) => field.name).join('\n')).toContain('Hefei Quantum Valley programme report');
    expect(body.embeds[0].fields[0].value).toContain('https://example.org/quantum-valley');
  });

  it('names the other copies of a release in a source and groups them under it in /sources', async () => {
    const files = releases('plain', 'html', 'reworded');
    await writeFiles(env.DOCS_DIR, files);
    try {
      await reindexed();
      const { body } = await ask('How many technology brokers did the Riverbend bureau train?');
      const field = body.embeds
        .flatMap((embed: any) => embed.fields ?? [])
        .find((entry: any) => entry.name.includes('Riverbend technology market sets a record'));
      expect(field.value).toContain('also published by portal.example.com, Riverbend signs a record number of technology contracts');
      expect(field.value).toContain('1,560 technology brokers');

      const listing = (await server.waitForAnswer(server.sendCommand({ name: 'sources' }))).body.data.embeds[0];
      const lines: string[] = listing.description.split('\n');
      const canonical = lines.findIndex((line) => line.includes('Riverbend technology market sets a record in 2024'));
      expect(lines.slice(canonical + 1, canonical + 3)).toEqual([
        expect.stringMatching(/^↳ copy: Riverbend signs a record/),
        expect.stringMatching(/^↳ copy: portal\.example\.com/),
      ]);
      expect(listing.title).toMatch(/2 of them copies of another/);
    } finally {
      for (const file of Object.keys(files)) fs.rmSync(path.join(env.DOCS_DIR, file));
      await reindexed();
    }
  });

  it('continues an answer beyond Discord limits in further messages, never sending a rejected request', async () => {
    inflateNextAnswer = true;
    const { interaction } = await ask(VOLUME_QUESTION);
    // The edit of the deferred reply, then follow-ups; the last one carries the footer and the buttons.
    const deadline = Date.now() + 10_000;
    let parts: RecordedRequest[] = [];
    while (Date.now() < deadline) {
      parts = server.interactionRequests(interaction).filter((request) => request.path.startsWith('/webhooks/'));
      if (parts.at(-1)?.body?.components?.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expectLongAnswerDelivered(parts.map((part) => part.body));
    expect(parts[0].method).toBe('PATCH');
    expect(parts.slice(1).every((part) => part.method === 'POST' && part.query.get('wait') === 'true')).toBe(true);

    // In a channel: a chain of replies, each part replying to the one before.
    inflateNextAnswer = true;
    const { message } = await say(GENERAL, `${mention()} ${VOLUME_QUESTION}`, { mentionsBot: true });
    const chain: any[] = [];
    let parentId = message.id;
    for (;;) {
      const part = await server.waitForRequest((request) => request.method === 'POST' && request.body?.message_reference?.message_id === parentId, 10_000);
      chain.push(part.body);
      if (part.body.components?.length) break;
      parentId = server.channelMessages(GENERAL).find((m) => m.author.id === server.bot.id && m.message_reference?.message_id === parentId)!.id;
    }
    expectLongAnswerDelivered(chain);
    expect(server.requests.filter((request) => request.status === 400)).toEqual([]);
  });

  it('sends allowed_mentions that parse nothing on every message it wrote', () => {
    const writes = server.requests.filter(isMessageWrite);
    const kinds = new Set(writes.map(kindOf));
    expect([...kinds].sort()).toEqual(['channel reply', 'interaction reply', 'webhook edit', 'webhook follow-up'].sort());
    for (const request of writes) {
      expect(messageBody(request)?.allowed_mentions, `${request.method} ${request.path}`).toMatchObject({ parse: [] });
    }
  });

  it('exits with one line when the token is missing or rejected', async () => {
    const start = (token: string) =>
      run(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'scripts', 'start.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env, DISCORD_TOKEN: token, BOT_DB_PATH: path.join(tmp, 'rejected.sqlite') },
        timeout: 60_000,
      }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const [missing, rejected] = await Promise.all([start(''), start('not-the-token')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/DISCORD_TOKEN is not set.*README/);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr.trim().split('\n')).toHaveLength(1);
    expect(rejected.stderr).toMatch(/Discord rejected DISCORD_TOKEN.*README/);

    await expect(startBot({ ...config, bot: { ...config.bot, token: 'wrong' } }, { engine, logger: pino({ level: 'silent' }) })).rejects.toThrow(UserError);
  });

  it('reports the acknowledgement and answer latency of each question', () => {
    const slash = timings.filter((timing) => timing.via === 'slash');
    expect(slash.length).toBeGreaterThan(50);
    for (const timing of slash) {
      expect(timing.ackMs).not.toBeNull();
      expect(timing.answerMs).toBeGreaterThanOrEqual(timing.ackMs!);
    }
    expect(timings.some((timing) => timing.via === 'mention' && timing.ackMs === null)).toBe(true);
  });
});

describe('the local Discord-compatible server', () => {
  it('rejects an acknowledgement that comes after the response window, as Discord does', async () => {
    const local = await DiscordServer.start({ responseWindowMs: 50 });
    // A bare gateway client (IDENTIFY only), so the server can dispatch interactions.
    const gateway = new WebSocket(local.apiUrl.replace(/^http/, 'ws').replace(/\/api$/, ''));
    gateway.on('open', () => gateway.send(JSON.stringify({ op: 2, d: { token: local.token, intents: 0, properties: {} } })));
    try {
      await local.waitForIdentify(5_000);
      const callback = (interaction: { id: string; token: string }) =>
        fetch(`${local.apiUrl}/v10/interactions/${interaction.id}/${interaction.token}/callback`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ type: 5 }),
        });
      const inTime = local.sendCommand({ name: 'ask', options: [{ name: 'question', value: 'in time?' }] });
      expect((await callback(inTime)).status).toBe(204);
      await expect(local.waitForAck(inTime, 1_000)).resolves.toMatchObject({ status: 204 });

      const late = local.sendCommand({ name: 'ask', options: [{ name: 'question', value: 'too late?' }] });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await callback(late);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ code: 10062 });
      await expect(local.waitForAck(late, 1_000)).rejects.toThrow(/past Discord's 50 ms window/);
    } finally {
      gateway.close();
      await local.close();
    }
  });
});

const LONG_SENTENCE = 'The province reported contracted technology transactions of 412.076 billion yuan, a record high [1].';

/** The engine's answer, blown up past every Discord limit: a long text and 30 sources with long titles and quotes. */
function inflate(answer: Answer): Answer {
  const citations = Array.from({ length: 30 }, (_, i) => ({
    ...(answer.citations[0] ?? { source: 'x', url: null, date: null, score: 1 }),
    n: i + 1,
    title: `Source number ${i + 1} `.repeat(30),
    quote: `Quoted sentence ${i + 1} about technology transactions. `.repeat(40),
  }));
  return { ...answer, answer: Array.from({ length: 120 }, (_, i) => `${LONG_SENTENCE.replace('[1]', `[${(i % 30) + 1}]`)}`).join(' '), citations };
}

/** The parts of a long answer: every sentence, every source once, footer and buttons on the last part only. */
function expectLongAnswerDelivered(bodies: any[]): void {
  expect(bodies.length).toBeGreaterThan(1);
  const embeds = bodies.flatMap((body) => body.embeds ?? []);
  const text = embeds.map((embed: any) => embed.description ?? '').join(' ');
  expect(text.split('412.076 billion yuan').length - 1).toBe(120);
  const sources = embeds.flatMap((embed: any) => embed.fields ?? []).map((field: any) => Number(/^\[(\d+)\]/.exec(field.name)?.[1]));
  expect(sources).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  expect(embeds.filter((embed: any) => embed.footer).length).toBe(1);
  expect(embeds.at(-1).footer.text).toMatch(/Extractive answer/);
  expect(bodies.filter((body) => body.components?.length).length).toBe(1);
  expect(bodies.at(-1).components.length).toBe(1);
  for (const body of bodies) expect(limitViolations(body)).toEqual([]);
}

function kindOf(request: RecordedRequest): string {
  if (request.path.endsWith('/callback')) return 'interaction reply';
  if (request.path.startsWith('/webhooks/')) return request.method === 'PATCH' ? 'webhook edit' : 'webhook follow-up';
  return 'channel reply';
}
