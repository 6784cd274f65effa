/**
 * A small Discord-compatible server for tests and the benchmark: the REST API (under `/api/v10`) and the
 * gateway (WebSocket) on one 127.0.0.1 port. The real discord.js Client logs into it unmodified
 * (`rest: { api: server.apiUrl }`). It keeps the channels' messages, so the bot can fetch reply chains and
 * thread history, and records every request so a test can assert on what the bot actually sent.
 * Protocol facts: /work/shared/design/discord-local-server.md.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface DiscordUser {
  id: string;
  username: string;
  discriminator: string;
  avatar: null;
  global_name: string | null;
  bot?: boolean;
}

export interface ChannelSpec {
  id: string;
  name: string;
  /** A thread of this parent channel (created as a public thread). */
  parentId?: string;
}

export interface DiscordServerOptions {
  /** The token the bot must present; any other is answered with 401. */
  token?: string;
  applicationId?: string;
  guildId?: string;
  channels?: ChannelSpec[];
  /** How long after INTERACTION_CREATE its acknowledgement is accepted (Discord: 3 s; later, 10062 Unknown interaction). */
  responseWindowMs?: number;
}

/** One HTTP request the bot made, as received. */
export interface RecordedRequest {
  method: string;
  /** Decoded path after `/api/v10`, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  /** Parsed JSON body (for multipart, the `payload_json` part); null without one. */
  body: any;
  /** The file parts of a multipart body (attachments), as bytes; empty for any other body. */
  files: RecordedFile[];
  /** `performance.now()` when the request arrived. */
  at: number;
  /** The interaction this request answers, for callback and webhook routes. */
  interactionId?: string;
  /** The HTTP status the server answered with (400 when a message broke Discord's limits, as Discord does). */
  status?: number;
}

/** One file part of a multipart body: its form field (`files[0]`), file name, type and bytes. */
export interface RecordedFile {
  name: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

/** A message stored in a channel (what the REST API returns and MESSAGE_CREATE carries). */
export type StoredMessage = Record<string, any> & { id: string; channel_id: string; content: string };

export interface SentInteraction {
  id: string;
  token: string;
  /** `performance.now()` when the INTERACTION_CREATE frame was sent. */
  sentAt: number;
}

export interface InteractionUser {
  id: string;
  username?: string;
}

export interface CommandOption {
  name: string;
  value: string | number | boolean;
  /** 3 = string (default), 4 = integer, 5 = boolean, 10 = number. */
  type?: number;
  focused?: boolean;
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const API_PREFIX = '/api/v10';

export class DiscordServer {
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly bot: DiscordUser;
  readonly channels: ChannelSpec[];
  /** Every request the bot made, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Slash commands as registered by the last bulk overwrite, per scope (`global` or a guild id). */
  readonly registeredCommands = new Map<string, any[]>();
  port = 0;

  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private readonly interactionsByToken = new Map<string, string>();
  private readonly interactionSentAt = new Map<string, number>();
  private readonly responseWindowMs: number;
  private readonly interactionChannels = new Map<string, string>();
  private readonly interactionUsers = new Map<string, { user: DiscordUser; type: number }>();
  private readonly originals = new Map<string, StoredMessage>();
  private readonly followUps = new Map<string, StoredMessage>();
  private readonly listeners = new Set<() => void>();
  private sequence = 0;
  private snowflakeCounter = 0n;
  private identifiedSocket: WebSocket | null = null;

  constructor(options: DiscordServerOptions = {}) {
    this.token = options.token ?? 'local-test-token';
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.guildId = options.guildId ?? '200000000000000001';
    this.bot = { id: this.applicationId, username: 'policy-bot', discriminator: '0', avatar: null, global_name: null, bot: true };
    this.channels = options.channels ?? [{ id: '300000000000000001', name: 'general' }];
    this.responseWindowMs = options.responseWindowMs ?? 3_000;
    this.http = http.createServer((req, res) => this.handleHttp(req, res));
    // Discord's edge keeps idle HTTP/1.1 connections for 400 s and sends no Keep-Alive hint; Node's default (close
    // after 5 s idle) would break a POST on a pooled socket that a bot busy for over 5 s has not seen close yet.
    this.http.keepAliveTimeout = 0;
    this.wss = new WebSocketServer({ server: this.http });
    this.wss.on('connection', (socket) => this.handleSocket(socket));
  }

  /** Starts a server on 127.0.0.1 and an ephemeral port. */
  static async start(options: DiscordServerOptions = {}): Promise<DiscordServer> {
    const server = new DiscordServer(options);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    server.port = (server.http.address() as AddressInfo).port;
    return server;
  }

  /** The value for discord.js `rest.api` (and this project's DISCORD_API_URL). */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  /** Resolves once a client has identified (READY and GUILD_CREATE have been sent). */
  async waitForIdentify(timeoutMs = 10_000): Promise<void> {
    await this.waitUntil(() => this.identifiedSocket !== null, timeoutMs, 'no client identified');
  }

  snowflake(): string {
    this.snowflakeCounter += 1n;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (this.snowflakeCounter & 0x3fffffn)).toString();
  }

  user(id: string, username = `user-${id.slice(-4)}`): DiscordUser {
    return { id, username, discriminator: '0', avatar: null, global_name: username };
  }

  /** Messages of a channel, oldest first. */
  channelMessages(channelId: string): StoredMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  /** A user writes in a channel: the message is stored and dispatched as MESSAGE_CREATE. */
  postUserMessage(input: {
    channelId: string;
    content: string;
    author?: DiscordUser;
    /** Adds the bot to `mentions` (put `<@BOT_ID>` in content yourself, as Discord clients do). */
    mentionsBot?: boolean;
    /** Makes it a reply to this stored message. */
    replyTo?: StoredMessage;
  }): StoredMessage {
    const author = input.author ?? this.user('400000000000000001');
    const message = this.storeMessage({
      channel_id: input.channelId,
      author,
      content: input.content,
      mentions: input.mentionsBot ? [this.bot] : [],
      ...(input.replyTo ? this.replyFields(input.replyTo) : {}),
    });
    this.dispatch('MESSAGE_CREATE', { ...message, member: this.member(author) });
    return message;
  }

  /** Sends a slash command (INTERACTION_CREATE type 2). */
  sendCommand(input: { name: string; options?: CommandOption[]; user?: InteractionUser; channelId?: string }): SentInteraction {
    return this.sendInteraction(2, input);
  }

  /** Sends an autocomplete request (type 4); mark the typed option `focused: true`. */
  sendAutocomplete(input: { name: string; options: CommandOption[]; user?: InteractionUser; channelId?: string }): SentInteraction {
    return this.sendInteraction(4, input);
  }

  /** Clicks a button (type 3) on a stored message. */
  clickButton(input: { message: StoredMessage; customId: string; user?: InteractionUser }): SentInteraction {
    const id = this.snowflake();
    const token = `interaction-token-${id}`;
    this.interactionsByToken.set(token, id);
    const user = this.user(input.user?.id ?? '400000000000000001', input.user?.username);
    this.interactionChannels.set(id, input.message.channel_id);
    this.interactionUsers.set(id, { user, type: 3 });
    const sentAt = performance.now();
    this.interactionSentAt.set(id, sentAt);
    this.dispatch('INTERACTION_CREATE', {
      ...this.interactionBase(id, token, user, input.message.channel_id),
      type: 3,
      message: input.message,
      data: { custom_id: input.customId, component_type: 2 },
    });
    return { id, token, sentAt };
  }

  /** Requests answering one interaction (its callback, and edits/follow-ups of its webhook), in order. */
  interactionRequests(interaction: SentInteraction): RecordedRequest[] {
    return this.requests.filter((request) => request.interactionId === interaction.id);
  }

  /** The interaction callback (acknowledgement), once it arrives; one that came after the response window is an error. */
  async waitForAck(interaction: SentInteraction, timeoutMs = 10_000): Promise<RecordedRequest> {
    const ack = await this.waitForRequest((request) => request.interactionId === interaction.id && request.path.endsWith('/callback'), timeoutMs);
    const late = ack.at - interaction.sentAt;
    if (late > this.responseWindowMs)
      throw new Error(
        `local Discord server: interaction acknowledged after ${Math.round(late)} ms, past Discord's ${this.responseWindowMs} ms window (10062 Unknown interaction)`,
      );
    return ack;
  }

  /**
   * The first message with content or embeds for an interaction: the callback when it replied at once,
   * else the first edit or follow-up of its deferred reply.
   */
  waitForAnswer(interaction: SentInteraction, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.waitForRequest(
      (request) =>
        request.interactionId === interaction.id &&
        request.body !== null &&
        hasMessageContent(request.path.endsWith('/callback') ? request.body.data : request.body),
      timeoutMs,
    );
  }

  /**
   * Wire latency of one interaction, as Discord would see it: from sending INTERACTION_CREATE to the
   * acknowledgement (callback) and to the first message with content (the answer, or a "busy" notice).
   */
  async measure(interaction: SentInteraction, timeoutMs = 60_000): Promise<{ ackMs: number; answerMs: number; ack: RecordedRequest; answer: RecordedRequest }> {
    const [ack, answer] = await Promise.all([this.waitForAck(interaction, timeoutMs), this.waitForAnswer(interaction, timeoutMs)]);
    return { ackMs: ack.at - interaction.sentAt, answerMs: answer.at - interaction.sentAt, ack, answer };
  }

  /** Waits for the first request (already received or future) that matches. */
  waitForRequest(match: (request: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    let found: RecordedRequest | undefined;
    return this.waitUntil(() => (found = this.requests.find(match)) !== undefined, timeoutMs, 'no matching request arrived').then(() => found!);
  }

  /** Waits for the bot to post a message in a channel (a reply or a plain send). */
  waitForChannelPost(channelId: string, after = 0, timeoutMs = 10_000): Promise<RecordedRequest> {
    return this.waitForRequest((request) => request.method === 'POST' && request.path === `/channels/${channelId}/messages` && request.at >= after, timeoutMs);
  }

  /** Sends a gateway dispatch (op 0) to the identified client. */
  dispatch(event: string, data: unknown): void {
    const socket = this.identifiedSocket;
    if (!socket) throw new Error(`cannot dispatch ${event}: no client has identified`);
    this.sequence += 1;
    socket.send(JSON.stringify({ op: 0, t: event, s: this.sequence, d: data }));
  }

  // ---- internals ----

  private waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        cleanup();
        resolve();
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`local Discord server: ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
    });
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private sendInteraction(type: 2 | 4, input: { name: string; options?: CommandOption[]; user?: InteractionUser; channelId?: string }): SentInteraction {
    const id = this.snowflake();
    const token = `interaction-token-${id}`;
    this.interactionsByToken.set(token, id);
    const user = this.user(input.user?.id ?? '400000000000000001', input.user?.username);
    const channelId = input.channelId ?? this.channels[0].id;
    this.interactionChannels.set(id, channelId);
    this.interactionUsers.set(id, { user, type });
    const registered = [...this.registeredCommands.values()].flat().find((command) => command.name === input.name);
    const sentAt = performance.now();
    this.interactionSentAt.set(id, sentAt);
    this.dispatch('INTERACTION_CREATE', {
      ...this.interactionBase(id, token, user, channelId),
      type,
      data: {
        id: registered?.id ?? this.snowflake(),
        name: input.name,
        type: 1,
        guild_id: this.guildId,
        options: (input.options ?? []).map((option) => ({
          type: option.type ?? 3,
          name: option.name,
          value: option.value,
          ...(option.focused ? { focused: true } : {}),
        })),
      },
    });
    return { id, token, sentAt };
  }

  private interactionBase(id: string, token: string, user: DiscordUser, channelId: string) {
    return {
      id,
      application_id: this.applicationId,
      token,
      version: 1,
      guild_id: this.guildId,
      channel_id: channelId,
      channel: { id: channelId, type: this.channelType(channelId), guild_id: this.guildId },
      member: this.member(user),
      entitlements: [],
      authorizing_integration_owners: { '0': this.guildId },
      context: 0,
      locale: 'en-US',
      guild_locale: 'en-US',
      app_permissions: '2248473465835073',
    };
  }

  private member(user: DiscordUser) {
    return {
      user,
      roles: [],
      joined_at: new Date(0).toISOString(),
      deaf: false,
      mute: false,
      flags: 0,
      permissions: '2248473465835073',
    };
  }

  private channelType(channelId: string): number {
    return this.channels.find((channel) => channel.id === channelId)?.parentId ? 11 : 0;
  }

  private replyFields(target: StoredMessage) {
    return {
      type: 19,
      message_reference: { type: 0, message_id: target.id, channel_id: target.channel_id, guild_id: this.guildId },
      referenced_message: target,
    };
  }

  private storeMessage(fields: Record<string, any> & { channel_id: string }): StoredMessage {
    const message: StoredMessage = {
      id: this.snowflake(),
      guild_id: this.guildId,
      content: '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: 0,
      flags: 0,
      ...fields,
    };
    const list = this.messages.get(message.channel_id) ?? [];
    list.push(message);
    this.messages.set(message.channel_id, list);
    return message;
  }

  private findMessage(channelId: string, messageId: string): StoredMessage | undefined {
    return this.messages.get(channelId)?.find((message) => message.id === messageId);
  }

  /** A message the bot sent through REST: stored, echoed as MESSAGE_CREATE (as Discord does), returned. */
  private botMessage(channelId: string, body: any, extra: Record<string, any> = {}): StoredMessage {
    const reference = body?.message_reference;
    const target = reference ? this.findMessage(reference.channel_id ?? channelId, reference.message_id) : undefined;
    const message = this.storeMessage({
      channel_id: channelId,
      author: this.bot,
      content: body?.content ?? '',
      embeds: body?.embeds ?? [],
      components: body?.components ?? [],
      flags: body?.flags ?? 0,
      ...(target ? this.replyFields(target) : {}),
      ...extra,
    });
    if (this.identifiedSocket) this.dispatch('MESSAGE_CREATE', { ...message, member: this.member(this.bot) });
    return message;
  }

  private handleSocket(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.identifiedSocket === socket) this.identifiedSocket = null;
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on('message', (raw) => {
      let payload: any;
      try {
        payload = JSON.parse(Buffer.from(raw as Buffer).toString());
      } catch {
        return;
      }
      if (payload.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (payload.op === 2) this.identify(socket, payload.d);
    });
  }

  private identify(socket: WebSocket, data: any): void {
    if (data?.token !== this.token && data?.token !== `Bot ${this.token}`) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    this.identifiedSocket = socket;
    this.sequence = 0;
    this.dispatch('READY', {
      v: 10,
      user: { ...this.bot, verified: true, mfa_enabled: false, flags: 0 },
      session_id: `session-${this.snowflake()}`,
      resume_gateway_url: `ws://127.0.0.1:${this.port}`,
      application: { id: this.applicationId, flags: 0 },
      guilds: [{ id: this.guildId, unavailable: true }],
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      shard: [0, 1],
    });
    const everyone = {
      id: this.guildId,
      name: '@everyone',
      permissions: '2248473465835073',
      position: 0,
      color: 0,
      hoist: false,
      managed: false,
      mentionable: false,
      flags: 0,
    };
    this.dispatch('GUILD_CREATE', {
      id: this.guildId,
      name: 'Local test guild',
      icon: null,
      owner_id: '400000000000000999',
      unavailable: false,
      member_count: 2,
      large: false,
      features: [],
      emojis: [],
      stickers: [],
      roles: [everyone],
      members: [this.member(this.bot)],
      channels: this.channels
        .filter((channel) => !channel.parentId)
        .map((channel, position) => ({ id: channel.id, type: 0, name: channel.name, position, guild_id: this.guildId, permission_overwrites: [] })),
      threads: this.channels
        .filter((channel) => channel.parentId)
        .map((channel) => ({
          id: channel.id,
          type: 11,
          name: channel.name,
          guild_id: this.guildId,
          parent_id: channel.parentId,
          owner_id: '400000000000000001',
          thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
          member_count: 2,
          message_count: 0,
        })),
      voice_states: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      premium_tier: 0,
      preferred_locale: 'en-US',
      joined_at: new Date(0).toISOString(),
    });
    this.notify();
  }

  private handleHttp(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const path = decodeURIComponent(url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname);
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        query: url.searchParams,
        authorization: req.headers.authorization,
        ...parseBody(Buffer.concat(chunks), req.headers['content-type']),
        at: performance.now(),
      };
      const tokenMatch = /^\/(?:interactions\/\d+|webhooks\/\d+)\/([^/]+)/.exec(path);
      if (tokenMatch) request.interactionId = this.interactionsByToken.get(tokenMatch[1]);
      this.requests.push(request);
      let status = 200;
      let payload: unknown = null;
      const violations = isMessageWrite(request) ? limitViolations(messageBody(request)) : [];
      try {
        [status, payload] = violations.length ? [400, { code: 50035, message: 'Invalid Form Body', errors: violations }] : this.route(request);
      } catch (error) {
        [status, payload] = [500, { code: 0, message: String(error) }];
      }
      request.status = status;
      if (status === 204) {
        res.writeHead(204).end();
      } else {
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(payload));
      }
      this.notify();
    });
  }

  private route(request: RecordedRequest): [number, unknown] {
    const { method, path, body } = request;
    const needsAuth = !path.startsWith('/interactions/') && !path.startsWith('/webhooks/');
    if (needsAuth && request.authorization !== `Bot ${this.token}`) return [401, { code: 0, message: '401: Unauthorized' }];
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === '/gateway/bot') {
      return [
        200,
        { url: `ws://127.0.0.1:${this.port}`, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } },
      ];
    }
    if (method === 'PUT' && (match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path))) {
      const commands = (body as any[]).map((command) => ({ ...command, id: this.snowflake(), application_id: match![1], version: '1' }));
      this.registeredCommands.set(match[2] ?? 'global', commands);
      return [200, commands];
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/.test(path)) {
      if (request.interactionId === undefined) return [404, { code: 10062, message: 'Unknown interaction' }];
      if (request.at - this.interactionSentAt.get(request.interactionId)! > this.responseWindowMs)
        return [404, { code: 10062, message: 'Unknown interaction' }];
      const type = body?.type;
      const interaction = { id: request.interactionId, type: 2 };
      if (type === 4) {
        const channelId = this.interactionChannel(request.interactionId);
        const message = this.botMessage(channelId, body.data, this.interactionMetadata(request.interactionId));
        this.originals.set(request.interactionId, message);
        return request.query.get('with_response') === 'true' ? [200, { interaction, resource: { type, message } }] : [204, null];
      }
      return request.query.get('with_response') === 'true' ? [200, { interaction, resource: { type } }] : [204, null];
    }
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path))) {
      const interactionId = request.interactionId;
      if (interactionId === undefined) return [404, { code: 10015, message: 'Unknown Webhook' }];
      const target = match[3] === '@original' ? this.originals.get(interactionId) : this.followUps.get(match[3]);
      if (method === 'PATCH') {
        const message = target
          ? Object.assign(target, pickDefined({ content: body?.content, embeds: body?.embeds, components: body?.components }))
          : this.botMessage(this.interactionChannel(interactionId), body, this.interactionMetadata(interactionId));
        if (match[3] === '@original') this.originals.set(interactionId, message);
        return [200, message];
      }
      if (method === 'GET') return target ? [200, target] : [404, { code: 10008, message: 'Unknown Message' }];
      if (method === 'DELETE') return [204, null];
    }
    if (method === 'POST' && (match = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path))) {
      if (request.interactionId === undefined) return [404, { code: 10015, message: 'Unknown Webhook' }];
      const message = this.botMessage(this.interactionChannel(request.interactionId), body, this.interactionMetadata(request.interactionId));
      this.followUps.set(message.id, message);
      return [200, message];
    }
    if (method === 'POST' && (match = /^\/channels\/(\d+)\/typing$/.exec(path))) return [204, null];
    if (method === 'POST' && (match = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      return [200, this.botMessage(match[1], body)];
    }
    if (method === 'GET' && (match = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      const message = this.findMessage(match[1], match[2]);
      return message ? [200, message] : [404, { code: 10008, message: 'Unknown Message' }];
    }
    if (method === 'GET' && (match = /^\/channels\/(\d+)\/messages$/.exec(path))) {
      const limit = Number(request.query.get('limit') ?? 50);
      const before = request.query.get('before');
      const all = this.channelMessages(match[1]).filter((message) => !before || BigInt(message.id) < BigInt(before));
      return [200, all.slice(-limit).reverse()];
    }
    return [404, { code: 0, message: `404: Not Found (${method} ${path})` }];
  }

  /** What a message sent in answer to an interaction says about it. */
  private interactionMetadata(interactionId: string) {
    const origin = this.interactionUsers.get(interactionId);
    return {
      interaction_metadata: {
        id: interactionId,
        type: origin?.type ?? 2,
        user: origin?.user ?? this.user('400000000000000001'),
        authorizing_integration_owners: { '0': this.guildId },
      },
    };
  }

  private interactionChannel(interactionId: string): string {
    return this.interactionChannels.get(interactionId) ?? this.channels[0].id;
  }
}

/** Whether a message body (or an interaction callback's `data`) carries something a user sees. */
export function hasMessageContent(body: any): boolean {
  return Boolean(body && (body.content || (Array.isArray(body.embeds) && body.embeds.length > 0)));
}

/** Requests that create or change a visible message: the ones whose `allowed_mentions` matter. */
export function isMessageWrite(request: RecordedRequest): boolean {
  if (request.path.endsWith('/callback')) return request.body?.type === 4 || request.body?.type === 7;
  if (request.method === 'POST' && /^\/channels\/\d+\/messages$/.test(request.path)) return true;
  if (request.path.startsWith('/webhooks/') && (request.method === 'POST' || request.method === 'PATCH')) return true;
  return false;
}

/** The message body of a write: the callback's `data`, or the request body itself. */
export function messageBody(request: RecordedRequest): any {
  return request.path.endsWith('/callback') ? request.body?.data : request.body;
}

/** How a message body breaks Discord's documented limits (empty when it does not); Discord answers such a request with 400. */
export function limitViolations(body: any): string[] {
  const problems: string[] = [];
  if (!body) return problems;
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check((body.content ?? '').length <= 2000, 'content over 2000');
  const embeds: any[] = body.embeds ?? [];
  check(embeds.length <= 10, 'more than 10 embeds');
  let total = 0;
  for (const [i, embed] of embeds.entries()) {
    check((embed.title ?? '').length <= 256, `embed ${i} title over 256`);
    check((embed.description ?? '').length <= 4096, `embed ${i} description over 4096`);
    check((embed.footer?.text ?? '').length <= 2048, `embed ${i} footer over 2048`);
    const fields: any[] = embed.fields ?? [];
    check(fields.length <= 25, `embed ${i} has more than 25 fields`);
    for (const field of fields) {
      check(field.name?.length > 0 && field.name.length <= 256, `embed ${i} field name empty or over 256`);
      check(field.value?.length > 0 && field.value.length <= 1024, `embed ${i} field value empty or over 1024`);
      total += field.name?.length ?? 0;
      total += field.value?.length ?? 0;
    }
    total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
  }
  check(total <= 6000, 'embeds over 6000 characters in total');
  return problems;
}

function pickDefined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function parseBody(raw: Buffer, contentType: string | undefined): { body: any; files: RecordedFile[] } {
  if (raw.length === 0) return { body: null, files: [] };
  const boundary = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  if (boundary) {
    const parts = multipartParts(raw, boundary[1] ?? boundary[2]);
    const payload = parts.find((part) => part.name === 'payload_json' && part.filename === undefined);
    const files = parts.flatMap(({ filename, ...part }) => (filename === undefined ? [] : [{ ...part, filename }]));
    return { body: payload ? JSON.parse(payload.data.toString('utf8')) : null, files };
  }
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text), files: [] };
  } catch {
    return { body: text, files: [] };
  }
}

/** The parts of a multipart/form-data body, cut out of the bytes (a PNG part stays byte for byte as sent). */
function multipartParts(raw: Buffer, boundary: string): (Omit<RecordedFile, 'filename'> & { filename?: string })[] {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const parts: (Omit<RecordedFile, 'filename'> & { filename?: string })[] = [];
  // Prefixing CRLF lets the first delimiter be found like the others.
  const body = Buffer.concat([Buffer.from('\r\n'), raw]);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    // After a delimiter: CRLF, the part's headers, a blank line, its bytes (up to the CRLF of the next delimiter).
    const part = body.subarray(start + delimiter.length + 2, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, headerEnd).toString('utf8');
    const disposition = /^content-disposition:(.*)$/im.exec(headers)?.[1] ?? '';
    const contentType = /^content-type:\s*(.+)$/im.exec(headers)?.[1].trim();
    parts.push({
      name: /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? '',
      filename: /;\s*filename="([^"]*)"/i.exec(disposition)?.[1],
      ...(contentType ? { contentType } : {}),
      data: Buffer.from(part.subarray(headerEnd + 4)),
    });
    start = next;
  }
  return parts;
}
