import { performance } from 'node:perf_hooks';

/**
 * Runs at most `concurrency` jobs at once and lets at most `maxWaiting` wait; beyond that a job is
 * turned away at once (the caller tells the user to retry) instead of piling up without bound.
 */
export class WorkQueue {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  /** Recent job duration (moving average), for the "try again in N s" estimate. */
  private averageMs = 2_000;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  /** Starts or queues the job; null (synchronously) when the queue is full. */
  tryRun<T>(job: () => Promise<T>): Promise<T> | null {
    if (this.running >= this.concurrency && this.waiting.length >= this.maxWaiting) return null;
    return this.acquire().then(async () => {
      const started = performance.now();
      try {
        return await job();
      } finally {
        this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2;
        this.release();
      }
    });
  }

  /** How long until a newly queued job would likely start, in whole seconds (at least 1). */
  retryAfterSeconds(): number {
    const ahead = this.waiting.length + this.running;
    return Math.max(1, Math.ceil(((ahead / this.concurrency) * this.averageMs) / 1000));
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private acquire(): Promise<void> {
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next job, so `running` stays the same.
    if (next) next();
    else this.running -= 1;
  }
}

/** Per-user minimum time between questions. */
export class Cooldowns {
  private readonly lastAsked = new Map<string, number>();

  constructor(readonly cooldownMs: number) {}

  /** Records the question and returns 0 when the user may ask now; else the seconds left to wait. */
  take(userId: string, now = performance.now()): number {
    if (this.cooldownMs <= 0) return 0;
    const last = this.lastAsked.get(userId);
    if (last !== undefined && now - last < this.cooldownMs) return Math.max(1, Math.ceil((this.cooldownMs - (now - last)) / 1000));
    this.lastAsked.set(userId, now);
    if (this.lastAsked.size > 10_000) this.forgetExpired(now);
    return 0;
  }

  private forgetExpired(now: number): void {
    for (const [user, at] of this.lastAsked) if (now - at >= this.cooldownMs) this.lastAsked.delete(user);
  }
}
