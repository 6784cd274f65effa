import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, loadConfig } from '../src/config/index.js';
import { createEmbeddings } from '../src/embeddings/index.js';
import { readCurrentGeneration, reindex } from '../src/index/index.js';
import { startOpenAiServer, type OpenAiStandIn } from './support/openai-server.js';

const SAMPLE = 'xixian-new-area-sci-tech-2024-03-27.txt';

let server: OpenAiStandIn;
let workDir: string;
beforeAll(async () => {
  server = await startOpenAiServer();
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'embeddings-openai-'));
  const docsDir = path.join(workDir, 'docs');
  await fs.mkdir(docsDir);
  for (const file of [SAMPLE, `${SAMPLE}.meta.json`]) await fs.copyFile(path.join(PROJECT_ROOT, 'data/docs', file), path.join(docsDir, file));
  await fs.writeFile(path.join(docsDir, 'note.md'), '# Innovation vouchers\n\nThe city issued 200 innovation vouchers to small firms in 2023.\n');
});
afterAll(async () => {
  await server.close();
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('EMBEDDINGS_PROVIDER=openai', () => {
  it("embeds through the OpenAI-compatible server's /v1/embeddings and the index records the embedder", async () => {
    const config = loadConfig({
      OPENAI_BASE_URL: server.baseURL,
      EMBEDDINGS_PROVIDER: 'openai',
      EMBEDDINGS_MODEL: 'nomic-embed-text',
      DOCS_DIR: path.join(workDir, 'docs'),
      INDEX_DIR: path.join(workDir, 'index'),
    });
    const embeddings = await createEmbeddings(config.embeddings);
    expect(embeddings.id).toBe('openai:nomic-embed-text');

    const summary = await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings });
    expect(summary.added.sort()).toEqual(['note.md', SAMPLE]);
    expect(summary.embedded).toBeGreaterThan(1);

    const embeddingRequests = server.requests.filter((request) => request.path === '/v1/embeddings');
    expect(embeddingRequests.length).toBeGreaterThan(0);
    expect(server.requests.every((request) => request.path === '/v1/embeddings')).toBe(true);
    expect(embeddingRequests.every((request) => request.body.model === 'nomic-embed-text')).toBe(true);
    const embeddedTexts = embeddingRequests.flatMap((request) => (Array.isArray(request.body.input) ? request.body.input : [request.body.input]));
    expect(embeddedTexts.some((text: string) => text.includes('200 innovation vouchers'))).toBe(true);
    expect(embeddedTexts.some((text: string) => text.includes('412.076 billion yuan'))).toBe(true);
    // The local key placeholder is what reaches a server that needs none.
    expect(embeddingRequests[0].headers.authorization).toBe('Bearer not-needed');

    const generation = await readCurrentGeneration(config.indexDir);
    expect(generation).toBe(summary.generation);
    const manifest = JSON.parse(await fs.readFile(path.join(config.indexDir, generation!, 'manifest.json'), 'utf8'));
    expect(manifest.embedder).toBe('openai:nomic-embed-text');
    expect(manifest.dimensions).toBe(server.embeddingDimensions);

    const before = server.requests.length;
    const vector = await embeddings.embedQuery('innovation vouchers');
    expect(vector).toHaveLength(server.embeddingDimensions);
    expect(server.requests.length).toBe(before + 1);
  });
});
