import { readdir, readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { decodeBytes } from './decode.js';
import { parseJsonl } from './jsonl.js';
import { splitParagraphs, titleFromMarkdown } from './paragraphs.js';
import type { CorpusFile, CorpusFormat, CorpusProblem, CorpusReadResult, SourceDocument } from './types.js';

export type ProgressListener = (done: number, total: number, file: string) => void;

/**
 * Lists the corpus files under each PATH: a folder (read recursively for .txt and .md, skipping
 * dot-files and dot-folders, each folder visited once even through symlink loops) or a single .txt,
 * .md or .jsonl file. Files of one folder are sorted by id; inputs keep their order, since the first
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
    } else if (stats.isFile() && formatOf(absolute, ['txt', 'md', 'jsonl']) !== undefined) {
      files.push(corpusFile(absolute, stats, path.basename(absolute)));
    } else {
      throw new Error(`sou: corpus path ${input} is not a folder or a .txt, .md or .jsonl file`);
    }
  }
  return { files, problems };
}

/** Reads every document of the corpus; whatever cannot be read is a problem, never an exception. */
export async function readCorpus(
  paths: readonly string[],
  onProgress?: ProgressListener,
): Promise<CorpusReadResult & { files: CorpusFile[] }> {
  return readListedFiles(await listCorpusFiles(paths), onProgress);
}

/** readCorpus for files already listed by listCorpusFiles (the build lists first to see if it is up to date). */
export async function readListedFiles(
  listed: { files: CorpusFile[]; problems: CorpusProblem[] },
  onProgress?: ProgressListener,
): Promise<CorpusReadResult & { files: CorpusFile[] }> {
  const { files } = listed;
  const problems = [...listed.problems];
  const documents: SourceDocument[] = [];
  const firstSeen = new Map<string, string>(); // id → where it was first read, for duplicate reports
  for (const [i, file] of files.entries()) {
    const read = await readFileDocuments(file);
    for (const problem of read.problems) problems.push(problem);
    for (const { document, line } of read.documents) {
      const where = line === undefined ? file.path : `${file.path} line ${line}`;
      const first = firstSeen.get(document.id);
      if (first === undefined) {
        firstSeen.set(document.id, where);
        documents.push(document);
      } else {
        const message = `duplicate id "${document.id}", also in ${first}; skipped`;
        problems.push(line === undefined ? { file: file.path, message } : { file: file.path, line, message });
      }
    }
    onProgress?.(i + 1, files.length, file.path);
  }
  return { documents, problems, files };
}

interface FileDocuments {
  readonly documents: { document: SourceDocument; line?: number }[];
  readonly problems: CorpusProblem[];
}

async function readFileDocuments(file: CorpusFile): Promise<FileDocuments> {
  const skip = (message: string): FileDocuments => ({ documents: [], problems: [{ file: file.path, message }] });
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file.absolutePath);
  } catch (error) {
    return skip(`cannot read: ${(error as Error).message}`);
  }
  const decoded = decodeBytes(bytes);
  if (!decoded.ok) return skip(decoded.reason);

  if (file.format === 'jsonl') {
    const parsed = parseJsonl(decoded.text, file.path);
    const documents = parsed.documents.map((document, i) => ({ document, line: parsed.lines[i] }));
    return { documents, problems: parsed.problems };
  }
  const paragraphs = splitParagraphs(decoded.text);
  if (paragraphs.length === 0) return skip('empty file, no paragraphs');
  const id = file.docId ?? path.basename(file.absolutePath);
  const title = (file.format === 'md' ? titleFromMarkdown(decoded.text) : undefined) ?? stem(id);
  return { documents: [{ document: { id, title, paragraphs } }], problems: [] };
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
      if (formatOf(full, ['txt', 'md']) !== undefined) problems.push({ file: displayPath(full), message: `cannot read: ${stats.message}` });
    } else if (stats.isDirectory()) {
      const key = identity(stats);
      if (visited.has(key)) continue; // a symlink loop, or a second link to a folder already read
      visited.add(key);
      await walk(root, full, visited, out, problems);
    } else if (stats.isFile() && formatOf(full, ['txt', 'md']) !== undefined) {
      out.push(corpusFile(full, stats, path.relative(root, full).split(path.sep).join('/')));
    }
  }
}

function corpusFile(absolutePath: string, stats: Stats, docId: string): CorpusFile {
  const format = formatOf(absolutePath, ['txt', 'md', 'jsonl']) ?? 'txt';
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
  const ext = path.extname(file).slice(1).toLowerCase();
  return accepted.find((format) => format === ext);
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
