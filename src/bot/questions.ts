/** The path every question takes, from a slash command or a channel message: checks, queue, engine, records, reply. */
import { performance } from 'node:perf_hooks';
import type { ConversationTurn } from '../answering/types.js';
import { UserError } from '../errors/index.js';
import type { BotContext } from './context.js';
import { notice } from './deliver.js';
import { presentAnswer, type BotMessage } from './present.js';
import type { QuestionOutcome, QuestionVia } from './records.js';

export interface QuestionJob {
  eventId: string;
  question: string;
  userId: string;
  via: QuestionVia;
  /** `performance.now()` when the event reached the bot. */
  receivedAt: number;
  ackMs?: number;
  /** Embed title (the /ask question). */
  title?: string;
  /** Read when the job runs (for channel messages: the thread or reply chain). */
  history: () => Promise<ConversationTurn[]>;
  deliver: (messages: BotMessage[]) => Promise<void>;
}

export const APOLOGY = 'Sorry — something went wrong while answering. It has been logged; please try again in a moment.';

/** Why a question is not taken (too long, or the user is on cooldown); null when it may go ahead. */
export function rejectQuestion(context: BotContext, question: string, userId: string): string | null {
  const limit = context.config.maxQuestionChars;
  if (question.length > limit) {
    return `Your question is ${question.length.toLocaleString('en-US')} characters long; the limit is ${limit.toLocaleString('en-US')}. Please shorten it and ask again.`;
  }
  const wait = context.cooldowns.take(userId);
  if (wait > 0) return `You're asking faster than I can keep up — please wait ${wait} s before your next question.`;
  return null;
}

/**
 * Queues the question and delivers its answer; past the queue's bound, delivers "busy, try again in N s" at once.
 * Never throws: a failure is logged, recorded and answered with a short apology.
 */
export async function runQuestion(context: BotContext, job: QuestionJob): Promise<QuestionOutcome> {
  const { records, queue, logger } = context;
  let recordId: number | undefined;
  let queueMs: number | null = null;
  let outcome: QuestionOutcome;
  try {
    const queued = performance.now();
    const result = queue.tryRun(async () => {
      queueMs = performance.now() - queued;
      const history = await job.history();
      const answer = await context.engine.ask(job.question, { history });
      recordId = records.add({
        userId: job.userId,
        via: job.via,
        question: job.question,
        outcome: answer.refused ? 'refused' : 'answered',
        answer,
        queueMs: queueMs ?? undefined,
        ackMs: job.ackMs,
      });
      await job.deliver(presentAnswer(answer, { builtAt: context.engine.indexInfo().builtAt, recordId, title: job.title }));
      return answer.refused ? ('refused' as const) : ('answered' as const);
    });
    if (result === null) {
      outcome = 'busy';
      records.add({ userId: job.userId, via: job.via, question: job.question, outcome, ackMs: job.ackMs });
      await job.deliver(notice(`I'm busy answering other questions right now — please try again in ${queue.retryAfterSeconds()} s.`));
    } else {
      outcome = await result;
    }
  } catch (error) {
    outcome = 'error';
    const userError = error instanceof UserError;
    if (!userError) logger.error({ err: error, eventId: job.eventId, via: job.via }, 'answering a question failed');
    if (recordId === undefined) {
      recordId = records.add({ userId: job.userId, via: job.via, question: job.question, outcome, ackMs: job.ackMs, error: String(error) });
    } else {
      records.markFailed(recordId, String(error));
    }
    try {
      await job.deliver(notice(userError ? error.message : APOLOGY));
    } catch (deliveryError) {
      logger.error({ err: deliveryError, eventId: job.eventId }, 'could not deliver the apology');
    }
  }
  const answerMs = performance.now() - job.receivedAt;
  if (recordId !== undefined && outcome !== 'busy') records.setAnswerLatency(recordId, answerMs);
  context.onTiming?.({ eventId: job.eventId, via: job.via, outcome, ackMs: job.ackMs ?? null, answerMs, queueMs });
  return outcome;
}
