// GET /api/suggest and the /suggest fragment through the real app, and the lines the results page adds for
// pinyin and corrections (docs/contract.md "Suggestions", "Web pages"), driven by supertest.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../indexer/corpus/index.js';
import { createApp } from '../server/app.js';
import { openIndexHolder, type IndexHolder } from '../server/index-holder.js';
import type { Logger } from '../server/logger.js';
import { pagesRouter } from '../server/pages.js';
import type { SuggestAnswer } from '../server/suggest.js';
import { FRAGMENTS } from './support/arbitraries.js';
import { assertNoInjectedMarkup } from './support/pages-app.js';
import { buildTestIndex, seededRandom, SEED_CORPUS, type TestIndex } from './support/search-index.js';

let built: TestIndex;
let holder: IndexHolder;
let app: ReturnType<typeof createApp>;
const errors: object[] = [];
const logger: Logger = { info() {}, warn() {}, error: (object) => void errors.push(object) };

beforeAll(async () => {
  const { documents } = await readCorpus([SEED_CORPUS]);
  built = await buildTestIndex([...documents, { id: 'hostile.txt', title: '标题', paragraphs: ['支付宝<script>alert(1)</script>支付宝钱包 & "引号"'] }]);
  holder = await openIndexHolder(built.dir, logger);
  await holder.searcher().prepareVocabulary();
  app = createApp({ holder, logger, pages: pagesRouter(holder) });
});
afterAll(() => {
  holder?.close();
  built?.cleanup();
});

const suggest = async (query: Record<string, string>): Promise<SuggestAnswer> => {
  const response = await request(app).get('/api/suggest').query(query);
  expect(response.status).toBe(200);
  expect(response.type).toBe('application/json');
  return response.body as SuggestAnswer;
};
const total = async (q: string): Promise<number> => ((await request(app).get('/api/search').query({ q })).body as { total: number }).total;

describe('GET /api/suggest', () => {
  it('answers at most 8 completions with their paragraph counts, by prefix, pinyin and initials', async () => {
    for (const q of ['支付', 'zhifub', 'zfb', 'zhi付', '支f']) {
      const answer = await suggest({ q });
      expect(Object.keys(answer).sort()).toEqual(['query', 'suggestions', 'vocabularyReady']);
      expect(answer).toMatchObject({ query: q, vocabularyReady: true });
      expect(answer.suggestions.length, q).toBeGreaterThan(0);
      expect(answer.suggestions.length).toBeLessThanOrEqual(8);
      expect(answer.suggestions[0]!.text, q).toBe('支付宝');
      for (const suggestion of answer.suggestions) expect(Object.keys(suggestion).sort()).toEqual(['by', 'count', 'text']);
    }
    expect((await suggest({ q: 'zhifub' })).suggestions[0]!.by).toBe('pinyin');
    expect((await suggest({ q: 'zfb' })).suggestions[0]!.by).toBe('initials');
  });

  it('never suggests what finds nothing: each suggestion, searched, finds at least its count', async () => {
    const random = seededRandom(23);
    const typed = ['z', 'zh', 'x', 'sh', 'tao', '支', '淘', 'cto', 'a', 'ma'];
    for (let i = 0; i < 10; i++) typed.push(FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!);
    for (const q of typed) {
      for (const { text, count } of (await suggest({ q })).suggestions) {
        expect(count, text).toBeGreaterThan(0);
        expect(await total(text), text).toBeGreaterThanOrEqual(count);
      }
    }
  });

  it('takes limit 1–8 and refuses anything else, and a missing or too long q, like /api/search', async () => {
    expect((await suggest({ q: 'z', limit: '1' })).suggestions).toHaveLength(1);
    for (const [query, code] of [
      [{ q: 'z', limit: '9' }, 'bad_limit'],
      [{ q: 'z', limit: '0' }, 'bad_limit'],
      [{ q: 'z', limit: 'x' }, 'bad_limit'],
      [{}, 'missing_query'],
      [{ q: '  ' }, 'missing_query'],
      [{ q: 'z'.repeat(257) }, 'query_too_long'],
    ] as const) {
      const response = await request(app).get('/api/suggest').query(query);
      expect(response.status, JSON.stringify(query)).toBe(400);
      expect(response.body.error.code).toBe(code);
    }
    const twice = await request(app).get('/api/suggest?q=a&q=b');
    expect(twice.status).toBe(400);
    expect(twice.body.error.code).toBe('bad_q');
  });

  it('answers random strings with 200 or 400 and valid JSON', async () => {
    const random = seededRandom(2323);
    for (let i = 0; i < 200; i++) {
      const q = Array.from({ length: 1 + Math.floor(random() * 4) }, () => FRAGMENTS[Math.floor(random() * FRAGMENTS.length)]!).join('');
      const response = await request(app).get('/api/suggest').query({ q });
      expect([200, 400], q).toContain(response.status);
      expect(typeof response.body).toBe('object');
    }
    expect(errors).toEqual([]);
  });

  it('says so, and suggests nothing, before the vocabulary is built', async () => {
    const cold = await openIndexHolder(built.dir, logger);
    try {
      const response = await request(createApp({ holder: cold, logger })).get('/api/suggest').query({ q: 'zhifub' });
      expect(response.body).toEqual({ query: 'zhifub', vocabularyReady: false, suggestions: [] });
    } finally {
      cold.close();
    }
  });
});

describe('GET /suggest (the listbox options)', () => {
  it('gives one escaped option per suggestion, and an empty fragment for a blank or bad query', async () => {
    const response = await request(app).get('/suggest').query({ q: '支付' });
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    const options = [...response.text.matchAll(/<li id="suggestion-(\d+)" class="suggestion" role="option" aria-selected="false" data-value="([^"]+)">/g)];
    expect(options.map((m) => m[2])).toEqual((await suggest({ q: '支付' })).suggestions.map((s) => s.text));
    expect(options.map((m) => Number(m[1]))).toEqual(options.map((_, i) => i));
    expect(assertNoInjectedMarkup(response.text)).toEqual([]);
    for (const q of ['', 'z'.repeat(300)]) expect((await request(app).get('/suggest').query({ q })).text).toBe('');
  });
});

describe('the results page', () => {
  it('says how pinyin was read, with a link to search the letters as typed', async () => {
    const page = (await request(app).get('/search').query({ q: 'zhifubao' })).text;
    expect(page).toContain('<p class="notice notice-pinyin">按拼音 <kbd>zhifubao</kbd> 搜索：<strong>支付宝</strong>');
    expect(page).toContain('href="/search?q=%22zhifubao%22"');
    expect(page).toContain('<mark>支付寶</mark>');
    expect(assertNoInjectedMarkup(page)).toEqual([]);
  });

  it('offers "did you mean" as a link when the query found little', async () => {
    const page = (await request(app).get('/search').query({ q: '支付包' })).text;
    expect(page).toMatch(/<p class="notice notice-suggestion">你是不是要找：<a href="\/search\?q=%E6%94%AF%E4%BB%98%E5%AE%9D"[^>]*><strong>支付宝<\/strong><\/a>/);
  });

  it('shows the corrected results when the query found nothing, with a link to search the original exactly', async () => {
    const page = (await request(app).get('/search').query({ q: '支副宝' })).text;
    expect(page).toContain('没有找到“<kbd>支副宝</kbd>”，下面是“<strong>支付宝</strong>”的结果。');
    expect(page).toContain('href="/search?q=%22%E6%94%AF%E5%89%AF%E5%AE%9D%22"');
    expect(page).toContain('<mark>支付寶</mark>');
    const exact = (await request(app).get('/search').query({ q: '"支副宝"' })).text;
    expect(exact).toContain('没有找到包含');
    expect(exact).not.toContain('notice-corrected');
  });
});
