import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Engine } from '../engine/types.js';
import type { QuestionOutcome, QuestionRecords, QuestionVia } from './records.js';
import type { Cooldowns, WorkQueue } from './queue.js';

/** Time from a Discord event reaching the bot to its acknowledgement and to the delivered answer. */
export interface QuestionTiming {
  /** The interaction or message id. */
  eventId: string;
  via: QuestionVia;
  outcome: QuestionOutcome;
  /** Slash commands only: event -> deferred acknowledgement sent and accepted. */
  ackMs: number | null;
  /** Event -> the (first) answer message sent and accepted. */
  answerMs: number;
  /** Time waiting for a free worker. */
  queueMs: number | null;
}

/** What every handler works with. */
export interface BotContext {
  config: Config;
  engine: Engine;
  records: QuestionRecords;
  queue: WorkQueue;
  cooldowns: Cooldowns;
  logger: Logger;
  onTiming?: (timing: QuestionTiming) => void;
}
