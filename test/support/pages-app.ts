// An app serving an index of the given documents, for the page and browser tests: the index is built in
// process into a temp folder and served through the real holder, API and pages router.
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SourceDocument } from '../../indexer/corpus/index.js';
import { createApp } from '../../server/app.js';
import { openIndexHolder, type IndexHolder } from '../../server/index-holder.js';
import type { Logger } from '../../server/logger.js';
import { pagesRouter } from '../../server/pages.js';
import { writeDocumentsIndex } from './write-index.js';

export interface PagesApp {
  readonly app: RequestListener;
  readonly holder: IndexHolder;
  /** Errors the app logged (a page test expects none: a logged error is a 5xx). */
  readonly errors: object[];
  close(): void;
}

export async function appWithDocuments(documents: readonly SourceDocument[]): Promise<PagesApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sou-pages-'));
  await writeDocumentsIndex(dir, documents);
  const served = await appWithIndex(dir);
  return {
    ...served,
    close() {
      served.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An app serving the index already built in `dir` (close() leaves the folder). */
export async function appWithIndex(dir: string): Promise<PagesApp> {
  const errors: object[] = [];
  const logger: Logger = { info() {}, warn() {}, error: (object) => void errors.push(object) };
  const holder = await openIndexHolder(dir, logger);
  const app = createApp({ holder, logger, pages: pagesRouter(holder) });
  return { app, holder, errors, close: () => holder.close() };
}

/** Text that must come out as text: markup, an event handler, entities and both quotes. */
export const HOSTILE = {
  id: 'evil/<b>x</b>&"q".txt',
  title: '<script>window.__pwned=1</script>危险标题 & "引号"',
  paragraphs: [
    '危险图片<img src=x onerror="window.__pwned=1;alert(1)">在这里',
    '危险脚本<script>window.__pwned=1;alert(1)</script>在这里 & "双引号" \'单引号\' &amp; &lt;',
    '危险样式<style>body{display:none}</style><a href="javascript:alert(1)">链接</a>',
  ],
} as const satisfies SourceDocument;

// Every element the views write. Escaped text holds no '<', so any other tag name came from user text.
const OUR_TAGS = new Set(
  'html head meta title link script body a header span form label div input button main p ol ul li h1 h2 nav kbd strong mark article hx-partial details summary section footer time'.split(' '),
);
const TAG = /<([a-z][a-z0-9-]*)((?:\s+[a-z][\w:.-]*(?:="[^"<]*"|='[^'<]*')?)*)\s*>/iy;
const ATTRIBUTE = /([a-z][\w:.-]*)(?:="([^"]*)"|='([^']*)')?/gi;

/**
 * Problems with the markup of a page: an element we never write, an event-handler or style attribute, a script
 * that is not one of our two files, a javascript: link, or a '<' that does not start a well-formed tag.
 */
export function assertNoInjectedMarkup(body: string): string[] {
  const problems: string[] = [];
  for (let at = body.indexOf('<'); at >= 0; at = body.indexOf('<', at + 1)) {
    if (body.startsWith('<!doctype html>', at) || /^<\/[a-z][a-z0-9-]*>/i.test(body.slice(at, at + 20))) continue;
    TAG.lastIndex = at;
    const tag = TAG.exec(body);
    if (!tag) {
      problems.push(`malformed: ${body.slice(at, at + 40)}`);
      continue;
    }
    const [text, name, attributes = ''] = tag;
    if (!OUR_TAGS.has(name!.toLowerCase())) problems.push(text);
    for (const [, attribute, double, single] of attributes.matchAll(ATTRIBUTE)) {
      const value = double ?? single ?? '';
      if (/^on/i.test(attribute!) || /^style$/i.test(attribute!) || /^\s*javascript:/i.test(value)) problems.push(text);
    }
    if (name!.toLowerCase() === 'script' && !/^<script src="\/static\/(htmx\.min|app|suggest)\.js" defer>$/.test(text)) problems.push(text);
  }
  return problems;
}
