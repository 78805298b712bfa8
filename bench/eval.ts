// `npm run eval -- [--eval DIR] [--out DIR] [--pinyin-sets DIR]…`: relevance on the DRCD/CMRC questions of DIR
// (default ../shared/eval), the whole corpus indexed at once, next to the peers measured in FIELD-NOTES.md; then
// the pinyin eval (bench/pinyin-eval.ts) on that index's vocabulary, and the same sets through the engine. The
// committed sets are drawn from that corpus; --pinyin-sets adds held-out sets (make-pinyin-eval.ts --seed N over
// the same corpus), one row each and their average.
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBuild } from '../indexer/build-command.js';
import { createReporter } from '../indexer/progress.js';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import { DEFAULT_EVAL_DIR, formatEngineRows, formatEngineScores, formatScoreRows, formatScores, indexVocabulary, readEvalSets, scorePinyinEval, scoreThroughEngine, type EvalSets } from './pinyin-eval.js';

interface EvalQuery {
  readonly qid: string;
  readonly query: string;
  readonly gold: readonly string[];
}

export interface EvalResult {
  readonly file: string;
  readonly queries: number;
  readonly mrr10: number;
  readonly recall1: number;
  readonly recall10: number;
  readonly recall100: number;
  readonly relaxed: number;
  readonly medianMs: number;
  readonly p99Ms: number;
}

// Peers measured on this data (FIELD-NOTES.md): MRR@10, R@1, R@10 for DRCD dev, then CMRC dev.
const PEERS: readonly [string, number, number, number, number, number, number][] = [
  ['BM25 over jieba words', 0.923, 0.885, 0.984, 0.977, 0.964, 0.995],
  ['BM25 over characters + bigrams', 0.947, 0.915, 0.993, 0.98, 0.966, 0.997],
  ['Xapian 1.4, OR of CJK n-grams', 0.948, 0.917, 0.993, 0.98, 0.967, 0.998],
  ['SQLite FTS5 trigram, OR of trigrams', 0.889, 0.852, 0.957, 0.922, 0.904, 0.949],
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

export function evaluate(searcher: Searcher, file: string, queries: readonly EvalQuery[]): EvalResult {
  let mrr = 0;
  let r1 = 0;
  let r10 = 0;
  let r100 = 0;
  let relaxed = 0;
  const times: number[] = [];
  for (const query of queries) {
    const response = searcher.search(query.query, { limit: 100, offset: 0 });
    times.push(response.tookMs);
    if (response.relaxed) relaxed++;
    const rank = response.hits.findIndex((hit) => query.gold.includes(hit.docId)) + 1;
    if (rank === 1) r1++;
    if (rank >= 1 && rank <= 10) {
      r10++;
      mrr += 1 / rank;
    }
    if (rank >= 1) r100++;
  }
  times.sort((a, b) => a - b);
  const n = Math.max(1, queries.length);
  return {
    file,
    queries: queries.length,
    mrr10: mrr / n,
    recall1: r1 / n,
    recall10: r10 / n,
    recall100: r100 / n,
    relaxed: relaxed / n,
    medianMs: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
  };
}

export async function readQueries(path: string): Promise<EvalQuery[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalQuery);
}

const f3 = (x: number): string => x.toFixed(3);

/** Pinyin, suggestions and corrections (issue 23): the committed sets, on this index's vocabulary and engine. */
function pinyinLines(searcher: Searcher, sets: EvalSets): string[] {
  const { vocabulary, paragraphs } = indexVocabulary(searcher.index);
  return [
    `Pinyin and corrections on ${DEFAULT_EVAL_DIR} (sets from CC-CEDICT), this index's vocabulary:`,
    '',
    formatScores(scorePinyinEval(sets, vocabulary, paragraphs)),
    '',
    formatEngineScores(scoreThroughEngine(sets, searcher)),
  ];
}

/** Held-out sets (other seeds over the same corpus), on this index's vocabulary and engine, one row each. */
async function heldOutLines(searcher: Searcher, dirs: readonly string[]): Promise<string[]> {
  if (dirs.length === 0) return [];
  const { vocabulary, paragraphs } = indexVocabulary(searcher.index);
  const sets = await Promise.all(dirs.map((dir) => readEvalSets(dir)));
  return [
    '',
    `Held-out pinyin sets (${dirs.length}), this index's vocabulary:`,
    '',
    formatScoreRows(dirs, sets.map((set) => scorePinyinEval(set, vocabulary, paragraphs))),
    '',
    formatEngineRows(dirs, sets.map((set) => scoreThroughEngine(set, searcher))),
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { eval: { type: 'string' }, out: { type: 'string' }, 'pinyin-sets': { type: 'string', multiple: true } } });
  const dir = values.eval ?? '../shared/eval';
  const out = values.out ?? 'data/eval-index';
  const outcome = await runBuild({ corpus: [join(dir, 'corpus.jsonl')], out, userDict: null, force: false }, createReporter(process.stderr));
  if (outcome.status === 'built') process.stderr.write(`built ${out} in ${outcome.seconds.toFixed(1)} s\n`);
  const searcher = createSearcher(await loadIndex(out));
  await searcher.prepareVocabulary();
  const files = (await readdir(dir)).filter((name) => name.startsWith('queries-') && name.endsWith('.jsonl')).sort();
  const rows: string[] = [];
  for (const file of files) {
    const result = evaluate(searcher, file, await readQueries(join(dir, file)));
    rows.push(
      `| ${file} | ${result.queries} | **${result.mrr10.toFixed(4)}** | ${f3(result.recall1)} | ${f3(result.recall10)} | ${f3(result.recall100)} | ${f3(result.relaxed)} | ${result.medianMs.toFixed(2)} | ${result.p99Ms.toFixed(2)} |`,
    );
  }
  const lines = [
    `Sou relevance on ${dir} (${searcher.index.manifest.counts.paragraphs} paragraphs indexed together), ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| queries | n | MRR@10 | R@1 | R@10 | R@100 | relaxed | median ms | p99 ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'Peers (FIELD-NOTES.md), MRR@10 (R@1 / R@10): DRCD dev | CMRC dev',
    ...PEERS.map(([name, a, b, c, d, e, f]) => `- ${name}: ${f3(a)} (${f3(b)} / ${f3(c)}) | ${f3(d)} (${f3(e)} / ${f3(f)})`),
    '',
    ...pinyinLines(searcher, await readEvalSets(DEFAULT_EVAL_DIR)),
    ...(await heldOutLines(searcher, values['pinyin-sets'] ?? [])),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
