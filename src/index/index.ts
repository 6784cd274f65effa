export { reindex, type ReindexOptions, type ReindexSummary } from './reindex.js';
export { IndexSnapshot, IndexUnavailableError } from './snapshot.js';
export { readCurrentGeneration } from './layout.js';
