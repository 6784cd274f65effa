import { OpenAIEmbeddings } from '@langchain/openai';
import type { EmbeddingsConfig } from '../config/index.js';
import type { NamedEmbeddings } from './index.js';

/** OpenAIEmbeddings against any OpenAI-compatible `/v1/embeddings` (OpenAI, Ollama, vLLM, llama.cpp). */
export function createOpenAIEmbeddings(config: Extract<EmbeddingsConfig, { provider: 'openai' }>): NamedEmbeddings {
  const embeddings = new OpenAIEmbeddings({
    model: config.model,
    apiKey: config.apiKey,
    configuration: config.baseURL ? { baseURL: config.baseURL } : undefined,
    maxRetries: 2,
  });
  return Object.assign(embeddings, { id: `openai:${config.model}` });
}
