/**
 * Model-written answers through any OpenAI-compatible server (OpenAI, Ollama, vLLM, llama.cpp, LM Studio)
 * over the Chat Completions API. A model answer is shown only after it passes the checks in checks.ts;
 * a failed check or a failed model (timeout, 429, 5xx, refused key, malformed reply, retried within the
 * time budget) gives the fallback (extractive) answer, and `mode_reason` (shown under it) says why.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import type { ChatConfig } from '../config/index.js';
import { checkAnswer, type CheckedAnswer } from './checks.js';
import { answerMessages, rewriteMessages } from './llm-prompt.js';
import type { AnswerContext, AnswerDraft, Answerer, ConversationTurn } from './types.js';

/** What happened on one model answer, for logs and benchmarks. */
export interface LlmOutcome {
  mode: 'llm' | 'extractive';
  reason?: string;
  attempts: number;
  model_ms: number;
  checks_ms: number;
  danglingMarkers: number[];
  unsupportedNumbers: string[];
}

export interface LlmAnswererOptions {
  /** Called once per answer; `context` is the object passed to answer(), to tell concurrent asks apart. */
  onOutcome?: (outcome: LlmOutcome, context: AnswerContext) => void;
}

const MAX_ANSWER_TOKENS = 800;
const FIRST_BACKOFF_MS = 250;
const MAX_BACKOFF_MS = 2_000;
/** A retry is only worth starting with at least this much of the budget left. */
const MIN_ATTEMPT_MS = 300;

export class LlmAnswerer implements Answerer {
  private readonly model: ChatOpenAI;

  constructor(
    private readonly config: ChatConfig,
    private readonly fallback: Answerer,
    private readonly options: LlmAnswererOptions = {},
  ) {
    this.model = createChatModel(config);
  }

  async answer(context: AnswerContext): Promise<AnswerDraft> {
    const outcome: LlmOutcome = { mode: 'extractive', attempts: 0, model_ms: 0, checks_ms: 0, danglingMarkers: [], unsupportedNumbers: [] };
    const finish = (draft: AnswerDraft): AnswerDraft => {
      outcome.mode = draft.mode;
      outcome.reason = draft.mode_reason;
      this.options.onOutcome?.(outcome, context);
      return draft;
    };
    if (context.passages.length === 0) {
      return finish(await this.fallBack(context, 'no passages to give the model'));
    }

    const started = performance.now();
    const reply = await invokeWithinBudget(
      this.model,
      answerMessages(context.question, context.standaloneQuestion, context.passages, context.history),
      this.config.timeoutMs,
    );
    outcome.model_ms = Math.round(performance.now() - started);
    outcome.attempts = reply.attempts;
    if (!reply.ok) return finish(await this.fallBack(context, reply.failure));

    const checkStarted = performance.now();
    let checked: CheckedAnswer;
    try {
      checked = checkAnswer(reply.text, context.passages);
    } catch {
      // An answer that cannot be checked is not shown; the fallback still answers.
      return finish(await this.fallBack(context, 'model answer could not be checked'));
    }
    outcome.checks_ms = Number((performance.now() - checkStarted).toFixed(2));
    outcome.danglingMarkers = checked.danglingMarkers;
    outcome.unsupportedNumbers = checked.unsupportedNumbers;

    // The numbers themselves go to the outcome (logs), not to the reason users see: they are unverified.
    if (checked.unsupportedNumbers.length > 0) return finish(await this.fallBack(context, 'model answer cited a number not in its sources'));
    if (checked.citations.length === 0) {
      // An uncited answer is shown only as the model's "the sources do not say" when the fallback finds nothing either.
      const fallbackDraft = await this.fallback.answer(context);
      if (fallbackDraft.refused) return finish({ answer: checked.text, refused: true, mode: 'llm', citations: [], related: fallbackDraft.related ?? [] });
      return finish(markedFallback(fallbackDraft, 'model answer cited no source'));
    }
    return finish({ answer: checked.text, refused: false, mode: 'llm', citations: checked.citations });
  }

  private async fallBack(context: AnswerContext, reason: string): Promise<AnswerDraft> {
    return markedFallback(await this.fallback.answer(context), reason);
  }
}

/** The fallback's answer, marked so that the CLI and the bot show why the model's was not used. */
function markedFallback(draft: AnswerDraft, reason: string): AnswerDraft {
  return { ...draft, mode: 'extractive', mode_reason: reason };
}

/**
 * Rewrites a follow-up ("and in 2022?") into a standalone question from the conversation, for retrieval.
 * Uses at most a quarter of the chat budget; when the model fails, `otherwise` completes the question
 * (by default: the last user question and this one, joined).
 */
export async function rewriteFollowUp(
  config: ChatConfig,
  question: string,
  history: ConversationTurn[],
  otherwise: (question: string, history: ConversationTurn[]) => string = joinWithPreviousQuestion,
): Promise<string> {
  if (history.length === 0) return question;
  const reply = await invokeWithinBudget(createChatModel(config), rewriteMessages(question, history), Math.max(1_000, Math.floor(config.timeoutMs / 4)));
  if (!reply.ok) return otherwise(question, history);
  const rewritten = reply.text
    .trim()
    .split('\n')[0]
    .replace(/^(?:standalone question|question)\s*[:：]\s*/i, '')
    .replace(/^["'“”「『]+|["'“”」』]+$/g, '')
    .trim();
  const longest = question.length + history.reduce((chars, turn) => Math.max(chars, turn.content.length), 0) + 200;
  return rewritten && rewritten.length <= longest ? rewritten : otherwise(question, history);
}

function joinWithPreviousQuestion(question: string, history: ConversationTurn[]): string {
  const previous = [...history]
    .reverse()
    .find((turn) => turn.role === 'user')
    ?.content.trim();
  return previous ? `${previous} ${question}` : question;
}

/**
 * ChatOpenAI pinned to Chat Completions: every OpenAI-compatible server offers /v1/chat/completions,
 * while ChatOpenAI would switch some model names (…-pro, codex) to the Responses API.
 */
class ChatCompletionsModel extends ChatOpenAI {
  protected override _useResponsesApi(): boolean {
    return false;
  }
}

function createChatModel(config: ChatConfig): ChatOpenAI {
  // Reasoning models (o1, o3, gpt-5) reject a temperature and spend max tokens on thinking.
  const reasoning = /^o\d|^gpt-5(?!-chat)/.test(config.model);
  return new ChatCompletionsModel({
    model: config.model,
    apiKey: config.apiKey,
    configuration: config.baseURL ? { baseURL: config.baseURL } : undefined,
    useResponsesApi: false,
    // Retries are ours (invokeWithinBudget), so that they fit the time budget.
    maxRetries: 0,
    ...(reasoning ? {} : { temperature: 0, maxTokens: MAX_ANSWER_TOKENS }),
  });
}

type ModelReply = { ok: true; text: string; attempts: number } | { ok: false; failure: string; attempts: number };

interface AttemptFailure {
  reason: string;
  retryable: boolean;
  retryAfterMs?: number;
}

class MalformedReplyError extends Error {}

/** Calls the model, retrying transient failures with backoff, all within `budgetMs`. */
async function invokeWithinBudget(model: ChatOpenAI, messages: BaseMessage[], budgetMs: number): Promise<ModelReply> {
  const deadline = Date.now() + budgetMs;
  let attempts = 0;
  let failure: AttemptFailure = { reason: 'model gave no reply', retryable: false };
  while (Date.now() < deadline) {
    attempts++;
    const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
    try {
      const message = await model.invoke(messages, { signal });
      const content = typeof message.content === 'string' ? message.content : message.text;
      // Reasoning models served by Ollama or vLLM (Qwen3, DeepSeek-R1) put their thinking inline.
      const text = content.replace(/<think>[\s\S]*?<\/think>/gi, '').trim();
      if (!text) throw new MalformedReplyError('empty reply');
      return { ok: true, text, attempts };
    } catch (error) {
      failure = signal.aborted ? { reason: `model timed out after ${formatSeconds(budgetMs)}`, retryable: false } : describeFailure(error);
    }
    if (!failure.retryable) break;
    const wait = Math.max(failure.retryAfterMs ?? 0, Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempts - 1)));
    if (Date.now() + wait + MIN_ATTEMPT_MS > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  return { ok: false, failure: `${failure.reason}${tries}`, attempts };
}

function describeFailure(error: unknown): AttemptFailure {
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : undefined;
  if (status === 401 || status === 403) return { reason: `model server refused the API key (HTTP ${status})`, retryable: false };
  if (status === 429) return { reason: 'model server is rate-limiting (HTTP 429)', retryable: true, retryAfterMs: retryAfterMs(error) };
  if (status !== undefined && status >= 500) return { reason: `model server error (HTTP ${status})`, retryable: true };
  if (status !== undefined) return { reason: `model server rejected the request (HTTP ${status})`, retryable: false };
  const name = error instanceof Error ? error.name : '';
  if (error instanceof MalformedReplyError || error instanceof SyntaxError || error instanceof TypeError) {
    return { reason: 'model reply was malformed', retryable: true };
  }
  if (name === 'TimeoutError' || name === 'AbortError') return { reason: 'model request timed out', retryable: true };
  return { reason: 'could not reach the model server', retryable: true };
}

function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as { headers?: { get?: (name: string) => string | null } })?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  const seconds = value ? Number(value) : NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
