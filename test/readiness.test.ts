// Readiness for a load balancer (docs/operations.md "Replicas"): GET /readyz is 200 only once the index is loaded
// and warm and the server is not shutting down; SIGTERM can drain (keep serving, /readyz 503) before it stops
// listening; SOU_MANIFEST_POLL_MS=0 leaves reloads to SIGHUP, so replicas can be rolled one at a time.
import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SourceDocument } from '../indexer/corpus/index.js';
import { createApp } from '../server/app.js';
import { ConfigError, parseServerConfig } from '../server/config.js';
import { openIndexHolder, type IndexHolder, type Warmth } from '../server/index-holder.js';
import type { Logger } from '../server/logger.js';
import { trackConnections } from '../server/shutdown.js';
import { startServer } from './support/server-process.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { breakWarmUp } from './support/warm-up-failure.js';
import { writeDocumentsIndex } from './support/write-index.js';

const tempDir = tempDirFactory('readiness');
const silent: Logger = { info() {}, warn() {}, error() {} };
const docs = (n: number): SourceDocument[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}.txt`, title: `第${i}篇`, paragraphs: [`支付寶第${i}段。`] }));

let dir: string;
let holder: IndexHolder;
beforeAll(async () => {
  dir = tempDir();
  await writeDocumentsIndex(dir, docs(30));
  holder = await openIndexHolder(dir, silent);
});
afterAll(() => holder?.close());

/** The real holder, with its warm-up state replaced. */
const holderIn = (warmth: Warmth): IndexHolder => ({ ...holder, warmth: () => warmth });

describe('GET /readyz', () => {
  it('answers 200 once the holder has warmed its index up, naming the generation served', async () => {
    await vi.waitFor(() => expect(holder.warmth()).toBe('warm'), { timeout: 30_000 });
    const response = await request(createApp({ holder, logger: silent })).get('/readyz');
    expect(response.status).toBe(200);
    const { generation, builtAt } = holder.searcher().index.manifest;
    expect(response.body).toEqual({ status: 'ready', generation, builtAt });
  });

  it('answers 503 while the index warms up, after a failed warm-up and while draining; /healthz stays 200', async () => {
    const cases: [Warmth, boolean, string][] = [
      ['warming', false, 'warming'],
      ['failed', false, 'warm-up failed'],
      ['warm', true, 'draining'],
      ['warming', true, 'draining'],
    ];
    for (const [warmth, draining, status] of cases) {
      const app = createApp({ holder: holderIn(warmth), logger: silent, draining: () => draining });
      const ready = await request(app).get('/readyz');
      expect([ready.status, ready.body.status], `${warmth}, draining ${draining}`).toEqual([503, status]);
      expect(ready.headers['content-type']).toMatch(/^application\/json/);
      expect((await request(app).get('/healthz')).status).toBe(200);
    }
  });

  it('reports a warm-up that failed as not ready (the holder keeps serving it)', async () => {
    const broken = tempDir();
    await writeDocumentsIndex(broken, docs(60));
    breakWarmUp(broken);
    const failing = await openIndexHolder(broken, silent);
    try {
      await vi.waitFor(() => expect(failing.warmth()).toBe('failed'), { timeout: 30_000 });
      const response = await request(createApp({ holder: failing, logger: silent })).get('/readyz');
      expect([response.status, response.body.status]).toEqual([503, 'warm-up failed']);
    } finally {
      failing.close();
    }
  });

  it('stays ready through a reload: the new index is swapped in warm', async () => {
    const reloading = await openIndexHolder(dir, silent);
    try {
      await vi.waitFor(() => expect(reloading.warmth()).toBe('warm'), { timeout: 30_000 });
      expect(await reloading.reload('test', { force: true })).toBe(true);
      expect(reloading.warmth()).toBe('warm');
    } finally {
      reloading.close();
    }
  });
});

describe('shutdown with a drain', () => {
  const get = (port: number): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => httpGet({ host: '127.0.0.1', port, path: '/', agent: false }, resolve).on('error', reject));

  it('keeps accepting and answering (Connection: close) during the drain, then refuses new connections', async () => {
    const server = createServer();
    const connections = trackConnections(server);
    server.on('request', (_request, response: ServerResponse) => response.end('ok'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const drainMs = 400;
    const stopped = connections.shutdown(5_000, drainMs);
    expect(connections.closing).toBe(true);
    const during = await get(port);
    during.resume();
    expect([during.statusCode, during.headers.connection]).toEqual([200, 'close']);
    expect(await stopped).toBe(true);
    await expect(get(port)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('readiness settings', () => {
  it('reads SOU_DRAIN_MS and SOU_MANIFEST_POLL_MS (defaults: no drain, a poll every second)', () => {
    expect(parseServerConfig([], {})).toMatchObject({ drainMs: 0, watchIntervalMs: 1000 });
    expect(parseServerConfig([], { SOU_DRAIN_MS: '3000', SOU_MANIFEST_POLL_MS: '0' })).toMatchObject({ drainMs: 3000, watchIntervalMs: 0 });
    expect(() => parseServerConfig([], { SOU_DRAIN_MS: '-1' })).toThrow(ConfigError);
    expect(() => parseServerConfig([], { SOU_MANIFEST_POLL_MS: '1s' })).toThrow(/SOU_MANIFEST_POLL_MS/);
  });
});

describe('the real server behind a load balancer', () => {
  const status = async (url: string): Promise<[number, string]> => {
    const response = await fetch(url);
    const body = (await response.json()) as { status: string };
    return [response.status, body.status];
  };

  it('turns /readyz to 503 on SIGTERM while it goes on answering for the drain, then exits 0', async () => {
    const server = startServer(dir, { env: { SOU_DRAIN_MS: '1500' } });
    try {
      const base = await server.baseUrl();
      await vi.waitFor(async () => expect(await status(`${base}/readyz`)).toEqual([200, 'ready']), { timeout: 30_000, interval: 50 });
      server.child.kill('SIGTERM');
      await server.waitFor(/shutting down/);
      expect(await status(`${base}/readyz`)).toEqual([503, 'draining']);
      expect((await fetch(`${base}/api/search?q=${encodeURIComponent('支付')}`)).status).toBe(200);
      const [code] = await server.exited;
      expect({ code, stderr: server.stderr() }).toEqual({ code: 0, stderr: '' });
      await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    }
  });

  it('with SOU_MANIFEST_POLL_MS=0 keeps its index over a new build until SIGHUP', async () => {
    const own = tempDir();
    await writeDocumentsIndex(own, docs(5));
    const server = startServer(own, { env: { SOU_MANIFEST_POLL_MS: '0' } });
    const paragraphs = async (base: string): Promise<number> => ((await (await fetch(`${base}/healthz`)).json()) as { paragraphs: number }).paragraphs;
    try {
      const base = await server.baseUrl();
      expect(await paragraphs(base)).toBe(5);
      await writeDocumentsIndex(own, docs(8));
      // Longer than the default poll's second and the reload of a tiny index: a polling server would have swapped.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await paragraphs(base)).toBe(5);
      server.child.kill('SIGHUP');
      await server.waitFor(/index reloaded/);
      expect(await paragraphs(base)).toBe(8);
    } finally {
      server.child.kill('SIGKILL');
    }
  });
});
