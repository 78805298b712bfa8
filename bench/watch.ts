// `npm run bench:watch -- [--base PATH]... [--saves N] [--updates N] [--clients N]`: watch mode measured through
// the real server (`--watch`, its indexer child) on a corpus of the base inputs (default: corpus/) plus a folder
// of notes in the OS's temporary folder, once the server is ready (warm).
//   1. The watch delay: N saves (default 50), one at a time, each a new note with a word of its own; the time from
//      just before the write to the first search answer that finds it (p50/p95/max).
//   2. Updates under load: the load alone for a few seconds (the baseline), then M updates (default 100: notes rewritten in turn, each waited for until searchable)
//      while C clients (default 4) search without pause; every request counted, any non-200 or error a failure.
// Prints the results, and the memory of the server and of its indexer child at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS } from '../server/node-options.js';
import { findProjectRoot } from '../server/project-root.js';
import { exitWith, freePort, httpGet, procStatusBytes, sleep } from './process.js';
import { percentile } from './stats.js';

const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run bench:watch -- [--base PATH]... [--saves N] [--updates N] [--clients N]';
/** How long one change may take to become searchable before the run gives up on it. */
const GIVE_UP_MS = 120_000;
const POLL_MS = 20;
/** How long the load runs alone before the updates start (its latencies are the baseline). */
const QUIET_LOAD_MS = 5000;

export interface WatchOptions {
  readonly base: readonly string[];
  readonly saves: number;
  readonly updates: number;
  readonly clients: number;
}

function parseOptions(argv: readonly string[]): WatchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string', multiple: true },
      saves: { type: 'string' },
      updates: { type: 'string' },
      clients: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const count = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, not "${text}"`);
    return n;
  };
  return {
    base: (values.base ?? [join(ROOT, 'corpus')]).map((path) => resolve(path)),
    saves: count(values.saves, 50, 'saves'),
    updates: count(values.updates, 100, 'updates'),
    clients: count(values.clients, 4, 'clients'),
  };
}

/** A word no other note has: a run of CJK characters spelling `n` in a base of 20 rare characters. */
function uniqueWord(n: number): string {
  const digits = '鼋鼍蛟螭虬蜃貔貅麒麟鸾凰鹓鶵鸑鷟鹔鹴鸀鸐';
  let word = '';
  for (let rest = n + 20 * 20 * 20; rest > 0; rest = Math.floor(rest / 20)) word = digits[rest % 20]! + word;
  return word;
}

interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
}

async function startWatchingServer(indexDir: string, corpus: readonly string[]): Promise<Served> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [...SERVER_NODE_OPTIONS, join(ROOT, 'dist', 'server', 'main.js'), '--index', indexDir, '--port', String(port), '--host', '127.0.0.1', '--watch'];
  for (const input of corpus) args.push('--corpus', input);
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...SERVER_ENVIRONMENT }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
  for (const started = performance.now(); ; await sleep(50)) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sou: the server exited before it was ready\n${stderr}`);
    if (performance.now() - started > GIVE_UP_MS * 3) throw new Error(`sou: the server was not ready in time\n${stderr}`);
    try {
      // Ready, not only answering: the saves measure updates of a warm server, not its start-up warm-up (seconds
      // of its thread at 100k) running beside them.
      if ((await httpGet(`${url}/readyz`, 2000)).status === 200) break;
    } catch {
      // not listening yet: its first build is running
    }
  }
  return { url, child, stderr: () => stderr };
}

/** Whether a search for the phrase `word` finds it, exactly (not relaxed to some of its characters), in `docId`. */
async function finds(url: string, word: string, docId: string): Promise<boolean> {
  const { status, body } = await httpGet(`${url}/api/search?q=${encodeURIComponent(`"${word}"`)}&limit=1`, 10_000);
  if (status !== 200) throw new Error(`sou: search answered ${status}`);
  const answer = JSON.parse(body) as { relaxed: boolean; hits: { docId: string }[] };
  return !answer.relaxed && answer.hits[0]?.docId === docId;
}

/** Milliseconds from `change()` to the first answer that finds `word` in `docId`. */
async function timeUntilFound(url: string, word: string, docId: string, change: () => void): Promise<number> {
  const started = performance.now();
  change();
  while (!(await finds(url, word, docId))) {
    if (performance.now() - started > GIVE_UP_MS) throw new Error(`sou: "${word}" was not found ${GIVE_UP_MS / 1000} s after its save`);
    await sleep(POLL_MS);
  }
  return performance.now() - started;
}

/** The indexer child of the server: the one child process of `pid` (Linux /proc). */
function childPid(pid: number): number | null {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    return children.length > 0 ? Number(children[0]) : null;
  } catch {
    return null;
  }
}

const mb = (bytes: number | null): string => (bytes === null ? 'n/a' : `${(bytes / 1_048_576).toFixed(0)} MB`);
const ms = (value: number): string => `${value.toFixed(0)} ms`;

/** What `measureWatch` measured (times in milliseconds). */
export interface WatchMeasure {
  readonly documents: number;
  readonly paragraphs: number;
  /** Save → first hit, one save at a time, the server otherwise idle. */
  readonly saves: { readonly n: number; readonly p50: number; readonly p95: number; readonly max: number };
  /** The load alone, before the updates. */
  readonly quiet: { readonly requests: number; readonly p50: number; readonly p99: number; readonly max: number };
  /** Updates under the same load: how long they took, the requests meanwhile and the failed ones. */
  readonly underUpdates: {
    readonly updates: number;
    readonly seconds: number;
    readonly requests: number;
    readonly failed: number;
    readonly firstFailure: string | null;
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly searchableP50: number;
    readonly searchableP95: number;
  };
  readonly serverRssBytes: number | null;
  readonly serverPeakRssBytes: number | null;
  readonly indexerRssBytes: number | null;
  readonly indexerPeakRssBytes: number | null;
}

/** Watch mode through the real server on `options.base` plus a folder of notes (see the top of this file). */
export async function measureWatch(options: WatchOptions): Promise<WatchMeasure> {
  const work = mkdtempSync(join(tmpdir(), 'sou-bench-watch-'));
  const notes = join(work, 'notes');
  let server: Served | undefined;
  try {
    mkdirSync(notes);
    writeFileSync(join(notes, 'first.txt'), '第一条笔记。');
    server = await startWatchingServer(join(work, 'index'), [...options.base, notes]);
    const { url } = server;
    const health = JSON.parse((await httpGet(`${url}/healthz`)).body) as { documents: number; paragraphs: number };

    // 1. The watch delay of single saves, the server otherwise idle.
    const delays: number[] = [];
    for (let i = 0; i < options.saves; i++) {
      const word = uniqueWord(i);
      delays.push(await timeUntilFound(url, word, `save-${i}.txt`, () => writeFileSync(join(notes, `save-${i}.txt`), `第${i}条笔记写着${word}。`)));
      await sleep(200);
    }

    // 2. The same load without updates, then with them.
    let loading = true;
    let latencies: number[] = [];
    const failures: string[] = [];
    const client = async (i: number): Promise<void> => {
      const words = ['笔记', '条', '写着', '"第一条"', uniqueWord(i)];
      for (let n = 0; loading; n++) {
        const started = performance.now();
        try {
          const { status } = await httpGet(`${url}/api/search?q=${encodeURIComponent(words[(i + n) % words.length]!)}&limit=10`, 10_000);
          if (status !== 200) failures.push(`HTTP ${status}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
        latencies.push(performance.now() - started);
      }
    };
    const clients = Array.from({ length: options.clients }, (_, i) => client(i));
    await sleep(QUIET_LOAD_MS);
    const quiet = latencies;
    latencies = [];
    const updateDelays: number[] = [];
    const started = performance.now();
    for (let i = 0; i < options.updates; i++) {
      const word = uniqueWord(options.saves + i);
      // Ten notes rewritten in turn: changes, not only additions.
      updateDelays.push(await timeUntilFound(url, word, `update-${i % 10}.txt`, () => writeFileSync(join(notes, `update-${i % 10}.txt`), `更新${i}写着${word}。`)));
    }
    const seconds = (performance.now() - started) / 1000;
    loading = false;
    await Promise.all(clients);
    const pid = server.child.pid!;
    const indexer = childPid(pid);
    return {
      documents: health.documents,
      paragraphs: health.paragraphs,
      saves: { n: delays.length, p50: percentile(delays, 0.5), p95: percentile(delays, 0.95), max: Math.max(...delays) },
      quiet: { requests: quiet.length, p50: percentile(quiet, 0.5), p99: percentile(quiet, 0.99), max: Math.max(...quiet) },
      underUpdates: {
        updates: options.updates,
        seconds,
        requests: latencies.length,
        failed: failures.length,
        firstFailure: failures[0] ?? null,
        p50: percentile(latencies, 0.5),
        p99: percentile(latencies, 0.99),
        max: Math.max(...latencies),
        searchableP50: percentile(updateDelays, 0.5),
        searchableP95: percentile(updateDelays, 0.95),
      },
      serverRssBytes: procStatusBytes(pid, 'VmRSS'),
      serverPeakRssBytes: procStatusBytes(pid, 'VmHWM'),
      indexerRssBytes: indexer === null ? null : procStatusBytes(indexer, 'VmRSS'),
      indexerPeakRssBytes: indexer === null ? null : procStatusBytes(indexer, 'VmHWM'),
    };
  } finally {
    if (server !== undefined) {
      server.child.kill('SIGTERM');
      await once(server.child, 'exit');
    }
    rmSync(work, { recursive: true, force: true });
  }
}

/** The measure as the command prints it, one line a part. */
export function watchLines(measure: WatchMeasure, options: WatchOptions): string[] {
  const { saves, quiet, underUpdates: u } = measure;
  return [
    `watch bench: ${measure.documents.toLocaleString('en')} documents, ${measure.paragraphs.toLocaleString('en')} paragraphs (base: ${options.base.join(', ')})`,
    `save → first hit over ${saves.n} saves: p50 ${ms(saves.p50)}, p95 ${ms(saves.p95)}, max ${ms(saves.max)}`,
    `load alone (${options.clients} clients, ${QUIET_LOAD_MS / 1000} s): ${quiet.requests.toLocaleString('en')} requests; request p50 ${ms(quiet.p50)}, p99 ${ms(quiet.p99)}, max ${ms(quiet.max)}`,
    `${u.updates} updates under load (${options.clients} clients) in ${u.seconds.toFixed(1)} s: ${u.requests.toLocaleString('en')} requests, ` +
      `${u.failed} failed${u.firstFailure === null ? '' : ` (first: ${u.firstFailure})`}; request p50 ${ms(u.p50)}, p99 ${ms(u.p99)}, max ${ms(u.max)}; ` +
      `update → searchable p50 ${ms(u.searchableP50)}, p95 ${ms(u.searchableP95)}`,
    `memory at the end: server RSS ${mb(measure.serverRssBytes)} (peak ${mb(measure.serverPeakRssBytes)}), indexer child RSS ${mb(measure.indexerRssBytes)} (peak ${mb(measure.indexerPeakRssBytes)})`,
  ];
}

/** The options `npm run bench` measures a size's corpus with. */
export const watchOptionsFor = (corpus: string): WatchOptions => ({ base: [resolve(corpus)], saves: 50, updates: 100, clients: 4 });

async function main(): Promise<number> {
  let options: WatchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const measure = await measureWatch(options);
  process.stdout.write(`${watchLines(measure, options).join('\n')}\n`);
  return measure.underUpdates.failed === 0 ? 0 : 1;
}

// Run as a command, not when `npm run bench` imports measureWatch.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) exitWith(main());
