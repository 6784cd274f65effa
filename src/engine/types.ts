import type { Answer, AnswerContext, AskOptions, RetrievedPassage } from '../answering/types.js';
import type { DocumentMeta } from '../documents/types.js';
import type { FigureCatalog, FigureMatch, FigureSeries } from '../figures/index.js';

export interface AnswerInputs {
  context: AnswerContext;
  /** The catalogued figure that leads an extractive answer when it clearly matches the question. */
  figure: FigureMatch | null;
}

export interface SourceInfo {
  id: string;
  meta: DocumentMeta;
  passages: number;
  /** The document this one is a copy of (the same release, published elsewhere); null when none. */
  copyOf: string | null;
}

export interface IndexInfo {
  /** ISO time the serving index was built. */
  builtAt: string;
  /** Which embedder built it, e.g. `local-hash-256` or `openai:text-embedding-3-small`. */
  embedder: string;
  documents: number;
  passages: number;
}

/** What the scripts and the bot use: questions in, cited answers out, always from the newest complete index. */
export interface Engine {
  /** Throws a UserError for an empty or over-long question. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /**
   * What `ask` makes its answer from, without answering: the answerer's context and the figure that may lead the
   * answer (fitting the answer model reads every candidate of it). The context reads the index generation serving now.
   */
  inputs(question: string, options?: AskOptions): Promise<AnswerInputs>;
  /** The passages a question retrieves, best first (eval's hit@k, the bench). */
  retrieve(question: string, k?: number): Promise<RetrievedPassage[]>;
  /** The figures catalog of the serving index (in a watching engine: of the newest generation whose lookup is built). */
  figures(): FigureCatalog;
  /**
   * Resolves once a watching engine serves a built figures lookup (it is built in the background after opening, seconds
   * for a large library); at once otherwise. The bot awaits it before a lookup, so none blocks the event loop building one.
   */
  figuresReady(): Promise<void>;
  /**
   * Starts reading in the background what answering needs beyond the index (the meaning data, most of a second). A
   * watching engine leaves it until then, or until first needed, so that a bot logs in first; it calls this once ready.
   */
  warmUp(): void;
  /** The figures that best match a lookup, best first, with its words met in either language and its places held to. */
  searchFigures(query: string, limit?: number): FigureMatch[];
  /** The best-matching figure's measure and place over every period the library states it for; null when nothing matches. */
  figureSeries(query: string): FigureSeries | null;
  sources(): SourceInfo[];
  indexInfo(): IndexInfo;
  close(): Promise<void>;
}
