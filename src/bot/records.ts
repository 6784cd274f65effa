/**
 * What the bot keeps about its questions (SQLite): question, answer, mode, latencies, feedback.
 * Users are stored only as a salted hash of their id.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Answer } from '../answering/types.js';

export type QuestionVia = 'slash' | 'mention' | 'channel' | 'reply' | 'thread';
export type QuestionOutcome = 'answered' | 'refused' | 'busy' | 'error';

export interface QuestionRecordInput {
  userId: string;
  via: QuestionVia;
  question: string;
  outcome: QuestionOutcome;
  answer?: Answer;
  queueMs?: number;
  ackMs?: number;
  error?: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS questions (
  id INTEGER PRIMARY KEY,
  asked_at TEXT NOT NULL,
  user_hash TEXT NOT NULL,
  via TEXT NOT NULL,
  question TEXT NOT NULL,
  outcome TEXT NOT NULL,
  answer TEXT,
  mode TEXT,
  mode_reason TEXT,
  citations INTEGER,
  engine_ms REAL,
  queue_ms REAL,
  ack_ms REAL,
  answer_ms REAL,
  error TEXT
);
CREATE TABLE IF NOT EXISTS feedback (
  question_id INTEGER NOT NULL REFERENCES questions(id),
  user_hash TEXT NOT NULL,
  vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
  at TEXT NOT NULL,
  PRIMARY KEY (question_id, user_hash)
);
`;

export class QuestionRecords {
  private readonly db: Database.Database;
  private readonly salt: string;

  constructor(databasePath: string) {
    fs.mkdirSync(path.dirname(databasePath), { recursive: true });
    this.db = new Database(databasePath);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
    const stored = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'salt'").get();
    this.salt = stored?.value ?? randomBytes(16).toString('hex');
    if (!stored) this.db.prepare("INSERT INTO meta (key, value) VALUES ('salt', ?)").run(this.salt);
  }

  /** Stores a question and returns its id (the feedback buttons carry it). */
  add(input: QuestionRecordInput): number {
    const answer = input.answer;
    const result = this.db
      .prepare(
        `INSERT INTO questions (asked_at, user_hash, via, question, outcome, answer, mode, mode_reason, citations, engine_ms, queue_ms, ack_ms, error)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        new Date().toISOString(),
        this.hashUser(input.userId),
        input.via,
        input.question,
        input.outcome,
        answer?.answer ?? null,
        answer?.mode ?? null,
        answer?.mode_reason ?? null,
        answer ? answer.citations.length : null,
        answer ? (answer.timings_ms.total ?? null) : null,
        input.queueMs ?? null,
        input.ackMs ?? null,
        input.error ?? null,
      );
    return Number(result.lastInsertRowid);
  }

  /** The time from the event to the delivered answer, once known. */
  setAnswerLatency(id: number, answerMs: number): void {
    this.db.prepare('UPDATE questions SET answer_ms = ? WHERE id = ?').run(answerMs, id);
  }

  /** An answer that was stored but could not be delivered. */
  markFailed(id: number, error: string): void {
    this.db.prepare("UPDATE questions SET outcome = 'error', error = ? WHERE id = ?").run(error, id);
  }

  /** One vote per user and answer; a second click changes it. False when the answer is unknown. */
  setFeedback(questionId: number, userId: string, vote: 1 | -1): boolean {
    const exists = this.db.prepare('SELECT 1 FROM questions WHERE id = ?').get(questionId);
    if (!exists) return false;
    this.db
      .prepare(
        `INSERT INTO feedback (question_id, user_hash, vote, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (question_id, user_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at`,
      )
      .run(questionId, this.hashUser(userId), vote, new Date().toISOString());
    return true;
  }

  hashUser(userId: string): string {
    return createHash('sha256').update(`${this.salt}:${userId}`).digest('hex').slice(0, 24);
  }

  close(): void {
    this.db.close();
  }
}

export interface QuestionStats {
  total: number;
  byOutcome: Record<QuestionOutcome, number>;
  /** Refused among answered + refused; null before the first. */
  refusalRate: number | null;
  feedback: { up: number; down: number };
  latencyMs: { ackMedian: number | null; answerMedian: number | null; answerP95: number | null };
  mostAsked: { question: string; count: number }[];
  downVoted: { id: number; askedAt: string; question: string; answer: string | null; mode: string | null; down: number; up: number }[];
}

/** Reads the records for `npm run stats` (read-only). */
export function readStats(databasePath: string, top = 10): QuestionStats {
  const db = new Database(databasePath, { readonly: true, fileMustExist: true });
  try {
    const byOutcome: Record<QuestionOutcome, number> = { answered: 0, refused: 0, busy: 0, error: 0 };
    for (const row of db.prepare<[], { outcome: QuestionOutcome; n: number }>('SELECT outcome, COUNT(*) AS n FROM questions GROUP BY outcome').all()) {
      byOutcome[row.outcome] = row.n;
    }
    const total = Object.values(byOutcome).reduce((a, b) => a + b, 0);
    const decided = byOutcome.answered + byOutcome.refused;
    const votes = db.prepare<[], { up: number | null; down: number | null }>('SELECT SUM(vote = 1) AS up, SUM(vote = -1) AS down FROM feedback').get();
    const latencies = (column: 'ack_ms' | 'answer_ms') =>
      db
        .prepare<[], { v: number }>(`SELECT ${column} AS v FROM questions WHERE ${column} IS NOT NULL ORDER BY ${column}`)
        .all()
        .map((r) => r.v);
    const acks = latencies('ack_ms');
    const answers = latencies('answer_ms');
    const mostAsked = db
      .prepare<[number], { question: string; count: number }>(
        `SELECT MIN(question) AS question, COUNT(*) AS count FROM questions
         GROUP BY lower(trim(question)) ORDER BY count DESC, MAX(id) DESC LIMIT ?`,
      )
      .all(top);
    const downVoted = db
      .prepare<[number], QuestionStats['downVoted'][number]>(
        `SELECT q.id, q.asked_at AS askedAt, q.question, q.answer, q.mode,
                SUM(f.vote = -1) AS down, SUM(f.vote = 1) AS up
         FROM questions q JOIN feedback f ON f.question_id = q.id
         GROUP BY q.id HAVING down > 0 ORDER BY down DESC, q.id DESC LIMIT ?`,
      )
      .all(top);
    return {
      total,
      byOutcome,
      refusalRate: decided ? byOutcome.refused / decided : null,
      feedback: { up: votes?.up ?? 0, down: votes?.down ?? 0 },
      latencyMs: { ackMedian: quantile(acks, 0.5), answerMedian: quantile(answers, 0.5), answerP95: quantile(answers, 0.95) },
      mostAsked,
      downVoted,
    };
  } finally {
    db.close();
  }
}

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
