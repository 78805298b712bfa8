// The HTML pages: the search page with and without htmx, pagination, its states, the document page, errors,
// static assets and security headers — and that no text from the corpus or the query ever becomes markup.
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourceDocument } from '../indexer/corpus/index.js';
import { LIMITS } from '../server/params.js';
import { docUrl, searchUrl } from '../views/urls.js';
import { mixedText } from './support/arbitraries.js';
import { appWithDocuments, appWithIndex, assertNoInjectedMarkup, HOSTILE, type PagesApp } from './support/pages-app.js';
import { buildLocatedCorpus, HOSTILE_HEADING, HOSTILE_MD_NAME, JSONL_ID } from './support/located-corpus.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { escapeHtml } from '../views/html.js';
import { originalUrl } from '../views/urls.js';
import { resultsUrl } from '../views/result-urls.js';

/** The results as paragraphs (group=none) rather than the default cards of documents. */
const paragraphsUrl = (q: string, offset = 0): string => resultsUrl({ q, sort: 'relevance', grouped: false, doc: null }, offset);

const PAGED = Array.from({ length: 25 }, (_, n) => `第${n + 1}条翻页测试记录，编号${n + 1}。`);

const DOCUMENTS: SourceDocument[] = [
  { id: 'alipay.txt', title: '支付寶的十五年', paragraphs: ['支付寶在2004年上線。', '淘寶和天貓的交易越來越多。', '用支付宝付款很方便。'] },
  { id: 'sub/dir/notes.md', title: 'Notes & "quotes"', paragraphs: ['子目录里的笔记：程立说 CTO 很忙。', '第二段没有关键词。'] },
  { id: '中文 目录/文件.txt', title: '中文路径', paragraphs: ['路径里有空格和汉字的文档。'] },
  { id: 'a/../odd', title: '奇怪的编号', paragraphs: ['编号里有点点段的文档。'] },
  { id: 'paged.txt', title: '翻页', paragraphs: PAGED },
  HOSTILE,
];

let served: PagesApp;
beforeAll(async () => {
  served = await appWithDocuments(DOCUMENTS);
});
afterAll(() => {
  expect(served.errors).toEqual([]);
  served.close();
});

const get = (url: string) => request(served.app).get(url);
const partial = (url: string) => get(url).set('HX-Request', 'true').set('HX-Request-Type', 'partial');
const count = (text: string, pattern: RegExp): number => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

describe('search page without JavaScript', () => {
  it('GET / is a labelled GET form to /search, with the empty state', async () => {
    const response = await get('/').expect(200).expect('Content-Type', /text\/html/);
    const body = response.text;
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toMatch(/<form id="search-form"[^>]* action="\/search" method="get"/);
    expect(body).toMatch(/<label class="search-label" for="q">[^<]+<\/label>/);
    expect(body).toMatch(/<input id="q" name="q" type="search"/);
    expect(body).toContain('class="state state-empty"');
    expect(body).toContain('6 篇文档');
  });

  it('GET /search?q= shows results as a full page with marks in the original script', async () => {
    const response = await get(searchUrl('支付宝')).expect(200);
    expect(response.headers.vary).toMatch(/HX-Request-Type/i);
    const body = response.text;
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('value="支付宝"');
    expect(body).toContain('<mark>支付寶</mark>');
    expect(body).toContain('<mark>支付宝</mark>');
    expect(body).toMatch(/<p id="summary" class="summary" aria-live="polite"[^>]*>找到 1 篇文档中 2 个匹配的段落，用时 [\d.]+ 毫秒<\/p>/);
    expect(body).toContain(`href="${docUrl('alipay.txt', '支付宝', 0).replaceAll('&', '&amp;')}"`);
    expect(docUrl('alipay.txt', '支付宝', 0)).toBe('/doc/alipay.txt?q=%E6%94%AF%E4%BB%98%E5%AE%9D&p=0#p-0');
    // One card for the document, its two matching paragraphs in it.
    expect(count(body, /<li class="group">/)).toBe(1);
    expect(count(body, /<li class="group-hit">/)).toBe(2);
    const paragraphs = (await get(paragraphsUrl('支付宝')).expect(200)).text;
    expect(paragraphs).toMatch(/<p id="summary"[^>]*>找到 2 个段落，用时/);
    expect(count(paragraphs, /<li class="hit">/)).toBe(2);
  });

  it('blank queries show the empty state, not an error', async () => {
    for (const url of ['/search', '/search?q=', '/search?q=%20%E3%80%80']) {
      const response = await get(url).expect(200);
      expect(response.text).toContain('state-empty');
    }
  });
});

describe('search page with htmx', () => {
  it('answers HX-Request-Type: partial with the results fragment only', async () => {
    const response = await partial(searchUrl('支付宝')).expect(200).expect('Content-Type', /text\/html/);
    const body = response.text;
    expect(body).not.toMatch(/<!doctype|<html|<head|<body|<form/i);
    expect(body).toMatch(/^<title>支付宝 – 搜 Sou<\/title>/);
    expect(body).toMatch(/<hx-partial hx-target="#summary" hx-swap="innerHTML">找到 1 篇文档中 2 个匹配的段落，用时 [\d.]+ 毫秒<\/hx-partial>/);
    expect(body).toContain('<mark>支付寶</mark>');
    expect(response.headers.vary).toMatch(/HX-Request-Type/i);
  });

  it('answers HX-Request-Type: full (a history restore) with the whole page', async () => {
    const response = await get(searchUrl('支付宝')).set('HX-Request', 'true').set('HX-Request-Type', 'full').expect(200);
    expect(response.text).toMatch(/^<!doctype html>/);
  });

  it('the form carries the htmx 4 attributes for search as you type', async () => {
    const body = (await get('/').expect(200)).text;
    const form = body.match(/<form id="search-form"[^>]*>/)![0];
    expect(form).toContain('hx-get="/search"');
    expect(form).toContain('hx-trigger="submit, sou:search delay:250ms"');
    expect(form).toContain('hx-target="#results"');
    expect(form).toContain('hx-sync="replace"');
    expect(form).toContain('hx-push-url="true"');
    expect(body).toContain('<meta name="htmx-config" content=\'{"includeIndicatorCSS": false}\'>');
    expect(body).toContain('<script src="/static/htmx.min.js" defer></script>');
  });

  it('clearing the box pushes the home address', async () => {
    const response = await partial('/search?q=').expect(200);
    expect(response.headers['hx-push-url']).toBe('/');
    expect(response.text).toContain('state-empty');
  });
});

describe('pagination, 10 a page', () => {
  const pagerLinks = (body: string) => ({
    prev: body.match(/<a class="pager-prev" rel="prev" href="([^"]+)" hx-get="([^"]+)"/)?.slice(1),
    next: body.match(/<a class="pager-next" rel="next" href="([^"]+)" hx-get="([^"]+)"/)?.slice(1),
  });
  const q = '翻页测试';

  it('links to the next page on the first, both ways on the middle one, back on the last', async () => {
    const first = (await get(paragraphsUrl(q)).expect(200)).text;
    expect(first).toContain('找到 25 个段落');
    expect(count(first, /<li class="hit">/)).toBe(10);
    expect(first).toContain('<ol class="hits" start="1">');
    const one = pagerLinks(first);
    expect(one.prev).toBeUndefined();
    expect(one.next).toEqual([paragraphsUrl(q, 10), paragraphsUrl(q, 10)].map((u) => u.replaceAll('&', '&amp;')));
    expect(first).toContain('第 1 / 3 页');

    const middle = (await get(paragraphsUrl(q, 10)).expect(200)).text;
    expect(middle).toContain('<ol class="hits" start="11">');
    expect(pagerLinks(middle).prev?.[0]).toBe(paragraphsUrl(q).replaceAll('&', '&amp;'));
    expect(pagerLinks(middle).next?.[0]).toBe(paragraphsUrl(q, 20).replaceAll('&', '&amp;'));

    const last = (await partial(paragraphsUrl(q, 20)).expect(200)).text;
    expect(count(last, /<li class="hit">/)).toBe(5);
    expect(pagerLinks(last).prev?.[0]).toBe(paragraphsUrl(q, 10).replaceAll('&', '&amp;'));
    expect(pagerLinks(last).next).toBeUndefined();
    // Pager links work with htmx too, each with its own target (htmx 4 does not inherit attributes).
    expect(last).toMatch(/rel="prev" href="[^"]+" hx-get="[^"]+" hx-target="#results"[^>]* hx-push-url="true" hx-sync="#search-form:replace"/);
  });

  it('past the last page says so and links back to the first', async () => {
    const body = (await get(paragraphsUrl(q, 100)).expect(200)).text;
    expect(body).toContain('state-past-end');
    expect(body).toContain(`href="${paragraphsUrl(q).replaceAll('&', '&amp;')}"`);
  });
});

describe('result states', () => {
  it('relaxed: no paragraph has every word; the closest matches are shown', async () => {
    const body = (await get(searchUrl('支付宝 翻页测试')).expect(200)).text;
    expect(body).toContain('notice-relaxed');
    expect(body).toContain('没有哪个段落包含所有的词');
    expect(body).toMatch(/<p id="summary"[^>]*>找到 \d+ 篇文档中 \d+ 个相近的段落，用时/);
    expect(count(body, /<li class="group">/)).toBeGreaterThan(0);
  });

  it('no result', async () => {
    const body = (await get(searchUrl('量子纠缠xyzzy')).expect(200)).text;
    expect(body).toContain('state-none');
    expect(body).toContain('没有找到包含“<strong>量子纠缠xyzzy</strong>”的段落');
    expect(body).toContain('没有找到结果');
  });
});

describe('bad parameters: a friendly 400, never a 5xx', () => {
  const long = '长'.repeat(LIMITS.maxQueryLength + 1);

  it('an over-long query is a 400 page that keeps the query in the box', async () => {
    const response = await get(searchUrl(long)).expect(400).expect('Content-Type', /text\/html/);
    expect(response.text).toMatch(/^<!doctype html>/);
    expect(response.text).toContain(`搜索词太长了：${LIMITS.maxQueryLength + 1} 个字符，最多 ${LIMITS.maxQueryLength} 个`);
    expect(response.text).toContain(`value="${long}"`);
  });

  it('for htmx, the same message as a fragment (htmx 4 swaps 4xx responses)', async () => {
    const response = await partial(searchUrl(long)).expect(400);
    expect(response.text).not.toMatch(/<!doctype/i);
    expect(response.text).toContain('class="state state-error" role="alert"');
  });

  it.each([
    ['/search?q=a&offset=abc', 'offset'],
    ['/search?q=a&offset=-1', 'offset'],
    [`/search?q=a&offset=${LIMITS.maxOffset + 1}`, 'offset'],
    ['/search?q=a&q=b', 'q 只能有一个'],
  ])('%s', async (url, words) => {
    const response = await get(url).expect(400);
    expect(response.text).toContain(words);
  });

  it('a broken escape in the path is a 400 page; an unknown address a 404 page', async () => {
    expect((await get('/doc/%E0%A4%A').expect(400)).text).toContain('无法打开这个地址');
    expect((await get('/no/such/page').expect(404)).text).toContain('找不到这个页面');
  });

  it('any query text answers 200 or 400, as a page and as a fragment', async () => {
    await fc.assert(
      fc.asyncProperty(mixedText, fc.boolean(), async (q, asFragment) => {
        const url = `/search?q=${encodeURIComponent(q.toWellFormed())}`;
        const response = await (asFragment ? partial(url) : get(url));
        expect([200, 400]).toContain(response.status);
        expect(assertNoInjectedMarkup(response.text)).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});

describe('document page', () => {
  it('shows every paragraph anchored #p-n, marks the query and singles out ?p=n', async () => {
    const body = (await get('/doc/alipay.txt?q=%E6%94%AF%E4%BB%98%E5%AE%9D&p=2').expect(200)).text;
    expect(body).toContain('<h1 class="doc-title">支付寶的十五年</h1>');
    expect(body).toContain('<p id="p-0" class="para"><mark>支付寶</mark>在2004年上線。</p>');
    expect(body).toContain('<p id="p-1" class="para">淘寶和天貓的交易越來越多。</p>');
    expect(body).toContain('<p id="p-2" class="para is-target">用<mark>支付宝</mark>付款很方便。</p>');
    expect(body).toContain('“支付宝”出现 2 处');
    expect(body).toContain(`href="${searchUrl('支付宝')}"`);
  });

  it('without q there is nothing to mark; a p that is not a paragraph is ignored', async () => {
    const body = (await get('/doc/alipay.txt?p=99').expect(200)).text;
    expect(body).not.toContain('<mark>');
    expect(body).not.toContain('is-target');
  });

  it('serves ids with slashes, spaces and CJK, and ids that cannot be a path', async () => {
    expect(docUrl('sub/dir/notes.md', null, null)).toBe('/doc/sub/dir/notes.md');
    expect((await get('/doc/sub/dir/notes.md').expect(200)).text).toContain('Notes &amp; &quot;quotes&quot;');
    const cjk = docUrl('中文 目录/文件.txt', null, null);
    expect(cjk).toBe('/doc/%E4%B8%AD%E6%96%87%20%E7%9B%AE%E5%BD%95/%E6%96%87%E4%BB%B6.txt');
    expect((await get(cjk).expect(200)).text).toContain('中文路径');
    const odd = docUrl('a/../odd', '编号', 0);
    expect(odd).toBe('/doc?id=a%2F..%2Fodd&q=%E7%BC%96%E5%8F%B7&p=0#p-0');
    expect((await get(odd.replace(/#.*/, '')).expect(200)).text).toContain('<mark>编号</mark>');
  });

  it('results link to documents the same way', async () => {
    const body = (await get(searchUrl('子目录')).expect(200)).text;
    expect(body).toContain('href="/doc/sub/dir/notes.md?q=');
    const odd = (await get(searchUrl('点点段')).expect(200)).text;
    expect(odd).toContain('href="/doc?id=a%2F..%2Fodd&amp;q=');
  });

  it('an unknown document is a 404 page', async () => {
    const response = await get('/doc/nope.txt?q=x').expect(404).expect('Content-Type', /text\/html/);
    expect(response.text).toContain('找不到这篇文档');
    expect(response.text).toContain('nope.txt');
  });

  it('an over-long q on a document page is a 400 page', async () => {
    await get(`/doc/alipay.txt?q=${'x'.repeat(LIMITS.maxQueryLength + 1)}`).expect(400);
  });
});

describe('hostile text stays text', () => {
  it('(the markup check itself catches injections)', () => {
    expect(assertNoInjectedMarkup('<p>ok &lt;img src=x onerror=1&gt;</p><input value="&quot; onfocus=x">')).toEqual([]);
    for (const bad of ['<img src=x>', '<p onclick="x">', '<script>x</script>', '<a href="javascript:x">', '<p style="x">', '<svg/onload=x>', '<p title="a"b>']) {
      expect(assertNoInjectedMarkup(`<p>${bad}</p>`)).not.toEqual([]);
    }
  });

  const escapedParagraph = '危险图片&lt;img src=x onerror=&quot;window.__pwned=1;alert(1)&quot;&gt;在这里';

  it('in results', async () => {
    for (const response of [await get(searchUrl('危险')).expect(200), await partial(searchUrl('危险')).expect(200)]) {
      expect(assertNoInjectedMarkup(response.text)).toEqual([]);
      expect(response.text).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
      expect(response.text).toContain('<mark>危险</mark>');
    }
  });

  it('on the document page', async () => {
    const body = (await get(docUrl(HOSTILE.id, '危险', 1).replace(/#.*/, '')).expect(200)).text;
    expect(assertNoInjectedMarkup(body)).toEqual([]);
    expect(body).toContain(escapedParagraph.replace('危险', '<mark>危险</mark>'));
    expect(body).toContain('&amp; &quot;双引号&quot; &#39;单引号&#39; &amp;amp; &amp;lt;');
    expect(body).toContain('<title>&lt;script&gt;window.__pwned=1&lt;/script&gt;危险标题 &amp; &quot;引号&quot; – 搜 Sou</title>');
  });

  it.each([
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "' onfocus='alert(1)' x='",
    '</title><script>alert(1)</script>',
    '<hx-partial hx-target="body">x</hx-partial>',
  ])('in the query %s', async (q) => {
    for (const url of [searchUrl(q), docUrl('alipay.txt', q, 0).replace(/#.*/, '')]) {
      const full = await get(url).expect(200);
      expect(assertNoInjectedMarkup(full.text)).toEqual([]);
      expect(full.text).not.toContain(q);
      expect(full.text).not.toMatch(/<hx-partial hx-target="body"/);
    }
    const fragment = await partial(searchUrl(q)).expect(200);
    expect(assertNoInjectedMarkup(fragment.text)).toEqual([]);
    expect(count(fragment.text, /<hx-partial\b/)).toBe(1);
  });
});

describe('locations and the original file', () => {
  const tempDir = tempDirFactory('pages-locations');
  let located: PagesApp;
  beforeAll(async () => {
    located = await appWithIndex((await buildLocatedCorpus(tempDir())).out);
  }, 120_000);
  afterAll(() => {
    expect(located?.errors).toEqual([]);
    located?.close();
  });
  const getLocated = (url: string) => request(located.app).get(url);

  it('a result card says where the paragraph is in one short line', async () => {
    const body = (await getLocated(paragraphsUrl('程立')).expect(200)).text;
    expect(body).toMatch(/<span class="hit-doc">alipay\.pdf<\/span> · 第 \d+ 段 · <span class="hit-location">第 \d+ 页<\/span>/);
    // In a document's card, each paragraph's line names its place; the card's head names the document.
    const cards = (await getLocated(searchUrl('程立')).expect(200)).text;
    expect(cards).toMatch(/<p class="hit-meta">第 \d+ 段 · <span class="hit-location">第 \d+ 页<\/span><\/p>/);
    expect(cards).toMatch(/<p class="group-meta"><span class="hit-doc">alipay\.pdf<\/span> · <span class="group-type">PDF<\/span>/);
    // The EPUB chapter's own heading repeats its title: said once.
    expect(body).toMatch(/<span class="hit-doc">alipay\.epub<\/span> · 第 \d+ 段 · <span class="hit-location">支付寶十五年<\/span>/);
    const docx = (await getLocated(paragraphsUrl('九省通衢')).expect(200)).text;
    expect(docx).toContain('<span class="hit-location">第一章 長江 › 沿岸城市</span>');
    const plain = (await getLocated(paragraphsUrl('纯文本')).expect(200)).text;
    expect(plain).toContain('<span class="hit-doc">plain.txt</span> · 第 1 段</p>');
  });

  it('the document page shows each location where it changes, and links to the original file', async () => {
    const body = (await getLocated(docUrl('alipay.pdf', null, null)).expect(200)).text;
    const lines = [...body.matchAll(/<p class="para-location">([^<]*)<\/p>/g)].map((m) => m[1]);
    expect(lines.slice(0, 3)).toEqual(['第 1 页', '第 2 页', '第 3 页']); // once a page, not once a paragraph
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.length).toBeLessThan(30);
    expect(body).toContain(`<a class="doc-original" href="${originalUrl('alipay.pdf')}">原文件（PDF）</a>`);
    const docx = (await getLocated(docUrl('sub/traditional.docx', null, null)).expect(200)).text;
    expect(docx).toContain('<p class="para-location">第一章 長江 › 沿岸城市</p>');
    expect(docx).toContain('href="/original/sub/traditional.docx"');
  });

  it('has no original-file link for a .jsonl document', async () => {
    const body = (await getLocated(docUrl(JSONL_ID, null, null)).expect(200)).text;
    expect(body).not.toContain('doc-original');
    expect(body).not.toContain('para-location');
  });

  it('hostile headings and file names stay text in the card, the location line and the link', async () => {
    for (const url of [searchUrl('危险段落'), docUrl(HOSTILE_MD_NAME, '危险', 0).replace(/#.*/, '')]) {
      const body = (await getLocated(url).expect(200)).text;
      expect(assertNoInjectedMarkup(body)).toEqual([]);
      expect(body).toContain(escapeHtml(HOSTILE_HEADING));
      expect(body).not.toContain(HOSTILE_HEADING);
    }
    const page = (await getLocated(docUrl(HOSTILE_MD_NAME, null, null)).expect(200)).text;
    expect(page).toContain(`<p class="para-location">${escapeHtml(HOSTILE_HEADING)}</p>`);
    expect(page).toContain(`href="${escapeHtml(originalUrl(HOSTILE_MD_NAME))}"`);
    expect(originalUrl(HOSTILE_MD_NAME)).toBe('/original/%3Cb%3E%26%22x%22.md');
  });
});

describe('static assets and headers', () => {
  it.each([
    ['/static/app.css', /text\/css/],
    ['/static/app.js', /javascript/],
    ['/static/htmx.min.js', /javascript/],
  ])('%s', async (url, type) => {
    const response = await get(url).expect(200).expect('Content-Type', type);
    expect(response.text.length).toBeGreaterThan(100);
  });

  it('serves htmx 4 itself, and nothing else of node_modules', async () => {
    expect((await get('/static/htmx.min.js')).text).toContain('4.0.1');
    await get('/static/../package.json').expect(404);
    await get('/static/htmx.js').expect(404);
    await get('/static/nope.css').expect(404);
  });

  it('pages send a strict Content-Security-Policy and use no inline script or style', async () => {
    for (const url of ['/', searchUrl('支付宝'), '/doc/alipay.txt?q=x', '/doc/nope']) {
      const response = await get(url);
      const csp = response.headers['content-security-policy'];
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
        expect(csp).toContain(directive);
      }
      expect(csp).not.toContain('unsafe');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.text).not.toMatch(/<style|\sstyle=|<script>|\son[a-z]+=/i);
    }
  });

  it('leaves the JSON endpoint alone', async () => {
    const response = await get('/api/search?q=%E6%94%AF%E4%BB%98%E5%AE%9D').expect(200).expect('Content-Type', /json/);
    expect(response.body.total).toBe(2);
  });
});
