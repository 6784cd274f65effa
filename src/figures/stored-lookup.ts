import { promises as fs, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { Figure } from './types.js';

/**
 * A figures lookup kept beside its index generation: the first process to build a generation's lookup (seconds for
 * a large library: tokenizing every figure's sentence) writes it there, and every later start reads it back in a
 * fraction of that. A generation never changes, so the file holds for as long as it does.
 */

/** Raised whenever what the lookup holds, or how FigureIndex weighs and splits it, changes: a file of another format is rebuilt. */
export const STORED_LOOKUP_FORMAT = 1;
export const STORED_LOOKUP_FILE = 'figures-lookup.bin';

/** A FigureIndex as flat arrays (see FigureIndex.toStored). */
export interface StoredLookup {
  format: number;
  /** Which figures, in which order, it was built over (figuresKey). */
  figures: string;
  terms: string[];
  postingStart: Int32Array;
  postingFigure: Int32Array;
  postingWeight: Uint8Array;
  labelStart: Int32Array;
  labelTerms: Int32Array;
  scopeStart: Int32Array;
  scopeTerms: Int32Array;
  defaultOrder: Int32Array;
}

/** The figures' count and a hash of their ids in order (FNV-1a): a lookup built over others does not fit them. */
export function figuresKey(figures: Figure[]): string {
  let hash = 0x811c9dc5;
  for (const { id } of figures) {
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0x2c, 0x01000193);
  }
  return `${figures.length}:${(hash >>> 0).toString(16)}`;
}

/** The stored lookup at `file`, or null when there is none or it cannot be read (it is then built again). */
export async function readStoredLookup(file: string): Promise<StoredLookup | null> {
  try {
    return asStoredLookup(deserialize(await fs.readFile(file)));
  } catch {
    return null;
  }
}

export function readStoredLookupSync(file: string): StoredLookup | null {
  try {
    return asStoredLookup(deserialize(readFileSync(file)));
  } catch {
    return null;
  }
}

/**
 * Writes the lookup beside its generation, through a temporary file so that a reader never sees half of one. A
 * failure (an index folder the bot may not write, a generation removed meanwhile) only means building it next time.
 */
export function writeStoredLookup(file: string, lookup: StoredLookup): void {
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, serialize(lookup));
    renameSync(partial, file);
  } catch {
    rmSync(partial, { force: true });
  }
}

function asStoredLookup(value: unknown): StoredLookup | null {
  const stored = value as Partial<StoredLookup> | null;
  return stored && typeof stored === 'object' && stored.format === STORED_LOOKUP_FORMAT && stored.postingStart instanceof Int32Array
    ? (stored as StoredLookup)
    : null;
}
