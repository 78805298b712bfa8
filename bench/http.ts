// HTTP load of `npm run bench`: autocannon against the served index, JSON searches (top 10) mixed from every
// query class, each connection walking the mix in its own seeded order (as in `npm run load`). The client runs in
// a child process of its own (this module, forked): in the bench process, which has held the whole index in
// memory, a major GC stalled the client for seconds and showed up as multi-second latencies.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
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

/** One side of an A/B of server settings, its runs in the order they ran. */
export interface SideRuns {
  readonly label: string;
  readonly runs: readonly (HttpResult & { readonly rssBytes: number; readonly peakRssBytes: number })[];
}

/** The two sides of `npm run bench -- --pool`: one thread, then the pool (SOU_QUERY_WORKERS unset: a core each). */
// The pool's count is given: unset is no pool (server/config.ts, the pool is opt-in).
export const POOL_SIDES: readonly { readonly label: string; readonly env: Readonly<Record<string, string>> }[] = [
  { label: 'SOU_QUERY_WORKERS=0', env: { SOU_RESULT_CACHE: '0', SOU_QUERY_WORKERS: '0' } },
  { label: `SOU_QUERY_WORKERS=${availableParallelism()} (one a core)`, env: { SOU_RESULT_CACHE: '0', SOU_QUERY_WORKERS: String(availableParallelism()) } },
];

export interface SidesOptions {
  /** Starts a server with these extra environment variables, warmed up. */
  readonly serve: (env: Readonly<Record<string, string>>) => Promise<{ readonly url: string; rss(): number; peakRss(): number; stop(): Promise<unknown> }>;
  readonly sides: readonly { readonly label: string; readonly env: Readonly<Record<string, string>> }[];
  readonly queries: readonly string[];
  readonly connections: number;
  readonly seconds: number;
  readonly seed: number;
  readonly rounds: number;
  readonly log: (line: string) => void;
}

/**
 * HTTP load on servers started with each side's environment, alternating the sides `rounds` times (in reverse
 * order every other round) on the same machine, so that other load falls on both. The RSS is the server's after
 * its warm-up, before the load.
 */
export async function compareSidesHttp(options: SidesOptions): Promise<SideRuns[]> {
  const sides = options.sides.map((side) => ({ ...side, runs: [] as SideRuns['runs'][number][] }));
  for (let round = 1; round <= options.rounds; round++) {
    for (const side of round % 2 === 1 ? sides : [...sides].reverse()) {
      options.log(`round ${round}: ${side.label}, ${options.connections} connections for ${options.seconds} s`);
      const server = await options.serve(side.env);
      try {
        const rssBytes = server.rss();
        const result = await runHttpLoadIsolated({ url: server.url, queries: options.queries, connections: options.connections, seconds: options.seconds, seed: options.seed });
        side.runs.push({ ...result, rssBytes, peakRssBytes: server.peakRss() });
      } finally {
        await server.stop();
      }
    }
  }
  return sides.map(({ label, runs }) => ({ label, runs }));
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The A/B as a Markdown table, each run, then the medians' ratios (each side / the first). */
export function renderSides(sides: readonly SideRuns[], connections: number): string {
  const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(0)} MB`;
  const lines = [`| server | run | req/s | p50 ms | p99 ms | max ms | failed | RSS after warm-up | peak RSS |`, `| --- | --- | --- | --- | --- | --- | --- | --- | --- |`];
  for (const side of sides) {
    side.runs.forEach((run, n) =>
      lines.push(
        `| ${side.label} | ${n + 1} | ${run.requestsPerSecond.toFixed(0)} | ${run.p50Ms} | ${run.p99Ms} | ${run.maxMs} | ${run.errors + run.timeouts + run.non2xx} | ${mb(run.rssBytes)} | ${mb(run.peakRssBytes)} |`,
      ),
    );
  }
  const [first, ...others] = sides as [SideRuns, ...SideRuns[]];
  lines.push('');
  for (const side of others) {
    const ratio = (pick: (run: SideRuns['runs'][number]) => number): string => (median(side.runs.map(pick)) / median(first.runs.map(pick))).toFixed(2);
    lines.push(
      `Medians, ${side.label} / ${first.label}, ${connections} connections: req/s ${ratio((r) => r.requestsPerSecond)}×, p99 ${ratio((r) => r.p99Ms)}×, RSS after warm-up ${ratio((r) => r.rssBytes)}×, peak RSS ${ratio((r) => r.peakRssBytes)}×.`,
    );
  }
  return `${lines.join('\n')}\n`;
}
