// The query pool (server/query-pool.ts, query-worker.ts) against the engine on one thread: the same answers, byte
// for byte but tookMs, over the bench's query classes and every shape of the syntax on the shared test index; a
// reload under requests (each answer from one index, the old one released); a worker that dies (replaced, its
// requests asked again once, else 503); shutdown after the requests in flight. The workers are the compiled ones
// (dist/, which `npm test` builds first).
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleClasses } from '../bench/queries.js';
import { createScan } from '../bench/scan.js';
import type { SourceDocument } from '../indexer/corpus/index.js';
import type { Manifest } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import { createApp } from '../server/app.js';
import { openIndexHolder, type IndexHolder } from '../server/index-holder.js';
import type { Logger } from '../server/logger.js';
import { pagesRouter } from '../server/pages.js';
import { createQueryPool, PoolWorkerError } from '../server/query-pool.js';
import { NO_FILTERS } from '../server/search/filters.js';
import { FACET_NAMES } from '../server/search/group.js';
import type { AnalyzedQuery } from '../server/search/engine.js';
import { parseQuery } from '../server/search/query.js';
import type { SearchOptions } from '../server/search/types.js';
import { warmUpQueries } from '../server/search/warm-up-queries.js';
import { loadSeedAndSampleIndex, ROOT, sampleQueries, type TestIndex } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { writeDocumentsIndex } from './support/write-index.js';
import { allTexts } from './support/texts.js';

const WORKER = path.join(ROOT, 'dist', 'server', 'query-worker.js');
const STALLED_WORKER = path.join(ROOT, 'test', 'support', 'stalled-query-worker.mjs');
const tempDir = tempDirFactory('pool');

const errors: object[] = [];
const logger: Logger = { info() {}, warn() {}, error: (object) => void errors.push(object) };

/** Resolves once `check` holds, polling (a state other threads bring about). */
async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const warm = (holder: IndexHolder): Promise<void> => until(() => holder.warmth() === 'warm', 'the warm-up');
/** The JSON text with its one field that differs between two runs of the same search. */
const withoutTook = (text: string): string => text.replace(/"tookMs":[\d.e+-]+/, '"tookMs":0');

describe('answers on the pool', () => {
  let shared: TestIndex;
  let single: IndexHolder;
  let pooled: IndexHolder;
  beforeAll(async () => {
    shared = await loadSeedAndSampleIndex();
    single = await openIndexHolder(shared.dir, logger);
    pooled = await openIndexHolder(shared.dir, logger, { queryWorkers: 2, queryWorkerFile: WORKER });
    await Promise.all([warm(single), warm(pooled)]);
  });
  afterAll(async () => {
    single?.close();
    pooled?.close();
    await pooled?.stopWorkers();
  });

  /** The bench's classes (bench/queries.ts) on the test index, the warm-up's shapes of the syntax, pinyin and slips. */
  function queries(): string[] {
    const texts = allTexts(shared.index);
    const scan = createScan(texts);
    const questions = [...sampleQueries('drcd'), ...sampleQueries('cmrc')].map((q) => q.query);
    const classes = sampleClasses({ texts, questions, occurs: (q) => scan.occurs(q) }, 40, 7).flatMap((c) => c.queries);
    return [...classes, ...warmUpQueries(texts, 200, 11), 'zhifubao', 'zfb', 'zhi fu bao', '支付包', '之付宝', '支付 -宝', '"支付宝"', '支付 OR 财付通', '支付 type:txt', '支付 title:支付宝', '支付 title:"15年"'];
  }
  const OPTIONS: readonly SearchOptions[] = [
    { limit: 10, offset: 0 },
    { limit: 20, offset: 10 },
    { limit: 10, offset: 0, group: 'doc', facets: FACET_NAMES },
    { limit: 10, offset: 0, sort: 'document' },
    { limit: 10, offset: 0, filters: { ...NO_FILTERS, titles: ['支付宝'] } },
  ];

  it('answers as JSON exactly as the engine on one thread does, and as data too', async () => {
    const asked = queries();
    expect(asked.length).toBeGreaterThan(300);
    let compared = 0;
    for (const q of asked) {
      for (const options of OPTIONS) {
        const one = await single.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`);
        const many = await pooled.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`);
        expect(withoutTook(many), `${q} ${JSON.stringify(options)}`).toBe(withoutTook(one));
        compared++;
      }
    }
    // Answered by the workers, not by this thread's fallback.
    expect(pooled.pool!.holders(1)).toBe(2);
    const data = (holder: IndexHolder) => holder.answers().search('支付寶 15年', { limit: 10, offset: 0 }).then((response) => ({ ...response, tookMs: 0 }));
    expect(await data(pooled)).toEqual(await data(single));
    expect(compared).toBe(asked.length * OPTIONS.length);
    expect(errors).toEqual([]);
  });

  it('with a result cache, answers from JSON asked first serve the data too (the hits stay data when they may be cached)', async () => {
    const cached = await openIndexHolder(shared.dir, logger, { queryWorkers: 1, queryWorkerFile: WORKER, resultCacheEntries: 100 });
    try {
      await warm(cached);
      for (const q of queries().slice(0, 40)) {
        const options = { limit: 10, offset: 0, group: 'doc', facets: FACET_NAMES } as const;
        const json = await cached.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`);
        expect(withoutTook(json), q).toBe(withoutTook(await single.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`)));
        // The same key asked as data, from the cache the JSON answer filled.
        const data = (holder: IndexHolder) => holder.answers().search(q, options).then((response) => ({ ...response, tookMs: 0 }), (error: unknown) => `error ${String(error)}`);
        expect(await data(cached), q).toEqual(await data(single));
      }
      expect(cached.answers().size).toBeGreaterThan(0);
    } finally {
      cached.close();
      await cached.stopWorkers();
    }
  });

  it('answers on this thread what the workers have no room for, the same answers', async () => {
    // One worker that takes one request at a time: of many asked at once, the rest are searched here.
    const busy = await openIndexHolder(shared.dir, logger, { queryWorkers: 1, queryWorkerFile: WORKER, queryWorkerMaxInFlight: 1 });
    try {
      await warm(busy);
      const options = { limit: 10, offset: 0 } as const;
      const asked = queries().slice(0, 60);
      let most = 0;
      const answers = await Promise.all(
        asked.map((q) => {
          const answer = busy.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`);
          most = Math.max(most, ...busy.pool!.busy());
          return answer;
        }),
      );
      expect(most).toBe(1);
      for (const [n, q] of asked.entries()) {
        expect(withoutTook(answers[n]!), q).toBe(withoutTook(await single.answers().searchJson(q, options).catch((error: unknown) => `error ${String(error)}`)));
      }
      expect(errors).toEqual([]);
    } finally {
      busy.close();
      await busy.stopWorkers();
    }
  });

  it('serves the same pages', async () => {
    const appOf = (holder: IndexHolder) => createApp({ holder, logger, pages: pagesRouter(holder) });
    const q = (text: string): string => encodeURIComponent(text);
    const urls = [`/search?q=${q('支付寶')}`, `/search?q=${q('zhifubao')}`, `/search?q=${q('支付包')}`, `/search?q=${q('支付')}&group=none&sort=document`, `/search?q=${q('支付')}&offset=10`];
    urls.push(`/doc/${q(shared.index.documents[0]!.id)}?q=${q('支付')}`);
    for (const url of urls) {
      const [one, many] = await Promise.all([request(appOf(single)).get(url), request(appOf(pooled)).get(url)]);
      expect(many.status, url).toBe(one.status);
      // The page says how long the search took.
      const untimed = (html: string): string => html.replace(/用时 [\d.]+ 毫秒/g, '用时 0 毫秒');
      expect(untimed(many.text), url).toBe(untimed(one.text));
    }
  });
});

describe("a worker's share of the postings cache", () => {
  // Each worker gets POSTINGS_CACHE_IDS over the pool's size (LoadHooks.postingsCacheIds): a budget of its own,
  // down to none at all, changes what is kept, never what is read.
  it('reads the same postings with a budget of 0 ids, or a few, as with the default', async () => {
    const { dir, index } = await loadSeedAndSampleIndex();
    const terms = [...new Set(allTexts(index).slice(0, 40).flatMap((text) => [...text.slice(0, 6)]))];
    expect(terms.length).toBeGreaterThan(20);
    for (const budget of [0, 7]) {
      const budgeted = await loadIndex(dir, undefined, { postingsCacheIds: budget, analyzer: false });
      for (const term of [...terms, ...terms]) expect([...budgeted.terms.postings(term)], `${term} (${budget} ids)`).toEqual([...index.terms.postings(term)]);
    }
    await expect(loadIndex(dir, undefined, { postingsCacheIds: -1, analyzer: false })).rejects.toThrow(/budget/);
  });
});

describe('reloads on the pool', () => {
  const docs = (n: number): SourceDocument[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}.txt`, title: `第${i}篇`, paragraphs: [`支付寶第${i}段。`] }));

  it('answers every request from one index while the index is replaced, and releases the old one', async () => {
    const dir = tempDir();
    await writeDocumentsIndex(dir, docs(3));
    const holder = await openIndexHolder(dir, logger, { queryWorkers: 2, queryWorkerFile: WORKER });
    try {
      await warm(holder);
      const totals: number[] = [];
      let stop = false;
      const load = (async () => {
        while (!stop) {
          const answers = await Promise.all(Array.from({ length: 8 }, () => holder.answers().search('支付寶', { limit: 100, offset: 0 })));
          for (const answer of answers) {
            // One index's answer: its total and its hits agree (3 or 5 documents, never a mix).
            expect(answer.hits.map((hit) => hit.docId).sort()).toEqual(docs(answer.total).map((d) => d.id).sort());
            totals.push(answer.total);
          }
        }
      })();
      await writeDocumentsIndex(dir, docs(5));
      expect(await holder.reload('test')).toBe(true);
      await until(() => totals.at(-1) === 5, 'answers from the new index');
      stop = true;
      await load;
      expect(new Set(totals)).toEqual(new Set([3, 5]));
      // Answered by the workers, which hold the new index only once the old one's requests are done.
      await until(() => holder.pool!.holders(1) === 0, 'the old index released');
      expect(holder.pool!.holders(2)).toBe(2);
      // A quick reload (watch mode's) too.
      await writeDocumentsIndex(dir, docs(4));
      expect(await holder.reload('update', { warmAfter: true })).toBe(true);
      expect((await holder.answers().search('支付寶', { limit: 10, offset: 0 })).total).toBe(4);
      expect(holder.pool!.holders(3)).toBe(2);
    } finally {
      holder.close();
      await holder.stopWorkers();
    }
  });
});

describe('a query worker that dies', () => {
  const analyzed = (query: string): AnalyzedQuery => ({ query, parsed: parseQuery(query), rewrite: null, vocabularyReady: false });
  const generation = { generation: 1, dir: 'unused', manifest: {} as Manifest, files: new Map(), searcherOptions: {} };

  it('is replaced, and its request is asked once more of another worker, then fails with PoolWorkerError', async () => {
    const pool = createQueryPool({ workers: 2, logger: { info() {}, warn() {}, error() {} }, workerFile: STALLED_WORKER });
    try {
      await pool.load(generation).loaded;
      const answer = pool.search(1, analyzed('支付'), { limit: 10, offset: 0 }, 'data+json')!;
      const failure = answer.then(
        () => 'answered',
        (error: unknown) => error,
      );
      const first = pool.busy().indexOf(1);
      expect(first).toBeGreaterThanOrEqual(0);
      await pool.crashWorker(first);
      // Asked again of the other worker (the replacement has not loaded the index yet)...
      await until(() => pool.busy()[1 - first] === 1, 'the request on the other worker');
      // ...which dies too: the request has had its second chance.
      await pool.crashWorker(1 - first);
      expect(await failure).toBeInstanceOf(PoolWorkerError);
      // Both replaced, each loading the generation still served.
      await until(() => pool.holders(1) === 2, 'the replacements');
    } finally {
      await pool.close();
    }
  });

  it('makes GET /api/search answer 503 worker_failed', async () => {
    const shared = await loadSeedAndSampleIndex();
    const holder = await openIndexHolder(shared.dir, logger, { queryWorkers: 1, queryWorkerFile: STALLED_WORKER });
    try {
      await until(() => holder.pool!.holders(1) === 1, 'the worker');
      const app = createApp({ holder, logger });
      const answer = request(app).get(`/api/search?q=${encodeURIComponent('支付')}`).then((response) => response);
      await until(() => holder.pool!.busy()[0] === 1, 'the request on the worker');
      await holder.pool!.crashWorker(0);
      const response = await answer;
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toEqual({ error: { code: 'worker_failed', message: 'the search failed; try again' } });
    } finally {
      holder.close();
      await holder.stopWorkers();
    }
  });
});

describe('shutdown', () => {
  it('answers the requests in flight, then ends the workers', async () => {
    const shared = await loadSeedAndSampleIndex();
    const holder = await openIndexHolder(shared.dir, logger, { queryWorkers: 2, queryWorkerFile: WORKER });
    await until(() => holder.pool!.holders(1) === 2, 'the workers');
    const inFlight = Array.from({ length: 20 }, (_, i) => holder.answers().searchJson(`支付 ${i}`, { limit: 10, offset: 0 }));
    const stopped = holder.stopWorkers();
    const answers = await Promise.all(inFlight);
    expect(answers.every((text) => text.startsWith('{"query":"支付'))).toBe(true);
    await stopped;
    expect(holder.pool!.holders(1)).toBe(0);
    holder.close();
  });
});
