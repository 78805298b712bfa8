/// <reference lib="dom" />
// An app of the given documents served on a free port, and Debian's Chromium launched to look at it, for the
// browser suites (browser*.test.ts). close() ends both.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { SourceDocument } from '../../indexer/corpus/index.js';
import { appWithDocuments, type PagesApp } from './pages-app.js';

export const CHROMIUM = '/usr/bin/chromium';
export const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface BrowserApp {
  readonly served: PagesApp;
  readonly browser: Browser;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  close(): Promise<void>;
}

export async function serveToChromium(documents: readonly SourceDocument[]): Promise<BrowserApp> {
  const served = await appWithDocuments(documents);
  const server = createServer(served.app).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return {
    served,
    browser,
    base,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
      served.close();
    },
  };
}

/**
 * The problems a page shows, collected as they come: console errors, page errors, dialogs (dismissed) and CSP
 * violations (reported to the console by a script added before the page's own). A test expects none.
 */
export async function watchProblems(page: Page): Promise<string[]> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  return problems;
}
