// sources.json, what an incremental build compares the corpus with: for every corpus file of the last build
// its size, modification time and content hash, the documents it held (ids and content hashes) and what its
// reading reported; and each live document's counts, in corpus order (parallel to order.bin).
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { CorpusProblem, FileOutcome, SourceDocument } from '../corpus/index.js';

export const SOURCES_VERSION = 5;

/** Width of a document hash in `SourceFileRecord.hashes`. */
export const HASH_CHARS = 16;

export interface SourceFileRecord {
  /** The file's absolute path. */
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of its bytes; null when it could not be read, and for a .jsonl (its lines are compared instead). */
  readonly sha256: string | null;
  /** The ids of the documents it held, in order, before duplicates across files were dropped. */
  readonly ids: readonly string[];
  /** Their documentHash values, concatenated (HASH_CHARS each): one string, not one per document. */
  readonly hashes: string;
  /** For a .jsonl: the lineHash of each document's line (its bytes), concatenated like `hashes` (unchanged lines are not decoded or parsed again). */
  readonly lineHashes?: string;
  /** For a .jsonl: the line (from 0) of each document. */
  readonly lines?: readonly number[];
  /**
   * For a UTF-8 .jsonl: its blockHashes, concatenated (HASH_CHARS each); for one streamed (too large to be read
   * whole), the same hashes of its lines, which the stream reads with any line ends (build-command.ts).
   */
  readonly blockHashes?: string;
  /**
   * For a UTF-8 .jsonl read whole: each block's controlBytes (an unchanged block's bytes are not scanned
   * again). Absent for a streamed one, which the reader does not test for binary: a file read whole again
   * then compares its blocks' lines one by one.
   */
  readonly blockControls?: readonly number[];
  /** What reading it reported (bad lines, a skipped file), duplicates across files excepted. */
  readonly problems: readonly CorpusProblem[];
  readonly outcome: FileOutcome;
}

export interface Sources {
  readonly version: number;
  /** When the build that wrote these listed the corpus (ms since the epoch): a file modified since may have kept its size and time. */
  readonly listedAt: number;
  readonly files: readonly SourceFileRecord[];
  /**
   * Paragraph and character counts of each live document, in corpus order (parallel to order.bin). Which
   * documents are live, and their ids and hashes, follow from `files` by the reader's rule (build-command.ts).
   */
  readonly live: { readonly paragraphs: readonly number[]; readonly characters: readonly number[] };
}

/** 32 bits of a string hash (FNV-1a's loop with a seed and a final mix), in hex: two of them make a document hash. */
function hash32(parts: readonly string[], seed: number): string {
  let hash = seed;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xffff, 0x01000193); // a separator no UTF-16 text makes ambiguous with the length below
    hash = Math.imul(hash ^ part.length, 0x01000193);
  }
  return hexOfMixed(hash);
}

/**
 * A hash of everything the index stores about a document: its id, title, paragraphs, locations, format and the
 * folder its file is relative to; equal hashes, the stored document would be the same. 64 bits, from two
 * seeded 32-bit hashes: a document is only ever compared with the last version of itself, so a change goes
 * unseen with a chance of 2^-64, and hashing 100k documents takes milliseconds, not the half second SHA-256's
 * per-call cost took.
 */
export function documentHash(document: SourceDocument, root: string | undefined): string {
  const parts = [document.id, document.title, ...document.paragraphs, document.locations === undefined ? '' : JSON.stringify(document.locations), document.format ?? '', root ?? '', document.date === undefined ? '' : String(document.date)];
  return hash32(parts, 0x811c9dc5) + hash32(parts, 0x2545f491);
}

/**
 * A hash of the bytes of a raw .jsonl line (`bytes[start, end)`, its newline excluded): equal lines hold the same
 * document. Two seeded 32-bit FNV-1a hashes in one pass, mixed as hash32's, 64 bits in all.
 */
export function lineHash(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = start; i < end; i++) {
    const byte = bytes[i]!;
    a = Math.imul(a ^ byte, 0x01000193);
    b = Math.imul(b ^ byte, 0x01000193);
  }
  return hexOfMixed(Math.imul(a ^ (end - start), 0x01000193)) + hexOfMixed(Math.imul(b ^ (end - start), 0x01000193));
}

/** The lines of a file's bytes: where each starts and ends (its newline excluded). */
export interface ByteLines {
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

/** C0 controls other than \t \n \v \f \r, and DEL, as latin1 characters: decode.ts's binary test counts them. */
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f]/;

/**
 * The lines of a .jsonl's bytes, found before any decoding, when the corpus reader's decoding (decode.ts) of the
 * file is plain UTF-8 whose lines are exactly the byte lines: no UTF-16 or UTF-32 byte order mark (a UTF-8 one is
 * skipped), no carriage return (the reader ends lines at one too), valid UTF-8 (a newline byte is never inside a
 * multi-byte character, so each line decodes alone to the same text) and not what the reader calls binary. Null
 * otherwise: the file is decoded first, as the reader does.
 */
export function jsonlByteLines(bytes: Buffer): ByteLines | null {
  const lines = utf8ByteLines(bytes);
  if (lines === null) return null;
  const first = lines.starts[0]!;
  return isMostlyControls(controlBytes(bytes, first, bytes.length), bytes.length - first) ? null : lines;
}

/**
 * jsonlByteLines without the test for control characters, which a build makes a block at a time
 * (controlBytes, isMostlyControls) so that the blocks of the last version are not scanned again.
 */
export function utf8ByteLines(bytes: Buffer): ByteLines | null {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return null;
  const first = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(first);
  if (body.indexOf(0x0d) >= 0 || body.indexOf(0) >= 0 || !isUtf8(body)) return null;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let start = first; ; ) {
    const newline = bytes.indexOf(0x0a, start);
    starts.push(start);
    ends.push(newline < 0 ? bytes.length : newline);
    if (newline < 0) break;
    start = newline + 1;
  }
  return { starts, ends };
}

/** How many bytes of `bytes[start, end)` the reader's binary test counts as control characters (decode.ts). */
export function controlBytes(bytes: Buffer, start: number, end: number): number {
  const latin1 = bytes.toString('latin1', start, end); // one byte a character: the test runs in the regular expression engine
  return CONTROL.test(latin1) ? latin1.match(new RegExp(CONTROL.source, 'g'))!.length : 0;
}

/** The reader's rule: over 1% control characters, and a file is binary, not text. */
export function isMostlyControls(controls: number, bodyBytes: number): boolean {
  return controls * 100 > bodyBytes;
}

/** Lines of a .jsonl a block hash covers: an unchanged block's lines are not hashed one by one. */
export const BLOCK_LINES = 64;

/** Where block `block` of BLOCK_LINES lines starts and ends in the file's bytes. */
export function blockRange(lines: ByteLines, block: number): { readonly start: number; readonly end: number } {
  const first = block * BLOCK_LINES;
  const last = Math.min(lines.starts.length, first + BLOCK_LINES) - 1;
  return { start: lines.starts[first]!, end: lines.ends[last]! };
}

/**
 * A hash (HASH_CHARS hex digits of SHA-256, computed natively: with the processor's SHA instructions it is
 * faster than MD5) of the bytes of each block of BLOCK_LINES lines, from its first line's start to its last
 * line's end: the same hash at the same block, and the block's lines are the lines of the file's last version at
 * the same places.
 */
export function blockHashes(bytes: Buffer, lines: ByteLines): string[] {
  const hashes: string[] = [];
  for (let block = 0; block * BLOCK_LINES < lines.starts.length; block++) {
    const { start, end } = blockRange(lines, block);
    hashes.push(createHash('sha256').update(bytes.subarray(start, end)).digest('hex').slice(0, HASH_CHARS));
  }
  return hashes;
}

function hexOfMixed(hash: number): string {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0).toString(16).padStart(8, '0');
}

export function sourcesToJson(sources: Sources): string {
  return JSON.stringify(sources);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isCounts = (value: unknown): value is number[] => Array.isArray(value) && value.every((n) => Number.isSafeInteger(n) && (n as number) >= 0);

/** Reads sourcesToJson's text; null when it is not such a text (the build then reads every file again). */
export function sourcesFromJson(text: string): Sources | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(value) || value.version !== SOURCES_VERSION || typeof value.listedAt !== 'number' || !Array.isArray(value.files) || !isObject(value.live)) return null;
  const filesOk = value.files.every(
    (file: unknown) =>
      isObject(file) &&
      typeof file.path === 'string' &&
      typeof file.size === 'number' &&
      typeof file.mtimeMs === 'number' &&
      (file.sha256 === null || typeof file.sha256 === 'string') &&
      Array.isArray(file.ids) &&
      file.ids.every((id: unknown) => typeof id === 'string') &&
      typeof file.hashes === 'string' &&
      file.hashes.length === HASH_CHARS * file.ids.length &&
      (file.lineHashes === undefined || (typeof file.lineHashes === 'string' && file.lineHashes.length === HASH_CHARS * file.ids.length)) &&
      (file.lines === undefined || (isCounts(file.lines) && file.lines.length === file.ids.length)) &&
      (file.blockHashes === undefined ||
        (typeof file.blockHashes === 'string' &&
          file.blockHashes.length % HASH_CHARS === 0 &&
          file.lines !== undefined &&
          file.lineHashes !== undefined &&
          (file.blockControls === undefined || (isCounts(file.blockControls) && file.blockControls.length * HASH_CHARS === file.blockHashes.length)))) &&
      Array.isArray(file.problems) &&
      isObject(file.outcome),
  );
  const { paragraphs, characters } = value.live;
  const liveOk = isCounts(paragraphs) && isCounts(characters) && paragraphs.length === characters.length;
  return filesOk && liveOk ? (value as unknown as Sources) : null;
}
