// GET /original/<docId>: an indexed document's file, read-only, from the corpus root the build recorded; 404 for
// ids not in the index, traversal in any spelling, .jsonl documents, and files that now resolve outside the root.
import { readFileSync, realpathSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentDisposition } from '../server/original-file.js';
import { originalUrl } from '../views/urls.js';
import { buildLocatedCorpus, HOSTILE_MD_NAME, JSONL_ID, type LocatedCorpus } from './support/located-corpus.js';
import { appWithIndex, type PagesApp } from './support/pages-app.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('original');
let dir: string;
let located: LocatedCorpus;
let served: PagesApp;

/** supertest keeps a binary body as a Buffer only when asked to. */
const asBuffer = (response: request.Response, callback: (error: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  response.on('data', (chunk: Buffer) => chunks.push(chunk));
  response.on('end', () => callback(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  dir = tempDir();
  located = await buildLocatedCorpus(dir);
  served = await appWithIndex(located.out);
}, 120_000);

afterAll(() => {
  served?.close();
  expect(served?.errors).toEqual([]);
});

const get = (url: string) => request(served.app).get(url);

describe('the build records where each file is', () => {
  it('keeps the corpus roots in the manifest and each file document’s root and format', () => {
    const { manifest, documents, documentById } = located.index;
    // A folder input is a root; a single file's root is its folder; a .jsonl has none (its ids are no paths).
    expect(manifest.corpus.roots).toEqual([path.resolve(located.corpus), path.resolve(dir)]);
    expect(documents[documentById.get('single.txt')!]!.source).toEqual({ root: path.resolve(dir), path: 'single.txt' });
    const pdf = documents[documentById.get('alipay.pdf')!]!;
    expect(pdf.format).toBe('pdf');
    expect(pdf.source).toEqual({ root: path.resolve(located.corpus), path: 'alipay.pdf' });
    expect(documents[documentById.get('sub/traditional.docx')!]!.source?.path).toBe('sub/traditional.docx');
    const jsonl = documents[documentById.get(JSONL_ID)!]!;
    expect(jsonl.format).toBe('jsonl');
    expect(jsonl.source).toBeUndefined();
  });
});

describe('GET /original/<docId>', () => {
  it('sends an indexed PDF as an attachment with its type and its bytes', async () => {
    const response = await get(originalUrl('alipay.pdf')).buffer(true).parse(asBuffer);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="alipay.pdf"; filename*=UTF-8''alipay.pdf`);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(response.body as Buffer, readFileSync(path.join(located.corpus, 'alipay.pdf')))).toBe(0);
  });

  it('sends a file given on its own from its folder, and nothing else of that folder', async () => {
    expect((await get('/original/single.txt')).text).toBe('单独给出的文件。\n');
    expect((await get('/original/extra.jsonl')).status).toBe(404);
  });

  it('sends DOCX and EPUB as downloads of their own types, under a sub-folder too', async () => {
    const docx = await get('/original/sub/traditional.docx').buffer(true).parse(asBuffer);
    expect(docx.status).toBe(200);
    expect(docx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(docx.headers['content-disposition']).toMatch(/^attachment; .*filename\*=UTF-8''traditional\.docx$/);
    const epub = await get('/original/alipay.epub');
    expect(epub.headers['content-type']).toBe('application/epub+zip');
    expect(epub.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('never serves corpus HTML as a page: a sandboxed download', async () => {
    const response = await get('/original/alipay.html');
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; /);
    expect(response.headers['content-type']).toBe('text/html'); // no charset claimed: the page says its own (GBK here)
    expect(response.headers['content-security-policy']).toMatch(/^sandbox/);
  });

  it('shows UTF-8 text inline as text/plain, with a hostile file name encoded', async () => {
    const response = await get(originalUrl(HOSTILE_MD_NAME));
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`inline; filename="<b>&_x_.md"; filename*=UTF-8''%3Cb%3E%26%22x%22.md`);
    expect(response.text).toContain('危险段落在这里');
  });

  it('downloads text that is not UTF-8 rather than show it in the wrong encoding', async () => {
    const response = await get('/original/big5.txt').buffer(true).parse(asBuffer);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="big5.txt"; filename*=UTF-8''big5.txt`);
    expect(Buffer.compare(response.body as Buffer, readFileSync(path.join(located.corpus, 'big5.txt')))).toBe(0);
  });

  it('encodes non-ASCII names for filename* and keeps an ASCII fallback', () => {
    expect(attachmentDisposition('支付寶 (1).pdf')).toBe(`attachment; filename="___ (1).pdf"; filename*=UTF-8''%E6%94%AF%E4%BB%98%E5%AF%B6%20%281%29.pdf`);
  });

  it('is 404 for an id not in the index, even of a file that is in the corpus folder', async () => {
    writeFileSync(path.join(located.corpus, 'added-later.txt'), '后来加的文件。');
    for (const url of ['/original/missing.pdf', '/original/added-later.txt', '/original', '/original?id=nope', '/original/']) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('is 404 for traversal in every spelling', async () => {
    const attempts = [
      '/original/../index/manifest.json',
      '/original/%2e%2e/%2e%2e/extra.jsonl',
      '/original/%2E%2E%2Fextra.jsonl',
      '/original/sub%2F..%2F..%2Fextra.jsonl',
      '/original/..%5c..%5cextra.jsonl',
      '/original/alipay.pdf%00.txt',
      '/original/alipay.pdf%00',
      '/original?id=../extra.jsonl',
      `/original?id=${encodeURIComponent(path.join(located.corpus, 'alipay.pdf'))}`,
      '/original//etc/passwd',
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.status, url).toBe(404);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/); // the pages' 404, not a file
    }
  });

  it('is 404 for a .jsonl document, whatever its id looks like', async () => {
    expect(served.holder.searcher().index.documentById.has(JSONL_ID)).toBe(true);
    expect((await get(originalUrl(JSONL_ID))).status).toBe(404);
    expect((await get(`/original?id=${encodeURIComponent(JSONL_ID)}`)).status).toBe(404);
  });

  it('is 404 for a file replaced by a symlink pointing outside the corpus, and for one deleted', async () => {
    const outside = path.join(dir, 'secret.txt');
    writeFileSync(outside, 'secret');
    const file = path.join(located.corpus, 'plain.txt');
    renameSync(file, `${file}.moved`);
    symlinkSync(outside, file);
    expect((await get('/original/plain.txt')).status).toBe(404);
    // A link that stays inside the corpus is fine: realpath is inside the root.
    const inside = path.join(located.corpus, 'alipay.epub');
    const epubPath = path.join(located.corpus, 'sub', 'traditional.docx');
    renameSync(epubPath, `${epubPath}.moved`);
    symlinkSync(realpathSync(inside), epubPath);
    expect((await get('/original/sub/traditional.docx')).status).toBe(200);
    renameSync(path.join(located.corpus, 'alipay.html'), path.join(dir, 'gone.html'));
    expect((await get('/original/alipay.html')).status).toBe(404);
  });
});
