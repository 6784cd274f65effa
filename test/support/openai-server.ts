/**
 * A local OpenAI-compatible server for tests: POST /v1/chat/completions and /v1/embeddings on 127.0.0.1
 * (port 0), so the real @langchain/openai client can be exercised over a real socket. Chat replies are
 * scripted per test (a queue, then a default); every request is recorded for assertions.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted reply to a chat request. */
export type ChatReply =
  /** A well-formed completion whose message content is `text`. */
  | { text: string; delayMs?: number }
  /** An OpenAI-style error body with this status (500, 429, 401, ...). */
  | { status: number; message?: string; retryAfterSeconds?: number; delayMs?: number }
  /** Any body as it is (malformed JSON, JSON without `choices`, ...), status 200 unless given. */
  | { raw: string; status?: number; delayMs?: number };

export interface RecordedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The parsed JSON body (null when it was not JSON). */
  body: any;
}

export interface ChatMessageRecord {
  role: string;
  content: string;
}

export interface OpenAiStandIn {
  /** Base URL for the client (OPENAI_BASE_URL), ending in /v1. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Chat requests only, their messages flattened to text. */
  chatRequests(): { model: string; messages: ChatMessageRecord[] }[];
  /** Queues replies for the next chat requests, in order. */
  queueChat(...replies: ChatReply[]): void;
  /** The reply once the queue is empty (default: a 500). */
  setDefaultChat(reply: ChatReply | ((body: any) => ChatReply)): void;
  /** Dimensions of the vectors /v1/embeddings returns (default 64, or the request's `dimensions`). */
  embeddingDimensions: number;
  close(): Promise<void>;
}

export async function startOpenAiServer(): Promise<OpenAiStandIn> {
  const requests: RecordedRequest[] = [];
  const queue: ChatReply[] = [];
  let fallback: ChatReply | ((body: any) => ChatReply) = { status: 500, message: 'no scripted reply' };
  const pendingTimers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = null;
      }
      const path = (req.url ?? '').split('?')[0];
      requests.push({ path, headers: req.headers, body });
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        const reply = queue.shift() ?? (typeof fallback === 'function' ? fallback(body) : fallback);
        const send = () => sendChat(res, reply, body);
        if (reply.delayMs) {
          const timer = setTimeout(() => {
            pendingTimers.delete(timer);
            send();
          }, reply.delayMs);
          pendingTimers.add(timer);
        } else {
          send();
        }
      } else if (req.method === 'POST' && path === '/v1/embeddings') {
        sendEmbeddings(res, body, standIn.embeddingDimensions);
      } else {
        sendJson(res, 404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const standIn: OpenAiStandIn = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    embeddingDimensions: 64,
    chatRequests: () =>
      requests
        .filter((r) => r.path === '/v1/chat/completions' && r.body)
        .map((r) => ({
          model: r.body.model,
          messages: (r.body.messages as { role: string; content: unknown }[]).map((m) => ({
            role: m.role,
            content: flattenContent(m.content),
          })),
        })),
    queueChat: (...replies) => queue.push(...replies),
    setDefaultChat: (reply) => {
      fallback = reply;
    },
    close: async () => {
      for (const timer of pendingTimers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return standIn;
}

function flattenContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('');
  return '';
}

function sendJson(res: http.ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return; // the client gave up (timeout); nothing to answer
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

function sendChat(res: http.ServerResponse, reply: ChatReply, body: any): void {
  if ('raw' in reply) {
    if (res.destroyed) return;
    res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json' });
    res.end(reply.raw);
  } else if ('text' in reply) {
    sendJson(res, 200, {
      id: `chatcmpl-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body?.model ?? 'stand-in',
      choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
    });
  } else {
    const headers: Record<string, string> = reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {};
    const type = reply.status === 401 ? 'invalid_request_error' : reply.status === 429 ? 'rate_limit_exceeded' : 'server_error';
    sendJson(res, reply.status, { error: { message: reply.message ?? `scripted ${reply.status}`, type, code: null } }, headers);
  }
}

/** Deterministic vectors: hashed words, L2-normalized, so similar texts get similar vectors. */
function sendEmbeddings(res: http.ServerResponse, body: any, defaultDimensions: number): void {
  const inputs: string[] = Array.isArray(body?.input) ? body.input : [body?.input ?? ''];
  const dimensions: number = body?.dimensions ?? defaultDimensions;
  const data = inputs.map((input, index) => {
    const vector = embedText(String(input), dimensions);
    const embedding = body?.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  sendJson(res, 200, { object: 'list', data, model: body?.model ?? 'stand-in', usage: { prompt_tokens: 1, total_tokens: 1 } });
}

function embedText(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    let hash = 2166136261;
    for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 16777619);
    vector[(hash >>> 0) % dimensions] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  for (let i = 0; i < dimensions; i++) vector[i] /= norm;
  if (norm === 1 && vector.every((v) => v === 0)) vector[0] = 1;
  return vector;
}
