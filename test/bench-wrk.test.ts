// bench/http.ts's wrk driver: the script of a mix (seeded orders, escaping), wrk's output parsed (golden outputs
// of real runs, test/fixtures/wrk), and one short real run of wrk against a server that records what it is asked.
// Without wrk the real run is skipped with a message; on CI (CI=true) a missing wrk fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../bench/fuzz-cases.js';
import { httpResultOf, luaString, parseWrkResult, runWrk, WRK_MISSING, wrkScript, type MixRequest } from '../bench/http.js';
import { shuffled } from '../bench/queries.js';

const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`fixtures/wrk/${name}`, import.meta.url)), 'utf8');
const haveWrk = spawnSync('wrk', ['--version']).error === undefined;

/** The Lua tables of a script: its mix's paths and its orders, read back. */
const tablesOf = (script: string): { paths: string[]; orders: number[][] } => {
  const mix = /local mix = \{\n([\s\S]*?)\n\}/.exec(script)![1]!;
  const orders = /local orders = \{\n([\s\S]*?)\n\}/.exec(script)![1]!;
  return {
    paths: mix.split(',\n').map((entry) => /^\{"([^"]*)"/.exec(entry)![1]!),
    orders: orders.split(',\n').map((entry) => entry.slice(1, -1).split(',').map(Number)),
  };
};

describe('wrkScript', () => {
  const mix: MixRequest[] = ['/a', '/b', '/c', '/d', '/e'].map((path) => ({ path }));

  it('gives every order its own seeded permutation of the whole mix', () => {
    const { paths, orders } = tablesOf(wrkScript(mix, 3, 42));
    expect(paths).toEqual(['/a', '/b', '/c', '/d', '/e']);
    expect(orders).toHaveLength(3);
    orders.forEach((order, n) => {
      expect([...order].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(order).toEqual(shuffled([1, 2, 3, 4, 5], seededRandom(42 + n + 1)));
    });
    expect(wrkScript(mix, 3, 42)).toBe(wrkScript(mix, 3, 42));
    expect(wrkScript(mix, 3, 43)).not.toBe(wrkScript(mix, 3, 42));
  });

  it('writes paths and headers as Lua strings of their UTF-8 bytes', () => {
    expect(luaString('/q?x="a\\b"')).toBe('"/q?x=\\34a\\92b\\34"');
    expect(luaString('明\n')).toBe('"\\230\\152\\142\\10"');
    const script = wrkScript([{ path: '/search?q=%E6%98%8E', headers: { 'HX-Request': 'true' } }], 1, 1);
    expect(script).toContain('{"/search?q=%E6%98%8E",{["HX-Request"]="true"}}');
  });

  it('refuses an empty mix or no orders', () => {
    expect(() => wrkScript([], 1, 1)).toThrow(/at least one request/);
    expect(() => wrkScript(mix, 0, 1)).toThrow(/1 or more orders/);
  });
});

describe('parseWrkResult', () => {
  it('reads the summary line of a run with non-2xx answers, their statuses counted (golden)', () => {
    const summary = parseWrkResult(fixture('non-2xx.txt'));
    expect(summary).toEqual({
      requests: 2632,
      durationUs: 1042603,
      bytes: 441835,
      connect: 0,
      read: 0,
      write: 0,
      status: 2,
      timeout: 0,
      p50Us: 699,
      p90Us: 11185,
      p99Us: 30439,
      maxUs: 48358,
      statuses: { '200': 2630, '404': 2 },
    });
    const result = httpResultOf(summary, 4, 1001);
    expect(result).toMatchObject({ connections: 4, distinctRequests: 1001, requests: 2632, p50Ms: 0.7, p99Ms: 30.4, maxMs: 48.4, errors: 0, timeouts: 0, non2xx: 2 });
    expect(result.requestsPerSecond).toBeCloseTo(2524.45, 0); // wrk's own Requests/sec line
  });

  it('counts socket errors as errors (golden: the server ended during the run)', () => {
    const result = httpResultOf(parseWrkResult(fixture('socket-errors.txt')), 4, 1001);
    expect(result).toMatchObject({ errors: 8 + 19048, timeouts: 0, non2xx: 5, seconds: 2.021852 });
    expect(parseWrkResult(fixture('socket-errors.txt')).statuses).toEqual({});
  });

  it('says to install wrk when there is none', async () => {
    await expect(runWrk({ url: 'http://127.0.0.1:9', mix: [{ path: '/' }], connections: 1, seconds: 1, seed: 1, command: 'sou-no-such-wrk' })).rejects.toThrow(WRK_MISSING);
    expect(WRK_MISSING).toMatch(/apt-get install wrk/);
  });

  it('fails with the output when the summary line is missing or bad', () => {
    const text = fixture('non-2xx.txt');
    const without = text.replace(/^sou-wrk-result .*$/m, '');
    expect(() => parseWrkResult(without)).toThrow(/no result line[\s\S]*Requests\/sec/);
    expect(() => parseWrkResult(text.replace('"p99Us":30439', '"p99Us":"30439"'))).toThrow(/no whole p99Us/);
    expect(() => parseWrkResult(text.replace('"404":2}}', '"404":2}'))).toThrow(/not JSON/);
    expect(() => parseWrkResult(text.replace('"404":2', '"404":-2'))).toThrow(/no statuses/);
  });
});

if (!haveWrk) {
  if (process.env.CI === 'true') {
    describe('wrk', () => {
      it('needs wrk on CI', () => {
        throw new Error('wrk is missing; install it with: apt-get install -y wrk');
      });
    });
  } else {
    console.warn('wrk test skipped: wrk is missing (apt-get install -y wrk)');
  }
}

describe.skipIf(!haveWrk)('runWrk', () => {
  const seen: { url: string; hx: string | undefined }[] = [];
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url!, hx: request.headers['hx-request'] as string | undefined });
      response.statusCode = request.url === '/missing' ? 404 : 200;
      response.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('walks the seeded order of its one connection, with the headers, and counts the 404s', async () => {
    const mix: MixRequest[] = [{ path: '/a' }, { path: '/b', headers: { 'HX-Request': 'true' } }, { path: '/missing' }, { path: '/c' }];
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 500); // SIGINT: wrk still reports
    const summary = await runWrk({ url, mix, connections: 1, seconds: 30, seed: 9, statuses: true }, stop.signal);
    clearTimeout(timer);
    expect(summary.durationUs).toBeLessThan(10e6);
    expect(summary.requests).toBeGreaterThan(8);
    const order = shuffled([0, 1, 2, 3], seededRandom(9 + 1)).map((i) => mix[i]!.path);
    const walked = seen.slice(0, 8).map((request) => request.url);
    expect(walked).toEqual([...order, ...order]);
    expect(seen.filter((request) => request.url === '/b').every((request) => request.hx === 'true')).toBe(true);
    expect(seen.filter((request) => request.url !== '/b').every((request) => request.hx === undefined)).toBe(true);
    // Requests still in flight when wrk stopped may reach the server uncounted.
    const missing = seen.filter((request) => request.url === '/missing').length;
    expect(summary.status).toBeGreaterThanOrEqual(missing - 1);
    expect(summary.status).toBeLessThanOrEqual(missing);
    expect(summary.statuses['404']).toBe(summary.status);
    expect(summary.statuses['200']).toBe(summary.requests - summary.status);
  });
});
