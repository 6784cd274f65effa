import type { Embeddings } from '@langchain/core/embeddings';
import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingsConfig } from '../config/index.js';
import { LocalHashEmbeddings } from './local.js';

/** An embedder and the name the index records, so vectors from two embedders are never mixed. */
export type NamedEmbeddings = Embeddings & { readonly id: string };

export { LocalHashEmbeddings } from './local.js';

export function createEmbeddings(config: EmbeddingsConfig): NamedEmbeddings {
  if (config.provider === 'local') return new LocalHashEmbeddings(config.dimensions);
  const embeddings = new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    configuration: config.baseURL ? { baseURL: config.baseURL } : undefined,
    maxRetries: 2,
  });
  return Object.assign(embeddings, { id: `openai:${config.model}` });
}
