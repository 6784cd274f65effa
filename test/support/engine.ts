import { loadConfig, type Config } from '../../src/config/index.js';
import { Embeddings } from '@langchain/core/embeddings';
import { LocalHashEmbeddings } from '../../src/embeddings/index.js';

/** Settings for tests: defaults only (no `.env`, no model), with the given folders. */
export function testConfig(docsDir: string, indexDir: string, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig(env), docsDir, indexDir };
}

/** The local embedder behind a counter of the passages it embeds (and optionally slowed down, to hold a reindex open); not itself a LocalHashEmbeddings, so a reindex calls it rather than embedding in its worker. */
export class CountingEmbeddings extends Embeddings {
  embeddedTexts: string[] = [];
  readonly id: string;
  private readonly local: LocalHashEmbeddings;

  constructor(
    dimensions = 384,
    private readonly delayMs = 0,
  ) {
    super({});
    this.local = new LocalHashEmbeddings(dimensions);
    // The same id as the local embedder: an index it builds is served with the configured local one.
    this.id = this.local.id;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.embeddedTexts.push(...texts);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return this.local.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.local.embedQuery(text);
  }
}
