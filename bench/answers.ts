// `node dist/bench/answers.js --index DIR --corpus FILE.jsonl [--queries FILE.jsonl]… [--per-class N] [--seed N]
// [--warm-up N]`: every answer the engine gives for a fixed list of queries, as JSON lines on stdout, so that a
// change meant to keep the answers can be checked by dumping them before and after and diffing. The queries: the
// bench's classes sampled from the corpus's texts with the seed (bench/queries.ts; the questions are the
// --queries files' `query` fields), the warm-up's queries of the index's texts (every shape of the query
// syntax), then every query of the --queries files. Each query is asked for three pages of ten.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import { warmUpQueries } from '../server/search/warm-up-queries.js';
import { readCorpus } from './corpus.js';
import { sampleClasses } from './queries.js';
import { createScan } from './scan.js';

const USAGE = 'usage: node dist/bench/answers.js --index DIR --corpus FILE.jsonl [--queries FILE.jsonl]… [--per-class N] [--seed N] [--warm-up N]';
const PAGE_SIZE = 10;
const PAGES = 3;

/** The `query` field of every line of a .jsonl file. */
async function readQueries(path: string): Promise<string[]> {
  const queries: string[] = [];
  for (const line of (await readFile(path, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const { query } = JSON.parse(line) as { query?: unknown };
    if (typeof query === 'string' && query.trim() !== '') queries.push(query);
  }
  return queries;
}

/** A whole number of at least 0 from an option, or the fallback. */
function count(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`sou: --${name} is a whole number, not "${text}"`);
  return Number(text);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      index: { type: 'string' },
      corpus: { type: 'string' },
      queries: { type: 'string', multiple: true, default: [] },
      'per-class': { type: 'string' },
      seed: { type: 'string' },
      'warm-up': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.index === undefined || values.corpus === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const perClass = count(values['per-class'], 200, 'per-class');
  const seed = count(values.seed, 1, 'seed');
  const warmUpCount = count(values['warm-up'], 1000, 'warm-up');
  const listed = (await Promise.all(values.queries.map(readQueries))).flat();
  const texts = (await readCorpus(values.corpus)).map((document) => document.text);
  const scan = createScan(texts);
  // Without --queries the question class has nothing to draw from: a question of the corpus's own words stands in.
  const questions = listed.length > 0 ? listed : warmUpQueries(texts, 50, seed).filter((query) => query.endsWith('？'));
  const classes = sampleClasses({ texts, questions, occurs: (query) => scan.occurs(query) }, perClass, seed);
  const index = await loadIndex(values.index);
  const searcher = createSearcher(index);
  const queries = [...classes.flatMap((c) => c.queries), ...warmUpQueries({ length: index.paragraphCount, at: index.paragraphText }, warmUpCount, seed), ...listed];
  const out: string[] = [];
  for (const query of queries) {
    for (let page = 0; page < PAGES; page++) {
      const offset = page * PAGE_SIZE;
      const { total, relaxed, hits } = searcher.search(query, { limit: PAGE_SIZE, offset });
      out.push(JSON.stringify({ query, offset, total, relaxed, hits: hits.map((hit) => [hit.id, hit.score]) }));
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
  process.stderr.write(`answers: ${queries.length} queries, ${out.length} answers\n`);
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
