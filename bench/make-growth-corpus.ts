// `node dist/bench/make-growth-corpus.js --paragraphs N --out FILE.jsonl [--poetry PATH]`: writes the benchmark
// corpus of N paragraphs (bench/corpus.ts prepareCorpus: the bench poems, then recombined ones, bench/growth-corpus.ts)
// to FILE, for `npm run index -- --corpus FILE`; `npm run bench -- --sizes 1000k` makes the same file itself.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findProjectRoot } from '../server/project-root.js';
import { prepareCorpus } from './corpus.js';
import { exitWith } from './process.js';

const USAGE = 'usage: node dist/bench/make-growth-corpus.js --paragraphs N --out FILE.jsonl [--poetry PATH]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { paragraphs: { type: 'string' }, out: { type: 'string' }, poetry: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.paragraphs === undefined || values.out === undefined || !/^[1-9]\d*$/.test(values.paragraphs)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const poetry = values.poetry ?? join(findProjectRoot(fileURLToPath(import.meta.url)), '..', 'shared', 'bench', 'poetry.jsonl.gz');
  const started = performance.now();
  const corpus = await prepareCorpus(poetry, { label: values.paragraphs, lines: Number(values.paragraphs) }, values.out);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`${corpus.path}: ${corpus.lines.toLocaleString('en')} paragraphs, ${corpus.reused ? 'already there' : `written in ${seconds.toFixed(1)} s`}\n`);
  return 0;
}

exitWith(main());
