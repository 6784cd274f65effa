import { loadConfig, type Config } from '../../src/config/index.js';
import { LocalHashEmbeddings } from '../../src/embeddings/index.js';

/** Settings for tests: defaults only (no `.env`, no model), with the given folders. */
export function testConfig(docsDir: string, indexDir: string, env: NodeJS.ProcessEnv = {}): Config {
  return { ...loadConfig(env), docsDir, indexDir };
}

/** The local embedder, counting the passages it embeds (and optionally slowed down, to hold a reindex open). */
export class CountingEmbeddings extends LocalHashEmbeddings {
  embeddedTexts: string[] = [];

  constructor(
    dimensions = 384,
    private readonly delayMs = 0,
  ) {
    super(dimensions);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    this.embeddedTexts.push(...texts);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    return super.embedDocuments(texts);
  }
}
