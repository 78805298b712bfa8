import { parseDateText } from './dates.js';
import { splitParagraphs } from './paragraphs.js';
import type { CorpusProblem, SourceDocument } from './types.js';

export interface JsonlParseResult {
  readonly documents: SourceDocument[];
  /** lines[i] is the 1-based line documents[i] came from, so later problems (duplicates) can cite it. */
  readonly lines: number[];
  readonly problems: CorpusProblem[];
}

/**
 * Parses JSON Lines: one `{"id": string, "title"?: string, "text": string, "date"?: string}` per line. Blank
 * lines are ignored; a bad line becomes a problem with its line number and is skipped. A line without `date`
 * is dated `fileDate` when given (the reader gives none: a .jsonl line is dated only by its own field); a `date` that is not a date (dates.ts)
 * is a problem with its line number, and the document is kept undated: the text is not lost for a bad date.
 * Ids are not checked for uniqueness here: that is across all inputs, in the reader.
 */
export function parseJsonl(text: string, file: string, fileDate?: number): JsonlParseResult {
  const result: JsonlParseResult = { documents: [], lines: [], problems: [] };
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) addLine(result, lines[i] ?? '', i + 1, file, fileDate);
  return result;
}

/** One line's document (and date problem) or problem, into `result`; a blank line adds nothing. */
function addLine(result: JsonlParseResult, line: string, lineNumber: number, file: string, fileDate: number | undefined): void {
  if (line.trim() === '') return;
  const parsed = parseLine(line, fileDate);
  if (typeof parsed === 'string') {
    result.problems.push({ file, line: lineNumber, message: parsed });
  } else {
    if (parsed.dateProblem !== undefined) result.problems.push({ file, line: lineNumber, message: parsed.dateProblem, kept: true });
    result.documents.push(parsed.document);
    result.lines.push(lineNumber);
  }
}

/** What a streamed .jsonl may hold. */
export interface JsonlStreamLimits {
  /** Longest line, in bytes without its line end: a longer one is a problem with its line number, and skipped. */
  readonly lineBytes: number;
}

/**
 * parseJsonl for a file read as a stream of byte chunks (one too large to be read whole): only the line being
 * read is held, never the file. Lines end where parseJsonl ends them (\r\n, \r or \n, also across chunks),
 * so line numbers are the same; a leading UTF-8 byte order mark is skipped. The file must be UTF-8: a UTF-16 or
 * UTF-32 byte order mark, or a line that is not valid UTF-8, makes the whole file a problem (`reason`
 * 'unreadable', no documents), as decoding the file whole would. Lone control bytes are left to JSON.parse.
 */
export async function parseJsonlStream(chunks: AsyncIterable<Uint8Array>, file: string, limits: JsonlStreamLimits, fileDate?: number): Promise<JsonlParseResult> {
  const result: JsonlParseResult = { documents: [], lines: [], problems: [] };
  const unreadable = await streamJsonlLines(chunks, limits, (line) => {
    if (line.bytes === null) {
      result.problems.push({ file, line: line.number, message: tooLongMessage(limits) });
      return undefined;
    }
    const text = decodeJsonlLine(line.bytes);
    if (text === null) return notUtf8Message(line.number);
    addLine(result, text, line.number, file, fileDate);
    return undefined;
  });
  if (unreadable !== undefined) return { documents: [], lines: [], problems: [{ file, message: unreadable, reason: 'unreadable' }] };
  return result;
}

/** The problem of a streamed line longer than `limits.lineBytes` (skipped). */
export function tooLongMessage(limits: JsonlStreamLimits): string {
  return `line longer than ${limits.lineBytes.toLocaleString('en')} bytes, the longest a .jsonl line may be; skipped`;
}

/** Why a streamed .jsonl whose line `number` is not valid UTF-8 is unreadable. */
export function notUtf8Message(number: number): string {
  return `line ${number} is not valid UTF-8: a .jsonl larger than can be read whole is read as UTF-8, line by line (save it as UTF-8, or cut it into smaller files)`;
}

const utf8Line = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A streamed line's text, or null when its bytes are not valid UTF-8. */
export function decodeJsonlLine(bytes: Uint8Array): string | null {
  try {
    return utf8Line.decode(bytes);
  } catch {
    return null;
  }
}

/** A raw line of a streamed .jsonl. */
export interface StreamedLine {
  /** 1-based, as parseJsonl counts. */
  readonly number: number;
  /** Its bytes without its line end; null when it is longer than the limit (not held). */
  readonly bytes: Uint8Array | null;
  /** Where its bytes start in the file, and how many there are (also for a line too long). */
  readonly start: number;
  readonly length: number;
}

/**
 * The lines of a .jsonl read as a stream of byte chunks, each handed to `onLine` as it ends (its bytes may be
 * views of a chunk: copied by a caller that keeps them past the call), ended where parseJsonl ends them (\r\n, \r or \n, also across chunks), after a leading UTF-8 byte order mark. Resolves
 * to why the file is unreadable (a UTF-16 or UTF-32 byte order mark, or what `onLine` returned to stop), or
 * undefined once every line, the last one ended by the file's end included, was handed over.
 */
export async function streamJsonlLines(
  chunks: AsyncIterable<Uint8Array>,
  limits: JsonlStreamLimits,
  onLine: (line: StreamedLine) => string | undefined,
): Promise<string | undefined> {
  let pieces: Uint8Array[] = []; // the current line's bytes so far
  let pieceBytes = 0;
  let tooLong = false;
  let lineNumber = 1;
  let lineStart = 0; // where the current line starts in the file
  let base = 0; // where the current chunk starts in the file
  let first = true;
  let afterCarriageReturn = false; // a \n right after a \r ends no second line
  let unreadable: string | undefined;
  const endLine = (): void => {
    const bytes = tooLong ? null : pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    unreadable = onLine({ number: lineNumber, bytes, start: lineStart, length: pieceBytes });
    pieces = [];
    pieceBytes = 0;
    tooLong = false;
    lineNumber++;
  };
  const take = (bytes: Uint8Array): void => {
    if (bytes.length === 0) return;
    pieceBytes += bytes.length;
    if (tooLong) return;
    if (pieceBytes > limits.lineBytes) {
      tooLong = true;
      pieces = [];
    } else {
      pieces.push(bytes);
    }
  };
  for await (const chunk of headFirst(chunks, 4)) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let chunkBase = base;
    base += bytes.length;
    if (first && bytes.length > 0) {
      first = false;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff)) {
        unreadable = 'starts with a UTF-16 or UTF-32 byte order mark: a .jsonl larger than can be read whole must be UTF-8';
        break;
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        chunkBase += 3;
        lineStart = 3;
      }
    }
    let start = 0;
    if (afterCarriageReturn && bytes[0] === 0x0a) {
      start = 1;
      lineStart = chunkBase + 1;
    }
    afterCarriageReturn = false;
    const ends = lineEnds(bytes);
    for (let end = ends.next(start); unreadable === undefined; end = ends.next(start)) {
      if (end < 0) {
        take(bytes.subarray(start));
        break;
      }
      take(bytes.subarray(start, end));
      endLine();
      start = end + 1;
      // Only a \r that ends the chunk waits for the next chunk's \n: after a whole \r\n, a \n there is an empty line.
      if (bytes[end] === 0x0d) {
        if (start === bytes.length) afterCarriageReturn = true;
        else if (bytes[start] === 0x0a) start++;
      }
      lineStart = chunkBase + start;
    }
    if (unreadable !== undefined) break;
  }
  if (unreadable === undefined) endLine(); // the last line, ended by the file's end (parseJsonl's last split)
  return unreadable;
}

/** `chunks` with the first `bytes` bytes in the first chunk (when the stream has that many), to see its byte order mark. */
async function* headFirst(chunks: AsyncIterable<Uint8Array>, bytes: number): AsyncGenerator<Uint8Array> {
  let head: Uint8Array[] | undefined = [];
  let headBytes = 0;
  for await (const chunk of chunks) {
    if (head === undefined) {
      yield chunk;
      continue;
    }
    head.push(chunk);
    headBytes += chunk.length;
    if (headBytes >= bytes) {
      yield Buffer.concat(head);
      head = undefined;
    }
  }
  if (head !== undefined) yield Buffer.concat(head);
}

/** The places of a chunk's \r and \n bytes in order, each byte searched for once past the last place found. */
function lineEnds(bytes: Buffer): { next(start: number): number } {
  let newline = -2; // -2: not searched yet (or behind `start`); -1: none left
  let carriageReturn = -2;
  return {
    next(start: number): number {
      if (newline !== -1 && newline < start) newline = bytes.indexOf(0x0a, start);
      if (carriageReturn !== -1 && carriageReturn < start) carriageReturn = bytes.indexOf(0x0d, start);
      if (carriageReturn < 0) return newline;
      if (newline < 0) return carriageReturn;
      return Math.min(newline, carriageReturn);
    },
  };
}

/** The document on this line (and what is wrong with its date), or what is wrong with it. */
function parseLine(line: string, fileDate: number | undefined): { document: SourceDocument; dateProblem?: string } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `invalid JSON: ${(error as Error).message}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'expected a JSON object {"id": …, "text": …}';
  }
  const { id, title, text, date } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id.trim() === '') return `"id" must be a non-empty string, got ${describe(id)}`;
  if (typeof text !== 'string') return `"text" must be a string, got ${describe(text)} (id "${id}")`;
  if (title !== undefined && typeof title !== 'string') {
    return `"title" must be a string when present, got ${describe(title)} (id "${id}")`;
  }
  const paragraphs = splitParagraphs(text);
  if (paragraphs.length === 0) return `empty text, no paragraphs (id "${id}")`;
  const document = { id, title: title === undefined || title.trim() === '' ? id : title.trim(), paragraphs };
  if (date === undefined) return { document: fileDate === undefined ? document : { ...document, date: fileDate } };
  const parsedDate = typeof date === 'string' ? parseDateText(date) : null;
  if (parsedDate === null) {
    const shown = typeof date === 'string' ? `"${date}"` : describe(date);
    return { document, dateProblem: `"date" must be a date such as "2024-03-01" or "2024-03-01T08:00:00+08:00", got ${shown} (id "${id}"); indexed without a date` };
  }
  return { document: { ...document, date: parsedDate } };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a blank string' : `a ${typeof value}`;
}
