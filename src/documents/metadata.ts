import path from 'node:path';
import { findDateline } from './dateline.js';
import { titleFromFileName } from './file-name.js';
import type { DocumentMeta } from './types.js';

/** Metadata fields an admin may write, as found in front matter, a sidecar file, or the file itself. */
export type PartialMeta = Partial<Record<keyof DocumentMeta, unknown>>;

const ISO_DATE = /(\d{4})-(\d{2})-(\d{2})/;

/**
 * Merges metadata sources, strongest first, into a complete DocumentMeta. The title falls back to the
 * document's first short line, then to its file name. The date, after the given sources, comes from a
 * dateline in the first lines, then one written in the file name, and only then the file's creation date
 * (for a web page printed to PDF, the day it was printed).
 */
export function resolveMeta(docId: string, text: string, sources: PartialMeta[], createdDate?: string): DocumentMeta {
  const pick = (field: keyof DocumentMeta): string | null => {
    for (const source of sources) {
      const value = normalizeField(field, source[field]);
      if (value) return value;
    }
    return null;
  };
  return {
    title: pick('title') ?? titleFromText(text) ?? titleFromFileName(docId),
    date: pick('date') ?? findDateline(text, { notOn: createdDate }) ?? dateFromFileName(docId) ?? createdDate ?? null,
    url: pick('url'),
    publisher: pick('publisher'),
    language: pick('language') ?? detectLanguage(text),
  };
}

function normalizeField(field: keyof DocumentMeta, value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value).replace(/\s+/g, ' ').trim();
  if (!text) return null;
  if (field === 'date') {
    const iso = ISO_DATE.exec(text);
    if (iso) return iso[0];
    const parsed = new Date(text);
    // A date no one can read is no date: the weaker sources get their turn.
    return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString().slice(0, 10);
  }
  return text;
}

function titleFromText(text: string): string | null {
  const firstLine = text
    .split('\n')
    .map((line) => line.replace(/^#+\s*/, '').trim())
    .find(Boolean);
  if (!firstLine || firstLine.length > 160 || /[.。!?！？]$/.test(firstLine)) return null;
  return firstLine;
}

/** Whether a title is only the file name spelled out (no title was found in the document or its metadata). */
function dateFromFileName(docId: string): string | null {
  return ISO_DATE.exec(path.posix.basename(docId))?.[0] ?? null;
}

export function detectLanguage(text: string): string {
  const sample = text.slice(0, 5000);
  const han = sample.match(/\p{Script=Han}/gu)?.length ?? 0;
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  return letters > 0 && han / letters > 0.2 ? 'zh' : 'en';
}
