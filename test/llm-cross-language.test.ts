/**
 * The model path across languages: the engine over the bilingual fixture library, the real @langchain/openai client,
 * and the local OpenAI-compatible stand-in over a real socket. The stand-in plays a faithful model: it answers only
 * when the passage that states the fact is among the sources it was sent, citing that source's number, and says
 * the sources do not say otherwise.
 */
import { loadAnswerModel } from '../src/answering/model.js';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../src/answering/extractive.js';
import { LlmAnswerer } from '../src/answering/llm.js';
import { loadConfig } from '../src/config/index.js';
import { openEngine, type Engine } from '../src/engine/index.js';
import { tempDir } from './support/corpus.js';
import { startOpenAiServer, type OpenAiStandIn } from './support/openai-server.js';

const DOCS = path.resolve(import.meta.dirname, 'fixtures', 'bilingual', 'docs');
const WUHAN_ZH = '武汉市技术市场发展情况.txt';
const CHENGDU_EN = 'chengdu-angel-fund-2024.txt';

interface Script {
  /** What the passage that answers the question must hold. */
  evidence: string;
  /** The model's answer when a source holds it, citing that source as [n]. */
  answer: (n: number) => string;
  /** The model's reply when none does. */
  unanswered: string;
}

/** What the stand-in model knows to say, by question. */
const SCRIPTS: Record<string, Script> = {
  'What was the technology contract turnover in Wuhan in 2023?': {
    evidence: '全市技术合同成交额达到1286.5亿元',
    answer: (n) => `Wuhan's technology contract turnover reached 1286.5亿元 (128.65 billion yuan) in 2023, up 17.3% [${n}].`,
    unanswered: 'The sources do not say what Wuhan’s technology contract turnover was.',
  },
  '成都的天使投资基金有多大规模？': {
    evidence: 'angel investment fund of 3.2 billion yuan',
    answer: (n) => `成都设立的市级天使投资基金规模为32亿元[${n}]。`,
    unanswered: '资料中没有提到成都天使投资基金的规模。',
  },
  '四川省有多少家高新技术企业？': {
    evidence: '18,470 certified high-tech enterprises',
    answer: (n) => `截至2023年底，四川省共有18,470家经认定的高新技术企业[${n}]。`,
    unanswered: '资料中没有提到四川省高新技术企业的数量。',
  },
  'What was the technology contract turnover in Guangzhou in 2023?': {
    evidence: 'Guangzhou',
    answer: (n) => `Guangzhou's turnover is given in source [${n}].`,
    unanswered: 'The sources do not say what the technology contract turnover in Guangzhou was.',
  },
  '重庆市公积金缴存比例是多少？': {
    evidence: '公积金',
    answer: (n) => `重庆市的公积金缴存比例见来源[${n}]。`,
    unanswered: '资料中没有提到重庆市的公积金缴存比例。',
  },
};

/** The sources of a prompt's last message, by their number. */
function sourcesOf(prompt: string): Map<number, string> {
  const sources = new Map<number, string>();
  for (const match of prompt.matchAll(/<source n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g)) sources.set(Number(match[1]), match[2]);
  return sources;
}

function questionOf(prompt: string): string {
  return /\nQuestion: (.*)/.exec(prompt)?.[1].trim() ?? '';
}

let server: OpenAiStandIn;
let engine: Engine;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  server = await startOpenAiServer();
  server.setDefaultChat((body) => {
    const prompt: string = body.messages.at(-1).content;
    const script = SCRIPTS[questionOf(prompt)];
    if (!script) return { status: 400, message: `no script for this question: ${questionOf(prompt)}` };
    const found = [...sourcesOf(prompt)].find(([, text]) => text.includes(script.evidence));
    return { text: found ? script.answer(found[0]) : script.unanswered };
  });
  const temp = await tempDir('llm-cross-language-');
  cleanup = temp.cleanup;
  const config = loadConfig({ OPENAI_BASE_URL: server.baseURL, CHAT_TIMEOUT_MS: '3000', DOCS_DIR: DOCS, INDEX_DIR: path.join(temp.dir, 'index') });
  engine = await openEngine(config, { answerer: new LlmAnswerer(config.chat!, new ExtractiveAnswerer(loadAnswerModel())) });
});
afterAll(async () => {
  await engine?.close();
  await server?.close();
  await cleanup?.();
});

/** The prompt of the last chat request the stand-in received. */
function lastPrompt(): string {
  return server.chatRequests().at(-1)?.messages.at(-1)?.content ?? '';
}

describe('model answers across languages', () => {
  it('answers an English question from the Chinese passage it was given', async () => {
    const question = 'What was the technology contract turnover in Wuhan in 2023?';
    const answer = await engine.ask(question);
    expect(questionOf(lastPrompt())).toBe(question);
    expect(lastPrompt()).toContain('全市技术合同成交额达到1286.5亿元');
    expect(answer.mode_reason).toBeUndefined();
    expect(answer).toMatchObject({
      mode: 'llm',
      refused: false,
      answer: "Wuhan's technology contract turnover reached 1286.5亿元 (128.65 billion yuan) in 2023, up 17.3% [1].",
    });
    expect(answer.citations.map((c) => c.source)).toEqual([WUHAN_ZH]);
    expect(answer.citations[0].quote).toContain('1286.5亿元');
    expect(answer.citations[0].title).toBe('武汉市技术市场发展情况通报');
  });

  it('answers a Chinese question from the English passage it was given', async () => {
    const answer = await engine.ask('成都的天使投资基金有多大规模？');
    expect(lastPrompt()).toContain('angel investment fund of 3.2 billion yuan');
    expect(answer.mode_reason).toBeUndefined();
    expect(answer).toMatchObject({ mode: 'llm', refused: false, answer: '成都设立的市级天使投资基金规模为32亿元[1]。' });
    expect(answer.citations.map((c) => c.source)).toEqual([CHENGDU_EN]);
    expect(answer.citations[0].quote).toContain('3.2 billion yuan');
  });
});

describe('a question the library cannot answer', () => {
  it('is refused when the model says the sources do not say, with no citations', async () => {
    const answer = await engine.ask('What was the technology contract turnover in Guangzhou in 2023?');
    expect([...sourcesOf(lastPrompt()).values()].filter((text) => /Guangzhou|广州/.test(text))).toEqual([]);
    expect(answer).toMatchObject({
      mode: 'llm',
      refused: true,
      answer: 'The sources do not say what the technology contract turnover in Guangzhou was.',
      citations: [],
    });
  });
});
