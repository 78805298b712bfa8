import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { decodeBytes } from './decode.js';
import { FORMAT_OF_EXTENSION, isIsolated, READ_LIMITS, type ReadDocument } from './formats/index.js';
import { createReaderPool, type ReaderPool, type ReadOutcome } from './formats/pool.js';
import { parseJsonl, parseJsonlStream } from './jsonl.js';
import { markdownLocations, splitParagraphs, titleFromMarkdown } from './paragraphs.js';
import type { CorpusFile, CorpusFormat, CorpusProblem, CorpusReadResult, FileOutcome, ParagraphLocation, SkipReason, SourceDocument } from './types.js';

export type ProgressListener = (done: number, total: number, file: string) => void;

/** How the non-text readers are isolated; the defaults are the pool's. */
export interface ReadOptions {
  readonly threads?: number;
  readonly timeoutMs?: number;
  readonly memoryMb?: number;
  /** Largest .jsonl read whole (as every other text file), default READ_LIMITS.fileBytes; a larger one is streamed. */
  readonly jsonlWholeBytes?: number;
  /** Longest line of a streamed .jsonl, default JSONL_LINE_BYTES. */
  readonly jsonlLineBytes?: number;
}

/**
 * Longest line of a .jsonl too large to be read whole: a line is held whole to be parsed, and one as long as
 * a file read whole is what a .jsonl of one document could hold before streaming.
 */
export const JSONL_LINE_BYTES = READ_LIMITS.fileBytes;

const SINGLE_FILE_FORMATS = [...new Set(FORMAT_OF_EXTENSION.values())];
const FOLDER_FORMATS = SINGLE_FILE_FORMATS.filter((format) => format !== 'jsonl');

/**
 * Lists the corpus files under each PATH: a folder (read recursively, skipping dot-files and dot-folders,
 * each folder visited once even through symlink loops; a file of a type Sou does not read is a problem,
 * "unsupported type") or a single file of a type it reads. Files of one folder are sorted by id; inputs keep their order, since the first
 * of two documents with the same id wins. A PATH that does not exist or has the wrong kind throws.
 */
export async function listCorpusFiles(paths: readonly string[]): Promise<{ files: CorpusFile[]; problems: CorpusProblem[] }> {
  const files: CorpusFile[] = [];
  const problems: CorpusProblem[] = [];
  for (const input of paths) {
    const absolute = path.resolve(input);
    const stats = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new Error(`sou: corpus path not found: ${input}`);
      throw new Error(`sou: cannot read corpus path ${input}: ${error.message}`);
    });
    if (stats.isDirectory()) {
      const found: CorpusFile[] = [];
      await walk(absolute, absolute, new Set([identity(stats)]), found, problems);
      found.sort((a, b) => compare(a.docId ?? '', b.docId ?? ''));
      for (const file of found) files.push(file);
    } else if (stats.isFile() && formatOf(absolute, SINGLE_FILE_FORMATS) !== undefined) {
      files.push(corpusFile(absolute, stats, path.basename(absolute)));
    } else {
      throw new Error(`sou: corpus path ${input} is not a folder or a ${[...FORMAT_OF_EXTENSION.keys()].map((ext) => `.${ext}`).join(', ')} file`);
    }
  }
  return { files, problems };
}

/** Reads every document of the corpus; whatever cannot be read is a problem, never an exception. */
export async function readCorpus(
  paths: readonly string[],
  onProgress?: ProgressListener,
  options?: ReadOptions,
): Promise<CorpusReadResult & { files: CorpusFile[]; outcomes: FileOutcome[] }> {
  return readListedFiles(await listCorpusFiles(paths), onProgress, options);
}

/**
 * readCorpus for files already listed by listCorpusFiles (the build lists first to see if it is up to date).
 * Text files are read here; the other formats on the reader pool's worker threads, all at once (the pool
 * queues them), while documents are taken in listing order.
 */
export async function readListedFiles(
  listed: { files: CorpusFile[]; problems: CorpusProblem[] },
  onProgress?: ProgressListener,
  options: ReadOptions = {},
): Promise<CorpusReadResult & { files: CorpusFile[]; outcomes: FileOutcome[] }> {
  const { files } = listed;
  const problems = [...listed.problems];
  const outcomes: FileOutcome[] = listed.problems.flatMap((problem) =>
    problem.reason === undefined ? [] : [{ file: problem.file, type: typeOfFile(problem.file), skipped: problem.reason, ms: 0 }],
  );
  const documents: SourceDocument[] = [];
  const firstSeen = new Map<string, string>(); // id → where it was first read, for duplicate reports
  let pool: ReaderPool | undefined;
  const isolated = new Map<CorpusFile, Promise<ReadOutcome>>();
  for (const file of files) {
    if (isIsolated(file.format) && file.size <= READ_LIMITS.fileBytes) {
      pool ??= createReaderPool(options);
      isolated.set(file, pool.read(file.absolutePath, file.format));
    }
  }
  try {
    for (const [i, file] of files.entries()) {
      const started = performance.now();
      const pending = isolated.get(file);
      const read = pending === undefined ? await readFileDocuments(file, options) : isolatedDocuments(file, await pending);
      const ms = read.ms ?? performance.now() - started;
      for (const problem of read.problems) problems.push(problem);
      let kept = 0;
      for (const { document, line } of read.documents) {
        const where = line === undefined ? file.path : `${file.path} line ${line}`;
        const first = firstSeen.get(document.id);
        if (first === undefined) {
          firstSeen.set(document.id, where);
          documents.push(document);
          kept++;
        } else {
          const message = `duplicate id "${document.id}", also in ${first}; skipped`;
          problems.push(line === undefined ? { file: file.path, message, reason: 'duplicate' } : { file: file.path, line, message });
        }
      }
      const skipped = kept > 0 ? undefined : (read.problems.find((p) => p.reason !== undefined)?.reason ?? (read.documents.length > 0 ? 'duplicate' : 'no text'));
      outcomes.push({ file: file.path, type: file.format, ...(skipped === undefined ? {} : { skipped }), ms });
      onProgress?.(i + 1, files.length, file.path);
    }
  } finally {
    await pool?.close();
  }
  return { documents, problems, files, outcomes };
}

interface FileDocuments {
  readonly documents: { document: SourceDocument; line?: number }[];
  readonly problems: CorpusProblem[];
  /** Read time measured where the reading happened (a worker), when not here. */
  readonly ms?: number;
}

function skipFile(file: CorpusFile, reason: SkipReason, message: string): FileDocuments {
  return { documents: [], problems: [{ file: file.path, message, reason }] };
}

/** The document a worker read, or why it could not. */
function isolatedDocuments(file: CorpusFile, outcome: ReadOutcome): FileDocuments {
  if (!outcome.ok) return { ...skipFile(file, outcome.reason, outcome.message), ms: 0 };
  const document = sourceDocument(file, outcome.document);
  if (document === undefined) return { ...skipFile(file, 'no text', 'no text in it'), ms: outcome.ms };
  return { documents: [{ document }], problems: [], ms: outcome.ms };
}

/** A reader's document as the index takes it: ids from the listing, a title always, locations parallel. */
function sourceDocument(file: CorpusFile, read: ReadDocument): SourceDocument | undefined {
  const paragraphs = read.paragraphs.filter((p) => p.text.trim() !== '');
  if (paragraphs.length === 0) return undefined;
  const id = file.docId ?? path.basename(file.absolutePath);
  const title = read.title !== undefined && read.title.trim() !== '' ? read.title.trim() : stem(id);
  const hasLocations = paragraphs.some((p) => p.location !== undefined);
  const locations: ParagraphLocation[] = paragraphs.map((p) => p.location ?? {});
  return { id, title, paragraphs: paragraphs.map((p) => p.text), ...(hasLocations ? { locations } : {}), format: file.format, date: fileDate(file) };
}

/** A document's date when nothing in it says otherwise: its file's modified time, to the millisecond. */
const fileDate = (file: CorpusFile): number => Math.floor(file.mtimeMs);

async function readFileDocuments(file: CorpusFile, options: ReadOptions): Promise<FileDocuments> {
  if (file.format === 'jsonl' && file.size > (options.jsonlWholeBytes ?? READ_LIMITS.fileBytes)) return streamJsonl(file, options.jsonlLineBytes ?? JSONL_LINE_BYTES);
  if (file.size > READ_LIMITS.fileBytes) return skipFile(file, 'too large', `${file.size} bytes, more than ${READ_LIMITS.fileBytes}`);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absolutePath);
  } catch (error) {
    return skipFile(file, 'unreadable', `cannot read: ${(error as Error).message}`);
  }
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return skipFile(file, decoded.reason === 'binary file' ? 'corrupt' : 'unreadable', decoded.reason);

  if (file.format === 'jsonl') {
    const parsed = parseJsonl(decoded.text, file.path);
    const documents = parsed.documents.map((document, i) => ({ document: { ...document, format: 'jsonl' as const }, line: parsed.lines[i] }));
    return { documents, problems: parsed.problems };
  }
  const paragraphs = splitParagraphs(decoded.text);
  if (paragraphs.length === 0) return skipFile(file, 'no text', 'empty file, no paragraphs');
  const id = file.docId ?? path.basename(file.absolutePath);
  const title = (file.format === 'md' ? titleFromMarkdown(decoded.text) : undefined) ?? stem(id);
  const locations = file.format === 'md' ? markdownLocations(paragraphs) : undefined;
  const document: SourceDocument = { id, title, paragraphs, ...(locations === undefined ? {} : { locations }), format: file.format, date: fileDate(file) };
  return { documents: [{ document }], problems: [] };
}

/** A .jsonl too large to be read whole, read as a stream of lines (jsonl.ts parseJsonlStream). */
async function streamJsonl(file: CorpusFile, lineBytes: number): Promise<FileDocuments> {
  let parsed;
  try {
    parsed = await parseJsonlStream(createReadStream(file.absolutePath), file.path, { lineBytes });
  } catch (error) {
    return skipFile(file, 'unreadable', `cannot read: ${(error as Error).message}`);
  }
  const documents = parsed.documents.map((document, i) => ({ document: { ...document, format: 'jsonl' as const }, line: parsed.lines[i] }));
  return { documents, problems: parsed.problems };
}

/** Depth-first in name order, so which of two links to one folder is read is deterministic. */
async function walk(root: string, dir: string, visited: Set<string>, out: CorpusFile[], problems: CorpusProblem[]): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => !name.startsWith('.')).sort(compare);
  } catch (error) {
    problems.push({ file: displayPath(dir), message: `cannot read folder: ${(error as Error).message}` });
    return;
  }
  // stat (not lstat) follows symlinks; stat the whole folder at once rather than one by one.
  const entries = await Promise.all(
    names.map(async (name) => {
      const full = path.join(dir, name);
      return { full, stats: await stat(full).catch((error: Error) => error) };
    }),
  );
  for (const { full, stats } of entries) {
    if (stats instanceof Error) {
      // Only worth a problem when it would have been read: e.g. a dangling link named *.txt.
      if (formatOf(full, FOLDER_FORMATS) !== undefined) problems.push({ file: displayPath(full), message: `cannot read: ${stats.message}`, reason: 'unreadable' });
    } else if (stats.isDirectory()) {
      const key = identity(stats);
      if (visited.has(key)) continue; // a symlink loop, or a second link to a folder already read
      visited.add(key);
      await walk(root, full, visited, out, problems);
    } else if (stats.isFile() && formatOf(full, FOLDER_FORMATS) !== undefined) {
      out.push(corpusFile(full, stats, path.relative(root, full).split(path.sep).join('/')));
    } else if (stats.isFile()) {
      // Counted and named, never dropped in silence (issue 20). A .jsonl inside a folder is not read either:
      // its ids would not be relative paths; it is given as a --corpus of its own.
      const type = typeOfFile(full);
      const message = type === 'jsonl' ? 'a .jsonl inside a folder is not read; give it as a --corpus of its own' : `unsupported file type ${type}`;
      problems.push({ file: displayPath(full), message, reason: 'unsupported type' });
    }
  }
}

function corpusFile(absolutePath: string, stats: Stats, docId: string): CorpusFile {
  const format = formatOf(absolutePath, SINGLE_FILE_FORMATS) ?? 'txt';
  return {
    path: displayPath(absolutePath),
    absolutePath,
    size: stats.size,
    mtimeMs: stats.mtimeMs,
    format,
    docId: format === 'jsonl' ? undefined : docId,
  };
}

function formatOf(file: string, accepted: readonly CorpusFormat[]): CorpusFormat | undefined {
  const format = FORMAT_OF_EXTENSION.get(path.extname(file).slice(1).toLowerCase());
  return format !== undefined && accepted.includes(format) ? format : undefined;
}

/** A file's type for the summary: its format when Sou reads it, else its extension. */
function typeOfFile(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return FORMAT_OF_EXTENSION.get(ext.slice(1)) ?? (ext === '' ? '(none)' : ext);
}

function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** File name without its extension: the title of a document without a heading. */
function stem(id: string): string {
  const base = id.slice(id.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The path as the user would recognise it: relative to the working directory when inside it. */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  if (relative === '') return '.';
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return outside ? absolute : relative;
}
