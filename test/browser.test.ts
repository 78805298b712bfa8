// The search page in a real browser (Debian's Chromium through playwright-core): search as you type, patience
// with input methods, the page without JavaScript, documents, hostile text under the CSP, history, screenshots,
// and the real server run from a clone under a dot folder.
// Without /usr/bin/chromium the suite is skipped with a message; on CI (CI=true) a missing browser fails.
// The functions passed to page.evaluate run in the page, hence the DOM types (only for the test type check;
// `npm run build` still checks server and view code without them).
/// <reference lib="dom" />
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readCorpus } from '../indexer/corpus/index.js';
import { resultsUrl } from '../views/result-urls.js';
import { docUrl, searchUrl } from '../views/urls.js';
import { CHROMIUM, serveToChromium, watchProblems, type BrowserApp } from './support/browser-app.js';
import { HOSTILE } from './support/pages-app.js';
import { copyProject } from './support/project-copy.js';
import { startServer } from './support/server-process.js';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');
const haveBrowser = existsSync(CHROMIUM);
/** The results as paragraphs (group=none), not the default cards of documents: this corpus is one document. */
const paragraphsUrl = (q: string): string => resultsUrl({ q, sort: 'relevance', grouped: false, doc: null });
const tempDir = tempDirFactory('browser');

if (!haveBrowser) {
  if (process.env.CI === 'true') {
    describe('browser', () => {
      it('needs Chromium on CI', () => {
        throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
      });
    });
  } else {
    console.warn(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  }
}

describe.skipIf(!haveBrowser)('search page in Chromium', () => {
  let app: BrowserApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const corpus = await readCorpus([path.join(ROOT, 'corpus')]);
    app = await serveToChromium([...corpus.documents, HOSTILE]);
    ({ browser, base } = app);
  });
  afterAll(async () => {
    await app?.close();
  });

  interface Watched {
    readonly context: BrowserContext;
    readonly page: Page;
    /** htmx's requests to /search (fetches, not page loads). */
    readonly searches: Request[];
    /** Console errors, page errors, CSP violations and dialogs: any of them fails the test. */
    readonly problems: string[];
  }

  async function open(options: { javaScript?: boolean; width?: number; height?: number; dark?: boolean } = {}): Promise<Watched> {
    const context = await browser.newContext({
      javaScriptEnabled: options.javaScript ?? true,
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      colorScheme: options.dark ? 'dark' : 'light',
    });
    const page = await context.newPage();
    const searches: Request[] = [];
    const problems = await watchProblems(page);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/search' && request.resourceType() === 'fetch') searches.push(request);
    });
    return { context, page, searches, problems };
  }

  const box = (page: Page) => page.locator('#q');
  const markTexts = (page: Page) => page.locator('#results mark').allTextContents();
  const hitLinks = (page: Page) => page.locator('#results .hit-title a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const pathAndQuery = (page: Page) => {
    const url = new URL(page.url());
    return decodeURIComponent(url.pathname + url.search);
  };
  /**
   * Opens the search page and waits for the box's autofocus. Chromium applies autofocus a little after the
   * load event; keys typed before it went nowhere when the machine was busy (regression: a test waited 30 s).
   */
  async function gotoSearchPage(page: Page, at = base): Promise<void> {
    await page.goto(`${at}/`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q');
  }

  /** Waits until the results on screen are those of `q` (the summary is updated last, with the fragment). */
  async function waitForResults(page: Page, q: string): Promise<void> {
    await page.waitForFunction((expected) => {
      const input = document.querySelector<HTMLInputElement>('#q');
      const summary = document.querySelector('#summary')?.textContent ?? '';
      const title = document.title;
      return input?.value === expected && summary.startsWith('找到') && title.startsWith(expected);
    }, q);
  }

  /**
   * Puts the page's timers under the test's control (installed before the page loads, as Playwright advises):
   * afterwards, page time passes only by `page.clock.runFor` until `page.clock.resume()`. Where a test depends on
   * how far apart two events are in the page (keys and the 250 ms debounce), a busy machine cannot stretch a gap.
   */
  async function installClock(page: Page): Promise<{ pause(): Promise<void> }> {
    const start = Date.UTC(2026, 0, 1);
    await page.clock.install({ time: start });
    return { pause: () => page.clock.pauseAt(start + 3_600_000) };
  }

  it('typing 支付宝 one character at a time shows 支付寶 marked, in one debounced htmx request', async () => {
    const { context, page, searches, problems } = await open();
    const clock = await installClock(page);
    await gotoSearchPage(page);
    await clock.pause();
    for (const key of '支付宝') {
      await page.keyboard.type(key);
      await page.clock.runFor(80); // keys 80 ms apart in the page, whatever the machine's load
    }
    await page.clock.resume();
    await waitForResults(page, '支付宝');
    const marks = await markTexts(page);
    expect(marks.length).toBeGreaterThan(0);
    expect(new Set(marks)).toEqual(new Set(['支付寶']));
    expect(pathAndQuery(page)).toBe('/search?q=支付宝');
    // Keys 80 ms apart, debounced at 250 ms: one request, for the whole word, marked by htmx 4 as a partial one.
    expect(searches.map((r) => new URL(r.url()).searchParams.get('q'))).toEqual(['支付宝']);
    expect(searches[0]!.headers()['hx-request-type']).toBe('partial');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await expect.poll(() => page.locator('#summary').textContent()).toMatch(/^找到 \d+ 篇文档中 \d+ 个匹配的段落，用时 [\d.]+ 毫秒$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('searches as you type with the server run from a clone under a dot folder (regression: it served no htmx)', async () => {
    // A clone under ~/.cache or ~/.local, with a space and CJK in its path: the real server (dist) run from there.
    const project = copyProject(path.join(tempDir(), '.cache', 'sou 搜', 'clone'));
    const server = startServer(inject('seedAndSampleIndexDir'), { projectDir: project });
    try {
      const at = await server.baseUrl();
      const { context, page, searches, problems } = await open();
      const htmx = page.waitForResponse((response) => new URL(response.url()).pathname === '/static/htmx.min.js');
      await gotoSearchPage(page, at);
      expect((await htmx).status()).toBe(200);
      await page.keyboard.type('支付宝');
      await waitForResults(page, '支付宝'); // no Enter: htmx searched on input
      expect(searches.length).toBeGreaterThan(0);
      const marks = await markTexts(page);
      expect(marks.length).toBeGreaterThan(0);
      expect(marks.filter((mark) => mark !== '支付寶' && mark !== '支付宝')).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('sends nothing while an input method composes, and exactly one search when it ends', async () => {
    const { context, page, searches, problems } = await open();
    await page.goto(`${base}/`);
    await page.evaluate(async () => {
      const input = document.querySelector<HTMLInputElement>('#q')!;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      input.focus();
      input.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' }));
      for (const pinyin of ['z', 'zh', 'zhi', 'zhif', 'zhifu', 'zhifub', 'zhifubao', '支付宝']) {
        input.value = pinyin;
        input.dispatchEvent(new CompositionEvent('compositionupdate', { bubbles: true, data: pinyin }));
        input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, inputType: 'insertCompositionText', data: pinyin }));
        await sleep(100);
      }
    });
    await page.waitForTimeout(600); // well past the 250 ms debounce
    expect(searches).toHaveLength(0);
    await page.evaluate(() => {
      document.querySelector('#q')!.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '支付宝' }));
    });
    await waitForResults(page, '支付宝');
    await page.waitForTimeout(400);
    expect(searches.map((r) => new URL(r.url()).searchParams.get('q'))).toEqual(['支付宝']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('drops a search that comes due mid-composition, and a composition cancelled back to the shown query', async () => {
    const { context, page, searches, problems } = await open();
    const clock = await installClock(page);
    await gotoSearchPage(page);
    /** A composition whose steps are 200 ms apart in page time. */
    const compose = async (steps: string[], end: string): Promise<void> => {
      await page.evaluate(() => document.querySelector('#q')!.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' })));
      for (const value of steps) {
        await page.evaluate((value) => {
          const input = document.querySelector<HTMLInputElement>('#q')!;
          input.value = value;
          input.dispatchEvent(new InputEvent('input', { bubbles: true, isComposing: true, inputType: 'insertCompositionText' }));
        }, value);
        await page.clock.runFor(200);
      }
      await page.evaluate((end) => {
        const input = document.querySelector<HTMLInputElement>('#q')!;
        input.value = end;
        input.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: end }));
      }, end);
    };
    // 支付 typed directly; the composition of 宝 begins before its debounced search is due (250 ms later, while
    // the page's clock stands still between the key and compositionstart).
    await clock.pause();
    await page.keyboard.type('支付');
    await compose(['支付b', '支付ba', '支付bao'], '支付宝');
    await page.clock.resume();
    await waitForResults(page, '支付宝');
    await page.clock.runFor(400);
    expect(searches.map((r) => new URL(r.url()).searchParams.get('q'))).toEqual(['支付宝']);
    // Esc during a composition puts back what was there: no new search, no extra history entry.
    await compose(['支付宝x', '支付宝xi'], '支付宝');
    await page.clock.runFor(500); // past the debounce of compositionend's search, which is dropped
    expect(searches).toHaveLength(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with a real IME composition driven by the browser (CDP), too', async () => {
    const { context, page, searches, problems } = await open();
    await page.goto(`${base}/`);
    await box(page).focus();
    const cdp = await context.newCDPSession(page);
    for (const pinyin of ['c', 'ch', 'che', 'chen', 'cheng', 'chengl', 'chengli']) {
      await cdp.send('Input.imeSetComposition', { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length });
      await page.waitForTimeout(80);
    }
    await page.waitForTimeout(500);
    expect(await box(page).inputValue()).toBe('chengli'); // the pinyin is in the box while composing…
    expect(searches).toHaveLength(0); // …and was never sent
    await cdp.send('Input.insertText', { text: '程立' }); // commit: compositionend
    await waitForResults(page, '程立');
    await page.waitForTimeout(400);
    expect(searches.map((r) => new URL(r.url()).searchParams.get('q'))).toEqual(['程立']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a slow, stale response never overwrites a newer one (hx-sync replace)', async () => {
    const { context, page, problems } = await open();
    // The search for 支付 is held back until the newer one has been sent (an event, not a time a busy machine
    // could outlast), then let through: its response comes after the newer search began.
    let newerSent!: () => void;
    const newer = new Promise<void>((resolve) => (newerSent = resolve));
    await page.route('**/search?*', async (route) => {
      const q = new URL(route.request().url()).searchParams.get('q');
      if (q === '支付宝') newerSent();
      if (q === '支付') await newer;
      await route.continue().catch(() => {}); // the aborted request may be gone by now
    });
    const failed: string[] = [];
    // Searches only: the box's suggestions (GET /suggest) are asked for on the same keys.
    const isSearch = (request: Request): boolean => new URL(request.url()).pathname === '/search';
    page.on('requestfailed', (request) => isSearch(request) && failed.push(new URL(request.url()).searchParams.get('q') ?? ''));
    await gotoSearchPage(page);
    await Promise.all([
      page.waitForRequest((r) => isSearch(r) && new URL(r.url()).searchParams.get('q') === '支付'), // out, and held back
      page.keyboard.type('支付'),
    ]);
    await page.keyboard.type('宝');
    await waitForResults(page, '支付宝');
    // The stale request ended (aborted), so no response of it can come any more.
    await expect.poll(() => failed).toEqual(['支付']);
    expect(await box(page).inputValue()).toBe('支付宝');
    expect(new Set(await markTexts(page))).toEqual(new Set(['支付寶']));
    expect(pathAndQuery(page)).toBe('/search?q=支付宝');
    expect(failed).toEqual(['支付']); // aborted by the newer search, not merely queued behind it
    expect(problems.filter((p) => !/ERR_ABORTED|aborted/i.test(p))).toEqual([]);
    await context.close();
  });

  it('without JavaScript, the form and the pager work and show what the full page shows', async () => {
    const expected = await (await fetch(`${base}${searchUrl('支付宝')}`)).text();
    const expectedLinks = [...expected.matchAll(/<h2 class="hit-title"><a href="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));
    const { context, page, searches, problems } = await open({ javaScript: false });
    await page.goto(`${base}/`);
    await box(page).fill('支付宝');
    await Promise.all([page.waitForURL(/\/search\?q=/), box(page).press('Enter')]);
    expect(pathAndQuery(page)).toBe('/search?q=支付宝');
    expect(await hitLinks(page)).toEqual(expectedLinks);
    expect(new Set(await markTexts(page))).toEqual(new Set(['支付寶']));
    // The corpus is one document: its paragraphs, ten a page, have a pager.
    await Promise.all([page.waitForURL(/group=none/), page.getByRole('link', { name: '按段落' }).click()]);
    await Promise.all([page.waitForURL(/offset=10/), page.locator('.pager-next').click()]);
    expect(await page.locator('#results ol.hits').getAttribute('start')).toBe('11');
    expect(searches).toHaveLength(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with htmx, the pager swaps the results, pushes the address and keeps keyboard focus in the results', async () => {
    const { context, page, searches, problems } = await open();
    await page.goto(`${base}${paragraphsUrl('支付宝')}`);
    await page.locator('.pager-next').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/offset=10/);
    await expect.poll(() => page.locator('#results ol.hits').getAttribute('start')).toBe('11');
    expect(searches).toHaveLength(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('results');
    // "/" focuses the search box from anywhere but a text field.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q');
    await page.keyboard.type('/');
    expect(await box(page).inputValue()).toBe('/');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('following a hit opens the document at its paragraph, marked and in view', async () => {
    const { context, page, problems } = await open({ height: 700 });
    await page.goto(`${base}${paragraphsUrl('支付宝')}`);
    const link = page.locator('#results .hit-title a').nth(2);
    const href = (await link.getAttribute('href'))!;
    const paragraph = href.match(/#p-(\d+)$/)![1];
    await Promise.all([page.waitForURL(/\/doc\//), link.click()]);
    const target = page.locator(':target');
    expect(await target.getAttribute('id')).toBe(`p-${paragraph}`);
    expect(await target.getAttribute('class')).toContain('is-target');
    expect(await target.locator('mark').count()).toBeGreaterThan(0);
    const inView = await target.evaluate((element) => {
      const { top, bottom } = element.getBoundingClientRect();
      return top >= 0 && top < window.innerHeight && bottom > 0;
    });
    expect(inView).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('hostile corpus text shows as text and runs nothing', async () => {
    const { context, page, problems } = await open();
    await gotoSearchPage(page);
    await page.keyboard.type('危险');
    await waitForResults(page, '危险');
    const snippets = (await page.locator('#results .snippet').allTextContents()).join('\n');
    expect(snippets).toContain('<img src=x onerror="window.__pwned=1;alert(1)">');
    expect(await page.locator('#results .hit-title a').first().textContent()).toContain('<script>window.__pwned=1</script>');
    await page.goto(`${base}${docUrl(HOSTILE.id, '危险', 1)}`);
    expect(await page.locator('#p-1').textContent()).toBe(HOSTILE.paragraphs[1]);
    expect(await page.title()).toContain('<script>');
    expect(await page.evaluate(() => ({ pwned: (window as unknown as { __pwned?: unknown }).__pwned, images: document.images.length, styles: document.styleSheets.length }))).toEqual({
      pwned: undefined,
      images: 0,
      styles: 1,
    });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('back and reload restore the query and its results', async () => {
    const { context, page, problems } = await open();
    await gotoSearchPage(page);
    await page.keyboard.type('支付宝');
    await waitForResults(page, '支付宝');
    // One input event for the whole new query: typed key by key, a gap stretched past the debounce by a busy
    // machine would search (and push) 程 or an empty box in between, and Back would go there instead.
    await box(page).fill('程立');
    await waitForResults(page, '程立');
    expect(pathAndQuery(page)).toBe('/search?q=程立');
    await page.goBack();
    await waitForResults(page, '支付宝');
    expect(pathAndQuery(page)).toBe('/search?q=支付宝');
    expect(new Set(await markTexts(page))).toEqual(new Set(['支付寶']));
    await page.reload();
    await waitForResults(page, '支付宝');
    expect(new Set(await markTexts(page))).toEqual(new Set(['支付寶']));
    await page.goForward();
    await waitForResults(page, '程立');
    expect(await markTexts(page)).toContain('程立');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('writes screenshots of the results page (desktop, phone, dark) and the document page', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const api = (await (await fetch(`${base}/api/search?q=${encodeURIComponent('支付宝')}`)).json()) as { hits: { paragraph: number }[] };
    const paragraph = api.hits[1]!.paragraph;
    const shots = [
      { name: 'results-1280x800.png', url: searchUrl('支付宝 系统'), width: 1280, height: 800, dark: false },
      { name: 'results-375x740.png', url: searchUrl('支付宝 系统'), width: 375, height: 740, dark: false },
      { name: 'results-375x740-dark.png', url: searchUrl('支付宝 系统'), width: 375, height: 740, dark: true },
      { name: 'relaxed-1280x800.png', url: searchUrl('支付宝什么时候成立的'), width: 1280, height: 800, dark: false },
      { name: 'empty-375x740.png', url: '/', width: 375, height: 740, dark: false },
      { name: 'document-375x740.png', url: docUrl('alipay-15-years.txt', '支付宝', paragraph), width: 375, height: 740, dark: false },
      { name: 'document-top-1280x800-dark.png', url: docUrl('alipay-15-years.txt', '支付宝', null), width: 1280, height: 800, dark: true },
    ];
    for (const shot of shots) {
      const { context, page, problems } = await open({ width: shot.width, height: shot.height, dark: shot.dark });
      await page.goto(`${base}${shot.url}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, shot.name) });
      expect(problems).toEqual([]);
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(shot.width);
      await context.close();
    }
  });
});
