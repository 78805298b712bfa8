// HTTP load of `npm run bench`: autocannon against the served index, JSON searches (top 10) mixed from every
// query class, each connection walking the mix in its own seeded order (as in `npm run load`). The client runs in
// a child process of its own (this module, forked): in the bench process, which has held the whole index in
// memory, a major GC stalled the client for seconds and showed up as multi-second latencies.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import autocannon, { type Request, type Result } from 'autocannon';
import { seededRandom } from './fuzz-cases.js';
import { shuffled } from './queries.js';
import { searchPath } from './serve.js';

export interface HttpOptions {
  readonly url: string;
  readonly queries: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly seed: number;
}

export interface HttpResult {
  readonly connections: number;
  readonly seconds: number;
  readonly distinctRequests: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
}

/** `stop` ends the load before `options.seconds` (npm run replicas: once its action is done). */
export async function runHttpLoad(options: HttpOptions, stop?: AbortSignal): Promise<HttpResult> {
  const mix: Request[] = options.queries.map((query) => ({ method: 'GET', path: searchPath(query) }));
  let clientNumber = 0;
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        requests: mix,
        setupClient: (client) => client.setRequests(shuffled(mix, seededRandom(options.seed + ++clientNumber))),
      },
      (error, outcome) => (error ? reject(error) : resolve(outcome)),
    );
    stop?.addEventListener('abort', () => instance.stop(), { once: true });
  });
  const requests = result.requests.total ?? result['2xx'] + result.non2xx;
  return {
    connections: options.connections,
    seconds: result.duration,
    distinctRequests: new Set(options.queries).size,
    requests,
    requestsPerSecond: requests / Math.max(result.duration, 1e-9),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/** runHttpLoad in a fresh child process (this module), so the client's own heap and GC stay small. */
export async function runHttpLoadIsolated(options: HttpOptions, stop?: AbortSignal): Promise<HttpResult> {
  const child = fork(fileURLToPath(import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  stop?.addEventListener('abort', () => void (child.connected && child.send({ stop: true })), { once: true });
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const answer = new Promise<HttpResult>((resolve, reject) => {
    child.once('message', (message: { result?: HttpResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(`sou: the HTTP client failed: ${message.error ?? 'no result'}`)),
    );
    void exit.then(([code]) => reject(new Error(`sou: the HTTP client exited (${code}) without a result`)));
  });
  child.send(options);
  try {
    return await answer;
  } finally {
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill(), 10_000);
    await exit;
    clearTimeout(timer);
  }
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  process.once('message', (options: HttpOptions) => {
    const stop = new AbortController();
    process.on('message', (message: { stop?: boolean }) => void (message.stop === true && stop.abort()));
    runHttpLoad(options, stop.signal).then(
      (result) => process.send!({ result }, () => process.disconnect()),
      (error: unknown) => process.send!({ error: error instanceof Error ? error.message : String(error) }, () => process.disconnect()),
    );
  });
}

/** One side of the pool's A/B (SOU_QUERY_WORKERS), its runs in the order they ran. */
export interface PoolSideRuns {
  /** SOU_QUERY_WORKERS as set ('' for unset: one worker a core). */
  readonly workers: string;
  readonly runs: readonly (HttpResult & { readonly rssBytes: number; readonly peakRssBytes: number })[];
}

export interface PoolComparisonOptions {
  /** Starts a server with these extra environment variables, warmed up, and says its RSS. */
  readonly serve: (env: Readonly<Record<string, string>>) => Promise<{ readonly url: string; rss(): number; peakRss(): number; stop(): Promise<unknown> }>;
  readonly queries: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly seed: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/**
 * `npm run bench -- --pool`: uncached HTTP load on the query pool (one worker a core) against one thread
 * (SOU_QUERY_WORKERS=0), alternating the two `rounds` times on the same machine, so that other load falls on both.
 * The RSS is the server's after the warm-up, before the load.
 */
export async function comparePoolHttp(options: PoolComparisonOptions): Promise<PoolSideRuns[]> {
  const sides = [
    { workers: '0', runs: [] as PoolSideRuns['runs'][number][] },
    { workers: '', runs: [] as PoolSideRuns['runs'][number][] },
  ];
  for (let round = 1; round <= options.rounds; round++) {
    for (const side of round % 2 === 1 ? sides : [...sides].reverse()) {
      const env: Record<string, string> = { SOU_RESULT_CACHE: '0', ...(side.workers === '' ? {} : { SOU_QUERY_WORKERS: side.workers }) };
      options.log(`pool A/B round ${round}: SOU_QUERY_WORKERS=${side.workers || '(unset)'}, ${options.connections} connections for ${options.seconds} s`);
      const server = await options.serve(env);
      try {
        const rssBytes = server.rss();
        const result = await runHttpLoadIsolated({ url: server.url, queries: options.queries, connections: options.connections, seconds: options.seconds, seed: options.seed });
        side.runs.push({ ...result, rssBytes, peakRssBytes: server.peakRss() });
      } finally {
        await server.stop();
      }
    }
  }
  return sides;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The A/B as a Markdown table, each run and the medians' ratios (pool / one thread). */
export function renderPoolComparison(sides: readonly PoolSideRuns[], connections: number): string {
  const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
  const lines = [
    `| SOU_QUERY_WORKERS | run | req/s | p50 ms | p99 ms | max ms | errors + timeouts + non-2xx | RSS after warm-up | peak RSS |`,
    `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const side of sides) {
    side.runs.forEach((run, n) =>
      lines.push(
        `| ${side.workers || 'unset (a core each)'} | ${n + 1} | ${run.requestsPerSecond.toFixed(0)} | ${run.p50Ms} | ${run.p99Ms} | ${run.maxMs} | ${run.errors + run.timeouts + run.non2xx} | ${mb(run.rssBytes)} | ${mb(run.peakRssBytes)} |`,
      ),
    );
  }
  const [one, pool] = sides as [PoolSideRuns, PoolSideRuns];
  const ratio = (pick: (run: PoolSideRuns['runs'][number]) => number): string => (median(pool.runs.map(pick)) / median(one.runs.map(pick))).toFixed(2);
  lines.push(
    '',
    `Medians, pool / one thread, ${connections} connections, result cache off: req/s ${ratio((r) => r.requestsPerSecond)}×, p99 ${ratio((r) => r.p99Ms)}×, RSS ${ratio((r) => r.rssBytes)}× (peak ${ratio((r) => r.peakRssBytes)}×).`,
  );
  return `${lines.join('\n')}\n`;
}
