export { runBench, baselineQueryLimit, type BenchOptions, type BenchReport, type BenchRun } from './run.js';
export { formatReport } from './format.js';
export { generateCorpus, seededRandom, type BenchQuestion, type GeneratedCorpus } from './corpus.js';
export type { SideResult } from './types.js';
