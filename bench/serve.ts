// Serving measurement of `npm run bench`: `node dist/server/main.js --index DIR --port P` as a child process, the
// time from spawn to the first 200 from /healthz (ready) and from /readyz (warm), and its memory from
// /proc/<pid>/status. It is handed over warm: the load measures serving, not the warm-up running beside it.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, httpGet, procStatusBytes, sleep } from './process.js';

export interface RunningServer {
  readonly url: string;
  readonly pid: number;
  /** Seconds from spawn to the first 200 from /healthz. */
  readonly readySeconds: number;
  /** Seconds from spawn to the first 200 from /readyz (loaded and warm); a server without /readyz: readySeconds. */
  readonly warmSeconds: number;
  /** Resident set size now (VmRSS), in bytes. */
  rss(): number;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const READY_TIMEOUT_MS = 180_000;
const POLL_MS = 5;
const WARM_POLL_MS = 100;

async function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit')) as [number | null];
  return code;
}

export interface ServerLaunch {
  readonly nodeOptions: readonly string[];
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * The Node options and environment `root`'s own code starts its server with (node-options.ts; a commit from
 * before it, or from before SERVER_ENVIRONMENT, gets none of them): each side of a comparison runs as its own
 * `npm start` runs it.
 */
export async function serverLaunchOf(root: string): Promise<ServerLaunch> {
  const module = join(root, 'dist', 'server', 'node-options.js');
  if (!existsSync(module)) return { nodeOptions: [], environment: {} };
  const own = (await import(pathToFileURL(module).href)) as { SERVER_NODE_OPTIONS?: readonly string[]; SERVER_ENVIRONMENT?: Readonly<Record<string, string>> };
  return { nodeOptions: own.SERVER_NODE_OPTIONS ?? [], environment: own.SERVER_ENVIRONMENT ?? {} };
}

/** Starts `npm start`'s server (its Node options and environment too) on the index; `env` adds to the environment (SOU_RESULT_CACHE=0 for an uncached run). */
export async function startServer(root: string, indexDir: string, env: Readonly<Record<string, string>> = {}): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // Request logs (pino, one JSON line per request) go to /dev/null: written, as in production, but not kept.
  const launch = await serverLaunchOf(root);
  const child = spawn(process.execPath, [...launch.nodeOptions, join(root, 'dist', 'server', 'main.js'), '--index', indexDir, '--port', String(port), '--host', '127.0.0.1'], {
    cwd: root,
    env: { ...process.env, ...launch.environment, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
  let readySeconds: number | undefined;
  while (readySeconds === undefined) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sou: the server exited before it was ready (${child.exitCode ?? child.signalCode})\n${stderr.trim()}`);
    if (performance.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`sou: the server was not ready after ${READY_TIMEOUT_MS / 1000} s\n${stderr.trim()}`);
    }
    try {
      const { status } = await httpGet(`${url}/healthz`, 2_000);
      if (status === 200) readySeconds = (performance.now() - started) / 1000;
    } catch {
      await sleep(POLL_MS); // not listening yet
    }
  }
  let warmSeconds: number | undefined;
  while (warmSeconds === undefined) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sou: the server exited while warming up (${child.exitCode ?? child.signalCode})\n${stderr.trim()}`);
    if (performance.now() - started > READY_TIMEOUT_MS) {
      child.kill('SIGKILL');
      throw new Error(`sou: the server was not warm after ${READY_TIMEOUT_MS / 1000} s\n${stderr.trim()}`);
    }
    const { status } = await httpGet(`${url}/readyz`, 2_000);
    // 404: a commit from before readiness answers (a --baseline side), warm when it answers.
    if (status === 200 || status === 404) warmSeconds = status === 404 ? readySeconds : (performance.now() - started) / 1000;
    else await sleep(WARM_POLL_MS);
  }
  const pid = child.pid!;
  return {
    url,
    pid,
    readySeconds,
    warmSeconds,
    rss: () => procStatusBytes(pid, 'VmRSS') ?? 0,
    peakRss: () => procStatusBytes(pid, 'VmHWM') ?? 0,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited(child);
      clearTimeout(timer);
      return code;
    },
  };
}

export const searchPath = (query: string): string => `/api/search?q=${encodeURIComponent(query)}&limit=10`;

/**
 * Sends `queries` one after the other, then waits `settleMs`, so that the load meets a server that has finished
 * its warm-up (folding the paragraphs, the champion lists, the warm-up queries) before it is measured; returns
 * the number of answers that were not 200.
 */
export async function warmUp(server: RunningServer, queries: readonly string[], settleMs = 5_000): Promise<number> {
  let failures = 0;
  for (const query of queries) {
    const { status } = await httpGet(server.url + searchPath(query));
    if (status !== 200) failures++;
  }
  await sleep(settleMs);
  return failures;
}
