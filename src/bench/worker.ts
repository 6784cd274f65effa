import { promises as fs } from 'node:fs';
import type { WorkerJob } from './types.js';

/**
 * One phase of one pipeline in its own process, so that each peak RSS belongs to one pipeline and
 * one phase. Started by the bench with the path of a job file; writes its figures to job.resultFile.
 * Only the pipeline's own modules are imported, so neither side carries the other's code.
 */
const job = JSON.parse(await fs.readFile(process.argv[2], 'utf8')) as WorkerJob;
try {
  let result: unknown;
  if (job.side === 'ours') {
    const { buildOurs, serveOurs } = await import('./ours.js');
    result = await (job.phase === 'build' ? buildOurs(job) : serveOurs(job));
  } else {
    const { buildBaseline, serveBaseline } = await import('./baseline.js');
    result = await (job.phase === 'build' ? buildBaseline(job) : serveBaseline(job));
  }
  await fs.writeFile(job.resultFile, JSON.stringify(result));
} catch (error) {
  // The bench reports this line; the stack follows for DEBUG runs.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.DEBUG) console.error(error);
  process.exitCode = 1;
}
