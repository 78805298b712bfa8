// The results page's cards of documents, "N more" (fragment and page), facet links, sorts and the grouping
// switch (views/groups.ts, facets.ts, results.ts; server/pages.ts, facet-links.ts) on the grouped-corpus fixture.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toggleFilter } from '../server/facet-links.js';
import { documentMatchesUrl, moreMatchesUrl, resultsUrl, type ResultsView } from '../views/result-urls.js';
import { searchUrl } from '../views/urls.js';
import { readGroupedCorpus } from './support/grouped-corpus.js';
import { appWithDocuments, assertNoInjectedMarkup, type PagesApp } from './support/pages-app.js';

let served: PagesApp;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sou-pages-groups-'));
  served = await appWithDocuments((await readGroupedCorpus(dir)).documents);
}, 60_000);
afterAll(() => {
  expect(served.errors).toEqual([]);
  served?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => request(served.app).get(url);
const partial = (url: string) => get(url).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern, 'g'))?.length ?? 0;
const unescape = (text: string): string => text.replaceAll('&amp;', '&');
const view = (q: string): ResultsView => ({ q, sort: 'relevance', grouped: true, doc: null });
const LONG = '报告/2024/年度 报告.md';

describe('cards of documents', () => {
  it('one card per document, at most three paragraphs each, and both totals', async () => {
    const body = (await get(searchUrl('支付')).expect(200)).text;
    expect(body).toMatch(/找到 11 篇文档中 21 个匹配的段落/);
    expect(count(body, /<li class="group">/)).toBe(10); // a page of 10 documents
    const card = body.slice(body.indexOf('<li class="group">'), body.indexOf('</li><li class="group">'));
    expect(card).toContain(LONG);
    expect(count(card, /<li class="group-hit">/)).toBe(3);
    expect(card).toContain('9 段匹配');
    expect(assertNoInjectedMarkup(body)).toEqual([]);
    // The next page holds the eleventh document.
    expect(body).toContain(`href="${resultsUrl(view('支付'), 10).replaceAll('&', '&amp;')}"`);
    const next = (await get(resultsUrl(view('支付'), 10)).expect(200)).text;
    expect(count(next, /<li class="group">/)).toBe(1);
  });

  it('"N more" is a link to the document\'s matches and, for htmx, a fragment of them in place', async () => {
    const body = (await get(searchUrl('支付')).expect(200)).text;
    const more = body.match(/<a class="more" href="([^"]+)" hx-get="([^"]+)" hx-target="this" hx-swap="outerHTML"[^>]*>这篇文档中还有 6 段匹配<\/a>/);
    expect(more).not.toBeNull();
    expect(unescape(more![1]!)).toBe(documentMatchesUrl(view('支付'), LONG, 3));
    expect(unescape(more![2]!)).toBe(moreMatchesUrl(view('支付'), LONG, 3));
    const fragment = (await partial(unescape(more![2]!)).expect(200)).text;
    expect(fragment).toMatch(/^<ol class="group-hits more-hits" start="4">/);
    expect(count(fragment, /<li class="group-hit">/)).toBe(6);
    expect(fragment).not.toContain('class="more"');
    // Without htmx the fragment's address sends to the page of those matches, which lists them with the rest.
    const redirect = await get(unescape(more![2]!)).expect(303);
    expect(redirect.headers.location).toBe(documentMatchesUrl(view('支付'), LONG, 3));
    const page = (await get(unescape(more![1]!)).expect(200)).text;
    expect(page).toContain('《年度 报告 2024》中的 9 段匹配');
    expect(count(page, /<li class="hit">/)).toBe(6);
    expect(page).toContain('<ol class="hits" start="4">');
  });
});

describe('facet links', () => {
  it('add a filter to the query text, and a chosen one takes it out again', async () => {
    const body = (await get(searchUrl('支付')).expect(200)).text;
    const link = body.match(/<a href="([^"]+)"[^>]*aria-label="只看：新闻（2 篇）"/);
    expect(unescape(link![1]!)).toBe(resultsUrl(view('支付 in:新闻')));
    const filtered = (await get(resultsUrl(view('支付 in:新闻'))).expect(200)).text;
    expect(filtered).toMatch(/找到 2 篇文档中/);
    expect(filtered).toContain('value="支付 in:新闻"');
    // Other folders keep their counts (disjunctive); the chosen one is marked and links back.
    expect(filtered).toContain('aria-label="只看：报告（3 篇）"');
    const back = filtered.match(/<a href="([^"]+)"[^>]*aria-label="取消筛选：新闻（2 篇）" aria-current="true"/);
    expect(unescape(back![1]!)).toBe(resultsUrl(view('支付')));
    expect(filtered).toContain('筛选（已选 1 项）');
  });

  it('toggleFilter quotes values with spaces and takes out every copy of a filter', () => {
    expect(toggleFilter('城', 'in', '笔记/读书 札记', false)).toBe('城 in:"笔记/读书 札记"');
    expect(toggleFilter('城 in:"笔记/读书 札记" type:txt', 'in', '笔记/读书 札记', true)).toBe('城 type:txt');
    expect(toggleFilter('in:新闻 支付 in:新闻/', 'in', '新闻', true)).toBe('支付');
    expect(toggleFilter('支付 type:MD', 'type', 'md', true)).toBe('支付');
  });
});

describe('sorts and grouping', () => {
  it('sort links keep the query and grouping; the current sort is marked', async () => {
    const body = (await get(resultsUrl({ ...view('支付'), sort: 'newest' })).expect(200)).text;
    expect(body).toContain('<span class="view-option is-current" aria-current="true">最新</span>');
    const dates = [...body.matchAll(/<time datetime="([\d-]+)">/g)].map((m) => m[1]!);
    expect(dates).toEqual([...dates].sort().reverse());
    const paragraphs = (await get(resultsUrl({ ...view('支付'), grouped: false })).expect(200)).text;
    expect(count(paragraphs, /<li class="hit">/)).toBe(10);
    expect(paragraphs).toMatch(/找到 21 个段落/);
  });

  it('bad sort, group or filter values are a friendly 400', async () => {
    expect((await get('/search?q=%E6%94%AF%E4%BB%98&sort=random').expect(400)).text).toContain('排序参数 sort 无效');
    expect((await get('/search?q=%E6%94%AF%E4%BB%98&group=x').expect(400)).text).toContain('分组参数 group 无效');
    expect((await get(searchUrl('支付 after:2024-13-01')).expect(400)).text).toContain('筛选条件无法识别');
  });
});
