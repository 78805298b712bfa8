// `node dist/bench/make-growth-corpus.js --paragraphs N --out FILE.jsonl [--parts K] [--poetry PATH]`: writes the
// benchmark corpus of N paragraphs (bench/corpus.ts prepareCorpus: the bench poems, then recombined ones,
// bench/growth-corpus.ts) to FILE, for `npm run index -- --corpus FILE` (a .jsonl of any size: the reader streams
// one too large to read whole); `npm run bench -- --sizes 1000k` makes the same file itself. With --parts, FILE's
// lines are then also cut into K files FILE-1.jsonl … FILE-K.jsonl of consecutive lines, for `npm run index --
// --corpus FILE-1.jsonl … --corpus FILE-K.jsonl`: the same documents in the same order, in files of their own.
import { once } from 'node:events';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findProjectRoot } from '../server/project-root.js';
import { prepareCorpus } from './corpus.js';
import { exitWith } from './process.js';

const USAGE = 'usage: node dist/bench/make-growth-corpus.js --paragraphs N --out FILE.jsonl [--parts K] [--poetry PATH]';

/** FILE.jsonl's part `n` (from 1) of a cut. */
function partPath(file: string, n: number): string {
  return `${file.replace(/\.jsonl$/, '')}-${n}.jsonl`;
}

/** Cuts `file`'s `lines` lines into `parts` files of consecutive lines (the first ones one line longer when uneven). */
async function cutInParts(file: string, lines: number, parts: number): Promise<string[]> {
  const paths = Array.from({ length: parts }, (_, n) => partPath(file, n + 1));
  const input = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let part = 0;
  let output = createWriteStream(paths[0]!);
  let written = 0;
  const quota = (n: number): number => Math.floor(lines / parts) + (n < lines % parts ? 1 : 0);
  for await (const line of input) {
    if (written === quota(part) && part < parts - 1) {
      output.end();
      await once(output, 'finish');
      output = createWriteStream(paths[++part]!);
      written = 0;
    }
    if (!output.write(`${line}\n`)) await once(output, 'drain');
    written++;
  }
  output.end();
  await once(output, 'finish');
  return paths;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { paragraphs: { type: 'string' }, out: { type: 'string' }, parts: { type: 'string' }, poetry: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const positive = /^[1-9]\d*$/;
  if (values.paragraphs === undefined || values.out === undefined || !positive.test(values.paragraphs) || (values.parts !== undefined && !positive.test(values.parts))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const poetry = values.poetry ?? join(findProjectRoot(fileURLToPath(import.meta.url)), '..', 'shared', 'bench', 'poetry.jsonl.gz');
  const started = performance.now();
  const corpus = await prepareCorpus(poetry, { label: values.paragraphs, lines: Number(values.paragraphs) }, values.out);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${corpus.path}: ${corpus.lines.toLocaleString('en')} paragraphs, ${corpus.reused ? 'already there' : `written in ${seconds.toFixed(1)} s`}\n`);
  if (values.parts !== undefined) {
    const paths = await cutInParts(corpus.path, corpus.lines, Number(values.parts));
    const largest = Math.max(...paths.map((path) => statSync(path).size));
    process.stdout.write(`cut into ${paths.length} files (the largest ${(largest / 1_048_576).toFixed(0)} MB), to index with:${paths.map((path) => ` --corpus ${path}`).join('')}\n`);
  }
  return 0;
}

exitWith(main());
