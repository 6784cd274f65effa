import { UserError } from '../errors/index.js';
import type { Config } from '../config/index.js';
import { ExtractiveAnswerer } from '../answering/extractive.js';
import { leadWithFigure } from '../answering/figure-answer.js';
import { loadAnswerModel, type LoadedAnswerModel } from '../answering/model.js';
import type { LlmOutcome } from '../answering/llm.js';
import type { Answer, AnswerContext, Answerer, AskOptions, RetrievedPassage } from '../answering/types.js';
import { createEmbeddings, type NamedEmbeddings } from '../embeddings/index.js';
import { figureQueryMeaning, seriesOf, SERIES_MIN_SHARE, type FigureCatalog, type FigureMatch } from '../figures/index.js';
import {
  describeReindex,
  findRunningReindex,
  IndexSnapshot,
  IndexUnavailableError,
  readCurrentGeneration,
  reindex,
  ReindexRunningError,
  waitForReindex,
  type ReindexSummary,
  type RunningReindex,
} from '../index/index.js';
import { loadMeaning, type Meaning } from '../meaning/index.js';
import { retrieve } from '../retrieval/index.js';
import { completeFollowUp } from './followup.js';
import type { Engine, IndexInfo, SourceInfo } from './types.js';

export type { Engine, IndexInfo, SourceInfo } from './types.js';

export interface OpenEngineOptions {
  /** Poll for a new index generation and swap it in (the bot); scripts read the index once. */
  watch?: boolean;
  onReload?: (info: IndexInfo) => void;
  /** Called when there is no usable index and one is being built from the docs folder. */
  onBuild?: (reason: string) => void;
  onBuilt?: (summary: ReindexSummary) => void;
  /** Called when there is no usable index and another process's reindex is building one: the engine waits for it. */
  onWaitForReindex?: (running: RunningReindex, waitMs: number) => void;
  /** How long to wait for that reindex before giving up with a UserError (default 5 minutes). */
  reindexWaitMs?: number;
  /** Replaces the configured answerer (tests). */
  answerer?: Answerer;
  /** Replaces the configured answer model (fitting and its validation). */
  answerModel?: LoadedAnswerModel;
  /** Called after each model answer with what happened (attempts, checks that failed), for logs. */
  onModelOutcome?: (outcome: LlmOutcome) => void;
  /** Called with a one-line notice about the meaning data (a cache being rebuilt). */
  onNotice?: (message: string) => void;
}

/**
 * How many passages an answer is made from. The answer model reads 12: on the dev libraries, left out in turn, 8 → 12
 * answered 12 more questions of 551 (16 and 24 no more), since it tells a far passage's answer from its look-alikes.
 */
const PASSAGES_PER_ANSWER = 12;
const WATCH_INTERVAL_MS = 1_000;
/** The passages whose figures may lead an answer. */
const FIGURE_PASSAGES = 4;
/** How many figures a lookup returns unless asked for another number. */
const FIGURES_LISTED = 10;
/** How many of a lookup's matches may become points of its series. */
const SERIES_CANDIDATES = 50;
/** How long opening waits for another process's reindex to build a first index (a large library takes a minute or two). */
const REINDEX_WAIT_MS = 5 * 60_000;

/**
 * Opens the serving index (building it from the docs folder on first use) and answers questions
 * from it: validate the question, complete a follow-up from the conversation, retrieve passages,
 * answer with citations.
 */
export async function openEngine(config: Config, options: OpenEngineOptions = {}): Promise<Engine> {
  // Read first: a damaged model file is one line at start, before the index is opened.
  const answerModel = options.answerModel ?? loadAnswerModel(config.answerModelPath);
  const embeddings = await createEmbeddings(config.embeddings);
  // The meaning data (dictionary, word vectors, synonyms) takes most of a second to read, on the main thread: a watching
  // engine (the bot) reads it once warmed up (after logging in) or when first needed, so it never delays the login.
  let meaningLoading: Promise<Meaning> | null = null;
  const loadMeaningOnce = () => (meaningLoading ??= loadMeaning(config.meaningCacheDir, options.onNotice));
  let meaning: Meaning | null = options.watch ? null : await loadMeaningOnce();
  const meaningReady = async () => meaning ?? (meaning = await loadMeaningOnce());
  const opened = await openOrBuild(config, embeddings, options);
  // A watching engine (the bot) serves at once and reads the document frequencies ahead once warmed up, a slice at a time.
  let current = new CountedSnapshot(options.watch ? opened : await preloaded(opened));
  let frequenciesRead: Promise<unknown> | null = options.watch ? null : Promise.resolve();
  // A long-running engine (the bot) serves a generation's figures catalog once its lookup is built, a
  // slice at a time between requests (seconds for a large library); the previous catalog serves meanwhile.
  let servingFigures: FigureCatalog | null = null;
  const prepareFigures = async (snapshot: IndexSnapshot) => {
    try {
      await snapshot.figures.prepareInSlices();
      if (current.snapshot === snapshot) servingFigures = snapshot.figures;
    } catch {
      // The generation was replaced (and closed) while being read; the newer one prepares its own.
    }
  };
  // The bot logs in without waiting for it (it is built once warmed up): a lookup made meanwhile waits for `figuresReady`.
  let figuresPrepared: Promise<void> | null = options.watch ? null : Promise.resolve();
  const startFigures = () => (figuresPrepared ??= prepareFigures(current.snapshot));
  const outcomes = new WeakMap<AnswerContext, LlmOutcome>();
  const extractive = new ExtractiveAnswerer(answerModel);
  // The model client is loaded only when a model is configured (it takes most of a second to import).
  const llm = config.chat ? await import('../answering/llm.js') : null;
  const answerer =
    options.answerer ??
    (llm && config.chat
      ? new llm.LlmAnswerer(config.chat, extractive, {
          onOutcome: (outcome, context) => {
            outcomes.set(context, outcome);
            options.onModelOutcome?.(outcome);
          },
        })
      : extractive);
  let reloading = false;
  const timer = options.watch
    ? setInterval(() => {
        if (reloading) return;
        reloading = true;
        void reloadIfNewer().finally(() => (reloading = false));
      }, WATCH_INTERVAL_MS)
    : null;
  timer?.unref();

  async function reloadIfNewer(): Promise<void> {
    const generation = await readCurrentGeneration(config.indexDir);
    if (!generation || generation === current.snapshot.generation) return;
    try {
      const next = await IndexSnapshot.open(config.indexDir);
      checkEmbedder(next, embeddings);
      await preloaded(next);
      const previous = current;
      current = new CountedSnapshot(next);
      previous.retire();
      figuresPrepared = prepareFigures(next);
      options.onReload?.(indexInfo(next));
    } catch {
      // A generation that cannot be read is not swapped in; the current one keeps serving.
    }
  }

  async function withSnapshot<T>(work: (snapshot: IndexSnapshot) => Promise<T>): Promise<T> {
    const lease = current;
    lease.acquire();
    try {
      return await work(lease.snapshot);
    } finally {
      lease.release();
    }
  }

  function searchFigures(query: string, limit = FIGURES_LISTED): FigureMatch[] {
    return (servingFigures ?? current.snapshot.figures).search(query, limit, figureQueryMeaning(query, meaning, current.snapshot));
  }

  /**
   * What an answer is made from: the question validated, a follow-up completed from the conversation (by the model when
   * one is configured), the passages retrieved for it, and the catalogued figure that may lead the answer.
   */
  async function answerInputs(snapshot: IndexSnapshot, question: string, askOptions: AskOptions, started: number) {
    const cleaned = validateQuestion(question, config.maxQuestionChars);
    const history = askOptions.history ?? [];
    const standaloneQuestion =
      llm && config.chat && history.length > 0
        ? await llm.rewriteFollowUp(config.chat, cleaned, history, completeFollowUp)
        : completeFollowUp(cleaned, history);
    const rewritten = performance.now();
    const meaning = await meaningReady();
    const passages = await retrieve(snapshot, embeddings, standaloneQuestion, { k: PASSAGES_PER_ANSWER, meaning });
    const context: AnswerContext = { question: cleaned, standaloneQuestion, passages, history, corpus: snapshot, meaning };
    // Looked up only for an answer it may lead (a refusal is never led by a figure).
    const leadingFigure = () => snapshot.figures.within(passages.slice(0, FIGURE_PASSAGES)).matchQuestion(standaloneQuestion);
    const timings = {
      ...(history.length > 0 && config.chat ? { rewrite: ms(rewritten - started) } : {}),
      retrieve: ms(performance.now() - rewritten),
    };
    return { context, leadingFigure, timings };
  }

  return {
    async ask(question: string, askOptions: AskOptions = {}): Promise<Answer> {
      const started = performance.now();
      return withSnapshot(async (snapshot) => {
        const { context, leadingFigure, timings } = await answerInputs(snapshot, question, askOptions, started);
        const retrieved = performance.now();
        let draft = await answerer.answer(context);
        if (draft.mode === 'extractive' && !draft.refused) draft = leadWithFigure(draft, leadingFigure(), context.passages);
        const answered = performance.now();
        const outcome = outcomes.get(context);
        return {
          question: context.question,
          ...draft,
          timings_ms: {
            ...timings,
            ...(outcome ? { model: ms(outcome.model_ms), checks: ms(outcome.checks_ms) } : {}),
            answer: ms(answered - retrieved),
            total: ms(answered - started),
          },
        };
      });
    },
    inputs: (question: string, askOptions: AskOptions = {}) =>
      withSnapshot(async (snapshot) => {
        const { context, leadingFigure } = await answerInputs(snapshot, question, askOptions, performance.now());
        return { context, figure: leadingFigure() };
      }),
    async retrieve(question: string, k = PASSAGES_PER_ANSWER): Promise<RetrievedPassage[]> {
      const cleaned = validateQuestion(question, config.maxQuestionChars);
      const meaning = await meaningReady();
      return withSnapshot((snapshot) => retrieve(snapshot, embeddings, cleaned, { k, meaning }));
    },
    figures: () => servingFigures ?? current.snapshot.figures,
    warmUp() {
      // Nothing of it runs before the bot has logged in, nor before its caller goes on: reading the meaning data holds
      // the event loop for half a second. A failure reaches the question that awaits the meaning data, not the process.
      setImmediate(() => {
        meaningReady().catch(() => {});
        frequenciesRead ??= preloaded(current.snapshot);
        void startFigures();
      });
    },
    figuresReady: async () => {
      // A lookup reads the query's meaning too (its words in the other language, its places).
      await meaningReady();
      if (!servingFigures) await startFigures();
    },
    searchFigures,
    figureSeries: (query: string) =>
      seriesOf(
        (servingFigures ?? current.snapshot.figures).sameMeasure(
          query,
          SERIES_CANDIDATES,
          SERIES_MIN_SHARE,
          figureQueryMeaning(query, meaning, current.snapshot),
        ),
      ),
    sources: (): SourceInfo[] => [...current.snapshot.documents].map(([id, { passages, copyOf, ...meta }]) => ({ id, meta, passages, copyOf })),
    indexInfo: () => indexInfo(current.snapshot),
    async close() {
      if (timer) clearInterval(timer);
      current.retire();
    },
  };
}

/**
 * The serving generation, checked against the configured embedder. With none (or a damaged one) the index
 * is built here, unless another process's reindex is building it: then that one is waited for (at most
 * `reindexWaitMs`), since building the same index twice would only be refused.
 */
async function openOrBuild(config: Config, embeddings: NamedEmbeddings, options: OpenEngineOptions): Promise<IndexSnapshot> {
  const waitMs = options.reindexWaitMs ?? REINDEX_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let waiting = false;
  for (;;) {
    let unavailable: IndexUnavailableError;
    try {
      return await openChecked(config.indexDir, embeddings);
    } catch (error) {
      if (!(error instanceof IndexUnavailableError)) throw error;
      unavailable = error;
    }
    let running = await findRunningReindex(config.indexDir);
    if (!running) {
      try {
        options.onBuild?.(unavailable.missing ? 'no index yet' : `${unavailable.message}; rebuilding it`);
        const summary = await reindex({ docsDir: config.docsDir, indexDir: config.indexDir, embeddings, full: !unavailable.missing });
        options.onBuilt?.(summary);
        return await openChecked(config.indexDir, embeddings);
      } catch (error) {
        if (!(error instanceof ReindexRunningError)) throw error;
        running = error.running; // started between the check and the build
      }
    }
    if (!waiting) options.onWaitForReindex?.(running, waitMs);
    waiting = true;
    if (!(await waitForReindex(config.indexDir, deadline - Date.now()))) {
      throw new UserError(
        `the reindex ${describeReindex(running)}running on ${config.indexDir} has not finished building the index after ${Math.round(waitMs / 1000)} s; run this again once it has finished`,
      );
    }
  }
}

/** A snapshot with its document frequencies read ahead; one that cannot read them counts each term on first use instead. */
async function preloaded(snapshot: IndexSnapshot): Promise<IndexSnapshot> {
  await snapshot.preloadFrequencies().catch(() => {});
  return snapshot;
}

async function openChecked(indexDir: string, embeddings: NamedEmbeddings): Promise<IndexSnapshot> {
  const snapshot = await IndexSnapshot.open(indexDir);
  checkEmbedder(snapshot, embeddings);
  return snapshot;
}

function checkEmbedder(snapshot: IndexSnapshot, embeddings: NamedEmbeddings): void {
  if (snapshot.manifest.embedder !== embeddings.id) {
    snapshot.close();
    throw new UserError(
      `the index was built with the embedder "${snapshot.manifest.embedder}" but "${embeddings.id}" is configured; run \`npm run reindex -- --full\``,
    );
  }
}

/** Control characters are removed and white space folded; an empty or over-long question is refused. */
export function validateQuestion(question: string, maxChars: number): string {
  const cleaned = question
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!cleaned) throw new UserError('the question is empty; ask something about the indexed documents');
  if (cleaned.length > maxChars) throw new UserError(`the question is ${cleaned.length} characters long; the limit is ${maxChars}`);
  return cleaned;
}

function indexInfo(snapshot: IndexSnapshot): IndexInfo {
  return {
    builtAt: snapshot.manifest.builtAt,
    embedder: snapshot.manifest.embedder,
    documents: snapshot.manifest.counts.documents,
    passages: snapshot.manifest.counts.passages,
  };
}

function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A snapshot closed only when it is no longer serving and no question is still using it. */
class CountedSnapshot {
  private users = 0;
  private retired = false;

  constructor(readonly snapshot: IndexSnapshot) {}

  acquire(): void {
    this.users++;
  }

  release(): void {
    this.users--;
    if (this.retired && this.users === 0) this.snapshot.close();
  }

  retire(): void {
    this.retired = true;
    if (this.users === 0) this.snapshot.close();
  }
}
