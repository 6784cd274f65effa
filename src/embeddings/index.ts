import type { Embeddings } from '@langchain/core/embeddings';
import type { EmbeddingsConfig } from '../config/index.js';
import { LocalHashEmbeddings } from './local.js';

/** An embedder and the name the index records, so vectors from two embedders are never mixed. */
export type NamedEmbeddings = Embeddings & { readonly id: string };

export { LocalHashEmbeddings } from './local.js';

/** The configured embedder. The OpenAI client is loaded only when configured (it takes most of a second to import). */
export async function createEmbeddings(config: EmbeddingsConfig): Promise<NamedEmbeddings> {
  if (config.provider === 'local') return new LocalHashEmbeddings(config.dimensions);
  const { createOpenAIEmbeddings } = await import('./openai.js');
  return createOpenAIEmbeddings(config);
}
