// Hostile requests over real HTTP against the app (a shorter, seeded run of `npm run fuzz`): no 5xx, no crash, no
// unescaped input in HTML, valid highlight ranges in JSON. The checks themselves are tested first, on answers
// that break each rule, so a fuzz run that passes means something.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutcome, createCaseGenerator, highlightProblems, markerProbes, type FuzzCase, type FuzzOutcome } from '../bench/fuzz-cases.js';
import { collectingLogger, formatReport, runFuzz, sampleWords } from '../bench/fuzz-run.js';
import { createApp } from '../server/app.js';
import { openIndexHolder } from '../server/index-holder.js';
import { pagesRouter } from '../server/pages.js';
import { buildTestIndex, loadSeedAndSampleIndex, type TestIndex } from './support/search-index.js';

const SECURE = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'self'" };
const html = (body: string, status = 200): FuzzOutcome => ({ status, headers: { ...SECURE, 'content-type': 'text/html; charset=utf-8' }, body });
const json = (body: unknown, status = 200): FuzzOutcome => ({
  status,
  headers: { ...SECURE, 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const searchCase: FuzzCase = { n: 7, target: 'search', path: '/search?q=%3Czz7%3E', headers: {}, kind: 'test' };
const apiCase: FuzzCase = { n: 7, target: 'api', path: '/api/search?q=a', headers: {}, kind: 'test' };
const hit = (text: string, highlights: unknown, snippet = 'x'): object => ({ id: 'a#0', text, highlights, snippet });
const searchAnswer = (...hits: object[]): object => ({ query: 'a', total: hits.length, hits });

describe('fuzz checks', () => {
  it('accept an escaped page and a valid JSON answer', () => {
    expect(checkOutcome(searchCase, html('<p>&lt;zz7&gt; &quot;onerror=zz7</p>'))).toEqual([]);
    expect(checkOutcome(apiCase, json(searchAnswer(hit('支付宝系统', [[0, 3], [4, 5]], '<mark>支付宝</mark>系<mark>统</mark>'))))).toEqual([]);
  });

  it('flag a 5xx and a request without an answer', () => {
    expect(checkOutcome(searchCase, html('oops', 500))).toContain('status 500');
    expect(checkOutcome(searchCase, { status: null, headers: {}, body: '', error: 'ECONNRESET' })[0]).toMatch(/no answer: ECONNRESET/);
  });

  it('flag every raw marker form of the case in HTML, but not JSON strings', () => {
    for (const probe of markerProbes(7)) {
      expect(checkOutcome(searchCase, html(`<p>${probe}</p>`)).join(), probe).toContain('unescaped');
    }
    expect(checkOutcome(apiCase, json({ ...searchAnswer(), query: '<zz7>' }))).toEqual([]);
  });

  it('flag highlight ranges outside the text, unsorted, overlapping, adjacent or cutting a surrogate pair', () => {
    expect(highlightProblems('abc', [[0, 4]])).toHaveLength(1);
    expect(highlightProblems('abc', [[2, 2]])).toHaveLength(1);
    expect(highlightProblems('abc', [[-1, 1]])).toHaveLength(1);
    expect(highlightProblems('abcdef', [[3, 4], [0, 1]])).toHaveLength(1);
    expect(highlightProblems('abcdef', [[0, 3], [2, 4]])).toHaveLength(1);
    expect(highlightProblems('abcdef', [[0, 2], [2, 4]])).toHaveLength(1);
    expect(highlightProblems('a😀b', [[0, 2]])).toHaveLength(1);
    expect(highlightProblems('a😀b', [[1, 3]])).toEqual([]);
    expect(highlightProblems('abc', [[0.5, 1]])).toHaveLength(1);
    expect(checkOutcome(apiCase, json(searchAnswer(hit('abc', [[1, 9]]))))).toHaveLength(1);
  });

  it('flag a snippet with markup other than <mark>, a non-JSON API answer and missing security headers', () => {
    expect(checkOutcome(apiCase, json(searchAnswer(hit('abc', [], '<img src=x>'))))).toHaveLength(1);
    expect(checkOutcome(apiCase, { ...html('<p>hi</p>') }).join()).toMatch(/not JSON/);
    expect(checkOutcome(searchCase, { status: 200, headers: { 'content-type': 'text/html' }, body: '' })).toHaveLength(2);
  });

  it('flag a traversal answered 200 and leaked system files', () => {
    const traversal: FuzzCase = { n: 1, target: 'doc', path: '/doc/../../etc/passwd', headers: {}, kind: 'test', mustNotFind: true };
    expect(checkOutcome(traversal, html('<p>doc</p>'))).toEqual(['a traversal path was answered 200']);
    expect(checkOutcome(traversal, html('root:x:0:0:root', 404))).toHaveLength(1);
  });
});

describe('fuzz case generator', () => {
  const cases = (seed: number, count: number): FuzzCase[] => {
    const generator = createCaseGenerator({ seed, docIds: ['alipay-15-years.txt', 'sub/a b.md'], words: ['支付', '系统'] });
    return Array.from({ length: count }, () => generator.next());
  };

  it('makes the same requests from the same seed, others from another', () => {
    expect(cases(42, 300)).toEqual(cases(42, 300));
    expect(cases(43, 300)).not.toEqual(cases(42, 300));
  });

  it('covers every target and the hostile inputs the issue lists', () => {
    const all = cases(1, 3000);
    expect(new Set(all.map((c) => c.target))).toEqual(new Set(['api', 'search', 'fragment', 'doc', 'other', 'raw']));
    const paths = all.map((c) => c.path + (c.raw ?? '')).join('\n');
    for (const needle of ['../../etc/passwd', '%2e%2e%2f', '..%5c', '%00', '%c0%ae', '%ED%A0%80', '%E2%80%AE', '%F0%9F%98%80', 'limit=-1', 'q=%25', '<script>']) {
      expect(paths, needle).toContain(needle);
    }
    expect(all.some((c) => c.kind.startsWith('long-10000'))).toBe(true);
    expect(all.some((c) => c.headers['HX-Request-Type'] === 'partial' && c.target === 'fragment')).toBe(true);
    expect(all.some((c) => /[\x80-\xff]/.test(c.path))).toBe(true); // raw bytes on the wire
  });
});

describe('fuzz run against a broken app', () => {
  it('reports the exact requests that got raw input back in HTML or a 5xx', async () => {
    const built = await buildTestIndex([{ id: 'a.txt', title: 'a', paragraphs: ['支付宝系统'] }]);
    const holder = await openIndexHolder(built.dir, collectingLogger());
    const broken = Router();
    broken.get('/search', (request, response) => void response.type('html').send(`<p>${String(request.query.q)}</p>`));
    broken.get('/doc/*id', () => {
      throw new Error('bug');
    });
    const server = createServer(createApp({ holder, logger: collectingLogger(), pages: broken })).listen(0, '127.0.0.1');
    try {
      await new Promise<void>((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const report = await runFuzz({ host: '127.0.0.1', port, requests: 300, seed: 5, docIds: ['a.txt'], words: ['支付'] });
      const problems = report.failures.flatMap((f) => f.problems);
      expect(problems.some((p) => p.startsWith('unescaped'))).toBe(true);
      expect(problems).toContain('status 500');
      expect(report.failures.every((f) => /^#\d+ \[\w+ .*\] (GET \/|")/.test(f.description))).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
      built.cleanup();
    }
  });
});

describe('fuzz run against the app', () => {
  let built: TestIndex;
  let server: Server;
  let port: number;
  const logger = collectingLogger();
  const crashes: unknown[] = [];
  const onCrash = (error: unknown): void => void crashes.push(error);

  beforeAll(async () => {
    built = await loadSeedAndSampleIndex();
    // The server's result cache is on: repeated queries are answered from it, before Express (app.ts).
    const holder = await openIndexHolder(built.dir, logger, { resultCacheEntries: 1000 });
    server = createServer(createApp({ holder, logger, pages: pagesRouter(holder) })).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  });
  afterAll(() => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    server?.closeAllConnections();
    server?.close();
    built?.cleanup();
  });

  it('answers 1,000 hostile requests without a 5xx, a crash, unescaped input or a bad highlight', async () => {
    const index = built.index;
    const report = await runFuzz({
      host: '127.0.0.1',
      port,
      requests: 1000,
      seed: 20_240_601,
      concurrency: 8,
      docIds: index.documents.map((d) => d.id),
      words: sampleWords(index, 20_240_601),
    });
    expect(report.failures, formatReport(report)).toEqual([]);
    expect(crashes).toEqual([]);
    expect(logger.errors.filter((line) => line.startsWith('error'))).toEqual([]);
    // The run reached the parts it checks: hits with highlights, HTML pages, and both kinds of refusal.
    expect(report.requests).toBe(1000);
    expect(report.hitsChecked).toBeGreaterThan(100);
    expect(report.htmlChecked).toBeGreaterThan(200);
    expect(report.byStatus.get('200')).toBeGreaterThan(100);
    expect(report.byStatus.get('400')).toBeGreaterThan(100);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
