// Cards of documents, "N more", facets and sorts in a real browser (Debian's Chromium through playwright-core),
// on the grouped-corpus fixture: in place with htmx, as plain links without JavaScript, and on a phone's width.
// Without /usr/bin/chromium the suite is skipped with a message (browser.test.ts fails CI for it).
/// <reference lib="dom" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchUrl } from '../views/urls.js';
import { readGroupedCorpus } from './support/grouped-corpus.js';
import { appWithDocuments, type PagesApp } from './support/pages-app.js';

const CHROMIUM = '/usr/bin/chromium';
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) console.warn(`browser tests of groups skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

describe.skipIf(!haveBrowser)('cards, facets and sorts in Chromium', () => {
  let served: PagesApp;
  let server: Server;
  let browser: Browser;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'sou-browser-groups-'));
    served = await appWithDocuments((await readGroupedCorpus(dir)).documents);
    server = createServer(served.app).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    served?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  interface Opened {
    readonly context: BrowserContext;
    readonly page: Page;
    /** Console errors, page errors and CSP violations: any of them fails the test. */
    readonly problems: string[];
  }

  async function open(options: { javaScript?: boolean; width?: number } = {}): Promise<Opened> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScript ?? true, viewport: { width: options.width ?? 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    return { context, page, problems };
  }

  const query = (page: Page): string | null => new URL(page.url()).searchParams.get('q');
  const summary = (page: Page) => page.locator('#summary').textContent();
  const firstCard = (page: Page) => page.locator('#results .group').first();

  it('groups by document: one card each, at most three paragraphs, "N more" opening the rest in place', async () => {
    const { context, page, problems } = await open();
    await page.goto(`${base}${searchUrl('支付')}`);
    expect(await summary(page)).toMatch(/^找到 11 篇文档中 21 个匹配的段落/);
    const cards = page.locator('#results .group');
    expect(await cards.count()).toBe(10);
    for (const hits of await cards.evaluateAll((all) => all.map((card) => card.querySelectorAll('.group-hit').length))) expect(hits).toBeLessThanOrEqual(3);
    const before = page.url();
    await firstCard(page).locator('a.more').click();
    await expect.poll(() => firstCard(page).locator('.more-hits .group-hit').count()).toBe(6);
    expect(await firstCard(page).locator('.group-hit').count()).toBe(9);
    expect(await firstCard(page).locator('a.more').count()).toBe(0);
    expect(page.url()).toBe(before); // in place: no navigation, no new address
    expect(await cards.count()).toBe(10);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('"N more" is a plain link without JavaScript', async () => {
    const { context, page, problems } = await open({ javaScript: false });
    await page.goto(`${base}${searchUrl('支付')}`);
    await Promise.all([page.waitForURL(/doc=/), firstCard(page).locator('a.more').click()]);
    expect(new URL(page.url()).searchParams.get('doc')).toBe('报告/2024/年度 报告.md');
    expect(await page.locator('#results .hit').count()).toBe(6);
    expect(await page.locator('.doc-matches').textContent()).toContain('9 段匹配');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a facet link adds its filter, and clicking it again takes it out', async () => {
    const { context, page, problems } = await open();
    await page.goto(`${base}${searchUrl('支付')}`);
    await page.getByRole('link', { name: '只看：新闻（2 篇）' }).click();
    await expect.poll(() => query(page)).toBe('支付 in:新闻');
    await expect.poll(() => summary(page)).toMatch(/^找到 2 篇文档中/);
    expect(await page.locator('#q').inputValue()).toBe('支付 in:新闻');
    expect(await page.locator('#results .group').count()).toBe(2);
    // Disjunctive: the other folders are still offered with their counts.
    expect(await page.getByRole('link', { name: '只看：报告（3 篇）' }).count()).toBe(1);
    await page.getByRole('link', { name: '取消筛选：新闻（2 篇）' }).click();
    await expect.poll(() => query(page)).toBe('支付');
    await expect.poll(() => summary(page)).toMatch(/^找到 11 篇文档中/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('sorting by newest orders the cards by date, and back to relevance', async () => {
    const { context, page, problems } = await open();
    await page.goto(`${base}${searchUrl('支付')}`);
    const relevance = await page.locator('#results .group .hit-title').allTextContents();
    await page.getByRole('link', { name: '最新' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('newest');
    await expect.poll(() => page.locator('.view-option.is-current').first().textContent()).toBe('最新');
    const dates = await page.locator('#results .group time').evaluateAll((times) => times.map((t) => t.getAttribute('datetime')!));
    expect(dates).toEqual([...dates].sort().reverse());
    await page.getByRole('link', { name: '相关度' }).click();
    await expect.poll(() => page.locator('#results .group .hit-title').allTextContents()).toEqual(relevance);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a phone the facets are a closed block that opens, and nothing overflows', async () => {
    const { context, page, problems } = await open({ width: 375 });
    await page.goto(`${base}${searchUrl('支付 in:"笔记/读书 札记"')}`);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBe(0);
    const facets = page.locator('details.facets');
    expect(await facets.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await page.locator('details.facets > summary').click();
    expect(await facets.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    expect(await page.getByRole('link', { name: /^只看：报告/ }).isVisible()).toBe(true);
    expect(await overflow()).toBe(0);
    await page.goto(`${base}${searchUrl('支付')}`);
    await firstCard(page).locator('a.more').click();
    await expect.poll(() => firstCard(page).locator('.more-hits .group-hit').count()).toBe(6);
    expect(await overflow()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('on a wide screen the facets are a sidebar, open beside the results', async () => {
    const { context, page } = await open({ width: 1280 });
    await page.goto(`${base}${searchUrl('支付')}`);
    const facets = await page.locator('details.facets').boundingBox();
    const results = await page.locator('.results-main').boundingBox();
    expect(facets!.x + facets!.width).toBeLessThanOrEqual(results!.x);
    expect(await page.getByRole('link', { name: '只看：新闻（2 篇）' }).isVisible()).toBe(true);
    await context.close();
  });
});
