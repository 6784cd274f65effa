import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const CHILD = path.join(ROOT, 'test', 'support', 'reindex-child.ts');
const NODE_ARGS = ['--import', 'tsx', CHILD];

/** A reindex process (see reindex-child.ts) and its pid; `parent` is the process that would reap it. */
export interface ReindexProcess {
  pid: number;
  parent: ChildProcess;
  /** Resolves with each line the reindex prints, in turn. */
  nextLine: () => Promise<string>;
}

/**
 * Starts a reindex of `indexDir` whose embedder waits `delayMs` per batch, and resolves once it holds the
 * lock. With `unreaped`, its parent is a shell that `exec`s `sleep` and so never waits for it: killed, it
 * stays a zombie until that parent is gone, as in a container whose init does not reap.
 */
export async function startReindex(docsDir: string, indexDir: string, delayMs: number, { unreaped = false } = {}): Promise<ReindexProcess> {
  const args = [...NODE_ARGS, docsDir, indexDir, String(delayMs)];
  const parent = unreaped
    ? spawn('sh', ['-c', '"$0" "$@" & echo "$!"; exec sleep 300', process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffered = '';
  parent.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) return resolve(line);
      const timer = setTimeout(() => reject(new Error('the reindex process printed nothing for 30 s')), 30_000);
      waiting.push((value) => {
        clearTimeout(timer);
        resolve(value);
      });
    });
  const pid = unreaped ? Number(await nextLine()) : parent.pid!;
  const first = await nextLine();
  if (first !== 'locked') throw new Error(`the reindex process printed "${first}" before taking the lock`);
  return { pid, parent, nextLine };
}

/** The process's state letter from /proc (Linux): `Z` for a zombie, `T` for stopped; null when it is gone or there is no /proc. */
export async function processState(pid: number): Promise<string | null> {
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  return stat ? stat.slice(stat.lastIndexOf(')') + 2)[0] : null;
}

/** Resolves when the child process has exited (and been reaped). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
