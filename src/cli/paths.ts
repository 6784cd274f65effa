import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../config/index.js';

/**
 * Applies `--docs` / `--index` flags. A docs folder given without an index folder gets its own index
 * in the system's temporary folder, named after the docs folder, so it is reused between runs and
 * never overwrites the project's index of `data/docs`.
 */
export function withPathFlags(config: Config, flags: { docs?: string; index?: string }): Config {
  const docsDir = flags.docs ? path.resolve(flags.docs) : config.docsDir;
  const indexDir = flags.index
    ? path.resolve(flags.index)
    : flags.docs
      ? path.join(os.tmpdir(), `policy-qa-index-${createHash('sha256').update(docsDir).digest('hex').slice(0, 12)}`)
      : config.indexDir;
  return { ...config, docsDir, indexDir };
}

export const PATH_FLAGS = {
  docs: { type: 'string' },
  index: { type: 'string' },
} as const;
