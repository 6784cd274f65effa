import type { LoadedAnswerModel } from '../answering/model.js';
import type { Config } from '../config/index.js';
import { createEmbeddings } from '../embeddings/index.js';
import { openEngine, type Engine } from '../engine/index.js';
import { describeReindex, DiskFullError, findRunningReindex, readCurrentGeneration, reindex, ReindexRunningError } from '../index/index.js';
import { reportBuild } from './progress.js';

export interface ScriptEngine {
  engine: Engine;
  /** Why the index used may not be the newest (a reindex running, or one that failed for lack of space); also printed on stderr. */
  notice: string | null;
}

/**
 * The engine as the scripts open it: a docs folder named with `--docs` is brought up to date first
 * (only changed files are read); an index missing on first use is built, with its summary on stderr.
 *
 * A reader is never blocked by a writer: while another reindex of the index runs, the generation that
 * serves answers and a one-line note says a newer one is being built. With no generation yet, the engine
 * waits for that reindex to build the first one (saying so on stderr).
 */
export async function openEngineForScript(
  config: Config,
  { refresh, answerModel }: { refresh: boolean; answerModel?: LoadedAnswerModel },
): Promise<ScriptEngine> {
  let notice: string | null = null;
  if (refresh) {
    try {
      const summary = await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: await createEmbeddings(config.embeddings) });
      reportBuild(summary, { quiet: true });
    } catch (error) {
      if (error instanceof ReindexRunningError) {
        // Answered below from the serving generation, or after waiting for the first one.
      } else if (error instanceof DiskFullError && (await readCurrentGeneration(config.indexDir))) {
        notice = `could not bring the index up to date: ${error.message}`;
      } else {
        throw error;
      }
    }
  }
  let waited = false;
  const engine = await openEngine(config, {
    answerModel,
    onBuild: (reason) => process.stderr.write(`Building the index from ${config.docsDir} (${reason})…\n`),
    onNotice: (message) => process.stderr.write(`note: ${message}\n`),
    onBuilt: (summary) => reportBuild(summary, { quiet: false }),
    onWaitForReindex: (running, waitMs) => {
      waited = true;
      process.stderr.write(
        `Waiting for the reindex ${describeReindex(running)}running on ${config.indexDir} to build the index (at most ${Math.round(waitMs / 1000)} s)…\n`,
      );
    },
  });
  const running = waited ? null : await findRunningReindex(config.indexDir);
  if (running) {
    notice = `a reindex ${describeReindex(running)}of ${config.indexDir} is running; using the index built at ${engine.indexInfo().builtAt} until it finishes`;
  }
  if (notice) process.stderr.write(`note: ${notice}\n`);
  return { engine, notice };
}
