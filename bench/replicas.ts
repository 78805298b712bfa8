// `npm run replicas -- [--size 20k] [--seconds S] [--connections N] [--poetry PATH]`: three Sou servers on one index
// behind HAProxy (Debian's haproxy, running deploy/haproxy.cfg itself with loopback ports), under HTTP load
// (bench/http.ts) through phases: steady; one replica killed (SIGKILL); restarted; a new index generation rolled
// out by SIGHUP one replica at a time; one replica stopped with a drain (SIGTERM) and started again. Reports
// requests/s, failed requests and HAProxy's retries per phase (bench/replica-report.ts), writes the report to
// data/replicas-report-<time>.md, and exits 1 when a request failed or an action did not finish under load.
// Every process it starts is killed on any exit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { MANIFEST_FILE, type Manifest } from '../indexer/index/format.js';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS } from '../server/node-options.js';
import { findProjectRoot } from '../server/project-root.js';
import { parseSizes, prepareCorpus, readCorpus } from './corpus.js';
import { seededRandom } from './fuzz-cases.js';
import { runHttpLoad } from './http.js';
import { exitWith, freePort, httpGet, sleep } from './process.js';
import { sampleAndQueries, sampleCharacters, sampleSubstrings } from './queries.js';
import { childrenOf, parseHaproxyCsv, renderReplicaReport, replicaRunPassed, type HaproxyRow, type PhaseResult } from './replica-report.js';

const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run replicas -- [--size 20k] [--seconds S] [--connections N] [--poetry PATH]';
const HAPROXY_CONFIG = join(ROOT, 'deploy', 'haproxy.cfg');
const BACKEND = 'sou_replicas';
const INDEX_DIR = 'data/replicas-index';
const SEED = 1;
/** As deploy/sou@.service: HAProxy's checks take a leaving replica out within it. */
const DRAIN_MS = 3_000;
const READY_TIMEOUT_MS = 180_000;
const QUERIES_PER_CLASS = 50;
/** A phase's load goes on this long after its action is done, and stops after MAX_PHASE_SECONDS in any case. */
const TAIL_MS = 2_000;
const MAX_PHASE_SECONDS = 300;
const WARM_UP_SECONDS = 3;

const log = (line: string): void => void process.stderr.write(`replicas: ${line}\n`);

// Every process started here, and (on exit) every child of this process, forked helpers included.
const started = new Set<ChildProcess>();
let scratch: string | null = null;

function killEverything(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  let stats: string[] = [];
  try {
    stats = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8');
        } catch {
          return ''; // gone meanwhile
        }
      });
  } catch {
    // no /proc: the tracked processes above are all there is
  }
  for (const pid of childrenOf(process.pid, stats)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (scratch !== null) rmSync(scratch, { recursive: true, force: true });
}
process.on('exit', killEverything);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) process.on(signal, () => process.exit(code));

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

const isRunning = (child: ChildProcess | null): boolean => child !== null && child.exitCode === null && child.signalCode === null;

async function exitOf(child: ChildProcess): Promise<number | null> {
  if (!isRunning(child)) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

/** The index CLI as a child process (not blocking this one); resolves with its seconds. */
async function build(corpus: string): Promise<number> {
  const startedAt = performance.now();
  const child = track(spawn(process.execPath, [join(ROOT, 'dist', 'indexer', 'cli.js'), '--corpus', corpus, '--out', INDEX_DIR, '--force'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }));
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-10_000)));
  const code = await exitOf(child);
  if (code !== 0 && code !== 3) throw new Error(`sou: building ${INDEX_DIR} from ${corpus} failed (exit ${code})\n${stderr.trim()}`);
  return (performance.now() - startedAt) / 1000;
}

const currentManifest = (): Manifest => JSON.parse(readFileSync(join(ROOT, INDEX_DIR, MANIFEST_FILE), 'utf8')) as Manifest;

interface Replica {
  readonly name: string;
  readonly port: number;
  child: ChildProcess | null;
  stderr: string;
}

function spawnReplica(replica: Replica): void {
  const child = track(
    spawn(process.execPath, [...SERVER_NODE_OPTIONS, join(ROOT, 'dist', 'server', 'main.js'), '--index', INDEX_DIR, '--port', String(replica.port), '--host', '127.0.0.1'], {
      cwd: ROOT,
      // As deploy/sou@.service, with the result cache off so that every request searches. Request logs are
      // written, as in production, to stdout, which nobody reads here.
      env: { ...process.env, ...SERVER_ENVIRONMENT, SOU_RESULT_CACHE: '0', SOU_MANIFEST_POLL_MS: '0', SOU_DRAIN_MS: String(DRAIN_MS) },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
  );
  replica.stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (replica.stderr = (replica.stderr + chunk).slice(-10_000)));
  replica.child = child;
}

/** Polls the replica's own /readyz until it answers 200 for `generation`; resolves with the seconds waited. */
async function readyOn(replica: Replica, generation: string): Promise<number> {
  const startedAt = performance.now();
  for (;;) {
    if (!isRunning(replica.child)) throw new Error(`sou: ${replica.name} exited (${replica.child?.exitCode ?? replica.child?.signalCode})\n${replica.stderr.trim()}`);
    if (performance.now() - startedAt > READY_TIMEOUT_MS) throw new Error(`sou: ${replica.name} not ready on ${generation} after ${READY_TIMEOUT_MS / 1000} s`);
    try {
      const { status, body } = await httpGet(`http://127.0.0.1:${replica.port}/readyz`, 2_000);
      if (status === 200 && (JSON.parse(body) as { generation?: string }).generation === generation) return (performance.now() - startedAt) / 1000;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
}

interface Haproxy {
  readonly url: string;
  readonly version: string;
  rows(): Promise<HaproxyRow[]>;
  /** Resolves once `server`'s status is `status` (UP, DOWN; not "UP 1/2", a server failing its checks). */
  waitFor(server: string, status: string): Promise<void>;
  /** Log lines since `from` (performance.now()), each with its time since then. */
  eventsSince(from: number): string[];
  stop(): Promise<void>;
}

async function startHaproxy(replicas: readonly Replica[]): Promise<Haproxy> {
  const version = spawnSync('haproxy', ['-v'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) throw new Error('sou: haproxy is not installed (Debian: apt-get install -y haproxy)');
  const [front, stats] = [await freePort(), await freePort()];
  scratch = mkdtempSync(join(tmpdir(), 'sou-replicas-'));
  // deploy/haproxy.cfg has no global section (the distribution's gives it): this one runs one thread, leaving the
  // cores to Sou. In the foreground (-db) HAProxy writes servers going down and up to stderr as warnings.
  const globalConfig = join(scratch, 'global.cfg');
  writeFileSync(globalConfig, 'global\n    nbthread 1\n');
  const env: Record<string, string> = { ...process.env, SOU_FRONTEND: `127.0.0.1:${front}`, SOU_HAPROXY_STATS: `127.0.0.1:${stats}` } as Record<string, string>;
  replicas.forEach((replica, i) => (env[`SOU_REPLICA_${i + 1}`] = `127.0.0.1:${replica.port}`));
  const args = ['-f', globalConfig, '-f', HAPROXY_CONFIG];
  const check = spawnSync('haproxy', ['-c', ...args], { env, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sou: haproxy refuses ${relative(ROOT, HAPROXY_CONFIG)}:\n${check.stdout}${check.stderr}`);
  const child = track(spawn('haproxy', ['-db', ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
  const events: { at: number; line: string }[] = [];
  let partial = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      // `[WARNING]  (pid) : Server sou_replicas/sou2 is DOWN, reason: …, check duration: 0ms. 2 active and …`
      const state = /Server (\S+ is (?:UP|DOWN)(?:, reason: [^,]*)?)/.exec(line);
      if (state !== null) events.push({ at: performance.now(), line: state[1]! });
      else if (/\[(ALERT|WARNING)\]/.test(line)) events.push({ at: performance.now(), line: line.trim() });
    }
  });
  const statsUrl = `http://127.0.0.1:${stats}/;csv`;
  const rows = async (): Promise<HaproxyRow[]> => {
    if (!isRunning(child)) throw new Error(`sou: haproxy exited (${child.exitCode ?? child.signalCode})\n${events.map((e) => e.line).join('\n')}`);
    return parseHaproxyCsv((await httpGet(statsUrl, 2_000)).body);
  };
  const waitFor = async (server: string, status: string): Promise<void> => {
    const startedAt = performance.now();
    for (;;) {
      try {
        const row = (await rows()).find((r) => r.proxy === BACKEND && r.name === server);
        if (row?.status === status) return;
      } catch (error) {
        if (!isRunning(child)) throw error;
      }
      if (performance.now() - startedAt > READY_TIMEOUT_MS) throw new Error(`sou: HAProxy did not see ${server} ${status} within ${READY_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
  };
  return {
    url: `http://127.0.0.1:${front}`,
    version: version.stdout.split('\n')[0]!.replace(/ - https?:\S+/, '').trim(),
    rows,
    waitFor,
    async stop() {
      child.kill('SIGTERM');
      await exitOf(child);
    },
    eventsSince: (from) => events.filter((e) => e.at >= from).map((e) => `${((e.at - from) / 1000).toFixed(1)} s: ${e.line}`),
  };
}

interface Options {
  readonly size: string;
  readonly lines: number;
  readonly seconds: number;
  readonly connections: number;
  readonly poetry: string;
}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: { size: { type: 'string' }, seconds: { type: 'string' }, connections: { type: 'string' }, poetry: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const sizes = parseSizes(values.size ?? '20k');
  const size = sizes[0]!;
  if (sizes.length !== 1 || size.lines === null) throw new Error('sou: --size takes one number of poems, such as 20k');
  const positive = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    if (!/^[1-9]\d*$/.test(text)) throw new Error(`sou: --${name} must be a positive whole number, not "${text}"`);
    return Number(text);
  };
  return {
    size: size.label,
    lines: size.lines,
    seconds: positive(values.seconds, 8, 'seconds'),
    connections: positive(values.connections, 50, 'connections'),
    poetry: values.poetry ?? join(ROOT, '..', 'shared', 'bench', 'poetry.jsonl.gz'),
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message.startsWith('sou:') ? '' : 'sou: '}${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const machine = machineLine();
  // Two corpora: the first N poems, and 10% more for the second generation (the rollout shows in the counts).
  const nextLines = options.lines + Math.max(1, Math.round(options.lines / 10));
  const corpora = [`data/bench-${options.size}.jsonl`, `data/bench-${nextLines}.jsonl`];
  await prepareCorpus(options.poetry, { label: options.size, lines: options.lines }, join(ROOT, corpora[0]!));
  await prepareCorpus(options.poetry, { label: String(nextLines), lines: nextLines }, join(ROOT, corpora[1]!));
  const texts = (await readCorpus(join(ROOT, corpora[0]!))).map((d) => d.text);
  const random = seededRandom(SEED);
  const queries = [...sampleCharacters(texts, QUERIES_PER_CLASS, random), ...sampleSubstrings(texts, QUERIES_PER_CLASS, random), ...sampleAndQueries(texts, QUERIES_PER_CLASS, random)];

  log(`building ${INDEX_DIR} from ${corpora[0]}`);
  const firstBuild = await build(corpora[0]!);
  const { generation: firstGeneration, counts: { paragraphs: firstParagraphs } } = currentManifest();
  const replicas: Replica[] = [];
  for (let i = 1; i <= 3; i++) replicas.push({ name: `sou${i}`, port: await freePort(), child: null, stderr: '' });
  log(`starting ${replicas.map((r) => `${r.name} on ${r.port}`).join(', ')}`);
  const readySeconds: number[] = [];
  for (const replica of replicas) {
    spawnReplica(replica);
    readySeconds.push(await readyOn(replica, firstGeneration));
  }
  const haproxy = await startHaproxy(replicas);
  for (const replica of replicas) await haproxy.waitFor(replica.name, 'UP');
  log(`${haproxy.version} in front on ${haproxy.url}; every replica UP`);
  const [, sou2, sou3] = replicas as [Replica, Replica, Replica];

  const backendCounters = async (): Promise<{ retries: number; redispatches: number }> => {
    const total = (await haproxy.rows()).find((r) => r.proxy === BACKEND && r.name === 'BACKEND');
    return { retries: total?.retries ?? 0, redispatches: total?.redispatches ?? 0 };
  };
  const phases: PhaseResult[] = [];
  /**
   * Load through HAProxy with `act` started at the same time; the load lasts about --seconds at least, and goes
   * on TAIL_MS after the action is done (so what follows it is measured too).
   */
  const phase = async (name: string, action: string, act: (() => Promise<void>) | null): Promise<void> => {
    log(`${name}: ${action}`);
    const before = await backendCounters();
    const from = performance.now();
    const stop = new AbortController();
    // Without an action the load runs --seconds by its own clock; with one, until TAIL_MS after the action.
    const seconds = act === null ? options.seconds : MAX_PHASE_SECONDS;
    const load = runHttpLoad({ url: haproxy.url, queries, connections: options.connections, seconds, seed: SEED }, stop.signal);
    let loadEnded = false;
    void load.finally(() => (loadEnded = true)).catch(() => {});
    let actionSeconds: number | null = null;
    let actionError: string | null = null;
    let actionUnderLoad = true;
    if (act !== null) {
      await act().then(
        () => void (actionSeconds = (performance.now() - from) / 1000),
        (error: unknown) => void (actionError = (error as Error).message),
      );
      actionUnderLoad = !loadEnded;
    }
    if (act !== null) {
      await sleep(Math.max(options.seconds * 1000 - (performance.now() - from), TAIL_MS));
      stop.abort();
    }
    const http = await load;
    const after = await backendCounters();
    const retries = after.retries - before.retries;
    const redispatches = after.redispatches - before.redispatches;
    phases.push({ name, action, http, retries, redispatches, actionSeconds, actionError, actionUnderLoad, events: haproxy.eventsSince(from) });
    const failed = http.errors + http.timeouts + http.non2xx;
    log(`${name}: ${http.requestsPerSecond.toFixed(0)} req/s for ${http.seconds.toFixed(1)} s, ${failed} failed, ${redispatches} redispatched${actionError === null ? '' : `; action failed: ${actionError}`}`);
  };

  // Not reported: the replicas' code meets the real queries first here (as bench/serve.ts's warmUp).
  log(`warm-up: ${WARM_UP_SECONDS} s of load, not counted`);
  await runHttpLoad({ url: haproxy.url, queries, connections: options.connections, seconds: WARM_UP_SECONDS, seed: SEED + 1 });

  await phase('steady', 'three replicas', null);
  await phase('kill', `${sou2.name} killed (SIGKILL) after ${(options.seconds / 4).toFixed(0)} s`, async () => {
    await sleep((options.seconds * 1000) / 4);
    sou2.child!.kill('SIGKILL');
    await exitOf(sou2.child!);
    await haproxy.waitFor(sou2.name, 'DOWN');
  });
  await phase('restart', `${sou2.name} started again`, async () => {
    spawnReplica(sou2);
    await readyOn(sou2, firstGeneration);
    await haproxy.waitFor(sou2.name, 'UP');
  });

  // The replicas ignore a new build until told (SOU_MANIFEST_POLL_MS=0), so it is built beside them, then rolled out.
  log(`building the second generation from ${corpora[1]} (the replicas go on serving the first)`);
  const secondBuild = await build(corpora[1]!);
  const { generation: secondGeneration, counts: { paragraphs: secondParagraphs } } = currentManifest();
  await phase('rollout', 'new index: SIGHUP to each replica in turn, the next once the last answers /readyz on it', async () => {
    for (const replica of replicas) {
      replica.child!.kill('SIGHUP');
      await readyOn(replica, secondGeneration);
    }
  });
  await phase('drain', `${sou3.name} stopped (SIGTERM, ${DRAIN_MS / 1000} s drain) and started again`, async () => {
    sou3.child!.kill('SIGTERM');
    await haproxy.waitFor(sou3.name, 'DOWN');
    const code = await exitOf(sou3.child!);
    if (code !== 0) throw new Error(`${sou3.name} exited ${code} after SIGTERM\n${sou3.stderr.trim()}`);
    spawnReplica(sou3);
    await readyOn(sou3, secondGeneration);
    await haproxy.waitFor(sou3.name, 'UP');
  });

  const report = {
    date: new Date().toISOString().slice(0, 10),
    machine,
    haproxy: haproxy.version,
    corpus: `the first ${options.lines.toLocaleString('en')} bench poems`,
    paragraphs: [firstParagraphs, secondParagraphs] as const,
    connections: options.connections,
    distinctQueries: new Set(queries).size,
    buildSeconds: [firstBuild, secondBuild] as const,
    readySeconds,
    tailSeconds: TAIL_MS / 1000,
    phases,
  };
  const section = renderReplicaReport(report);
  process.stdout.write(`\n${section}`);
  const reportPath = join(ROOT, 'data', `replicas-report-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(reportPath, section);
  log(`wrote the report to ${relative(process.cwd(), reportPath) || reportPath}`);
  // Stopped in order (the exit handler would kill whatever is left).
  for (const replica of replicas) if (isRunning(replica.child)) replica.child!.kill('SIGTERM');
  await Promise.all(replicas.map((replica) => exitOf(replica.child!)));
  await haproxy.stop();
  return replicaRunPassed(report) ? 0 : 1;
}

function machineLine(): string {
  const cores = cpus();
  return `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, Node ${process.version}, load average ${loadavg().map((n) => n.toFixed(2)).join(' / ')} when the run started`;
}

exitWith(main());
