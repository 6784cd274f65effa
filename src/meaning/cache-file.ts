import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * A cache file holds data derived from a large source (a package's data) in a form that loads in
 * milliseconds. Layout, little-endian:
 *
 *   magic (4 ASCII bytes) | format version (u32) | header length (u32) | header (UTF-8 JSON) | payload
 *
 * The header names the source the payload was built from, the payload's length and CRC-32, and the
 * numbers the format needs to read it (counts, dimensions). Anything that does not match — another
 * magic or version, a short file, a bad checksum, another source — is rebuilt, never read.
 */

/** The options of every loader of src/meaning. */
export interface MeaningOptions {
  /** One-line notices: a cache being built or rebuilt, data being unavailable. */
  onNotice: (message: string) => void;
  /** The data to build from; the installed package's by default (tests pass small fixtures). */
  sourcePath?: string;
}

/** One kind of meaning data: where it comes from, how its cache is built and read, what stands in without it. */
export interface CacheSpec<T> extends CacheFormat {
  /** What the data is, for notices ("word vectors"). */
  label: string;
  /** How long a build takes, for notices ("about 5 s"). */
  buildTime: string;
  fileName: string;
  /** The package the data comes from, for notices. */
  packageName: string;
  /** The installed package's data file or folder; null when it is not installed. */
  installedSource: () => string | null;
  /** What else the payload depends on (analyzer version, tuning), named in the cache's source. */
  settings: string;
  build: (sourcePath: string) => Promise<Omit<CacheContents, 'source'>>;
  read: (contents: CacheContents) => T;
  /** Served when the data is unavailable, and what that means for its users ("word similarity is 0"). */
  fallback: T;
  fallbackMeaning: string;
}

/**
 * The data, read from its cache in `cacheDir`, which is built (and written) first when it is missing,
 * damaged or out of date, with a one-line notice. Without its source, or when that cannot be read, the
 * fallback, with a notice: never an error. A cache folder that cannot be written costs a rebuild at every load.
 */
export async function loadCached<T>(cacheDir: string, spec: CacheSpec<T>, options: MeaningOptions): Promise<T> {
  const unavailable = (reason: string) => {
    options.onNotice(`${spec.label} unavailable (${reason}); ${spec.fallbackMeaning}`);
    return spec.fallback;
  };
  const sourcePath = options.sourcePath ?? spec.installedSource();
  const described = sourcePath && describeSource(sourcePath);
  if (!sourcePath || !described) return unavailable(`${spec.packageName} is not installed`);
  const source = `${described}, ${spec.settings}`;
  const file = path.join(cacheDir, spec.fileName);
  try {
    const cached = readCacheFile(file, spec, source);
    if (!('problem' in cached)) return spec.read(cached);
    const missing = cached.problem === 'missing';
    options.onNotice(`meaning cache ${missing ? 'not built yet' : cached.problem}; ${missing ? 'building' : 'rebuilding'} ${spec.label} (${spec.buildTime})`);
    const contents = { source, ...(await spec.build(sourcePath)) };
    try {
      writeCacheFile(file, spec, contents);
    } catch (error) {
      options.onNotice(`meaning cache not saved (${(error as Error).message}); ${spec.label} will be rebuilt next time`);
    }
    return spec.read(contents);
  } catch (error) {
    return unavailable((error as Error).message);
  }
}

/** What kind of cache a file is: its magic and the version of its layout (and of how it is built). */
interface CacheFormat {
  /** Four ASCII characters. */
  magic: string;
  version: number;
}

export interface CacheContents {
  /** Everything the payload was built from (source package version, analyzer version, pruning): another one means a rebuild. */
  source: string;
  /** The numbers the format needs to read its payload. */
  fields: Record<string, number>;
  payload: Buffer;
}

interface Header {
  source: string;
  fields: Record<string, number>;
  payloadBytes: number;
  crc32: number;
}

const PREAMBLE_BYTES = 12;

/** The file's contents, or why they cannot be used ("missing", "damaged (bad checksum)", "out of date"). */
function readCacheFile(file: string, format: CacheFormat, source: string): CacheContents | { problem: string } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { problem: 'missing' };
  }
  if (bytes.length < PREAMBLE_BYTES) return { problem: 'damaged (truncated)' };
  if (bytes.toString('latin1', 0, 4) !== format.magic) return { problem: 'damaged (bad magic)' };
  if (bytes.readUInt32LE(4) !== format.version) return { problem: 'out of date (another format version)' };
  const headerEnd = PREAMBLE_BYTES + bytes.readUInt32LE(8);
  if (headerEnd > bytes.length) return { problem: 'damaged (truncated)' };
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', PREAMBLE_BYTES, headerEnd)) as Header;
  } catch {
    return { problem: 'damaged (bad header)' };
  }
  if (bytes.length !== headerEnd + header.payloadBytes) return { problem: 'damaged (truncated)' };
  const payload = bytes.subarray(headerEnd);
  if (crc32(payload) !== header.crc32) return { problem: 'damaged (bad checksum)' };
  if (header.source !== source) return { problem: `out of date (built from ${header.source})` };
  return { source: header.source, fields: header.fields, payload };
}

/**
 * Writes a cache file whole: to a temporary file, then renamed over the old one, so a reader (another
 * process) sees the old file or the new one, and an interrupted build leaves no half file. Not synced:
 * a file cut short by a power loss fails its checksum and is rebuilt.
 */
function writeCacheFile(file: string, format: CacheFormat, contents: CacheContents): void {
  const header: Header = { source: contents.source, fields: contents.fields, payloadBytes: contents.payload.length, crc32: crc32(contents.payload) };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  preamble.write(format.magic, 0, 'latin1');
  preamble.writeUInt32LE(format.version, 4);
  preamble.writeUInt32LE(headerBytes.length, 8);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([preamble, headerBytes, contents.payload]));
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Names a source (a data file, or a folder of them) by the package.json in the folder holding it and, for
 * a file, its size: a reinstalled or replaced source is noticed without reading it. Null when it is missing.
 */
function describeSource(sourcePath: string): string | null {
  let stats: fs.Stats;
  try {
    stats = fs.statSync(sourcePath);
  } catch {
    return null;
  }
  let version = 'unversioned';
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(path.dirname(sourcePath), 'package.json'), 'utf8')) as { name?: string; version?: string };
    version = `${manifest.name}@${manifest.version}`;
  } catch {
    // A source outside a package (a test's fixture) is named by its file alone.
  }
  return stats.isFile() ? `${path.basename(sourcePath)} ${version} (${stats.size} bytes)` : `${path.basename(sourcePath)} ${version}`;
}
