export { DiskFullError, reindex, type ReindexOptions, type ReindexSummary } from './reindex.js';
export { IndexSnapshot, IndexUnavailableError } from './snapshot.js';
export { describeReindex, findRunningReindex, readCurrentGeneration, ReindexRunningError, waitForReindex, type RunningReindex } from './layout.js';
