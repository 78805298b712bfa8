// createResultCache: least recently used entries go first, capacity 0 keeps nothing, bad capacities are refused.
// cacheAnswers: a searcher's answers through it, as data or JSON text, equal to the engine's own, reused only while
// the vocabulary they were read with is the one searches read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerJson, answerText } from '../server/answer-json.js';
import { cacheAnswers, createResultCache } from '../server/result-cache.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import type { SearchResponse } from '../server/search/types.js';
import { buildTestIndex, type TestIndex } from './support/search-index.js';

describe('createResultCache', () => {
  it('keeps at most `capacity` entries and drops the least recently used', () => {
    const cache = createResultCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces the value of a key set again without growing', () => {
    const cache = createResultCache<string>(3);
    cache.set('q', 'old');
    cache.set('q', 'new');
    expect(cache.get('q')).toBe('new');
    expect(cache.size).toBe(1);
  });

  it('keeps nothing with capacity 0', () => {
    const cache = createResultCache<number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('refuses a negative or fractional capacity with a prefixed error', () => {
    expect(() => createResultCache(-1)).toThrow(/^sou: /);
    expect(() => createResultCache(1.5)).toThrow(/^sou: /);
  });
});

describe('cacheAnswers', () => {
  let built: TestIndex;
  beforeAll(async () => {
    built = await buildTestIndex([
      { id: 'alipay.txt', title: '支付寶', paragraphs: Array.from({ length: 30 }, (_, n) => `支付寶的系統，第${n}段。`) },
      { id: 'notes.md', title: '筆記', paragraphs: ['雙11 的 iPad。', '支付宝和淘宝。'] },
    ]);
  });
  afterAll(() => built?.cleanup());

  const strip = ({ tookMs: _tookMs, ...rest }: SearchResponse): Omit<SearchResponse, 'tookMs'> => rest;
  /** A searcher as the server has it once its vocabulary is built. */
  const ready = async (): Promise<Searcher> => {
    const searcher = createSearcher(built.index);
    await searcher.prepareVocabulary();
    return searcher;
  };
  let fresh: (q: string, limit: number, offset: number) => SearchResponse;
  beforeAll(async () => {
    const searcher = await ready();
    fresh = (q, limit, offset) => searcher.search(q, { limit, offset });
  });

  it('answers a query asked again exactly as the engine did, per query, limit and offset', async () => {
    const cached = cacheAnswers(await ready(), 10);
    for (const [q, limit, offset] of [['支付寶', 10, 0], ['支付寶', 10, 10], ['支付寶', 5, 0], ['支付宝', 10, 0], ['雙11 iPad', 10, 0]] as const) {
      const first = await cached.search(q, { limit, offset });
      expect(strip(first), `${q} ${limit} ${offset}`).toEqual(strip(fresh(q, limit, offset)));
      expect(strip(await cached.search(q, { limit, offset }))).toEqual(strip(first));
    }
    expect(cached.size).toBe(5);
    // Different raw queries that fold alike are different entries: each echoes its own query.
    expect((await cached.search('支付宝', { limit: 10, offset: 0 })).query).toBe('支付宝');
  });

  it('keeps nothing with capacity 0, and belongs to one searcher (a reloaded index starts empty)', async () => {
    const searcher = await ready();
    const uncached = cacheAnswers(searcher, 0);
    const a = await uncached.search('支付寶', { limit: 10, offset: 0 });
    expect((await uncached.search('支付寶', { limit: 10, offset: 0 })).hits).not.toBe(a.hits);
    const one = cacheAnswers(searcher, 10);
    const other = cacheAnswers(searcher, 10);
    const fromOne = await one.search('支付寶', { limit: 10, offset: 0 });
    expect((await one.search('支付寶', { limit: 10, offset: 0 })).hits).toBe(fromOne.hits);
    expect((await other.search('支付寶', { limit: 10, offset: 0 })).hits).not.toBe(fromOne.hits);
  });

  it('gives the answer as the JSON text of the engine’s answer, cached or not, with its own tookMs', async () => {
    const options = { limit: 5, offset: 0 };
    const expected = fresh('支付寶', 5, 0);
    for (const capacity of [0, 10]) {
      const cached = cacheAnswers(await ready(), capacity);
      for (let ask = 0; ask < 2; ask++) {
        const text = await cached.searchJson('支付寶', options);
        const { tookMs } = JSON.parse(text) as SearchResponse;
        expect(text, `capacity ${capacity}, ask ${ask}`).toBe(answerText(answerJson(expected), tookMs));
      }
      expect(cached.size).toBe(Math.min(capacity, 1));
    }
  });

  it('keeps no answer given before the vocabulary was built: asked again, the query reads pinyin', async () => {
    const searcher = createSearcher(built.index);
    const cached = cacheAnswers(searcher, 10);
    const before = await cached.search('zhifubao', { limit: 10, offset: 0 });
    expect(before).toMatchObject({ vocabularyReady: false, rewrite: null, total: 0 });
    expect(cached.size).toBe(0);
    await searcher.prepareVocabulary();
    const after = await cached.search('zhifubao', { limit: 10, offset: 0 });
    expect(after.vocabularyReady).toBe(true);
    expect(after.rewrite?.runs[0]?.word).toBe('支付宝');
    expect(after.total).toBeGreaterThan(0);
    expect(cached.size).toBe(1);
  });

  it('reuses no answer read with the replaced index’s vocabulary once its own is built (regression: a word saved in watch mode, read as pinyin)', async () => {
    // The index this one replaced has no 淘宝: its vocabulary, read until this one's is built, reads no taobao.
    const older = await buildTestIndex([{ id: 'alipay.txt', title: '支付寶', paragraphs: ['支付寶的系統。'] }]);
    try {
      const interimVocabulary = await createSearcher(older.index).prepareVocabulary();
      const searcher = createSearcher(built.index, { interimVocabulary });
      const cached = cacheAnswers(searcher, 10);
      const before = await cached.search('taobao', { limit: 10, offset: 0 });
      expect(before).toMatchObject({ vocabularyReady: true, rewrite: null, total: 0 });
      expect((await cached.search('taobao', { limit: 10, offset: 0 })).hits).toBe(before.hits); // cached meanwhile
      await searcher.prepareVocabulary();
      const after = await cached.search('taobao', { limit: 10, offset: 0 });
      expect(after.rewrite?.runs[0]?.word).toBe('淘宝');
      expect(after.total).toBe(1);
      expect((await cached.search('taobao', { limit: 10, offset: 0 })).hits).toBe(after.hits);
    } finally {
      await older.cleanup();
    }
  });

  it('keeps an answer searched elsewhere (a query worker) with the vocabulary read before it, not the one built meanwhile', async () => {
    const older = await buildTestIndex([{ id: 'alipay.txt', title: '支付寶', paragraphs: ['支付寶的系統。'] }]);
    try {
      const interimVocabulary = await createSearcher(older.index).prepareVocabulary();
      const searcher = createSearcher(built.index, { interimVocabulary });
      let searched = 0;
      // As the pool's search: analyzed at once, answered later; here the index's own vocabulary is built meanwhile.
      const cached = cacheAnswers(searcher, 10, async (query, options) => {
        searched++;
        const analyzed = searcher.analyze(query);
        await searcher.prepareVocabulary();
        return { response: searcher.searchAnalyzed(analyzed, options) };
      });
      const before = await cached.search('taobao', { limit: 10, offset: 0 });
      expect(before).toMatchObject({ rewrite: null, total: 0 });
      const after = await cached.search('taobao', { limit: 10, offset: 0 });
      expect(searched).toBe(2);
      expect(after.rewrite?.runs[0]?.word).toBe('淘宝');
      expect(after.total).toBe(1);
    } finally {
      await older.cleanup();
    }
  });
});
