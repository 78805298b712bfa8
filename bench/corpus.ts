// Benchmark corpora: data/bench-<size>.jsonl holds the first N lines of ../shared/bench/poetry.jsonl.gz (one poem
// a line, see ../shared/bench/README.md); a size beyond the poems (1000k, 3000k) goes on with poems recombined
// from them (bench/growth-corpus.ts). Shared by `npm run bench` and `npm run load`.
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { writeRecombined } from './growth-corpus.js';

/** A corpus size: `100k` is the first 100,000 lines; `311k` and `all` are every line (311,828). */
export interface BenchSize {
  readonly label: string;
  /** null: the whole corpus. */
  readonly lines: number | null;
}

const WHOLE_CORPUS_LABELS = new Set(['all', '311k']);

/** Parses `100k,311k` (also plain counts: `5000`, `2k`). Throws on anything else. */
export function parseSizes(text: string): BenchSize[] {
  const sizes = text
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '')
    .map((label): BenchSize => {
      if (WHOLE_CORPUS_LABELS.has(label)) return { label, lines: null };
      const match = /^([1-9]\d*)(k?)$/.exec(label);
      if (!match) throw new Error(`sou: a size is a number of poems such as 100k, 20000 or all, not "${label}"`);
      return { label, lines: Number(match[1]) * (match[2] === 'k' ? 1000 : 1) };
    });
  if (sizes.length === 0) throw new Error('sou: --sizes needs at least one size');
  return sizes;
}

/** Number of lines of a file (a last line without a newline counts), decompressing it on the fly if asked. */
export async function countLines(path: string, gzip = false): Promise<number> {
  const input = createReadStream(path);
  const stream: Readable = gzip ? input.pipe(createGunzip()) : input;
  let lines = 0;
  let last = 0x0a;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === 0x0a ? lines : lines + 1;
}

export interface PreparedCorpus {
  readonly path: string;
  readonly lines: number;
  /** The file was already there with the right number of lines. */
  readonly reused: boolean;
}

/**
 * Writes the first `size.lines` lines of the gzipped corpus to `out` (streaming, through a temporary file and a
 * rename), and recombined poems for the lines it does not have, unless `out` already holds that many lines.
 */
export async function prepareCorpus(gzPath: string, size: BenchSize, out: string): Promise<PreparedCorpus> {
  if (!existsSync(gzPath)) throw new Error(`sou: the benchmark corpus ${gzPath} is missing`);
  const wanted = size.lines ?? (await countLines(gzPath, true));
  if (existsSync(out) && (await countLines(out)) === wanted) return { path: out, lines: wanted, reused: true };
  mkdirSync(dirname(out), { recursive: true });
  const temporary = `${out}.tmp`;
  const output = createWriteStream(temporary);
  const input = createReadStream(gzPath);
  const gunzip = input.pipe(createGunzip());
  const lines = createInterface({ input: gunzip, crlfDelay: Infinity });
  let count = 0;
  for await (const line of lines) {
    if (!output.write(`${line}\n`)) await once(output, 'drain');
    if (++count === wanted) break;
  }
  lines.close();
  gunzip.destroy();
  input.destroy();
  if (count < wanted) {
    await writeRecombined(gzPath, wanted - count, output);
    count = wanted;
  }
  output.end();
  await once(output, 'finish');
  renameSync(temporary, out);
  return { path: out, lines: count, reused: false };
}

export interface CorpusDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** The documents of a .jsonl corpus, in file order. */
export async function readCorpus(path: string): Promise<CorpusDocument[]> {
  const documents: CorpusDocument[] = [];
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const { id, title, text } = JSON.parse(line) as Partial<CorpusDocument>;
    documents.push({ id: String(id), title: title ?? '', text: text ?? '' });
  }
  return documents;
}
