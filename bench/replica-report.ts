// The pure parts of `npm run replicas` (bench/replicas.ts): HAProxy's stats CSV read into counters and server
// states, the processes whose parent is a given one (from /proc's stat lines), and the report as Markdown.
import type { HttpResult } from './http.js';

/** One server or the backend's total line of HAProxy's stats CSV (`GET /;csv`). */
export interface HaproxyRow {
  readonly proxy: string;
  /** A server's name, or BACKEND / FRONTEND. */
  readonly name: string;
  /** UP, DOWN, MAINT, NOLB, "UP 1/2" (going down) … */
  readonly status: string;
  /** Requests sent again to a server (wretr) and to another server (wredis). */
  readonly retries: number;
  readonly redispatches: number;
  /** Answers with status 5xx given by this server or by HAProxy for it. */
  readonly responses5xx: number;
}

/** Parses the CSV that HAProxy's stats page gives for `;csv`: a `# pxname,svname,…` header, then a line a row. */
export function parseHaproxyCsv(text: string): HaproxyRow[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined || !header.startsWith('# ')) throw new Error('sou: HAProxy stats CSV without its "# pxname,…" header');
  const fields = header.slice(2).split(',');
  const column = (name: string): number => {
    const at = fields.indexOf(name);
    if (at === -1) throw new Error(`sou: HAProxy stats CSV without a ${name} column`);
    return at;
  };
  const [proxy, name, status, retries, redispatches, responses5xx] = ['pxname', 'svname', 'status', 'wretr', 'wredis', 'hrsp_5xx'].map(column) as [number, number, number, number, number, number];
  const count = (value: string | undefined): number => (value === undefined || value === '' ? 0 : Number(value));
  return lines.slice(1).map((line) => {
    const values = line.split(',');
    return {
      proxy: values[proxy] ?? '',
      name: values[name] ?? '',
      status: values[status] ?? '',
      retries: count(values[retries]),
      redispatches: count(values[redispatches]),
      responses5xx: count(values[responses5xx]),
    };
  });
}

/**
 * Pids of the processes whose parent is `parent`, from `/proc/<pid>/stat` lines (`pid (comm) state ppid …`; the
 * command name may hold spaces and parentheses, so the fields are read after its last `)`).
 */
export function childrenOf(parent: number, statLines: readonly string[]): number[] {
  const pids: number[] = [];
  for (const line of statLines) {
    const close = line.lastIndexOf(')');
    if (close === -1) continue;
    const [, ppid] = line.slice(close + 2).split(' ');
    if (Number(ppid) === parent) pids.push(Number.parseInt(line, 10));
  }
  return pids;
}

export interface PhaseResult {
  readonly name: string;
  /** What was done to the replicas during the load. */
  readonly action: string;
  readonly http: HttpResult;
  /** HAProxy's retries and redispatches during the phase (backend totals). */
  readonly retries: number;
  readonly redispatches: number;
  /** Seconds from the start of the load to the end of the action, or null for none. */
  readonly actionSeconds: number | null;
  /** Why the action failed, or null. */
  readonly actionError: string | null;
  /** The load was still running when the action was done (it ran under load from start to end). */
  readonly actionUnderLoad: boolean;
  /** HAProxy's log lines of the phase (servers going down and up), each with its time into the phase. */
  readonly events: readonly string[];
}

export interface ReplicaReport {
  readonly date: string;
  readonly machine: string;
  readonly haproxy: string;
  readonly corpus: string;
  readonly paragraphs: readonly [number, number];
  readonly connections: number;
  readonly distinctQueries: number;
  readonly buildSeconds: readonly [number, number];
  /** Seconds from a replica's spawn to its first 200 from /readyz, for each first start. */
  readonly readySeconds: readonly number[];
  /** How long a phase's load goes on after its action is done. */
  readonly tailSeconds: number;
  readonly phases: readonly PhaseResult[];
}

export const failedRequests = (http: HttpResult): number => http.errors + http.timeouts + http.non2xx;

/** The action failed, or ended after the load did (then it was not done under load). */
export const actionMissed = (phase: PhaseResult): boolean => phase.actionError !== null || !phase.actionUnderLoad;

export const replicaRunPassed = (report: ReplicaReport): boolean => report.phases.every((phase) => failedRequests(phase.http) === 0 && !actionMissed(phase));

export function renderReplicaReport(report: ReplicaReport): string {
  const rows = report.phases.map((p) => {
    const action = p.actionError !== null ? `${p.action} — FAILED: ${p.actionError}` : p.actionSeconds === null ? p.action : `${p.action} (done after ${p.actionSeconds.toFixed(1)} s)`;
    const cells = [
      p.name,
      action,
      p.http.seconds.toFixed(1),
      p.http.requests.toLocaleString('en'),
      p.http.requestsPerSecond.toFixed(0),
      String(failedRequests(p.http)),
      `${p.http.p50Ms} / ${p.http.p99Ms} / ${p.http.maxMs}`,
      `${p.retries} / ${p.redispatches}`,
    ];
    return `| ${cells.join(' | ')} |`;
  });
  const events = report.phases.flatMap((p) => p.events.map((line) => `- ${p.name}: ${line}`));
  const missed = report.phases.filter(actionMissed).map((p) => p.name);
  return [
    `### Replicas behind HAProxy (${report.date})`,
    '',
    `${report.machine}; ${report.haproxy}. Three Sou servers (\`npm run serve\`'s server, result cache off) on one index of ` +
      `${report.corpus}, HAProxy in front with deploy/haproxy.cfg; wrk sends ${report.connections} keep-alive connections ` +
      `of ${report.distinctQueries} distinct JSON searches to HAProxy. Index builds: ${report.buildSeconds.map((s) => `${s.toFixed(1)} s`).join(' and ')} ` +
      `(${report.paragraphs.map((n) => n.toLocaleString('en')).join(' then ')} paragraphs); a replica is ready (first 200 from /readyz) ` +
      `${report.readySeconds.map((s) => `${s.toFixed(1)}`).join(', ')} s after it is spawned. A phase's load goes on ${report.tailSeconds} s after its action is ` +
      'done; the times of actions and of what HAProxy saw count from the start of the phase, a little before the load\'s own clock starts.',
    '',
    '| phase | what happens under load | s | requests | req/s | failed | latency p50 / p99 / max ms | HAProxy retries / redispatches |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    ...(events.length > 0 ? ['HAProxy saw:', '', ...events, ''] : []),
    replicaRunPassed(report)
      ? 'Every phase: 0 failed requests, every action done under load.'
      : `Target missed: ${report.phases.filter((p) => failedRequests(p.http) > 0).map((p) => `${p.name} (${failedRequests(p.http)} failed)`).concat(missed.map((name) => `${name} (action)`)).join(', ')}.`,
    '',
  ].join('\n');
}
