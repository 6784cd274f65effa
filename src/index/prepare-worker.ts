import { parentPort } from 'node:worker_threads';
import { prepareFile, type PrepareRequest } from './prepare.js';

/** The worker thread of a large reindex: prepares the files it is sent, one at a time, in order. */
parentPort!.on('message', ({ id, request }: { id: number; request: PrepareRequest }) => {
  prepareFile(request).then(
    (result) => parentPort!.postMessage({ id, result }),
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
