import { parentPort, workerData } from 'node:worker_threads';
import { LocalHashEmbeddings } from '../embeddings/index.js';
import { prepareFile, type PrepareRequest } from './prepare.js';

/** The worker thread of a large reindex: prepares the files it is sent, in order. */
const { localEmbeddingDimensions } = workerData as { localEmbeddingDimensions: number | null };
const localEmbeddings = localEmbeddingDimensions ? new LocalHashEmbeddings(localEmbeddingDimensions) : null;

parentPort!.on('message', ({ id, request }: { id: number; request: PrepareRequest }) => {
  prepareFile(request, localEmbeddings).then(
    (result) => parentPort!.postMessage({ id, result }),
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
