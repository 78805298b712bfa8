// The search box's suggestions in a real browser (Debian's Chromium through playwright-core, as in
// browser.test.ts): typing pinyin shows the listbox (an ARIA combobox), arrow keys move the active option,
// Enter picks it and searches, Escape closes the list and keeps the text, a click picks, an input method's
// composition asks for nothing until it ends, and without JavaScript the list never shows.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCorpus } from '../indexer/corpus/index.js';
import { CHROMIUM, serveToChromium, watchProblems, type BrowserApp } from './support/browser-app.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const haveBrowser = existsSync(CHROMIUM);

if (!haveBrowser && process.env.CI === 'true') {
  describe('browser suggestions', () => {
    it('needs Chromium on CI', () => {
      throw new Error(`${CHROMIUM} is missing; install it with: apt-get install -y chromium`);
    });
  });
}

describe.skipIf(!haveBrowser)('suggestions in Chromium', () => {
  let app: BrowserApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    const corpus = await readCorpus([path.join(ROOT, 'corpus')]);
    app = await serveToChromium(corpus.documents);
    await app.served.holder.searcher().prepareVocabulary();
    ({ browser, base } = app);
  });
  afterAll(async () => {
    await app?.close();
  });

  interface Watched {
    readonly context: BrowserContext;
    readonly page: Page;
    /** htmx's requests for suggestions. */
    readonly suggests: Request[];
    /** Console errors, page errors and CSP violations: any of them fails the test. */
    readonly problems: string[];
  }

  async function open(javaScript = true): Promise<Watched> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const suggests: Request[] = [];
    const problems = await watchProblems(page);
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/suggest') suggests.push(request);
    });
    await page.goto(`${base}/`);
    if (javaScript) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('q');
    return { context, page, suggests, problems };
  }

  const box = (page: Page) => page.locator('#q');
  const listbox = (page: Page) => page.locator('#suggestions');
  const optionTexts = (page: Page) => page.locator('#suggestions [role="option"] .suggestion-text').allTextContents();
  const asked = (requests: readonly Request[]): (string | null)[] => requests.map((r) => new URL(r.url()).searchParams.get('q'));
  /** Waits for the list to show the options of what is typed now. */
  async function waitForOptions(page: Page): Promise<string[]> {
    await expect.poll(() => listbox(page).isVisible()).toBe(true);
    return optionTexts(page);
  }
  /**
   * Waits until the results shown are those of `q`: typing searched what was typed too (zf, taob), so a summary
   * alone may be that search's.
   */
  const waitForResultsOf = (page: Page, q: string) =>
    page.waitForFunction((expected) => document.title.startsWith(expected) && (document.querySelector('#summary')?.textContent ?? '').startsWith('找到'), q);
  const state = (page: Page) =>
    page.evaluate(() => {
      const input = document.querySelector<HTMLInputElement>('#q')!;
      return {
        expanded: input.getAttribute('aria-expanded'),
        active: input.getAttribute('aria-activedescendant'),
        selected: [...document.querySelectorAll('#suggestions [aria-selected="true"]')].map((option) => option.id),
        value: input.value,
        hidden: document.querySelector<HTMLElement>('#suggestions')!.hidden,
      };
    });

  it('typing pinyin shows the words it reads as, most frequent first, each with its paragraph count', async () => {
    const { context, page, suggests, problems } = await open();
    expect(await box(page).getAttribute('role')).toBe('combobox');
    expect(await box(page).getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.type('zhifub');
    const options = await waitForOptions(page);
    expect(options[0]).toBe('支付宝');
    expect(await page.locator('#suggestion-0 .suggestion-count').textContent()).toMatch(/^\d+ 段$/);
    expect((await state(page)).expanded).toBe('true');
    expect(await listbox(page).getAttribute('role')).toBe('listbox');
    expect(asked(suggests).at(-1)).toBe('zhifub');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('arrow keys move the active option, Enter picks it and searches it', async () => {
    const { context, page, problems } = await open();
    await page.keyboard.type('zf');
    const options = await waitForOptions(page);
    expect(options.length).toBeGreaterThan(1);
    await page.keyboard.press('ArrowDown');
    expect(await state(page)).toMatchObject({ active: 'suggestion-0', selected: ['suggestion-0'], value: 'zf' });
    await page.keyboard.press('ArrowDown');
    expect(await state(page)).toMatchObject({ active: 'suggestion-1', selected: ['suggestion-1'] });
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp'); // from the first, up wraps to the last
    expect((await state(page)).active).toBe(`suggestion-${options.length - 1}`);
    await page.keyboard.press('ArrowDown'); // and down from the last back to the first
    expect((await state(page)).active).toBe('suggestion-0');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('q'); // focus never leaves the box
    await page.keyboard.press('Enter');
    await waitForResultsOf(page, options[0]!);
    expect(await state(page)).toMatchObject({ value: options[0], expanded: 'false', hidden: true, active: null });
    expect(decodeURIComponent(new URL(page.url()).search)).toBe(`?q=${options[0]}`);
    expect(await page.locator('#results mark').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Escape closes the list and keeps what was typed; a click on an option picks it', async () => {
    const { context, page, problems } = await open();
    await page.keyboard.type('taob');
    await waitForOptions(page);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    expect(await state(page)).toMatchObject({ value: 'taob', expanded: 'false', hidden: true, active: null, selected: [] });
    await page.keyboard.press('ArrowDown'); // opens the list again, on the first option
    expect(await state(page)).toMatchObject({ expanded: 'true', active: 'suggestion-0' });
    const first = (await optionTexts(page))[0]!;
    await page.locator('#suggestion-0').click();
    await waitForResultsOf(page, first);
    expect(await state(page)).toMatchObject({ value: first, hidden: true });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('asks nothing while an input method composes (CDP Input.imeSetComposition), then suggests what it committed', async () => {
    const { context, page, suggests, problems } = await open();
    const cdp = await context.newCDPSession(page);
    for (const pinyin of ['z', 'zh', 'zhi', 'zhif', 'zhifu']) {
      await cdp.send('Input.imeSetComposition', { text: pinyin, selectionStart: pinyin.length, selectionEnd: pinyin.length });
      await page.waitForTimeout(60);
    }
    await page.waitForTimeout(400); // past the debounce: a request would have gone by now
    expect(await box(page).inputValue()).toBe('zhifu'); // the pinyin is in the box while composing…
    expect(suggests).toHaveLength(0); // …and was never sent
    expect(await listbox(page).isVisible()).toBe(false);
    await cdp.send('Input.insertText', { text: '支付' }); // commit: compositionend
    const options = await waitForOptions(page);
    expect(options).toContain('支付宝');
    expect(asked(suggests)).toEqual(['支付']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('without JavaScript the list never shows and the form still searches', async () => {
    const { context, page, suggests } = await open(false);
    await box(page).fill('支付宝');
    await box(page).press('Enter');
    await page.waitForURL(/\/search\?q=/);
    expect(await listbox(page).isVisible()).toBe(false);
    // The results page groups by document: one card per document (views/groups.ts).
    expect(await page.locator('#results .group').count()).toBeGreaterThan(0);
    expect(suggests).toHaveLength(0);
    await context.close();
  });
});
