import type { ReindexOptions, ReindexSummary } from './reindex.js';

export type { ReindexOptions, ReindexSummary } from './reindex.js';
export { IndexSnapshot, IndexUnavailableError } from './snapshot.js';
export {
  describeReindex,
  DiskFullError,
  findRunningReindex,
  readCurrentGeneration,
  ReindexRunningError,
  waitForReindex,
  type RunningReindex,
} from './layout.js';

/**
 * Builds or updates the index from the docs folder (see reindex.ts). Loaded when a build runs: reading documents needs
 * their parsers, chrono-node and LangChain's loader, most of a second to load that a serving bot never needs.
 */
export async function reindex(options: ReindexOptions): Promise<ReindexSummary> {
  const build = await import('./reindex.js');
  return build.reindex(options);
}
