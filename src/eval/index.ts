import { isFragment } from '../text/fragments.js';
import path from 'node:path';
import type { Answer, Citation, ConversationTurn, RelatedQuote } from '../answering/types.js';
import { UserError } from '../errors/index.js';
import type { Engine } from '../engine/index.js';

/** One line of an eval file (format: shared eval README, copied in the project README). */
export interface EvalItem {
  id: string;
  question: string;
  answer_any?: string[];
  answer_all?: string[];
  cite_any?: string[];
  refuse?: boolean;
  /** The earlier questions of the thread, oldest first: the question is a follow-up asked after them. */
  history?: string[];
  /** The library (a docs folder's name) the item is asked of, where a set spans several. */
  docs?: string;
}

export interface EvalItemResult {
  id: string;
  pass: boolean;
  why: string;
  answer: string;
  refused: boolean;
  citations: Citation[];
  /** With a refusal, what it pointed to instead. */
  related?: RelatedQuote[];
  /** Whether a passage of a right document was among the first k retrieved (items with cite_any). */
  hit: boolean | null;
}

export interface EvalSummary {
  items: number;
  passed: number;
  failed: number;
  answer_accuracy: number | null;
  citation_accuracy: number | null;
  refusal_accuracy: number;
  hit_at_k: number | null;
  k: number;
  /** Quotes of all answers, and the share of them that are fragments (src/text/fragments.ts). */
  quotes: number;
  fragment_share: number;
  /** Answers that quote one sentence twice (from copies of a release, say). */
  repeated_quotes: number;
}

export interface EvalReport {
  items: EvalItemResult[];
  summary: EvalSummary;
}

const STRING_LIST_FIELDS = ['answer_any', 'answer_all', 'cite_any', 'history'] as const;

/** The JSON objects of a JSON-lines file, each with where it stands ("file line 3") for errors. */
export function readJsonLines(text: string, fileName: string): { value: Record<string, unknown>; where: string }[] {
  const lines: { value: Record<string, unknown>; where: string }[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    const where = `${fileName} line ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new UserError(`${where} is not valid JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${where} is not a JSON object`);
    lines.push({ value: value as Record<string, unknown>, where });
  });
  return lines;
}

export function parseEvalFile(text: string, fileName: string): EvalItem[] {
  return readJsonLines(text, fileName).map(({ value, where }) => toEvalItem(value, where));
}

export function toEvalItem(value: Record<string, unknown>, where: string): EvalItem {
  if (typeof value.id !== 'string' || !value.id) throw new UserError(`${where} needs an "id" string`);
  if (typeof value.question !== 'string' || !value.question.trim()) throw new UserError(`${where} needs a "question" string`);
  for (const field of STRING_LIST_FIELDS) {
    const list = value[field];
    if (list !== undefined && !(Array.isArray(list) && list.every((entry) => typeof entry === 'string'))) {
      throw new UserError(`${where}: "${field}" must be a list of strings`);
    }
  }
  if (value.refuse !== undefined && typeof value.refuse !== 'boolean') throw new UserError(`${where}: "refuse" must be true or false`);
  if (value.docs !== undefined && (typeof value.docs !== 'string' || !value.docs)) throw new UserError(`${where}: "docs" must name a library`);
  return value as unknown as EvalItem;
}

/** Whether an item is asked of a library: one that names none is asked of any, one that names another is not. */
export function asksOf(item: EvalItem, docsDir: string): boolean {
  return item.docs === undefined || libraryName(docsDir) === item.docs;
}

/** A library's name, as an item's `docs` names it: its docs folder's, or its parent's when the folder is called "docs" (test/fixtures/heldout/docs is heldout). */
export function libraryName(docsDir: string): string {
  const resolved = path.resolve(docsDir);
  const name = path.basename(resolved);
  return name === 'docs' ? path.basename(path.dirname(resolved)) : name;
}

/** The thread an item is asked in: its earlier questions as the user's turns. */
export function threadOf(item: EvalItem): ConversationTurn[] {
  return (item.history ?? []).map((content) => ({ role: 'user', content }));
}

/** Asks every item's question and checks each field it has; hit@k comes from the retrieval alone. */
export async function runEval(engine: Engine, items: EvalItem[], k = 5): Promise<EvalReport> {
  const results: EvalItemResult[] = [];
  for (const item of items) {
    const answer = await engine.ask(item.question, { history: threadOf(item) });
    const hit = item.cite_any ? (await engine.retrieve(item.question, k)).some((p) => item.cite_any!.some((s) => p.docId.includes(s))) : null;
    const problems = judge(item, answer);
    results.push({
      id: item.id,
      pass: problems.length === 0,
      why: problems.join('; ') || 'ok',
      answer: answer.answer,
      refused: answer.refused,
      citations: answer.citations,
      ...(answer.refused ? { related: answer.related ?? [] } : {}),
      hit,
    });
  }
  return { items: results, summary: summarize(items, results, k) };
}

function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ');
}

/** Whether an answer's text holds an expected string: case and runs of white space aside, or with all white space removed (a PDF's text layer may space characters). */
export function holds(text: string, expected: string): boolean {
  return fold(text).includes(fold(expected)) || fold(text).replace(/ /g, '').includes(fold(expected).replace(/ /g, ''));
}

/** What is wrong with an answer to an item (nothing when it passes). */
export function judge(item: EvalItem, answer: Pick<Answer, 'answer' | 'refused' | 'citations'>): string[] {
  const problems: string[] = [];
  const text = answer.answer;
  if (item.refuse === true) {
    if (!answer.refused) problems.push('expected a refusal but got an answer');
    if (answer.citations.length) problems.push('a refusal must carry no citations');
    return problems;
  }
  if (answer.refused) problems.push('refused, but the corpus answers this');
  if (item.answer_any && !item.answer_any.some((expected) => holds(text, expected))) {
    problems.push(`answer contains none of ${JSON.stringify(item.answer_any)}`);
  }
  for (const expected of item.answer_all ?? []) {
    if (!holds(text, expected)) problems.push(`answer lacks ${JSON.stringify(expected)}`);
  }
  if (item.cite_any && !answer.citations.some((citation) => item.cite_any!.some((s) => citation.source.includes(s)))) {
    problems.push(`no citation from a source matching ${JSON.stringify(item.cite_any)}`);
  }
  if (item.refuse === false && answer.refused) problems.push('expected an answer');
  return problems;
}

function summarize(items: EvalItem[], results: EvalItemResult[], k: number): EvalSummary {
  const share = (pairs: [EvalItem, EvalItemResult][], holds: (item: EvalItem, result: EvalItemResult) => boolean): number | null =>
    pairs.length ? round(pairs.filter(([item, result]) => holds(item, result)).length / pairs.length) : null;
  const pairs = items.map((item, i) => [item, results[i]] as [EvalItem, EvalItemResult]);
  const withAnswer = pairs.filter(([item]) => item.answer_any || item.answer_all);
  const withCitation = pairs.filter(([item]) => item.cite_any);
  const passed = results.filter((result) => result.pass).length;
  const quotes = results.flatMap((result) => result.citations.map((citation) => citation.quote));
  return {
    items: items.length,
    passed,
    failed: items.length - passed,
    answer_accuracy: share(withAnswer, (_, result) => !/answer (contains none|lacks)|refused, but/.test(result.why)),
    citation_accuracy: share(withCitation, (_, result) => !/no citation/.test(result.why) && !result.refused),
    refusal_accuracy: share(pairs, (item, result) => (item.refuse === true) === result.refused) ?? 1,
    hit_at_k: share(withCitation, (_, result) => result.hit === true),
    k,
    quotes: quotes.length,
    fragment_share: quotes.length ? round(quotes.filter(isFragment).length / quotes.length) : 0,
    repeated_quotes: results.filter((result) => new Set(result.citations.map((c) => foldQuote(c.quote))).size < result.citations.length).length,
  };
}

function foldQuote(quote: string): string {
  return quote
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
