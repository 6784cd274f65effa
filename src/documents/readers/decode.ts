import { UnreadableFileError } from './types.js';

/** UTF-8 when it is valid UTF-8; otherwise Windows-1252 (a superset of Latin-1) with a warning; binary is refused. */
export function decodeText(bytes: Buffer): { text: string; warning?: string } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (looksBinary(body)) throw new UnreadableFileError('not a text file (binary content)');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(body), warning: 'not UTF-8; read as Latin-1 (Windows-1252)' };
  }
}

function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8192);
  let control = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) control++;
  }
  return sample.length > 0 && control / sample.length > 0.02;
}

export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
