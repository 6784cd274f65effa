import { promises as fs, truncateSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UserError } from '../errors/index.js';

/**
 * On disk, an index folder holds generations (`gen-…` folders, each complete on its own) and a
 * `CURRENT` file naming the one that serves. A reindex writes a new generation and then replaces
 * `CURRENT` by rename, which is atomic: readers see the old generation or the new one, never a mix,
 * and a reindex that dies midway leaves `CURRENT` on the old one.
 */
export const CURRENT_FILE = 'CURRENT';
export const LOCK_FILE = 'reindex.lock';
export const LOCK_INFO_FILE = 'reindex.lock.info';
export const DATABASE_FILE = 'index.sqlite';
export const MANIFEST_FILE = 'manifest.json';

export async function readCurrentGeneration(indexDir: string): Promise<string | null> {
  const name = await fs.readFile(path.join(indexDir, CURRENT_FILE), 'utf8').catch(() => null);
  const trimmed = name?.trim();
  return trimmed && /^gen-[\w-]+$/.test(trimmed) ? trimmed : null;
}

/**
 * Points `CURRENT` at a complete generation. Its files are flushed to disk first (they were written
 * without syncing), so that after a power loss `CURRENT` never names a generation that is only partly on disk.
 */
export async function publishGeneration(indexDir: string, generation: string): Promise<void> {
  const generationDir = path.join(indexDir, generation);
  for (const name of await fs.readdir(generationDir)) await syncPath(path.join(generationDir, name));
  await syncPath(generationDir);
  const temporary = path.join(indexDir, `${CURRENT_FILE}.${process.pid}.tmp`);
  try {
    await fs.writeFile(temporary, `${generation}\n`);
    await syncPath(temporary);
    await fs.rename(temporary, path.join(indexDir, CURRENT_FILE));
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await syncPath(indexDir);
}

async function syncPath(target: string): Promise<void> {
  const handle = await fs.open(target, 'r');
  try {
    // Some platforms cannot sync a folder (Windows); the files themselves are synced there.
    await handle.sync().catch((error: NodeJS.ErrnoException) => {
      if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(error.code ?? '')) throw error;
    });
  } finally {
    await handle.close();
  }
}

export function newGenerationName(): string {
  return `gen-${new Date().toISOString().replace(/[:.]/g, '').replace('T', '-').replace('Z', '')}-${process.pid}`;
}

/** Removes generations other than the serving one and the one before it (a reader may still be loading that). */
export async function pruneGenerations(indexDir: string, keep: string[]): Promise<void> {
  const entries = await fs.readdir(indexDir).catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((entry) => entry.startsWith('gen-') && !keep.includes(entry))
      .map((entry) => fs.rm(path.join(indexDir, entry), { recursive: true, force: true })),
  );
}

/** The process holding an index's reindex lock, as it recorded itself (unknown while it is starting). */
export interface RunningReindex {
  pid: number | null;
  started: string | null;
}

/** A reindex of the same index is running; `running` names it. */
export class ReindexRunningError extends UserError {
  constructor(
    readonly indexDir: string,
    readonly running: RunningReindex,
  ) {
    super(`another reindex ${describeReindex(running)}is running on ${indexDir}; wait for it to finish`);
  }
}

/** The disk (or the user's quota) filled up during a reindex; the partial generation was removed. */
export class DiskFullError extends UserError {
  constructor(indexDir: string, previousServes: boolean, cause: unknown) {
    super(
      `no space left on device while writing ${indexDir} — free space and run the reindex again${previousServes ? '; the previous index still serves' : ''}`,
    );
    this.cause = cause;
  }
}

/** `(pid 123, started 2024-…) `, or nothing when the holder has not recorded itself yet. */
export function describeReindex({ pid, started }: RunningReindex): string {
  return pid === null ? '' : `(pid ${pid}, started ${started ?? 'at an unknown time'}) `;
}

/**
 * How long taking the lock waits for it: a reader checking whether a reindex runs holds SQLite's shared
 * lock for a moment, and a reindex starting in that moment must not be refused for it.
 */
const LOCK_BUSY_MS = 250;
const LOCK_POLL_MS = 200;

/**
 * Takes the reindex lock, or throws ReindexRunningError naming its holder.
 *
 * The lock is SQLite's exclusive lock on `reindex.lock` (an fcntl lock on POSIX, LockFileEx on Windows),
 * held by a transaction left open until release. The operating system drops it when the holder's files
 * close, which happens when the process exits however it dies (SIGKILL included, and before a zombie is
 * reaped), so a dead reindex never blocks the next one. The file is never removed: a lock file removed
 * and created again lets two processes each lock their own. Who holds it (pid, start time) is written
 * beside it in `reindex.lock.info`, read only for the message.
 */
export async function acquireLock(indexDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(indexDir, LOCK_FILE);
  const infoPath = path.join(indexDir, LOCK_INFO_FILE);
  const lock = lockExclusively(lockPath);
  if (!lock) throw new ReindexRunningError(indexDir, await readLockInfo(infoPath));
  // For the message of a refused reindex only: failing to write it (a full disk) does not stop this one.
  await fs.writeFile(infoPath, JSON.stringify({ pid: process.pid, started: new Date().toISOString() })).catch(() => {});
  return async () => {
    // Removed while the lock is still held, so that it never removes the next holder's record.
    await fs.rm(infoPath, { force: true }).catch(() => {});
    lock.close();
  };
}

/** The reindex running on an index folder, or null. Never takes the lock (a reindex starting meanwhile is not refused). */
export async function findRunningReindex(indexDir: string): Promise<RunningReindex | null> {
  return lockIsHeld(path.join(indexDir, LOCK_FILE)) ? readLockInfo(path.join(indexDir, LOCK_INFO_FILE)) : null;
}

/** Waits until no reindex runs on the folder; false when one still runs after `timeoutMs`. */
export async function waitForReindex(indexDir: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (lockIsHeld(path.join(indexDir, LOCK_FILE))) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(LOCK_POLL_MS, Math.max(0, deadline - Date.now()))));
  }
  return true;
}

function lockExclusively(lockPath: string): Database.Database | null {
  for (let attempt = 0; ; attempt++) {
    const db = new Database(lockPath, { timeout: LOCK_BUSY_MS });
    try {
      // No journal file beside the lock: the transaction never writes.
      db.pragma('journal_mode = MEMORY');
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      return db;
    } catch (error) {
      db.close();
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_BUSY') return null;
      // The pid file of an earlier version (or any file that is not a database). Emptied in place rather
      // than replaced, so that every process locks the same file: an empty file is an empty database.
      if (code === 'SQLITE_NOTADB' && attempt === 0) {
        truncateSync(lockPath, 0);
        continue;
      }
      throw error;
    }
  }
}

function lockIsHeld(lockPath: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(lockPath, { readonly: true, fileMustExist: true, timeout: 0 });
  } catch {
    return false; // no reindex has run here yet
  }
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return false;
  } catch (error) {
    // SQLITE_NOTADB: an earlier version's pid file, which blocks nothing.
    return (error as { code?: unknown }).code === 'SQLITE_BUSY';
  } finally {
    db.close();
  }
}

async function readLockInfo(infoPath: string): Promise<RunningReindex> {
  try {
    const value = JSON.parse(await fs.readFile(infoPath, 'utf8')) as { pid: unknown; started: unknown };
    if (typeof value.pid === 'number') return { pid: value.pid, started: typeof value.started === 'string' ? value.started : null };
  } catch {
    // not written yet, or being written
  }
  return { pid: null, started: null };
}
