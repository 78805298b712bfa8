// What serving several segments costs a query (docs/design.md §6.2): `node dist/bench/segments.js --index DIR
// [--index DIR2] [--queries N]` loads each index in this process, warms it, and times the bench's query
// classes (bench/queries.ts; questions from ../shared/eval when it is there) as the response's `tookMs`, top 10.
// With two indexes of one corpus (say one segment and eight), each query is asked of one and then the other,
// the order flipped every query, and their answers (totals, hits, scores) are checked to be the same.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadIndex, type LoadedIndex } from '../indexer/index/load.js';
import { findProjectRoot } from '../server/project-root.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import { exitWith } from './process.js';
import { sampleClasses, type QueryClass } from './queries.js';
import { percentile } from './stats.js';

const USAGE = 'usage: node dist/bench/segments.js --index DIR [--index DIR2] [--queries N]';

function questionsIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith('queries-') && name.endsWith('.jsonl'))
    .sort()
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n'))
    .filter((line) => line.trim() !== '')
    .map((line) => (JSON.parse(line) as { query?: unknown }).query)
    .filter((query): query is string => typeof query === 'string' && query.trim() !== '');
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { index: { type: 'string', multiple: true }, queries: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const dirs = values.index ?? [];
  if (dirs.length < 1 || dirs.length > 2) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const perClass = Number(values.queries ?? 200);
  const searchers: { dir: string; index: LoadedIndex; searcher: Searcher }[] = [];
  for (const dir of dirs) {
    const started = performance.now();
    const index = await loadIndex(dir);
    const searcher = createSearcher(index);
    const loaded = performance.now();
    await searcher.warm();
    process.stdout.write(`${dir}: ${index.manifest.segments.length} segment(s), ${index.documents.length.toLocaleString('en')} documents; loaded in ${((loaded - started) / 1000).toFixed(2)} s, warmed in ${((performance.now() - loaded) / 1000).toFixed(2)} s; heap ${(process.memoryUsage().heapUsed / 1_048_576).toFixed(0)} MB\n`);
    searchers.push({ dir, index, searcher });
  }
  const first = searchers[0]!.index;
  const texts = Array.from({ length: first.paragraphCount }, (_, id) => first.paragraphText(id));
  const questions = questionsIn(join(findProjectRoot(fileURLToPath(import.meta.url)), '..', 'shared', 'eval'));
  const sources = { texts, questions: questions.length > 0 ? questions : ['山中'], occurs: (text: string) => texts.some((t) => t.includes(text)) };
  const classes: QueryClass[] = sampleClasses(sources, perClass, 1).filter((c) => questions.length > 0 || c.name !== 'question');
  const warmup = sampleClasses(sources, 20, 2);
  for (const { searcher } of searchers) for (const { queries } of warmup) for (const query of queries) searcher.search(query, { limit: 10, offset: 0 });
  let differing = 0;
  for (const { label, queries } of classes) {
    const took = searchers.map(() => [] as number[]);
    queries.forEach((query, n) => {
      const turn = searchers.map((_, s) => s);
      if (n % 2 === 1) turn.reverse();
      const answers = new Map<number, string>();
      for (const s of turn) {
        const answer = searchers[s]!.searcher.search(query, { limit: 10, offset: 0 });
        took[s]!.push(answer.tookMs);
        answers.set(s, JSON.stringify([answer.total, answer.relaxed, answer.hits.map((hit) => [hit.id, hit.score])]));
      }
      if (answers.size === 2 && answers.get(0) !== answers.get(1)) differing++;
    });
    const cells = took.map((ms) => `p50 ${percentile(ms, 0.5).toFixed(3)} ms, p99 ${percentile(ms, 0.99).toFixed(3)} ms`);
    const ratio = took.length === 2 ? `; p50 ratio ${(percentile(took[1]!, 0.5) / percentile(took[0]!, 0.5)).toFixed(2)}` : '';
    process.stdout.write(`${label} (${queries.length}): ${cells.join(' | ')}${ratio}\n`);
  }
  if (searchers.length === 2) process.stdout.write(`answers differing between the two indexes: ${differing}\n`);
  return differing === 0 ? 0 : 1;
}

exitWith(main());
