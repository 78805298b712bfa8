// What serving several segments costs a query (docs/design.md §6.2): `node dist/bench/segments.js --index DIR
// [--index DIR2] [--queries N]` loads each index in this process, warms it, and times the bench's query
// classes (bench/queries.ts; questions from ../shared/eval when it is there) as the response's `tookMs`, top 10.
// With two indexes of one corpus (say one segment and eight), each query is asked of one and then the other,
// the order flipped every query, and their answers (totals, hits, scores) are checked to be the same.
//
// One row of BENCHMARKS.md's growth table (issue 25): `node dist/bench/segments.js --row --index DIR [--corpus
// FILE [--nice]] [--queries N] [--seconds S] [--wait-load S]` measures one corpus size end to end: with --corpus, the CLI's build
// of it into DIR (bench/build.ts: wall and CPU time, peak RSS; under `nice -n 19` with --nice, so its wall time is
// an upper bound), then the index on disk, and the server (`npm start`'s, result cache off) on DIR: ready (first
// 200 from /healthz) and warm (first 200 from /readyz), its RSS once warm and per character of text, `tookMs` of
// each query class asked one at a time over HTTP, and uncached requests/s under wrk. The serving part
// waits up to --wait-load seconds (default 300) for a one-minute load average under 3, and prints the load beside every figure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadIndex, type LoadedIndex } from '../indexer/index/load.js';
import { findProjectRoot } from '../server/project-root.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import { indexSize, measureBuild } from './build.js';
import { runHttpLoad } from './http.js';
import { exitWith, httpGet, sleep } from './process.js';
import { sampleClasses, type QueryClass } from './queries.js';
import { startServer, searchPath, warmUp } from './serve.js';
import { percentile } from './stats.js';

const USAGE = `usage: node dist/bench/segments.js --index DIR [--index DIR2] [--queries N]
       node dist/bench/segments.js --row --index DIR [--corpus FILE [--nice]] [--queries N] [--seconds S] [--wait-load S]`;
const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const MB = 1_048_576;
/** The one-minute load average the serving part of a row waits for, and how long it waits. */
const QUIET_LOAD = 3;
const QUIET_WAIT_SECONDS = 300;
const SEED = 1;
const WARMUP_SEED = 2;

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
    ({ values } = parseArgs({ options: { index: { type: 'string', multiple: true }, queries: { type: 'string' }, row: { type: 'boolean', default: false }, corpus: { type: 'string' }, nice: { type: 'boolean', default: false }, seconds: { type: 'string' }, 'wait-load': { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const dirs = values.index ?? [];
  if (values.row && dirs.length === 1) return growthRow(dirs[0]!, values.corpus, values.nice, Number(values.queries ?? 200), Number(values.seconds ?? 20), Number(values['wait-load'] ?? QUIET_WAIT_SECONDS));
  if (dirs.length < 1 || dirs.length > 2 || values.row || values.corpus !== undefined || values.nice) {
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
  const questions = questionsIn(join(ROOT, '..', 'shared', 'eval'));
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

const load = (): string => loadavg().map((n) => n.toFixed(2)).join(' ');

/** Waits until the one-minute load average is under QUIET_LOAD, or QUIET_WAIT_MS; says what it was. */
async function quietEnough(waitSeconds: number): Promise<string> {
  const until = performance.now() + waitSeconds * 1000;
  while (loadavg()[0]! >= QUIET_LOAD && performance.now() < until) await sleep(5_000);
  return loadavg()[0]! < QUIET_LOAD ? `load ${load()} (under ${QUIET_LOAD})` : `load ${load()} (not under ${QUIET_LOAD} after ${waitSeconds} s of waiting)`;
}

/** The query classes of a row, sampled from the index's own texts (then let go: the server is another process). */
async function rowQueries(dir: string, perClass: number): Promise<{ classes: QueryClass[]; warmup: string[] }> {
  const index = await loadIndex(dir);
  const texts = Array.from({ length: index.paragraphCount }, (_, id) => index.paragraphText(id));
  const questions = questionsIn(join(ROOT, '..', 'shared', 'eval'));
  const sources = { texts, questions: questions.length > 0 ? questions : ['山中'], occurs: (text: string) => texts.some((t) => t.includes(text)) };
  const classes = sampleClasses(sources, perClass, SEED).filter((c) => questions.length > 0 || c.name !== 'question');
  return { classes, warmup: sampleClasses(sources, 20, WARMUP_SEED).flatMap((c) => c.queries) };
}

async function growthRow(dir: string, corpus: string | undefined, nice: boolean, perClass: number, seconds: number, waitSeconds: number): Promise<number> {
  const log = (line: string): void => void process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const cells: string[] = [];
  if (corpus !== undefined) {
    const before = load();
    log(`building ${dir} from ${corpus}${nice ? ' under nice -n 19' : ''}, ${before}`);
    // measureBuild takes both relative to the root, as the CLI records them in the manifest.
    const build = await measureBuild(ROOT, relative(ROOT, resolve(corpus)), relative(ROOT, resolve(dir)), true, nice ? 19 : 0);
    const cpu = build.cpuSeconds === undefined ? '' : `, CPU ${build.cpuSeconds.toFixed(1)} s`;
    cells.push(`build ${build.seconds.toFixed(1)} s${nice ? ' (nice -n 19: an upper bound)' : ''}${cpu}, peak RSS ${(build.peakRssBytes / MB).toFixed(0)} MB (${build.peakRssFrom}; load before ${before}, after ${load()})`);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { counts: { paragraphs: number; characters: number }; segments: unknown[] };
  const { paragraphs, characters } = manifest.counts;
  const size = indexSize(dir);
  cells.push(`${paragraphs.toLocaleString('en')} paragraphs, ${characters.toLocaleString('en')} characters, ${manifest.segments.length} segment(s), index ${(size.bytes / MB).toFixed(1)} MB (${(size.bytes / characters).toFixed(1)} bytes a character)`);
  log(`sampling ${perClass} queries a class from the index's texts`);
  const { classes, warmup } = await rowQueries(dir, perClass);
  const quiet = await quietEnough(waitSeconds);
  log(`serving ${dir}, ${quiet}`);
  const server = await startServer(ROOT, dir, { SOU_RESULT_CACHE: '0' });
  const readyAt = performance.now();
  try {
    const readyRss = server.rss();
    let warmSeconds: number | undefined;
    while (warmSeconds === undefined) {
      // A warm-up may hold the event loop for longer than a request's timeout: then ask again.
      const status = await httpGet(`${server.url}/readyz`, 5_000).then(({ status }) => status, () => 0);
      if (status === 200) warmSeconds = server.readySeconds + (performance.now() - readyAt) / 1000;
      else await sleep(50);
    }
    const failures = await warmUp(server, warmup);
    const rss = server.rss();
    cells.push(`ready ${server.readySeconds.toFixed(2)} s (RSS ${(readyRss / MB).toFixed(0)} MB), warm ${warmSeconds.toFixed(2)} s; serving RSS ${(rss / MB).toFixed(0)} MB, ${(rss / characters).toFixed(1)} bytes a character; ${quiet}`);
    const took: string[] = [];
    for (const { label, queries } of classes) {
      const ms: number[] = [];
      for (const query of queries) {
        const { status, body } = await httpGet(server.url + searchPath(query), 60_000);
        if (status !== 200) throw new Error(`sou: ${searchPath(query)} answered ${status}`);
        ms.push((JSON.parse(body) as { tookMs: number }).tookMs);
      }
      took.push(`${label} ${percentile(ms, 0.5).toFixed(2)} / ${percentile(ms, 0.99).toFixed(2)}`);
    }
    cells.push(`tookMs p50 / p99 (${perClass} a class, one at a time): ${took.join('; ')}; ${load()}`);
    const http = await runHttpLoad({ url: server.url, queries: classes.flatMap((c) => c.queries), connections: 50, seconds, seed: SEED });
    const failed = http.errors + http.timeouts + http.non2xx;
    cells.push(`uncached ${http.requestsPerSecond.toFixed(0)} req/s (50 connections, ${http.seconds.toFixed(0)} s, p50 ${http.p50Ms} ms, p99 ${http.p99Ms} ms, ${failed} failed; warm-up failures ${failures}), RSS after ${(server.rss() / MB).toFixed(0)} MB, peak ${(server.peakRss() / MB).toFixed(0)} MB; ${load()}`);
  } finally {
    await server.stop();
  }
  process.stdout.write(`${dir}\n${cells.map((cell) => `- ${cell}`).join('\n')}\n`);
  return 0;
}

exitWith(main());
