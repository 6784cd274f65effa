/** Passages from the sample corpus and a stand-in fallback answerer, shared by the model-answer tests. */
import fs from 'node:fs';
import path from 'node:path';
import type { Answerer, AnswerContext, AnswerDraft, CorpusStats, RetrievedPassage } from '../../src/answering/types.js';
import { PROJECT_ROOT } from '../../src/config/index.js';

const SAMPLE_ID = 'xixian-new-area-sci-tech-2024-03-27.txt';
const SAMPLE_META = {
  title: "West China's Xixian New Area pioneers in navigating new sci-tech landscape",
  date: '2024-03-27',
  url: 'https://example.org/xixian',
  publisher: null,
  language: 'en',
};

/** The sample document's paragraph containing `needle`, as a retrieved passage. */
export function samplePassage(id: number, needle: string, score = 1): RetrievedPassage {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, 'data/docs', SAMPLE_ID), 'utf8');
  const paragraph = text.split(/\n\s*\n/).find((p) => p.includes(needle));
  if (!paragraph) throw new Error(`no sample paragraph contains "${needle}"`);
  return { id, docId: SAMPLE_ID, meta: SAMPLE_META, heading: null, text: paragraph.trim(), score };
}

export function passage(id: number, docId: string, text: string, score = 0.5): RetrievedPassage {
  return { id, docId, meta: { title: docId, date: null, url: null, publisher: null, language: null }, heading: null, text, score };
}

export const FALLBACK_TEXT = 'Extractive answer from the test double.';

/** Implements Answerer the way the extractive path does, minus retrieval; counts its calls. */
export class FallbackDouble implements Answerer {
  calls = 0;
  constructor(private readonly refuses = false) {}
  async answer(context: AnswerContext): Promise<AnswerDraft> {
    this.calls++;
    if (this.refuses || context.passages.length === 0) {
      return { answer: "I couldn't find this in the indexed documents.", refused: true, mode: 'extractive', citations: [] };
    }
    const first = context.passages[0];
    return {
      answer: `${FALLBACK_TEXT} [1]`,
      refused: false,
      mode: 'extractive',
      citations: [
        {
          n: 1,
          source: first.docId,
          title: first.meta.title,
          url: first.meta.url,
          date: first.meta.date,
          language: first.meta.language,
          quote: first.text,
          score: first.score,
          also: [],
        },
      ],
    };
  }
}

/** The model path does not weigh terms: a corpus where every term is present and equally telling. */
const UNIFORM_CORPUS: CorpusStats = { idf: () => 1, has: () => true, documentHas: () => true };

export function contextFor(question: string, passages: RetrievedPassage[], history: AnswerContext['history'] = []): AnswerContext {
  return { question, standaloneQuestion: question, passages, history, corpus: UNIFORM_CORPUS };
}
