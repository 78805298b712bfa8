// Growth corpora: benchmark sizes beyond the bench poems (1M and 3M paragraphs for the growth table of
// BENCHMARKS.md). prepareCorpus (bench/corpus.ts) writes every poem as it is, then, for the paragraphs still
// missing, poems recombined from the real ones line by line: a generated poem takes a real poem's title and the
// lengths of its lines, and each line is a real line of that length drawn from anywhere in the corpus. So the
// text has the corpus's characters, words and line shapes, but its poems are new, each with an id of its own;
// the same poems file and seed give the same bytes, and a smaller size is the start of a larger one.
// bench/make-growth-corpus.ts writes one without the bench.
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { seededRandom } from './fuzz-cases.js';

/** The seed of every growth corpus: the sizes share their start only with one seed. */
export const GROWTH_SEED = 1;

/** A poem as the generator sees it: its title and its lines. */
export interface PoemShape {
  readonly title: string;
  readonly lines: readonly string[];
}

/** Where a line of a poem ends: after a full stop, question or exclamation mark, or semicolon (CJK or ASCII). */
const LINE = /[^。！？；!?;]+[。！？；!?;]*|[。！？；!?;]+/g;

/** The lines of a poem's text, punctuation kept, so that joining them gives the text back. */
export function poemLines(text: string): string[] {
  return text.match(LINE) ?? [];
}

/** Every poem of the gzipped .jsonl bench corpus (one `{"id","title","text"}` a line), in file order. */
export async function readPoemShapes(gzPath: string): Promise<PoemShape[]> {
  const input = createReadStream(gzPath);
  const lines = createInterface({ input: input.pipe(createGunzip()), crlfDelay: Infinity });
  const poems: PoemShape[] = [];
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const { title, text } = JSON.parse(line) as { title?: string; text?: string };
    const shape = poemLines(text ?? '');
    if (shape.length > 0) poems.push({ title: title ?? '', lines: shape });
  }
  return poems;
}

export interface GrowthDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/**
 * Recombined poems, endlessly: the n-th (from 0) has the id `growth:<first + n>`. Each takes the title and line
 * lengths (in UTF-16 units) of a real poem drawn at random, and each line from the real lines of that length.
 */
export function* recombinedPoems(poems: readonly PoemShape[], seed: number, first = 0): Generator<GrowthDocument> {
  if (poems.length === 0) throw new Error('sou: no poems to recombine');
  const byLength = new Map<number, string[]>();
  for (const { lines } of poems) {
    for (const line of lines) {
      let pool = byLength.get(line.length);
      if (pool === undefined) byLength.set(line.length, (pool = []));
      pool.push(line);
    }
  }
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  for (let n = first; ; n++) {
    const template = pick(poems);
    const text = template.lines.map((line) => pick(byLength.get(line.length)!)).join('');
    yield { id: `growth:${n}`, title: template.title, text };
  }
}

/** Writes `count` recombined poems to `output` as .jsonl lines (with back-pressure), ids from `first`. */
export async function writeRecombined(gzPath: string, count: number, output: Writable, first = 0): Promise<void> {
  if (count <= 0) return;
  const poems = await readPoemShapes(gzPath);
  let written = 0;
  for (const document of recombinedPoems(poems, GROWTH_SEED, first)) {
    if (written++ === count) break;
    if (!output.write(`${JSON.stringify(document)}\n`)) await once(output, 'drain');
  }
}
