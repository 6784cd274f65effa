/**
 * A reindex in a process of its own, for tests that stop or kill it while it holds the lock:
 * `node --import tsx test/support/reindex-child.ts DOCS INDEX DELAY_MS` reindexes with an embedder
 * that waits DELAY_MS per batch, prints `locked` once it holds the lock and `done` when it finishes.
 */
import { reindex } from '../../src/index/index.js';
import { CountingEmbeddings } from './engine.js';

const [docsDir, indexDir, delayMs] = process.argv.slice(2);
let locked = false;
await reindex({
  docsDir,
  indexDir,
  embeddings: new CountingEmbeddings(384, Number(delayMs)),
  prepareInWorker: false,
  onProgress: () => {
    if (!locked) process.stdout.write('locked\n');
    locked = true;
  },
});
process.stdout.write('done\n');
