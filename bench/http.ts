// HTTP load of `npm run bench`: wrk (Debian's package, a C load generator) against the served index, JSON
// searches (top 10) mixed from every query class, walked in seeded orders. wrk runs as a process of its own with
// one thread, so the client takes little of the cores the server is measured on (autocannon, a Node process, took
// so much of them on 2 cores that the query pool's gain hardly showed), and no GC of the bench process stalls it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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
  /** Connections that could not connect, read or write (wrk's socket errors). */
  readonly errors: number;
  readonly timeouts: number;
  /** Answers of status 400 or above (wrk counts no other status as an error). */
  readonly non2xx: number;
}

/** One request of a mix: a GET of the path, with these headers beside wrk's own. */
export interface MixRequest {
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request that has no answer in this long is a timeout (as autocannon's was). */
export const REQUEST_TIMEOUT_SECONDS = 10;

/** The line the script's done() prints, before its JSON. */
const RESULT_MARKER = 'sou-wrk-result ';

/** A Lua string literal of any text: its UTF-8 bytes, all but printable ASCII as decimal escapes. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte}`;
  }
  return `${out}"`;
}

/**
 * The wrk script of a mix: `orders` seeded orders of it (a permutation each), walked in turn. wrk's request() is
 * not told which connection asks, so the n-th request takes the next request of order n mod `orders`: with one
 * order a connection, the server meets as many interleaved walks of the mix as there are connections, as when
 * each connection walked its own order. done() prints the summary as one JSON line (parseWrkResult), in
 * microseconds, not wrk's rounded text. With `statuses`, each answer's status is counted (wrk then hands every
 * response to the script, which costs the client CPU: npm run load wants them, the timed runs do not).
 */
export function wrkScript(mix: readonly MixRequest[], orders: number, seed: number, { statuses = false }: { readonly statuses?: boolean } = {}): string {
  if (mix.length === 0) throw new Error('sou: an HTTP load needs at least one request');
  if (!Number.isSafeInteger(orders) || orders < 1) throw new Error(`sou: an HTTP load walks 1 or more orders, not ${orders}`);
  const indices = mix.map((_, i) => i + 1);
  const walks: string[] = [];
  for (let n = 1; n <= orders; n++) walks.push(`{${shuffled(indices, seededRandom(seed + n)).join(',')}}`);
  const headers = (request: MixRequest): string =>
    `{${Object.entries(request.headers ?? {})
      .map(([name, value]) => `[${luaString(name)}]=${luaString(value)}`)
      .join(',')}}`;
  return [
    '-- Written by bench/http.ts wrkScript for one run of wrk.',
    `local mix = {\n${mix.map((request) => `{${luaString(request.path)},${headers(request)}}`).join(',\n')}\n}`,
    `local orders = {\n${walks.join(',\n')}\n}`,
    'local formatted = {}',
    // wrk calls request() once before the run, to check what it returns (not sent): that call takes no turn.
    'local n = -1',
    'function init(args)',
    '  for i, request in ipairs(mix) do formatted[i] = wrk.format("GET", request[1], request[2]) end',
    'end',
    'function request()',
    '  if n < 0 then n = 0; return formatted[1] end',
    '  local order = orders[(n % #orders) + 1]',
    '  local at = (math.floor(n / #orders) % #order) + 1',
    '  n = n + 1',
    '  return formatted[order[at]]',
    'end',
    ...(statuses
      ? [
          // A global, so that done() can read each thread's counts (thread:get).
          'counts = {}',
          'local threads = {}',
          'function setup(thread) threads[#threads + 1] = thread end',
          'function response(status) counts[status] = (counts[status] or 0) + 1 end',
        ]
      : []),
    'function done(summary, latency, requests)',
    '  local e = summary.errors',
    '  local statuses = {}',
    ...(statuses
      ? [
          '  local total = {}',
          '  for _, thread in ipairs(threads) do for status, count in pairs(thread:get("counts")) do total[status] = (total[status] or 0) + count end end',
          '  for status, count in pairs(total) do statuses[#statuses + 1] = string.format(\'"%d":%d\', status, count) end',
        ]
      : []),
    `  io.write(string.format('${RESULT_MARKER}{"requests":%d,"durationUs":%d,"bytes":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p90Us":%d,"p99Us":%d,"maxUs":%d,"statuses":{%s}}\\n',`,
    '    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, table.concat(statuses, ",")))',
    'end',
    '',
  ].join('\n');
}

/** What the script's done() reports of one run. */
export interface WrkSummary {
  readonly requests: number;
  readonly durationUs: number;
  /** Read from the server, headers included. */
  readonly bytes: number;
  readonly connect: number;
  readonly read: number;
  readonly write: number;
  readonly status: number;
  readonly timeout: number;
  readonly p50Us: number;
  readonly p90Us: number;
  readonly p99Us: number;
  readonly maxUs: number;
  /** Answers by status, when the script counted them (wrkScript `statuses`); empty otherwise. */
  readonly statuses: Readonly<Record<string, number>>;
}

const SUMMARY_FIELDS = ['requests', 'durationUs', 'bytes', 'connect', 'read', 'write', 'status', 'timeout', 'p50Us', 'p90Us', 'p99Us', 'maxUs'] as const;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The summary in wrk's standard output (its own report, then done()'s line); throws when it is missing or bad. */
export function parseWrkResult(stdout: string): WrkSummary {
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER));
  if (line === undefined) throw new Error(`sou: wrk printed no result line (${RESULT_MARKER.trim()}); its output was:\n${stdout}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(line.slice(RESULT_MARKER.length));
  } catch {
    throw new Error(`sou: wrk's result line is not JSON: ${line}`);
  }
  const record = parsed as Record<string, unknown>;
  for (const field of SUMMARY_FIELDS) if (!isCount(record[field])) throw new Error(`sou: wrk's result has no whole ${field}: ${line}`);
  const statuses = record.statuses;
  if (typeof statuses !== 'object' || statuses === null || !Object.values(statuses).every(isCount)) throw new Error(`sou: wrk's result has no statuses: ${line}`);
  return { ...(Object.fromEntries(SUMMARY_FIELDS.map((field) => [field, record[field]])) as Record<(typeof SUMMARY_FIELDS)[number], number>), statuses: statuses as Record<string, number> };
}

const ms = (us: number): number => Math.round(us / 100) / 10;

/** The result of a run of `connections` connections over `distinctRequests` different requests. */
export function httpResultOf(summary: WrkSummary, connections: number, distinctRequests: number): HttpResult {
  const seconds = summary.durationUs / 1e6;
  return {
    connections,
    seconds,
    distinctRequests,
    requests: summary.requests,
    requestsPerSecond: summary.requests / Math.max(seconds, 1e-9),
    p50Ms: ms(summary.p50Us),
    p99Ms: ms(summary.p99Us),
    maxMs: ms(summary.maxUs),
    errors: summary.connect + summary.read + summary.write,
    timeouts: summary.timeout,
    non2xx: summary.status,
  };
}

export const WRK_MISSING = 'sou: the HTTP load needs wrk, which is not installed (Debian: apt-get install wrk)';

/**
 * Runs wrk on `mix` over `connections` keep-alive connections for `seconds` (one order of the mix a connection),
 * and returns its summary. `stop` ends the load early (npm run replicas: once its action is done): wrk is sent
 * SIGINT, on which it reports what it measured so far.
 */
export async function runWrk(
  options: {
    readonly url: string;
    readonly mix: readonly MixRequest[];
    readonly connections: number;
    readonly seconds: number;
    readonly seed: number;
    readonly statuses?: boolean;
    /** The wrk to run (tests name one that is missing); `wrk` on the PATH unless given. */
    readonly command?: string;
  },
  stop?: AbortSignal,
): Promise<WrkSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'sou-wrk-'));
  try {
    const script = join(dir, 'mix.lua');
    await writeFile(script, wrkScript(options.mix, options.connections, options.seed, { statuses: options.statuses === true }));
    const args = ['-t1', `-c${options.connections}`, `-d${Math.max(1, Math.ceil(options.seconds))}s`, `--timeout`, `${REQUEST_TIMEOUT_SECONDS}s`, '--latency', '-s', script, options.url];
    const child = spawn(options.command ?? 'wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const onStop = (): void => void child.kill('SIGINT');
    stop?.addEventListener('abort', onStop, { once: true });
    const exit = new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
      child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new Error(WRK_MISSING) : error));
      child.once('close', (code: number | null, signal: NodeJS.Signals | null) => resolve([code, signal]));
    });
    try {
      const [code, signal] = await exit;
      if (code !== 0) throw new Error(`sou: wrk ended with ${code ?? signal}: ${stderr.trim() || stdout.trim()}`);
    } finally {
      stop?.removeEventListener('abort', onStop);
    }
    return parseWrkResult(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** HTTP load of JSON searches (searchPath) of `queries`; `stop` ends it before `options.seconds` (runWrk). */
export async function runHttpLoad(options: HttpOptions, stop?: AbortSignal): Promise<HttpResult> {
  const mix = options.queries.map((query) => ({ path: searchPath(query) }));
  const summary = await runWrk({ url: options.url, mix, connections: options.connections, seconds: options.seconds, seed: options.seed }, stop);
  return httpResultOf(summary, options.connections, new Set(options.queries).size);
}

/** One side of an A/B of server settings, its runs in the order they ran. */
export interface SideRuns {
  readonly label: string;
  /** Each with the server's RSS and the one-minute load average as its load began (the machine is shared). */
  readonly runs: readonly (HttpResult & { readonly rssBytes: number; readonly peakRssBytes: number; readonly loadAverage: number })[];
}

/**
 * The sides of `npm run bench -- --pool`: one thread, then the pool with one worker a core but the HTTP thread's
 * (which searches too once every worker has its share in flight: query-pool.ts WORKER_MAX_IN_FLIGHT), then one a
 * core. Which of the two pools does more on a machine is what the comparison is for (BENCHMARKS.md "Every core").
 */
// The pool's count is given: unset is no pool (server/config.ts, the pool is opt-in).
export function poolSides(cores: number): { readonly label: string; readonly env: Readonly<Record<string, string>> }[] {
  const side = (workers: number, why: string) => ({ label: `SOU_QUERY_WORKERS=${workers}${why}`, env: { SOU_RESULT_CACHE: '0', SOU_QUERY_WORKERS: String(workers) } });
  const sides = [side(0, '')];
  if (cores > 1) sides.push(side(cores - 1, ' (one a core but one)'));
  sides.push(side(cores, ' (one a core)'));
  return sides;
}

export const POOL_SIDES = poolSides(availableParallelism());

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
        const loadAverage = loadavg()[0]!;
        const result = await runHttpLoad({ url: server.url, queries: options.queries, connections: options.connections, seconds: options.seconds, seed: options.seed });
        side.runs.push({ ...result, rssBytes, peakRssBytes: server.peakRss(), loadAverage });
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
  const lines = [`| server | run | req/s | p50 ms | p99 ms | max ms | failed | RSS after warm-up | peak RSS | load average |`, `| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`];
  for (const side of sides) {
    side.runs.forEach((run, n) =>
      lines.push(
        `| ${side.label} | ${n + 1} | ${run.requestsPerSecond.toFixed(0)} | ${run.p50Ms} | ${run.p99Ms} | ${run.maxMs} | ${run.errors + run.timeouts + run.non2xx} | ${mb(run.rssBytes)} | ${mb(run.peakRssBytes)} | ${run.loadAverage.toFixed(1)} |`,
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
