// JSON searches answered before Express (server/search-answers.ts): the same headers, body and log line as
// Express's answer, only for a GET of exactly /api/search with valid parameters, from the result cache at once or
// searched in their turn; the rest goes to Express.
import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.js';
import { answerSearchesFirst } from '../server/search-answers.js';
import { openIndexHolder, type IndexHolder, type Logger } from '../server/index-holder.js';
import type { Searcher } from '../server/search/engine.js';
import { buildTestIndex, type TestIndex } from './support/search-index.js';

let built: TestIndex;
let holder: IndexHolder;
const lines: object[] = [];
const logger: Logger = { info: (object) => void lines.push(object), warn() {}, error: (object) => void lines.push(object) };
/**
 * What the searcher was asked: 'hit' or 'miss' (a result-cache lookup, made only before Express) and 'search'
 * (searchJson). Before Express an answer is ['hit'] or ['miss', 'search']; through Express, ['search'].
 */
const calls: string[] = [];
const BEFORE_EXPRESS_CACHED = ['hit'];
const BEFORE_EXPRESS_SEARCHED = ['miss', 'search'];
const THROUGH_EXPRESS = ['search'];

/** The app over a holder whose searcher records which of its JSON methods answered. */
function spiedApp(resultCacheEntries: number): Promise<RequestListener> {
  return openIndexHolder(built.dir, logger, { resultCacheEntries }).then((opened) => {
    holder = opened;
    const spied = (searcher: Searcher): Searcher => ({
      ...searcher,
      searchJson: (q, options) => (calls.push('search'), searcher.searchJson(q, options)),
      cachedSearchJson(q, options) {
        const text = searcher.cachedSearchJson(q, options);
        calls.push(text === undefined ? 'miss' : 'hit');
        return text;
      },
    });
    return createApp({ holder: { ...opened, current: () => spied(opened.current()) }, logger, maxUrlBytes: 2048 });
  });
}

beforeAll(async () => {
  built = await buildTestIndex([
    { id: 'alipay.txt', title: '支付寶', paragraphs: ['支付寶的系統經歷了雙11的考驗。', '淘寶和天貓。', '支付 寶'] },
    { id: 'notes/cto.md', title: 'CTO', paragraphs: ['ＣＴＯ程立說：iPad 64K。'] },
  ]);
});
afterAll(() => {
  holder?.close();
  built?.cleanup();
});

const withoutTime = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, tookMs: 0 });
const comparableHeaders = (headers: Record<string, string>): Record<string, string> => {
  const { date: _date, 'content-length': _length, ...rest } = headers;
  return rest;
};

describe('JSON searches before Express', () => {
  let app: RequestListener;
  beforeAll(async () => {
    app = await spiedApp(100);
  });

  /** The same search through Express: its routing is case-insensitive, and this path only takes /api/search. */
  const viaExpress = (query: Record<string, string | number>): Promise<request.Response> => request(app).get('/API/search').query(query);

  it('answers a new search and then a repeated one with the same status, headers and body as Express', async () => {
    calls.length = 0;
    const first = await request(app).get('/api/search').query({ q: '支付寶', limit: 2 });
    expect(calls).toEqual(BEFORE_EXPRESS_SEARCHED);
    calls.length = 0;
    const second = await request(app).get('/api/search').query({ q: '支付寶', limit: 2 });
    expect(calls).toEqual(BEFORE_EXPRESS_CACHED);
    calls.length = 0;
    const express = await viaExpress({ q: '支付寶', limit: 2 });
    expect(calls).toEqual(THROUGH_EXPRESS);
    for (const answer of [first, second]) {
      expect(answer.status).toBe(200);
      expect(comparableHeaders(answer.headers as Record<string, string>)).toEqual(comparableHeaders(express.headers as Record<string, string>));
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
      expect(withoutTime(answer.body as Record<string, unknown>)).toEqual(withoutTime(express.body as Record<string, unknown>));
    }
  });

  it('decodes the query string as Express does: "+" is a space, escapes are UTF-8', async () => {
    calls.length = 0;
    const express = await viaExpress({ q: '支付 寶' });
    const before = await request(app).get(`/api/search?q=${encodeURIComponent('支付')}+${encodeURIComponent('寶')}`);
    expect(calls).toEqual([...THROUGH_EXPRESS, ...BEFORE_EXPRESS_CACHED]); // the same cache key: the same reading
    expect(before.body.query).toBe('支付 寶');
    expect(withoutTime(before.body as Record<string, unknown>)).toEqual(withoutTime(express.body as Record<string, unknown>));
  });

  it('logs the same line as Express, without the query, searched or cached', async () => {
    lines.length = 0;
    calls.length = 0;
    await request(app).get('/api/search').query({ q: 'iPad' });
    await request(app).get('/api/search').query({ q: 'iPad' });
    expect(calls).toEqual([...BEFORE_EXPRESS_SEARCHED, ...BEFORE_EXPRESS_CACHED]);
    const line = { method: 'GET', path: '/api/search', status: 200, durationMs: expect.any(Number) as number };
    expect(lines).toEqual([line, line]);
  });

  it('leaves everything else to Express: other methods and paths, bad parameters, over-long URLs', async () => {
    calls.length = 0;
    expect((await request(app).head('/api/search').query({ q: '淘寶' })).status).toBe(200);
    expect((await request(app).post('/api/search').query({ q: '淘寶' })).status).toBe(404);
    expect((await request(app).get('/api/search?q=淘寶&q=淘寶')).status).toBe(400);
    expect((await request(app).get('/api/search').query({ q: '淘寶', limit: 0 })).status).toBe(400);
    const long = await request(app).get(`/api/search?q=${encodeURIComponent('淘寶')}&pad=${'x'.repeat(2100)}`);
    expect(long.status).toBe(414);
    expect(calls).toEqual(THROUGH_EXPRESS); // the HEAD request's search; no lookup for any of them
  });

  /** Searches before Express behind a queue that holds its requests, as if slow requests ahead took every turn. */
  function heldSearches(opened: IndexHolder, handlerTimeoutMs: number): { app: RequestListener; held: (() => void)[] } {
    const held: (() => void)[] = [];
    const holding = Object.assign((_request: IncomingMessage, _response: ServerResponse, next: () => void) => void held.push(next), {
      pending: () => held.length,
      capacity: () => held.length,
    });
    const express: RequestListener = (_request, response) => response.writeHead(404).end();
    return { app: answerSearchesFirst(express, { holder: opened, logger, maxUrlBytes: 2048, handlerTimeoutMs, turns: holding }), held };
  }

  it('answers 503 JSON when a search has waited for its turn past the handler timeout', async () => {
    const opened = await openIndexHolder(built.dir, logger, { resultCacheEntries: 0 });
    try {
      const { app, held } = heldSearches(opened, 50);
      calls.length = 0;
      const answer = await request(app).get('/api/search').query({ q: '支付寶' });
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.body.error.code).toBe('timeout');
      expect(held).toHaveLength(1);
    } finally {
      opened.close();
    }
  });

  it('logs a search whose client left while it waited as aborted', async () => {
    const opened = await openIndexHolder(built.dir, logger, { resultCacheEntries: 0 });
    const { app, held } = heldSearches(opened, 10_000);
    const server = createServer(app).listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      lines.length = 0;
      const client = httpGet(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/search?q=${encodeURIComponent('支付寶')}`);
      client.on('error', () => {}); // the client's own side of the hang-up
      for (let i = 0; i < 400 && held.length === 0; i++) await delay(5);
      client.destroy();
      for (let i = 0; i < 400 && lines.length === 0; i++) await delay(5);
      expect(lines).toEqual([{ method: 'GET', path: '/api/search', status: 200, durationMs: expect.any(Number) as number, aborted: true }]);
    } finally {
      server.close();
      opened.close();
    }
  });
});

describe('when the path before Express fails', () => {
  it('leaves the request to Express when the cache lookup throws', async () => {
    const opened = await openIndexHolder(built.dir, logger, { resultCacheEntries: 10 });
    try {
      const broken = (searcher: Searcher): Searcher => ({
        ...searcher,
        cachedSearchJson() {
          throw new Error('a bug in the cached path');
        },
      });
      const app = createApp({ holder: { ...opened, current: () => broken(opened.current()) }, logger });
      for (let i = 0; i < 2; i++) {
        const answer = await request(app).get('/api/search').query({ q: '支付寶' });
        expect(answer.status).toBe(200);
        expect(answer.body.total).toBeGreaterThan(0);
      }
    } finally {
      opened.close();
    }
  });

  it('answers 500 JSON and logs the error when the search throws, and goes on serving', async () => {
    const opened = await openIndexHolder(built.dir, logger, { resultCacheEntries: 0 });
    try {
      let fail = true;
      const flaky = (searcher: Searcher): Searcher => ({
        ...searcher,
        searchJson(q, options) {
          if (fail) throw new Error('a bug in the search');
          return searcher.searchJson(q, options);
        },
      });
      lines.length = 0;
      const app = createApp({ holder: { ...opened, current: () => flaky(opened.current()) }, logger });
      const failed = await request(app).get('/api/search').query({ q: '支付寶' });
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
      expect(failed.headers['content-security-policy']).toContain("default-src 'self'");
      expect(lines).toContainEqual(expect.objectContaining({ path: '/api/search', error: expect.stringContaining('a bug in the search') as string }));
      expect(lines).toContainEqual(expect.objectContaining({ path: '/api/search', status: 500 }));
      fail = false;
      expect((await request(app).get('/api/search').query({ q: '支付寶' })).status).toBe(200);
    } finally {
      opened.close();
    }
  });
});

describe('without a result cache', () => {
  it('searches every request before Express', async () => {
    const app = await spiedApp(0);
    calls.length = 0;
    for (let i = 0; i < 3; i++) expect((await request(app).get('/api/search').query({ q: '支付寶' })).status).toBe(200);
    expect(calls).toEqual([...BEFORE_EXPRESS_SEARCHED, ...BEFORE_EXPRESS_SEARCHED, ...BEFORE_EXPRESS_SEARCHED]);
  });
});
