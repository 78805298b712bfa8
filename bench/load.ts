// `npm run load -- [--duration S] [--connections N] [--index DIR] [--result-cache N] [--log FILE]`: a load test of the server with wrk.
// The server runs as a child process (bench/load-server.ts: the app of `npm start`) on the index, by default the
// 100k benchmark index data/bench-100k, prepared here when missing (the first 100,000 poems of
// ../shared/bench/poetry.jsonl.gz, then `npm run index`). Once the server is warm (as /readyz says), a mix of JSON
// searches and result pages is sent over N keep-alive connections for S seconds; the report gives requests/s,
// latency percentiles, errors and timeouts, and the server's RSS after the first 10 seconds and at the end. --log FILE keeps the server's request log.
import { fork, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { parseResultCacheEntries } from '../server/config.js';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS } from '../server/node-options.js';
import { findProjectRoot } from '../server/project-root.js';
import { prepareCorpus } from './corpus.js';
import { seededRandom } from './fuzz-cases.js';
import { runWrk, type MixRequest } from './http.js';
import type { LoadServerMessage } from './load-server.js';
import { exitWith } from './process.js';

const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const DEFAULT_INDEX = 'data/bench-100k';
const BENCH_CORPUS_GZ = join(ROOT, '..', 'shared', 'bench', 'poetry.jsonl.gz');
const BENCH_JSONL = 'data/bench-100k.jsonl';
const BENCH_LINES = 100_000;
const USAGE = 'usage: npm run load -- [--duration SECONDS] [--connections N] [--index DIR] [--result-cache N] [--log FILE]';

/** Queries over classical poetry (Traditional script): common and rare words, phrases, operators, misses, pages. */
const QUERIES = [
  '明月', '春風', '長安', '月', '山 水', '"白日依山盡"', '李白', '黃河 -長江', '春 OR 秋', '故鄉', '將進酒', '不知', '天', '人生',
  '雨 夜', '孤帆遠影碧空盡', '床前明月光', '桃花', '江南', '明月 故鄉', '杜甫', '落花', '西風 殘照', '白雲', '青山', '秋風',
  '为什么月亮这么圆', '思念家乡的诗', 'CTO', 'zzz', '春眠不覺曉', '一', '千山鳥飛絕', '大漠孤煙直', '夕陽', '花 -酒',
];

export function requestMix(seed: number): MixRequest[] {
  const random = seededRandom(seed);
  return QUERIES.flatMap((q) => {
    const encoded = encodeURIComponent(q);
    const offset = random() < 0.2 ? `&offset=${10 * (1 + Math.floor(random() * 5))}` : '';
    return [
      { path: `/api/search?q=${encoded}&limit=10${offset}` },
      { path: `/api/search?q=${encoded}&limit=${random() < 0.5 ? 20 : 10}` },
      { path: `/search?q=${encoded}${offset}` },
      { path: `/search?q=${encoded}`, headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } },
    ];
  });
}

async function prepareIndex(indexDir: string): Promise<void> {
  if (existsSync(join(ROOT, indexDir, MANIFEST_FILE)) || existsSync(join(indexDir, MANIFEST_FILE))) return;
  if (indexDir !== DEFAULT_INDEX) throw new Error(`sou: no index in ${indexDir}; build it with npm run index -- --corpus … --out ${indexDir}`);
  const corpus = await prepareCorpus(BENCH_CORPUS_GZ, { label: '100k', lines: BENCH_LINES }, join(ROOT, BENCH_JSONL));
  if (!corpus.reused) process.stderr.write(`wrote the first ${BENCH_LINES.toLocaleString('en')} lines of ${BENCH_CORPUS_GZ} to ${BENCH_JSONL}\n`);
  process.stderr.write(`building ${DEFAULT_INDEX} (10–15 s)\n`);
  const build = spawnSync(process.execPath, [join(ROOT, 'dist', 'indexer', 'cli.js'), '--corpus', BENCH_JSONL, '--out', DEFAULT_INDEX], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error(`sou: building ${DEFAULT_INDEX} failed (exit ${build.status})`);
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { duration: { type: 'string' }, connections: { type: 'string' }, index: { type: 'string' }, 'result-cache': { type: 'string' }, log: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(text)) throw new Error(`sou: --${name} must be a positive whole number, not "${text}"\n${USAGE}`);
    return Number(text);
  };
  const duration = positive(values.duration, 60, 'duration');
  const connections = positive(values.connections, 100, 'connections');
  let resultCache: number; // unset: as npm start
  try {
    resultCache = parseResultCacheEntries(values['result-cache'], '--result-cache');
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const indexDir = values.index ?? DEFAULT_INDEX;
  await prepareIndex(indexDir);

  const child = fork(join(ROOT, 'dist', 'bench', 'load-server.js'), [indexDir, String(resultCache), ...(values.log === undefined ? [] : [values.log])], {
    cwd: ROOT,
    execArgv: [...SERVER_NODE_OPTIONS],
    env: { ...process.env, ...SERVER_ENVIRONMENT },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: LoadServerMessage[] = [];
  const waiters: ((message: LoadServerMessage) => void)[] = [];
  child.on('message', (message: LoadServerMessage) => {
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const nextMessage = (): Promise<LoadServerMessage> =>
    new Promise((resolve, reject) => {
      const queued = messages.shift();
      if (queued) return resolve(queued);
      waiters.push(resolve);
      child.once('exit', (code) => reject(new Error(`sou: the load server exited (${code})`)));
    });
  const memory = async (): Promise<NodeJS.MemoryUsage> => {
    child.send({ type: 'memory' });
    const message = await nextMessage();
    if (message.type !== 'memory') throw new Error('sou: unexpected message from the load server');
    return message.memory;
  };

  try {
    const ready = await nextMessage();
    if (ready.type !== 'ready') throw new Error('sou: the load server did not start');
    const url = `http://127.0.0.1:${ready.port}`;
    const mix = requestMix(1);
    process.stderr.write(
      `load: ${indexDir} (${ready.paragraphs.toLocaleString('en')} paragraphs, server RSS ${mb(ready.memory.rss)} once warm, ${ready.warmSeconds.toFixed(1)} s after listening), ` +
        `${connections} connections for ${duration} s, ${mix.length} different requests (JSON and pages), result cache ${resultCache === 0 ? 'off' : `of ${resultCache} answers`}\n`,
    );
    // The server's memory every 10 s (and at the end): the target compares the end with the first sample.
    const samples: { at: number; memory: NodeJS.MemoryUsage }[] = [];
    const sampleEvery = Math.min(10, Math.max(1, Math.round(duration * 0.67)));
    const startedAt = Date.now();
    const sampler = setInterval(() => void memory().then((m) => samples.push({ at: Math.round((Date.now() - startedAt) / 1000), memory: m })), sampleEvery * 1000);
    // Each connection walks the mix in its own order (seeded 1, 2, …).
    const result = await runWrk({ url, mix, connections, seconds: duration, seed: 0, statuses: true });
    clearInterval(sampler);
    const endMemory = await memory();
    const early = samples[0];
    const growth = early === undefined ? NaN : endMemory.rss / early.memory.rss - 1;
    const statuses = Object.entries(result.statuses)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ');
    const seconds = result.durationUs / 1e6;
    const errors = result.connect + result.read + result.write;
    const ms = (us: number): string => (us / 1000).toFixed(1);
    const lines = [
      `requests: ${result.requests} in ${seconds.toFixed(1)} s; ${(result.requests / seconds).toFixed(0)} req/s`,
      `latency: p50 ${ms(result.p50Us)} ms, p90 ${ms(result.p90Us)} ms, p99 ${ms(result.p99Us)} ms, max ${ms(result.maxUs)} ms`,
      `status: ${statuses}; 400 or above ${result.status}, socket errors ${errors}, timeouts ${result.timeout}`,
      `throughput: ${(result.bytes / seconds / 1_048_576).toFixed(1)} MB/s on average`,
      `server RSS: ${mb(ready.memory.rss)} once warm, ${early ? mb(early.memory.rss) : '?'} after ${early?.at ?? '?'} s, ${mb(endMemory.rss)} at the end` +
        ` (${Number.isNaN(growth) ? '?' : `${(growth * 100).toFixed(1)}%`}; the target is within 10%)`,
      `server memory (RSS / heap used / array buffers, MB): ${[...samples, { at: Math.round((Date.now() - startedAt) / 1000), memory: endMemory }]
        .map(({ at, memory: m }) => `${at} s ${(m.rss / 1_048_576).toFixed(0)}/${(m.heapUsed / 1_048_576).toFixed(0)}/${(m.arrayBuffers / 1_048_576).toFixed(0)}`)
        .join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    // wrk counts only statuses of 400 and above as errors: a 3xx or 1xx is a failure of this mix too.
    const non2xx = Object.entries(result.statuses).reduce((sum, [status, count]) => sum + (status.startsWith('2') ? 0 : count), 0);
    return errors + result.timeout + non2xx === 0 && Math.abs(growth) <= 0.1 ? 0 : 1;
  } finally {
    // The server flushes its log and exits when the channel closes; a stuck one is killed.
    const exited = once(child, 'exit');
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  }
}

exitWith(main());
