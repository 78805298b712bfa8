// Sends generated hostile requests (bench/fuzz-cases.ts) to a running server over real HTTP and checks every
// answer. Used by `npm run fuzz` and test/fuzz.test.ts.
import http from 'node:http';
import net from 'node:net';
import type { LoadedIndex } from '../indexer/index/load.js';
import type { Logger } from '../server/logger.js';
import { checkOutcome, createCaseGenerator, describeCase, seededRandom, type FuzzCase, type FuzzOutcome, type GeneratorSource } from './fuzz-cases.js';

export interface FuzzOptions extends GeneratorSource {
  readonly host: string;
  readonly port: number;
  readonly requests: number;
  /** Requests in flight at once. */
  readonly concurrency?: number;
  /** Called after each answer. */
  readonly onProgress?: (done: number) => void;
}

export interface FuzzFailure {
  readonly description: string;
  readonly status: number | null;
  readonly problems: readonly string[];
}

export interface FuzzReport {
  readonly requests: number;
  /** Answers by status ('none': no answer). */
  readonly byStatus: ReadonlyMap<string, number>;
  readonly byTarget: ReadonlyMap<string, number>;
  /** JSON hits whose highlights were checked, HTML answers scanned for markers. */
  readonly hitsChecked: number;
  readonly htmlChecked: number;
  readonly failures: readonly FuzzFailure[];
  readonly slowest: { readonly description: string; readonly ms: number; readonly status: number | null } | null;
  readonly seconds: number;
}

/** One case through node's HTTP client: the target goes on the wire as given (latin1 = raw bytes). */
function sendHttp(agent: http.Agent, host: string, port: number, c: FuzzCase): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    let request: http.ClientRequest;
    try {
      request = http.request({ host, port, path: c.path, method: 'GET', headers: c.headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? null, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', (error) => resolve({ status: null, headers: {}, body: '', error: error.message }));
      });
    } catch (error) {
      // The client refuses the target (a character it will not put on the wire): a bug in the generator.
      resolve({ status: null, headers: {}, body: '', error: `client refused the request: ${(error as Error).message}` });
      return;
    }
    request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
    request.on('error', (error) => resolve({ status: null, headers: {}, body: '', error: error.message }));
    request.end();
  });
}

/** A 'raw' case: the bytes on a fresh socket, the answer read until the server closes the connection. */
function sendRaw(host: string, port: number, c: FuzzCase): Promise<FuzzOutcome> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (error?: string): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const split = text.indexOf('\r\n\r\n');
      const head = split === -1 ? text : text.slice(0, split);
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = split === -1 ? '' : Buffer.from(text.slice(split + 4), 'latin1').toString('utf8');
      resolve(status ? { status: Number(status[1]), headers, body } : { status: null, headers, body, error: error ?? 'closed without a status line' });
    };
    socket.setTimeout(30_000, () => finish('no answer within 30 s'));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    // A reset after the answer was read (the parser closes on a bad request) still leaves the answer.
    socket.on('error', (error) => finish(error.message));
    socket.write(Buffer.from(c.raw ?? '', 'latin1'));
  });
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const generator = createCaseGenerator(options);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16 });
  const byStatus = new Map<string, number>();
  const byTarget = new Map<string, number>();
  const failures: FuzzFailure[] = [];
  let slowest: FuzzReport['slowest'] = null;
  let hitsChecked = 0;
  let htmlChecked = 0;
  let issued = 0;
  let done = 0;
  const started = performance.now();

  async function worker(): Promise<void> {
    while (issued < options.requests) {
      issued++;
      const c = generator.next();
      const t0 = performance.now();
      const outcome = c.target === 'raw' ? await sendRaw(options.host, options.port, c) : await sendHttp(agent, options.host, options.port, c);
      const ms = performance.now() - t0;
      const key = outcome.status === null ? 'none' : String(outcome.status);
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      byTarget.set(c.target, (byTarget.get(c.target) ?? 0) + 1);
      const contentType = String(outcome.headers['content-type'] ?? '');
      if (/text\/html/.test(contentType)) htmlChecked++;
      if (/application\/json/.test(contentType) && outcome.status === 200) {
        try {
          const hits = (JSON.parse(outcome.body) as { hits?: unknown[] }).hits;
          hitsChecked += Array.isArray(hits) ? hits.length : 0;
        } catch {
          // checkOutcome reports it
        }
      }
      const problems = checkOutcome(c, outcome);
      if (problems.length > 0) failures.push({ description: describeCase(c), status: outcome.status, problems });
      if (slowest === null || ms > slowest.ms) slowest = { description: describeCase(c, 160), ms, status: outcome.status };
      done++;
      options.onProgress?.(done);
    }
  }

  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  } finally {
    agent.destroy();
  }
  return { requests: done, byStatus, byTarget, hitsChecked, htmlChecked, failures, slowest, seconds: (performance.now() - started) / 1000 };
}

/** The report as lines of text. */
export function formatReport(report: FuzzReport): string {
  const statuses = [...report.byStatus].sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}: ${n}`).join(', ');
  const targets = [...report.byTarget].sort(([a], [b]) => a.localeCompare(b)).map(([t, n]) => `${t}: ${n}`).join(', ');
  const lines = [
    `${report.requests} requests in ${report.seconds.toFixed(1)} s (${Math.round(report.requests / report.seconds)}/s)`,
    `by status: ${statuses}`,
    `by target: ${targets}`,
    `checked: ${report.hitsChecked} JSON hits' highlights, ${report.htmlChecked} HTML answers for unescaped markers`,
  ];
  if (report.slowest) lines.push(`slowest: ${report.slowest.ms.toFixed(1)} ms, status ${report.slowest.status}: ${report.slowest.description}`);
  lines.push(`failures: ${report.failures.length}`);
  for (const failure of report.failures.slice(0, 20)) {
    lines.push(`  ${failure.description}`, `    status ${failure.status}: ${failure.problems.join('; ')}`);
  }
  if (report.failures.length > 20) lines.push(`  … and ${report.failures.length - 20} more`);
  return lines.join('\n');
}

/** Strings of the index (1–4 characters of paragraphs, title words) so that some queries find something. */
export function sampleWords(index: LoadedIndex, seed: number, count = 300): string[] {
  const random = seededRandom(seed ^ 0x5eed);
  const words = new Set<string>(['CTO', 'iPad', '2135', '雙11', '64K']);
  for (let i = 0; i < count && index.paragraphCount > 0; i++) {
    const chars = [...index.paragraphText(Math.floor(random() * index.paragraphCount))];
    const at = Math.floor(random() * chars.length);
    words.add(chars.slice(at, at + 1 + Math.floor(random() * 4)).join('').trim() || '的');
  }
  for (const document of index.documents.slice(0, 50)) words.add(document.title.slice(0, 6));
  return [...words].filter((w) => w !== '');
}

/** A logger that keeps warnings and errors (a 5xx logs 'request failed' with its stack) and drops the rest. */
export function collectingLogger(): Logger & { readonly errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info: () => {},
    warn: (object, message) => errors.push(`warn ${message ?? ''} ${JSON.stringify(object)}`),
    error: (object, message) => errors.push(`error ${message ?? ''} ${JSON.stringify(object)}`),
  };
}

