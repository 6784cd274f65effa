import type { Config } from '../config/index.js';
import { createEmbeddings } from '../embeddings/index.js';
import { openEngine, type Engine } from '../engine/index.js';
import { reindex } from '../index/index.js';
import { reportBuild } from './progress.js';

/**
 * The engine as the scripts open it: a docs folder named with `--docs` is brought up to date first
 * (only changed files are read); an index missing on first use is built, with its summary on stderr.
 */
export async function openEngineForScript(config: Config, { refresh }: { refresh: boolean }): Promise<Engine> {
  if (refresh) {
    const summary = await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings: await createEmbeddings(config.embeddings) });
    reportBuild(summary, { quiet: true });
  }
  return openEngine(config, {
    onBuild: (reason) => process.stderr.write(`Building the index from ${config.docsDir} (${reason})…\n`),
    onBuilt: (summary) => reportBuild(summary, { quiet: false }),
  });
}
