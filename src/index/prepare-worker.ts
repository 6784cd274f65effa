import { parentPort, workerData } from 'node:worker_threads';
import { LocalHashEmbeddings } from '../embeddings/index.js';
import { prepareFile, type PrepareRequest, type WorkerReply } from './prepare.js';

/** The worker thread of a large reindex: prepares the files it is sent, in order. */
const { localEmbeddingDimensions } = workerData as { localEmbeddingDimensions: number | null };
const localEmbeddings = localEmbeddingDimensions ? new LocalHashEmbeddings(localEmbeddingDimensions) : null;

parentPort!.on('message', ({ id, request }: { id: number; request: PrepareRequest }) => {
  const post = (reply: WorkerReply) => parentPort!.postMessage(reply);
  prepareFile(request, localEmbeddings, (page, pages) => post({ id, page, pages })).then(
    (result) => post({ id, result }),
    (error: unknown) => post({ id, error: error instanceof Error ? error.message : String(error) }),
  );
});
