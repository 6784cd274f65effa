import { promises as fs, constants as fsConstants } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors/index.js';

/**
 * On disk, an index folder holds generations (`gen-…` folders, each complete on its own) and a
 * `CURRENT` file naming the one that serves. A reindex writes a new generation and then replaces
 * `CURRENT` by rename, which is atomic: readers see the old generation or the new one, never a mix,
 * and a reindex that dies midway leaves `CURRENT` on the old one.
 */
export const CURRENT_FILE = 'CURRENT';
export const LOCK_FILE = 'reindex.lock';
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
  await fs.writeFile(temporary, `${generation}\n`);
  await syncPath(temporary);
  await fs.rename(temporary, path.join(indexDir, CURRENT_FILE));
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

/** Takes the reindex lock, or explains who holds it. A lock left by a dead process is taken over. */
export async function acquireLock(indexDir: string): Promise<() => Promise<void>> {
  const lockPath = path.join(indexDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await fs.open(lockPath, fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_WRONLY);
      await handle.writeFile(JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
      await handle.close();
      return async () => {
        await fs.rm(lockPath, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readLock(lockPath);
      if (holder && isAlive(holder.pid)) {
        throw new UserError(`another reindex (pid ${holder.pid}, started ${holder.started}) is running on ${indexDir}; wait for it to finish`);
      }
      await fs.rm(lockPath, { force: true });
    }
  }
  throw new UserError(`could not take the reindex lock ${lockPath}`);
}

async function readLock(lockPath: string): Promise<{ pid: number; started: string } | null> {
  try {
    const value = JSON.parse(await fs.readFile(lockPath, 'utf8')) as { pid: unknown; started: unknown };
    return typeof value.pid === 'number' ? { pid: value.pid, started: String(value.started) } : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
