import type { Meaning } from '../meaning/concepts.js';
import type { DocumentMeta } from '../documents/types.js';

/** One turn of a conversation (a Discord thread or reply chain), oldest first. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface AskOptions {
  history?: ConversationTurn[];
}

/** A passage found for a question, with its document's metadata and its fused score. */
export interface RetrievedPassage {
  id: number;
  docId: string;
  meta: DocumentMeta;
  heading: string | null;
  text: string;
  score: number;
  /** Where it stood in each ranking retrieval fused (0 = first; null = not in that ranking); absent for passages made by hand. */
  ranks?: RetrievalRanks;
  /** The other copies of its document (the same release published elsewhere); none when absent. */
  also?: CopyRef[];
  /** The canonical copy, when its document is a copy of another. */
  copyOf?: string;
}

/** A passage's place in the fused ranking and in each ranking fused into it (lexical, the other language's words, vectors). */
export interface RetrievalRanks {
  fused: number;
  lexical: number | null;
  translation: number | null;
  vector: number | null;
}

/** Another copy of a cited document: the same release, published elsewhere. */
export interface CopyRef {
  /** Its document id. */
  source: string;
  title: string;
  url: string | null;
  publisher: string | null;
}

export interface Citation {
  n: number;
  /** The document id (its path relative to the docs folder). */
  source: string;
  title: string;
  url: string | null;
  date: string | null;
  /** The document's language ('zh', 'en'): an answer may quote a document in the other language than the question's. */
  language: string | null;
  quote: string;
  score: number;
  /** The other copies of the cited document, canonical first; an empty array when it has none. */
  also: CopyRef[];
}

/** What the documents do say about a refused question's subject: shown under the refusal, never as its answer. */
export interface RelatedQuote {
  source: string;
  title: string;
  date: string | null;
  language: string | null;
  quote: string;
}

export type AnswerMode = 'extractive' | 'llm';

/** What `ask --json` prints and what the bot renders. */
export interface Answer {
  question: string;
  answer: string;
  refused: boolean;
  mode: AnswerMode;
  /** Why the extractive path answered when a model is configured (timeout, failed check, ...). */
  mode_reason?: string;
  citations: Citation[];
  /** With a refusal: the closest the documents come to the question (empty when nothing comes close). */
  related?: RelatedQuote[];
  timings_ms: Record<string, number>;
}

export type AnswerDraft = Omit<Answer, 'question' | 'timings_ms'>;

export interface AnswerContext {
  question: string;
  /** The question as used for retrieval: with a follow-up, completed from the conversation. */
  standaloneQuestion: string;
  passages: RetrievedPassage[];
  history: ConversationTurn[];
  /** Statistics of the serving corpus, for weighing the question's terms. */
  corpus: CorpusStats;
  /** The meaning data (dictionary), when loaded: translations, synonyms and place names of the question's terms. */
  meaning?: Meaning | null;
}

export interface CorpusStats {
  /** How telling an index term is (inverse document frequency); a term no passage has weighs most. */
  idf(term: string): number;
  /** Whether any passage has the term. */
  has(term: string): boolean;
  /** Whether any passage of the document has the term. */
  documentHas(docId: string, term: string): boolean;
}

/** Turns retrieved passages into a cited answer (extractive, or model-written behind the same interface). */
export interface Answerer {
  answer(context: AnswerContext): Promise<AnswerDraft>;
}

export const REFUSAL_TEXT = "I couldn't find this in the indexed documents.";
