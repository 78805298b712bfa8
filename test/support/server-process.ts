// The real server (`dist/server/main.js`) as a child process, with its stdout read line by line.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = path.join('dist', 'server', 'main.js');
export const SERVER = path.join(ROOT, MAIN);

export interface ServerProcess {
  readonly child: ChildProcess;
  /** Every stdout line so far. */
  readonly lines: string[];
  /** All stderr so far (a healthy server writes none). */
  stderr(): string;
  /**
   * The first line (already seen or still to come) that passes `test`; fails with the output when the server exits
   * without it, or after 30 s.
   */
  waitFor(test: RegExp | ((line: string) => boolean)): Promise<string>;
  /** The server's base URL, from its "Sou is serving … at http://…" line. */
  baseUrl(): Promise<string>;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
}

export interface StartOptions {
  /** The project to run the server of (its dist/server/main.js, run from that folder): this one by default. */
  readonly projectDir?: string;
  /** Added to the server's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** More arguments for the server (e.g. --watch --corpus DIR). */
  readonly args?: readonly string[];
}

export function startServer(indexDir: string, { projectDir = ROOT, env = {}, args = [] }: StartOptions = {}): ServerProcess {
  const child = spawn(process.execPath, [path.join(projectDir, MAIN), '--index', indexDir, '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd: projectDir,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const lines: string[] = [];
  const waiters: { test: (line: string) => boolean; resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let stdoutEnded = false;
  const ended = (): Error => new Error(`the server's output ended (exit ${child.exitCode ?? child.signalCode}) without such a line:\n${lines.slice(-20).join('\n')}\n${stderr}`);
  createInterface({ input: child.stdout! })
    .on('line', (line) => {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.test(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    })
    // Every line has been seen: a line still awaited will never come (the server exited), so fail now.
    .on('close', () => {
      stdoutEnded = true;
      for (const waiter of waiters.splice(0)) waiter.reject(ended());
    });
  const waitFor = (pattern: RegExp | ((line: string) => boolean)): Promise<string> => {
    const test = pattern instanceof RegExp ? (line: string) => pattern.test(line) : pattern;
    const seen = lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    if (stdoutEnded) return Promise.reject(ended());
    // A guard so that a line a running server never writes fails with its output rather than the test's timeout.
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no such line from the server within 30 s:\n${lines.slice(-20).join('\n')}`)), 30_000);
      waiters.push({ test, resolve: (line) => (clearTimeout(timer), resolve(line)), reject: (error) => (clearTimeout(timer), reject(error)) });
    });
  };
  return {
    child,
    lines,
    stderr: () => stderr,
    waitFor,
    baseUrl: async () => /at (http:\/\/\S+)/.exec(await waitFor(/^Sou is serving .* at http:/))![1]!,
    exited,
  };
}

/**
 * GET `url` on a connection of its own, closed after the answer. A test under load that reuses a keep-alive
 * connection can send on it just as the server's idle timeout closes it ("other side closed"): a race of the
 * transport, not a failure of the server, which the suites that count failed requests must not count.
 */
export function getOnNewConnection(url: string): Promise<{ readonly status: number; readonly text: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
