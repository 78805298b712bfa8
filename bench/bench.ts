// `npm run bench -- [--sizes 100k,311k] [--poetry PATH] [--eval DIR] [--skip-http] [--skip-watch] [--quick] [--baseline REV]`: the performance
// benchmark. For each size (default 100k; 311k, the whole corpus, is slow): prepare data/bench-<size>.jsonl
// (bench/corpus.ts), build it with the CLI (bench/build.ts), serve it (bench/serve.ts), time the query classes
// (bench/queries.ts) in process (bench/sou.ts) and on the peers (bench/scan.ts, bench/fts5.ts), load it over HTTP
// (bench/http.ts), follow saves in watch mode (bench/watch.ts); with --baseline, also build and serve another commit beside this checkout (bench/compare.ts).
// Prints the report (bench/report.ts) and writes it to data/bench-report-<time>.md. With --pool, only builds and
// compares uncached HTTP on the query pool with one thread (bench/http.ts compareSidesHttp), --rounds times each.
import { existsSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { foldString } from '../indexer/analyzer/index.js';
import { findProjectRoot } from '../server/project-root.js';
import { measureBuild } from './build.js';
import { measureIncremental } from './incremental.js';
import { measureWatch, watchOptionsFor, type WatchMeasure } from './watch.js';
import { checkOutBaseline, compareSides, currentSide, type BaselineCheckout } from './compare.js';
import { parseSizes, prepareCorpus, readCorpus, type BenchSize } from './corpus.js';
import { buildFts5, openFts5 } from './fts5.js';
import { compareSidesHttp, POOL_SIDES, renderSides, runHttpLoad } from './http.js';
import { sampleClasses, type QueryClass } from './queries.js';
import { renderReport, tierOf, type BenchReport, type ClassResult, type HttpRun, type Machine, type SizeResult } from './report.js';
import { createScan } from './scan.js';
import { startServer, warmUp } from './serve.js';
import { runSou } from './sou.js';
import { summarize, timeEach } from './stats.js';
import { exitWith } from './process.js';

const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run bench -- [--sizes 100k,311k] [--poetry PATH] [--eval DIR] [--skip-http] [--skip-watch] [--quick] [--baseline REV [--rounds N]] [--pool [--rounds N]]';
const SEED = 1;
const WARMUP_SEED = 2;

interface Options {
  readonly sizes: readonly BenchSize[];
  readonly poetry: string;
  readonly evalDir: string;
  readonly skipHttp: boolean;
  /** No watch-mode run (bench/watch.ts) for each size. */
  readonly skipWatch: boolean;
  readonly quick: boolean;
  /** A commit to measure beside this checkout (bench/compare.ts), and how many rounds each side gets. */
  readonly baseline: string | null;
  readonly rounds: number;
  /** Only the query pool's A/B (bench/http.ts compareSidesHttp). */
  readonly pool: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      poetry: { type: 'string' },
      eval: { type: 'string' },
      'skip-http': { type: 'boolean', default: false },
      'skip-watch': { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      baseline: { type: 'string' },
      rounds: { type: 'string' },
      pool: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    sizes: parseSizes(values.sizes ?? '100k'),
    poetry: values.poetry === undefined ? join(ROOT, '..', 'shared', 'bench', 'poetry.jsonl.gz') : resolve(values.poetry),
    evalDir: values.eval === undefined ? join(ROOT, '..', 'shared', 'eval') : resolve(values.eval),
    skipHttp: values['skip-http'] ?? false,
    skipWatch: values['skip-watch'] ?? false,
    quick: values.quick ?? false,
    baseline: values.baseline ?? null,
    rounds: parseRounds(values.rounds ?? '2'),
    pool: values.pool ?? false,
  };
}

function parseRounds(text: string): number {
  const rounds = Number(text);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 10) throw new Error(`sou: --rounds takes a whole number from 1 to 10, not ${text}`);
  return rounds;
}

const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

/** The `query` of every line of every queries-*.jsonl in the eval folder. */
async function readQuestions(dir: string): Promise<string[]> {
  if (!existsSync(dir)) throw new Error(`sou: the eval folder ${dir} is missing`);
  const files = (await readdir(dir)).filter((name) => name.startsWith('queries-') && name.endsWith('.jsonl')).sort();
  const questions: string[] = [];
  for (const file of files) {
    for (const line of (await readFile(join(dir, file), 'utf8')).split('\n')) {
      if (line.trim() === '') continue;
      const { query } = JSON.parse(line) as { query?: unknown };
      if (typeof query === 'string' && query.trim() !== '') questions.push(query);
    }
  }
  if (questions.length === 0) throw new Error(`sou: no questions in ${dir}/queries-*.jsonl`);
  return questions;
}

/** --pool: the corpus built, then uncached HTTP on the pool against one thread, alternating; prints the table. */
async function benchPool(size: BenchSize, options: Options, questions: readonly string[]): Promise<string> {
  const corpusRel = `data/bench-${size.label}.jsonl`;
  const indexRel = `data/bench-${size.label}`;
  const corpus = await prepareCorpus(options.poetry, size, join(ROOT, corpusRel));
  log(`${size.label}: ${corpusRel} (${corpus.lines.toLocaleString('en')} lines, ${corpus.reused ? 'reused' : 'written'}); building ${indexRel}`);
  const build = await measureBuild(ROOT, corpusRel, indexRel);
  log(`${size.label}: built in ${build.seconds.toFixed(1)} s`);
  const documents = await readCorpus(join(ROOT, corpusRel));
  const scan = createScan(documents.map((d) => d.text));
  const sources = { texts: documents.map((d) => d.text), questions, occurs: (q: string) => scan.occurs(q) };
  const mixed = sampleClasses(sources, options.quick ? 50 : 200, SEED).flatMap((c) => c.queries);
  const warmupQueries = sampleClasses(sources, options.quick ? 10 : 20, WARMUP_SEED).flatMap((c) => c.queries);
  const connections = 100;
  const sides = await compareSidesHttp({
    sides: POOL_SIDES,
    serve: async (env) => {
      const server = await startServer(ROOT, indexRel, env);
      await warmUp(server, warmupQueries);
      return server;
    },
    queries: mixed,
    connections,
    seconds: options.quick ? 5 : 20,
    seed: SEED,
    rounds: options.rounds,
    log,
  });
  return `## Every core: ${size.label}, ${new Date().toISOString().slice(0, 10)}\n\n${renderSides(sides, connections)}`;
}

async function benchSize(size: BenchSize, options: Options, questions: readonly string[], baseline: BaselineCheckout | null): Promise<SizeResult> {
  const perClass = options.quick ? 50 : 200;
  const corpusRel = `data/bench-${size.label}.jsonl`;
  const indexRel = `data/bench-${size.label}`;
  const corpus = await prepareCorpus(options.poetry, size, join(ROOT, corpusRel));
  log(`${size.label}: ${corpusRel} (${corpus.lines.toLocaleString('en')} lines, ${corpus.reused ? 'reused' : 'written'})`);

  log(`${size.label}: building ${indexRel} with the CLI`);
  const build = await measureBuild(ROOT, corpusRel, indexRel);
  log(`${size.label}: built in ${build.seconds.toFixed(1)} s, peak RSS ${mb(build.peakRssBytes)}, index ${mb(build.size.bytes)}`);
  log(`${size.label}: incremental builds on a copy of the corpus`);
  const incremental = await measureIncremental(ROOT, size.label, corpusRel, corpus.lines, log);
  let watch: WatchMeasure | undefined;
  if (!options.skipWatch) {
    const watchOptions = options.quick ? { ...watchOptionsFor(join(ROOT, corpusRel)), saves: 10, updates: 20 } : watchOptionsFor(join(ROOT, corpusRel));
    log(`${size.label}: watch mode through a server (${watchOptions.saves} saves, then ${watchOptions.updates} updates under load)`);
    watch = await measureWatch(watchOptions);
  }

  // Queries: sampled from the texts (folded once, for the scan) and the eval questions.
  const documents = await readCorpus(join(ROOT, corpusRel));
  const texts = documents.map((d) => d.text);
  let scan: ReturnType<typeof createScan> | undefined = createScan(texts);
  const sources = { texts, questions, occurs: (q: string) => scan!.occurs(q) };
  const classes = sampleClasses(sources, perClass, SEED);
  const warmup = sampleClasses(sources, options.quick ? 10 : 20, WARMUP_SEED);
  const warmupQueries = warmup.flatMap((c) => c.queries);
  const mixed = classes.flatMap((c) => c.queries);

  log(`${size.label}: serving ${indexRel}`);
  const server = await startServer(ROOT, indexRel);
  let servingRssBytes: number;
  let warmupFailures: number;
  try {
    warmupFailures = await warmUp(server, warmupQueries);
    servingRssBytes = server.rss();
  } finally {
    await server.stop();
  }
  log(`${size.label}: ready in ${server.readySeconds.toFixed(2)} s, warm in ${server.warmSeconds.toFixed(2)} s, RSS ${mb(servingRssBytes)} after warm-up`);

  log(`${size.label}: Sou in process (${classes.length} classes × ${perClass} queries)`);
  const sou = await runSou(join(ROOT, indexRel), classes, warmup);

  log(`${size.label}: linear scan`);
  for (const { queries } of warmup) for (const query of queries) scan.search(query);
  const scanTimes = new Map<string, number[]>();
  const scanTotals = new Map<string, number[]>();
  for (const { name, queries } of classes) {
    const totals: number[] = [];
    scanTimes.set(name, timeEach(queries, (q) => scan!.search(q), (_q, result) => totals.push(result.total)));
    scanTotals.set(name, totals);
  }

  log(`${size.label}: SQLite FTS5 trigram`);
  const dbPath = join(ROOT, `data/bench-${size.label}-fts5.db`);
  const fts5Build = buildFts5(dbPath, texts.map(foldString));
  const fts5 = openFts5(dbPath);
  const fts5Times = new Map<string, number[]>();
  let fts5Mismatches = 0;
  let fts5Queries = 0;
  try {
    for (const { queries } of warmup) for (const query of queries) fts5.search(query);
    for (const { name, queries } of classes) {
      const totals = scanTotals.get(name)!;
      let i = 0;
      fts5Times.set(
        name,
        timeEach(queries, (q) => fts5.search(q), (_q, rows) => {
          fts5Queries++;
          if (rows.length !== Math.min(10, totals[i++]!)) fts5Mismatches++;
        }),
      );
    }
  } finally {
    fts5.close();
  }
  scan = undefined; // let the folded texts go before the HTTP run

  let recallQueries = 0;
  let recallMisses = 0;
  for (const name of ['char', 'substring', 'and'] as const) {
    const souTotals = sou.classes.get(name)!.totals;
    const totals = scanTotals.get(name)!;
    souTotals.forEach((total, i) => {
      recallQueries++;
      if (total < totals[i]!) recallMisses++;
    });
  }
  const classResults: ClassResult[] = classes.map((c: QueryClass) => ({
    name: c.name,
    label: c.label,
    n: c.queries.length,
    sou: summarize(sou.classes.get(c.name)!.tookMs),
    scan: summarize(scanTimes.get(c.name)!),
    fts5: summarize(fts5Times.get(c.name)!),
  }));

  // Twice: with the result cache off, then as `npm start` serves (a cache of 1,000 answers). The mix repeats
  // its distinct queries, so the second run mostly measures the cache; the first measures the search.
  let http: HttpRun | null = null;
  let httpUncached: HttpRun | null = null;
  if (!options.skipHttp) {
    const seconds = options.quick ? 5 : 20;
    const run = async (env: Readonly<Record<string, string>>): Promise<HttpRun> => {
      const loadServer = await startServer(ROOT, indexRel, env);
      try {
        await warmUp(loadServer, warmupQueries);
        const rssBeforeBytes = loadServer.rss();
        const result = await runHttpLoad({ url: loadServer.url, queries: mixed, connections: 50, seconds, seed: SEED });
        return { ...result, rssBeforeBytes, rssAfterBytes: loadServer.rss(), peakRssBytes: loadServer.peakRss() };
      } finally {
        await loadServer.stop();
      }
    };
    log(`${size.label}: HTTP, 50 connections for ${seconds} s, result cache off`);
    httpUncached = await run({ SOU_RESULT_CACHE: '0' });
    log(`${size.label}: HTTP, 50 connections for ${seconds} s, result cache on (the server's default)`);
    http = await run({});
  }

  const comparison =
    baseline === null
      ? null
      : {
          results: await compareSides([baseline, currentSide(ROOT)], {
            corpus: join(ROOT, corpusRel),
            dataDir: join(ROOT, 'data'),
            sizeLabel: size.label,
            warmupQueries,
            mix: mixed,
            rounds: options.rounds,
            connections: 50,
            seconds: options.quick ? 5 : 20,
            seed: SEED,
            log,
          }),
          rounds: options.rounds,
          connections: 50,
          seconds: options.quick ? 5 : 20,
        };

  return {
    label: size.label,
    tier: tierOf(corpus.lines, size.lines === null),
    counts: build.counts,
    build: { seconds: build.seconds, peakRssBytes: build.peakRssBytes, peakRssFrom: build.peakRssFrom, indexBytes: build.size.bytes, parts: build.size.parts },
    incremental,
    ...(watch === undefined ? {} : { watch }),
    readySeconds: server.readySeconds,
    servingRssBytes,
    inProcess: { loadSeconds: sou.loadSeconds, warmSeconds: sou.warmSeconds, suggest: summarize(sou.suggestMs) },
    fts5: fts5Build,
    classes: classResults,
    checks: {
      recallQueries,
      recallMisses,
      noResultHits: sou.classes.get('none')!.totals.filter((total) => total > 0).length,
      fts5Queries,
      fts5Mismatches,
      relaxedQuestions: sou.classes.get('question')!.relaxed,
      questionsScanMatched: scanTotals.get('question')!.filter((total) => total > 0).length,
      questions: classes.find((c) => c.name === 'question')!.queries.length,
      warmupFailures,
    },
    http,
    httpUncached,
    comparison,
  };
}

function machine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown CPU',
    cores: cpu.length,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg(),
  };
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    const message = (error as Error).message.replace(/^sou: /, '');
    process.stderr.write(`sou: ${message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!existsSync(join(ROOT, 'dist', 'indexer', 'cli.js'))) throw new Error('sou: dist/ is missing; run npm run build first');
  const started = machine();
  const questions = await readQuestions(options.evalDir);
  if (options.pool) {
    for (const size of options.sizes) {
      const table = await benchPool(size, options, questions);
      const { cpu, cores, loadAverage } = started;
      process.stdout.write(`\n${table}\nMachine: ${cpu}, ${cores} cores, Node ${process.version}, load average at the start ${loadAverage.map((l) => l.toFixed(1)).join(' ')}.\n`);
    }
    return 0;
  }
  const baseline = options.baseline === null ? null : checkOutBaseline(ROOT, options.baseline);
  const sizes: SizeResult[] = [];
  try {
    for (const size of options.sizes) sizes.push(await benchSize(size, options, questions, baseline));
  } finally {
    baseline?.remove();
  }
  const report: BenchReport = {
    date: new Date().toISOString().slice(0, 10),
    machine: started,
    quick: options.quick,
    queriesPerClass: options.quick ? 50 : 200,
    seed: SEED,
    poetry: relative(ROOT, options.poetry) || options.poetry,
    evalDir: relative(ROOT, options.evalDir) || options.evalDir,
    sizes,
  };
  const section = renderReport(report);
  process.stdout.write(`\n${section}`);
  // BENCHMARKS.md holds the method and the latest results, curated by hand from these reports (git keeps the
  // history), so a run writes its report beside the data rather than appending to it.
  const reportPath = join(ROOT, 'data', `bench-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(reportPath, section);
  log(`wrote the report to ${relative(process.cwd(), reportPath) || reportPath}`);
  return 0;
}

exitWith(main());
