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
