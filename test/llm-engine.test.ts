import { loadAnswerModel } from '../src/answering/model.js';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../src/answering/extractive.js';
import { LlmAnswerer } from '../src/answering/llm.js';
import { PROJECT_ROOT, loadConfig, type Config } from '../src/config/index.js';
import { openEngine, type Engine } from '../src/engine/index.js';
import { startOpenAiServer, type OpenAiStandIn } from './support/openai-server.js';

const SAMPLE = 'xixian-new-area-sci-tech-2024-03-27.txt';
const QUESTION = 'What was the volume of contracted technology transactions in Shaanxi last year?';

let server: OpenAiStandIn;
let workDir: string;
let engine: Engine;
let config: Config;
beforeAll(async () => {
  server = await startOpenAiServer();
  workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'llm-engine-'));
  const docsDir = path.join(workDir, 'docs');
  await fs.mkdir(docsDir);
  for (const file of [SAMPLE, `${SAMPLE}.meta.json`]) await fs.copyFile(path.join(PROJECT_ROOT, 'data/docs', file), path.join(docsDir, file));
  config = loadConfig({ OPENAI_BASE_URL: server.baseURL, CHAT_TIMEOUT_MS: '2000', DOCS_DIR: docsDir, INDEX_DIR: path.join(workDir, 'index') });
  engine = await openEngine(config, { answerer: new LlmAnswerer(config.chat!, new ExtractiveAnswerer(loadAnswerModel())) });
});
afterAll(async () => {
  await engine?.close();
  await server.close();
  await fs.rm(workDir, { recursive: true, force: true });
});

describe('model answers through the engine, with the extractive answerer as fallback', () => {
  it('shows a checked model answer', async () => {
    server.setDefaultChat((body) => {
      const sources: string = body.messages.at(-1).content;
      const n = sources.split('<source n="').findIndex((part) => part.includes('412.076 billion yuan'));
      return { text: `Contracted technology transactions reached a record 412.076 billion yuan last year [${n}].` };
    });
    const answer = await engine.ask(QUESTION);
    expect(answer.mode).toBe('llm');
    expect(answer.answer).toBe('Contracted technology transactions reached a record 412.076 billion yuan last year [1].');
    expect(answer.citations).toHaveLength(1);
    expect(answer.citations[0].source).toBe(SAMPLE);
    expect(answer.citations[0].quote).toContain('412.076 billion yuan');
  });

  it('falls back to the extractive answer when the model invents a number', async () => {
    server.setDefaultChat({ text: 'Transactions reached 512 billion yuan [1].' });
    const answer = await engine.ask(QUESTION);
    expect(answer.mode).toBe('extractive');
    expect(answer.mode_reason).toBe('model answer cited a number not in its sources');
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain('412.076 billion yuan');
    expect(JSON.stringify(answer)).not.toContain('512');
  });

  it('falls back to the extractive answer when the model server keeps failing', async () => {
    server.setDefaultChat({ status: 502 });
    const answer = await engine.ask(QUESTION);
    expect(answer.mode).toBe('extractive');
    expect(answer.mode_reason).toMatch(/^model server error \(HTTP 502\) after \d+ attempts$/);
    expect(answer.answer).toContain('412.076 billion yuan');
  });
});
