// A .jsonl read in a build against its last version's record: only the lines found nowhere in it are parsed,
// and the documents are read again from the file when the build takes them (docs/design.md §6.2).
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { decodeBytes, parseJsonl, type CorpusFile, type CorpusProblem, type FileOutcome, type SourceDocument } from './corpus/index.js';
import { decodeJsonlLine, notUtf8Message, streamJsonlLines, tooLongMessage } from './corpus/jsonl.js';
import type { FileState } from './file-state.js';
import { BLOCK_LINES, blockHashes, blockRange, controlBytes, documentHash, HASH_CHARS, isMostlyControls, lineHash, utf8ByteLines, type SourceFileRecord } from './index/sources.js';

/**
 * Reads a .jsonl as the corpus reader does (decoding, lines, bad lines, the first of two lines with one id),
 * parsing only the lines that are not, byte for byte, lines of its last version: at 100k lines, the parsing
 * and hashing of every document was most of an update of one. A UTF-8 file is compared on its bytes, before
 * any decoding (utf8ByteLines): a block of lines whose bytes are those of the last version's block at the same
 * place keeps its documents with no work per line but their ids' check against the lines read again; the
 * other lines are hashed and looked up among the last version's lines outside such blocks (a line moved);
 * only the lines found nowhere are parsed. Other encodings are decoded first. A file over the reader's
 * threshold for reading whole is streamed as the reader streams it (scanStreamedJsonl), compared the same way.
 * The documents are parsed again when the build needs them (documents of unchanged lines included), so a large
 * file's documents are never all held at once. Null when the reader's own path must read it (unreadable,
 * undecodable: it reports why).
 */
export async function readJsonl(file: CorpusFile, previous: SourceFileRecord | undefined, limits: JsonlLimits): Promise<FileState | null> {
  const started = performance.now();
  const scanned = await scanJsonl(file, previous, limits);
  return scanned === null ? null : jsonlState(file, previous, scanned, started);
}

/** readJsonl's first step: the file's lines compared with its last version's, read whole or streamed. */
export async function scanJsonl(file: CorpusFile, previous: SourceFileRecord | undefined, limits: JsonlLimits): Promise<JsonlScan | null> {
  return file.size > limits.wholeBytes ? scanStreamedJsonl(file, previous, limits.lineBytes) : scanWholeJsonl(file, previous);
}

/** When a .jsonl is read whole or streamed, and the longest line of a streamed one (the corpus reader's limits). */
export interface JsonlLimits {
  readonly wholeBytes: number;
  readonly lineBytes: number;
}

/** A .jsonl line's document as the corpus reader makes it, or what is wrong with the line. */
function parseJsonlLine(line: string, file: CorpusFile): { document?: SourceDocument; problems: readonly CorpusProblem[] } {
  const parsed = parseJsonl(line, file.path);
  const document = parsed.documents[0];
  return { ...(document === undefined ? {} : { document: { ...document, format: 'jsonl' as const } }), problems: parsed.problems };
}

/**
 * What the lines of a .jsonl that no unchanged block accounts for hold, in columns by line: nothing (blank), a
 * document or problems. Columns rather than an object a line: a full build opens every line, and objects with
 * two hash strings each were most of a large file's scan (docs/design.md §6.2, "One large .jsonl").
 */
class OpenedLines {
  /** By line, the id of the document on it (a line with none has none). */
  readonly #ids: (string | undefined)[] = [];
  /** How many opened lines hold each id. */
  readonly idCounts = new Map<string, number>();
  /** By line, 2 × HASH_CHARS latin1 bytes: the hashes of a document parsed (documentHash, then lineHash). */
  #hashes: Buffer;
  /** By line, two numbers: the last version's document it is by its bytes, and the one with its id on its line (or −1). */
  #previous: Int32Array;
  /** By line, the problems of a line with no document, or those of a document kept all the same (a date that is not one). */
  readonly #problems = new Map<number, readonly CorpusProblem[]>();

  constructor(lines: number) {
    this.#hashes = Buffer.alloc(lines * 2 * HASH_CHARS);
    this.#previous = new Int32Array(lines * 2);
  }

  /** A document found among the last version's by its line's bytes: its `m`-th document. */
  setFound(line: number, id: string, m: number): void {
    this.#setId(line, id);
    this.#previous[line * 2] = m;
    this.#previous[line * 2 + 1] = -1;
  }

  /** A document parsed: its hashes, the last version's document of its id on its line (or −1), and its problems. */
  setParsed(line: number, id: string, hash: string, lineHash: string, sameId: number, kept: readonly CorpusProblem[]): void {
    this.#setId(line, id);
    this.#hashes.write(hash, line * 2 * HASH_CHARS, HASH_CHARS, 'latin1');
    this.#hashes.write(lineHash, (line * 2 + 1) * HASH_CHARS, HASH_CHARS, 'latin1');
    this.#previous[line * 2] = -1;
    this.#previous[line * 2 + 1] = sameId;
    if (kept.length > 0) this.#problems.set(line, kept);
  }

  /** A line with no document. */
  setProblems(line: number, problems: readonly CorpusProblem[]): void {
    this.#room(line);
    this.#problems.set(line, problems);
  }

  id(line: number): string | undefined {
    return this.#ids[line];
  }

  /** The last version's document a line is by its bytes, or −1 (a line parsed). */
  previousOf(line: number): number {
    return this.#previous[line * 2]!;
  }

  /** For a line parsed: the last version's document with its id on the same line, or −1. */
  sameIdOf(line: number): number {
    return this.#previous[line * 2 + 1]!;
  }

  problemsOf(line: number): readonly CorpusProblem[] {
    return this.#problems.get(line) ?? [];
  }

  /** Copies a parsed line's hashes to `hashes` and `lineHashes` at `at` (latin1 bytes, HASH_CHARS each). */
  copyHashes(line: number, hashes: Buffer, lineHashes: Buffer, at: number): void {
    this.#hashes.copy(hashes, at, line * 2 * HASH_CHARS, (line * 2 + 1) * HASH_CHARS);
    this.#hashes.copy(lineHashes, at, (line * 2 + 1) * HASH_CHARS, (line + 1) * 2 * HASH_CHARS);
  }

  #setId(line: number, id: string): void {
    this.#room(line);
    this.#ids[line] = id;
    this.idCounts.set(id, (this.idCounts.get(id) ?? 0) + 1);
  }

  /** Doubles the columns when a streamed file has more lines than they hold. */
  #room(line: number): void {
    if (line * 2 < this.#previous.length) return;
    const lines = Math.max(line + 1, this.#previous.length, 1024); // #previous holds two a line: twice the lines
    const hashes = Buffer.alloc(lines * 2 * HASH_CHARS);
    this.#hashes.copy(hashes);
    this.#hashes = hashes;
    const previous = new Int32Array(lines * 2);
    previous.set(this.#previous);
    this.#previous = previous;
  }
}

/** A .jsonl's lines, on its bytes (UTF-8) or on its decoded text, and which blocks are the last version's. */
interface JsonlLines {
  readonly count: number;
  text(line: number): string;
  hash(line: number): string;
  /** Per block of BLOCK_LINES lines: whether its bytes are those of the last version's block there. */
  readonly same: readonly boolean[];
  readonly blocks?: { readonly hashes: readonly string[]; readonly controls: readonly number[] };
}

/**
 * The lines of a .jsonl's bytes, or null when the reader would not decode it (it then reports why). A UTF-8
 * file's blocks are hashed, and its control characters counted a block at a time, an unchanged block's count
 * taken from the record.
 */
function jsonlLines(bytes: Buffer, previous: SourceFileRecord | undefined): JsonlLines | null {
  const byteLines = utf8ByteLines(bytes);
  if (byteLines !== null) {
    const hashes = blockHashes(bytes, byteLines);
    const recorded = previous?.lines !== undefined && previous.lineHashes !== undefined ? previous.blockHashes : undefined;
    const recordedControls = previous?.blockControls;
    const same = hashes.map((hash, block) => recorded !== undefined && recordedControls !== undefined && recorded.slice(block * HASH_CHARS, (block + 1) * HASH_CHARS) === hash);
    const controls = hashes.map((_, block) => {
      if (same[block] === true) return recordedControls![block]!;
      const { start, end } = blockRange(byteLines, block);
      return controlBytes(bytes, start, end);
    });
    const total = controls.reduce((sum, n) => sum + n, 0);
    if (!isMostlyControls(total, bytes.length - byteLines.starts[0]!)) {
      return {
        count: byteLines.starts.length,
        text: (line) => bytes.toString('utf8', byteLines.starts[line], byteLines.ends[line]),
        hash: (line) => lineHash(bytes, byteLines.starts[line], byteLines.ends[line]),
        same,
        blocks: { hashes, controls },
      };
    }
  }
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return null;
  const lines = decoded.text.split(/\r\n|\r|\n/); // parseJsonl's lines
  return { count: lines.length, text: (line) => lines[line]!, hash: (line) => lineHash(Buffer.from(lines[line]!, 'utf8')), same: [] };
}

/** A .jsonl's lines compared with its last version's, before the documents are put in order. */
export interface JsonlScan {
  readonly count: number;
  /** Per line: the last version's document (its index) that an unchanged block holds on it, or −1. */
  readonly coveredBy: Int32Array;
  /** The other lines that are not blank: a document (found among the last version's, or parsed) or problems. */
  readonly opened: OpenedLines;
  readonly blocks?: { readonly hashes: readonly string[]; readonly controls?: readonly number[] };
  /** Lines parsed (the others were blank, or found among the last version's by their bytes). */
  readonly parsed: number;
  /** A line's text, for the document on it when the build needs it. */
  text(line: number): string;
  /** Lets go of what `text` holds (a file kept open). */
  release?(): void;
}

/** The scan of a .jsonl read whole: its bytes are held while its documents are taken. */
async function scanWholeJsonl(file: CorpusFile, previous: SourceFileRecord | undefined): Promise<JsonlScan | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.absolutePath);
  } catch {
    return null;
  }
  const lines = jsonlLines(bytes, previous);
  if (lines === null) return null;
  const previousLines = previous?.lines ?? [];
  const blockOf = (line: number): number => Math.floor(line / BLOCK_LINES);
  // Each line an unchanged block holds a document of the last version on: that document (its index there).
  const coveredBy = new Int32Array(lines.count).fill(-1);
  for (let m = 0; m < previousLines.length; m++) {
    const line = previousLines[m]!;
    if (line < lines.count && lines.same[blockOf(line)] === true) coveredBy[line] = m;
  }
  // The last version's documents outside unchanged blocks, by the hash of their line: where a line read again
  // may have moved from. (One inside an unchanged block is still there: the line read again would repeat its
  // id, and is parsed, which gives the same document.)
  let known: Map<string, number> | undefined;
  const knownLine = (hash: string): number | undefined => {
    if (known === undefined) {
      known = new Map();
      if (previous?.lineHashes !== undefined) {
        for (let m = 0; m < previousLines.length; m++) {
          if (lines.same[blockOf(previousLines[m]!)] !== true) known.set(previous.lineHashes.slice(m * HASH_CHARS, (m + 1) * HASH_CHARS), m);
        }
      }
    }
    return known.get(hash);
  };
  // The other lines, read again: blank, a document (found among the last version's, or parsed) or problems.
  const opened = new OpenedLines(lines.count);
  let parsed = 0;
  for (let i = 0; i < lines.count; i++) {
    if (coveredBy[i]! >= 0) continue;
    const hash = lines.hash(i);
    const m = knownLine(hash);
    if (m !== undefined) {
      opened.setFound(i, previous!.ids[m]!, m);
      continue;
    }
    const line = lines.text(i);
    if (line.trim() === '') continue;
    openParsedLine(opened, i, line, file, previous, hash);
    parsed++;
  }
  return { count: lines.count, coveredBy, opened, ...(lines.blocks === undefined ? {} : { blocks: lines.blocks }), parsed, text: (line) => lines.text(line) };
}

/** A block hash no block of lines has (HASH_CHARS characters, not hex): a block with a line too long to hold. */
const UNMATCHED_BLOCK = 'x'.repeat(HASH_CHARS);

/**
 * The scan of a .jsonl too large to be read whole, read as the corpus reader streams it (jsonl.ts
 * streamJsonlLines: the same lines, line ends and byte order mark, no test for binary), holding a block of
 * BLOCK_LINES lines at a time, never the file. A block's hash is that of its lines' bytes joined by newlines, as
 * blockHashes' of a file read whole whose lines end in newlines only; a block equal to the last version's at
 * the same place keeps its documents unread, as scanWholeJsonl does. The other lines are hashed and looked up
 * among the last version's lines (all of them: which blocks are unchanged is known only at the end; a line equal
 * to one an unchanged block still holds repeats its id, and the first of the two lines keeps the document);
 * only those found nowhere are decoded and parsed. The documents the build needs are read again from the
 * file by their lines' places, after checking that its size and time are still the listed ones. Null when the
 * reader must read it itself (it then reports why): a UTF-16 or UTF-32 byte order mark, a line parsed that is
 * not UTF-8, a file that cannot be read.
 */
async function scanStreamedJsonl(file: CorpusFile, previous: SourceFileRecord | undefined, lineBytes: number): Promise<JsonlScan | null> {
  const previousLines = previous?.lines ?? [];
  const recorded = previous?.lines !== undefined && previous.lineHashes !== undefined ? previous.blockHashes : undefined;
  // By line: where it starts in the file, its length, and the last version's document an unchanged block holds on it (or −1).
  let starts: Float64Array = new Float64Array(1024); // a place past 2 GB is no small integer
  let lengths: Int32Array = new Int32Array(1024);
  let covered: Int32Array = new Int32Array(1024).fill(-1);
  let count = 0;
  const opened = new OpenedLines(0);
  const hashes: string[] = [];
  // The last version's documents by the hash of their line (built when first asked).
  let known: Map<string, number> | undefined;
  const knownLine = (hash: string): number | undefined => {
    if (known === undefined) {
      known = new Map();
      if (previous?.lineHashes !== undefined) for (let m = 0; m < previousLines.length; m++) known.set(previous.lineHashes.slice(m * HASH_CHARS, (m + 1) * HASH_CHARS), m);
    }
    return known.get(hash);
  };
  let parsed = 0;
  let block: { number: number; bytes: Uint8Array | null }[] = [];
  let blockHash = createHash('sha256');
  let blockHeld = true; // no line of the block too long to hold
  let nextPrevious = 0; // the first of the last version's documents not behind the blocks compared
  const finishBlock = (): string | undefined => {
    const b = hashes.length;
    const hash = blockHeld ? blockHash.digest('hex').slice(0, HASH_CHARS) : UNMATCHED_BLOCK;
    hashes.push(hash);
    const same = blockHeld && recorded !== undefined && recorded.slice(b * HASH_CHARS, (b + 1) * HASH_CHARS) === hash;
    const end = (b + 1) * BLOCK_LINES;
    for (; nextPrevious < previousLines.length && previousLines[nextPrevious]! < end; nextPrevious++) {
      if (same) covered[previousLines[nextPrevious]!] = nextPrevious;
    }
    let stop: string | undefined;
    for (const { number, bytes } of block) {
      const i = number - 1;
      if (covered[i]! >= 0) continue;
      if (bytes === null) {
        opened.setProblems(i, [{ file: file.path, line: number, message: tooLongMessage({ lineBytes }) }]);
        continue;
      }
      const hash = lineHash(bytes);
      const m = knownLine(hash);
      if (m !== undefined) {
        opened.setFound(i, previous!.ids[m]!, m);
        continue;
      }
      const text = decodeJsonlLine(bytes);
      if (text === null) {
        stop = notUtf8Message(number);
        break;
      }
      if (text.trim() === '') continue;
      openParsedLine(opened, i, text, file, previous, hash);
      parsed++;
    }
    block = [];
    blockHash = createHash('sha256');
    blockHeld = true;
    return stop;
  };
  let unreadable: string | undefined;
  try {
    unreadable = await streamJsonlLines(createReadStream(file.absolutePath), { lineBytes }, (line) => {
      if (count === starts.length) {
        starts = doubled(starts);
        lengths = doubled(lengths);
        covered = doubled(covered, -1);
      }
      starts[count] = line.start;
      lengths[count] = line.length;
      count++;
      if (block.length > 0) blockHash.update('\n');
      if (line.bytes === null) blockHeld = false;
      else blockHash.update(line.bytes);
      block.push({ number: line.number, bytes: line.bytes === null ? null : Buffer.from(line.bytes) }); // held past the call
      return block.length === BLOCK_LINES ? finishBlock() : undefined;
    });
    if (unreadable === undefined && block.length > 0) unreadable = finishBlock();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    return null; // the file cannot be read: the reader says why
  }
  if (unreadable !== undefined) return null;
  const lines = createLineReader(file, starts.subarray(0, count), lengths.subarray(0, count));
  return { count, coveredBy: covered.slice(0, count), opened, blocks: { hashes }, parsed, text: lines.text, release: lines.release };
}

/** A column twice as long with the same values first (`fill` after them). */
function doubled(column: Int32Array, fill?: number): Int32Array;
function doubled(column: Float64Array): Float64Array;
function doubled(column: Int32Array | Float64Array, fill = 0): Int32Array | Float64Array {
  const larger = column instanceof Int32Array ? new Int32Array(column.length * 2) : new Float64Array(column.length * 2);
  larger.set(column);
  if (fill !== 0) larger.fill(fill, column.length);
  return larger;
}

/**
 * A streamed file's lines read again by their places, through a window of the file (documents are asked for in
 * corpus order, mostly in a row). The file must still have the size and time it was listed with: a file
 * changed since would give other lines than those compared (an error: the next build reads it again).
 */
function createLineReader(file: CorpusFile, starts: Float64Array, lengths: Int32Array): { text(line: number): string; release(): void } {
  const WINDOW_BYTES = 4 * 1024 * 1024;
  let descriptor: number | undefined;
  let window = Buffer.alloc(0);
  let windowStart = 0;
  let windowEnd = 0;
  return {
    text(line) {
      if (descriptor === undefined) {
        descriptor = openSync(file.absolutePath, 'r');
        const now = fstatSync(descriptor);
        if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) throw new Error(`sou: ${file.path} changed while it was read; build again`);
      }
      const start = starts[line]!;
      const end = start + lengths[line]!;
      if (start < windowStart || end > windowEnd) {
        const size = Math.max(WINDOW_BYTES, end - start);
        if (window.length < size) window = Buffer.allocUnsafe(size);
        windowStart = start;
        windowEnd = start + readSync(descriptor, window, 0, Math.min(size, file.size - start), start);
        if (end > windowEnd) throw new Error(`sou: ${file.path} changed while it was read; build again`);
      }
      return window.toString('utf8', start - windowStart, end - windowStart);
    },
    release() {
      if (descriptor !== undefined) closeSync(descriptor);
      descriptor = undefined;
    },
  };
}

/** Opens line `line` (from 0) as parsed from `text` (not blank), whose bytes hash to `lineHash`. */
function openParsedLine(opened: OpenedLines, line: number, text: string, file: CorpusFile, previous: SourceFileRecord | undefined, lineHash: string): void {
  const { document, problems } = parseJsonlLine(text, file);
  if (document === undefined) {
    opened.setProblems(line, problems);
    return;
  }
  const there = previousDocumentOnLine(previous?.lines ?? [], line);
  const sameId = there >= 0 && previous!.ids[there] === document.id ? there : -1;
  opened.setParsed(line, document.id, documentHash(document, undefined), lineHash, sameId, problems);
}

/** The FileState of a scanned .jsonl: its documents in line order, the first of two lines with one id kept. */
function jsonlState(file: CorpusFile, previous: SourceFileRecord | undefined, scanned: JsonlScan, started: number): FileState {
  const { coveredBy, opened, text } = scanned;
  const lines = scanned;
  // The documents in line order, the first of two lines with one id kept. The last version's documents of
  // unchanged blocks have distinct ids: only an id also on a line read again can repeat.
  const ids: string[] = [];
  const fromPrevious = new Int32Array(lines.count); // per document: its index in `previous`, or −1 (its line parsed)
  const previousWithId = new Map<number, number>();
  const lineOf: number[] = []; // per document: its line
  const problems: CorpusProblem[] = [];
  // The ids that can be on two lines: on two lines opened, or on one opened and one of an unchanged block. Only
  // those need the line that had them first (in a full build, only the ids that do repeat).
  const repeatable = new Set<string>();
  for (const [id, count] of opened.idCounts) if (count > 1) repeatable.add(id);
  if (opened.idCounts.size > 0) {
    for (const m of coveredBy) if (m >= 0 && opened.idCounts.has(previous!.ids[m]!)) repeatable.add(previous!.ids[m]!);
  }
  const firstLine = new Map<string, number>();
  // The problems of documents kept all the same, by the last version's line (from 1): a document of the last
  // version has them again wherever its line is now.
  const keptBefore = new Map<number, CorpusProblem[]>();
  for (const problem of previous?.problems ?? []) {
    if (problem.kept !== true || problem.line === undefined) continue;
    const list = keptBefore.get(problem.line);
    if (list === undefined) keptBefore.set(problem.line, [problem]);
    else list.push(problem);
  }
  for (let i = 0; i < lines.count; i++) {
    const m = coveredBy[i]!;
    let id: string;
    let from = m;
    let sameId = -1;
    if (m >= 0) {
      id = previous!.ids[m]!;
    } else {
      const openId = opened.id(i);
      // Its problems: a line's with no document, or a document's kept all the same (none on a blank line).
      for (const problem of opened.problemsOf(i)) problems.push({ ...problem, line: i + 1 });
      if (openId === undefined) continue;
      id = openId;
      from = opened.previousOf(i);
      sameId = opened.sameIdOf(i);
    }
    if (from >= 0 && keptBefore.size > 0) for (const problem of keptBefore.get(previous!.lines![from]! + 1) ?? []) problems.push({ ...problem, line: i + 1 });
    if (repeatable.size > 0 && repeatable.has(id)) {
      const first = firstLine.get(id);
      if (first !== undefined) {
        problems.push({ file: file.path, line: i + 1, message: `duplicate id "${id}", also in ${file.path} line ${first}; skipped` });
        continue;
      }
      firstLine.set(id, i + 1);
    }
    if (sameId >= 0) previousWithId.set(ids.length, sameId);
    fromPrevious[ids.length] = from;
    ids.push(id);
    lineOf.push(i);
  }
  // The records' hashes, HASH_CHARS latin1 bytes a document: runs of the last version's documents in a row
  // are one slice each.
  const hashes = Buffer.allocUnsafe(ids.length * HASH_CHARS);
  const lineHashes = Buffer.allocUnsafe(ids.length * HASH_CHARS);
  for (let k = 0; k < ids.length; ) {
    const from = fromPrevious[k]!;
    if (from < 0) {
      opened.copyHashes(lineOf[k]!, hashes, lineHashes, k * HASH_CHARS);
      k++;
      continue;
    }
    let end = k + 1;
    while (end < ids.length && fromPrevious[end] === from + (end - k)) end++;
    hashes.write(previous!.hashes.slice(from * HASH_CHARS, (from + end - k) * HASH_CHARS), k * HASH_CHARS, 'latin1');
    lineHashes.write(previous!.lineHashes!.slice(from * HASH_CHARS, (from + end - k) * HASH_CHARS), k * HASH_CHARS, 'latin1');
    k = end;
  }
  const outcome: FileOutcome = { file: file.path, type: 'jsonl', ...(ids.length > 0 ? {} : { skipped: 'no text' as const }), ms: performance.now() - started };
  // No hash of the whole file: comparing its lines is the comparison (and a hash of 30 MB costs what it saves).
  return {
    file,
    read: {
      has: () => true,
      // Only the line reader is kept: the scan's per-line maps go once this state is made.
      get: (index) => parseJsonlLine(text(lineOf[index]!), file).document!,
      ...(scanned.release === undefined ? {} : { release: scanned.release }),
    },
    previousIndex: fromPrevious.slice(0, ids.length),
    previousWithId,
    linesParsed: scanned.parsed,
    record: {
      path: file.absolutePath,
      size: file.size,
      mtimeMs: file.mtimeMs,
      sha256: null,
      ids,
      hashes: hashes.toString('latin1'),
      lineHashes: lineHashes.toString('latin1'),
      lines: lineOf,
      ...(lines.blocks === undefined ? {} : { blockHashes: lines.blocks.hashes.join(''), ...(lines.blocks.controls === undefined ? {} : { blockControls: lines.blocks.controls }) }),
      problems,
      outcome,
    },
  };
}

/** The last version's document on `line` (its index; `lines` ascending), or −1. */
function previousDocumentOnLine(lines: readonly number[], line: number): number {
  let low = 0;
  let high = lines.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (lines[middle]! < line) low = middle + 1;
    else high = middle;
  }
  return lines[low] === line ? low : -1;
}
