// Repeated JSON searches answered before Express (server/cached-answers.ts): the same headers, body and log line
// as Express's answer, and only for a GET of exactly /api/search whose answer is cached; the rest goes to Express.
import type { RequestListener } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app.js';
import { openIndexHolder, type IndexHolder, type Logger } from '../server/index-holder.js';
import type { Searcher } from '../server/search/engine.js';
import { buildTestIndex, type TestIndex } from './support/search-index.js';

let built: TestIndex;
let holder: IndexHolder;
const lines: object[] = [];
const logger: Logger = { info: (object) => void lines.push(object), warn() {}, error: (object) => void lines.push(object) };
/** How each answer was made: 'express' (searchJson, after Express's routing) or 'cached' (before Express). */
const calls: string[] = [];

/** The app over a holder whose searcher records which of its JSON methods answered. */
function spiedApp(resultCacheEntries: number): Promise<RequestListener> {
  return openIndexHolder(built.dir, logger, { resultCacheEntries }).then((opened) => {
    holder = opened;
    const spied = (searcher: Searcher): Searcher => ({
      ...searcher,
      searchJson: (q, options) => (calls.push('express'), searcher.searchJson(q, options)),
      cachedSearchJson(q, options) {
        const text = searcher.cachedSearchJson(q, options);
        if (text !== undefined) calls.push('cached');
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

describe('answers from the result cache before Express', () => {
  let app: RequestListener;
  beforeAll(async () => {
    app = await spiedApp(100);
  });

  it('answers a repeated search with the same status, headers and body as Express did', async () => {
    calls.length = 0;
    const first = await request(app).get('/api/search').query({ q: '支付寶', limit: 2 });
    const second = await request(app).get('/api/search').query({ q: '支付寶', limit: 2 });
    expect(calls).toEqual(['express', 'cached']);
    expect(second.status).toBe(200);
    expect(comparableHeaders(second.headers as Record<string, string>)).toEqual(comparableHeaders(first.headers as Record<string, string>));
    expect(second.headers['content-security-policy']).toContain("default-src 'self'");
    expect(Number(second.headers['content-length'])).toBe(Buffer.byteLength(second.text));
    expect(withoutTime(second.body as Record<string, unknown>)).toEqual(withoutTime(first.body as Record<string, unknown>));
  });

  it('decodes the query string as Express does: "+" is a space, escapes are UTF-8', async () => {
    calls.length = 0;
    const viaExpress = await request(app).get(`/api/search?q=${encodeURIComponent('支付 寶')}`);
    const viaCache = await request(app).get(`/api/search?q=${encodeURIComponent('支付')}+${encodeURIComponent('寶')}`);
    expect(calls).toEqual(['express', 'cached']);
    expect(viaCache.body.query).toBe('支付 寶');
    expect(withoutTime(viaCache.body as Record<string, unknown>)).toEqual(withoutTime(viaExpress.body as Record<string, unknown>));
  });

  it('logs the same line as Express, without the query', async () => {
    lines.length = 0;
    calls.length = 0;
    await request(app).get('/api/search').query({ q: 'iPad' });
    await request(app).get('/api/search').query({ q: 'iPad' });
    expect(calls).toEqual(['express', 'cached']);
    const line = { method: 'GET', path: '/api/search', status: 200, durationMs: expect.any(Number) as number };
    expect(lines).toEqual([line, line]);
  });

  it('leaves everything else to Express: other methods and paths, bad parameters, over-long URLs', async () => {
    await request(app).get('/api/search').query({ q: '淘寶' });
    calls.length = 0;
    expect((await request(app).head('/api/search').query({ q: '淘寶' })).status).toBe(200);
    expect((await request(app).post('/api/search').query({ q: '淘寶' })).status).toBe(404);
    expect((await request(app).get('/api/search?q=淘寶&q=淘寶')).status).toBe(400);
    expect((await request(app).get('/api/search').query({ q: '淘寶', limit: 0 })).status).toBe(400);
    const long = await request(app).get(`/api/search?q=${encodeURIComponent('淘寶')}&pad=${'x'.repeat(2100)}`);
    expect(long.status).toBe(414);
    expect(calls.filter((call) => call === 'cached')).toEqual([]);
    // Express's routing is case-insensitive: another spelling of the path is answered, by Express.
    expect((await request(app).get('/API/search').query({ q: '淘寶' })).status).toBe(200);
    expect(calls.at(-1)).toBe('express');
  });
});

describe('when the cached path fails', () => {
  it('leaves the request to Express instead of taking the server down', async () => {
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
});

describe('without a result cache', () => {
  it('sends every search through Express', async () => {
    const app = await spiedApp(0);
    calls.length = 0;
    for (let i = 0; i < 3; i++) expect((await request(app).get('/api/search').query({ q: '支付寶' })).status).toBe(200);
    expect(calls).toEqual(['express', 'express', 'express']);
  });
});
