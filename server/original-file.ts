// GET /original/<docId> (and /original?id=… for ids that cannot be a path, views/urls.ts): the file a document
// was read from, read-only, for documents of the loaded index only (docs/contract.md "Web pages"). Nothing of
// the URL becomes a path: the id is looked up in the index, and the file is the one the index recorded at build
// time, its corpus root joined with its relative path, then checked with realpath to be inside that root, so a
// file replaced by a symlink to somewhere else is refused. Anything refused goes on to the pages' 404.
import { constants, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isUtf8 } from 'node:buffer';
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { LoadedDocument } from '../indexer/index/load.js';
import type { IndexHolder } from './index-holder.js';

/** How each format is sent. HTML from the corpus is untrusted: a download, never a page of this origin. */
const CONTENT_TYPES: Readonly<Record<string, { readonly type: string; readonly download: boolean }>> = {
  pdf: { type: 'application/pdf', download: true },
  docx: { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', download: true },
  epub: { type: 'application/epub+zip', download: true },
  html: { type: 'text/html', download: true },
  txt: { type: 'text/plain', download: false },
  md: { type: 'text/plain', download: false },
};

/** Text files up to this size are read whole to see whether they are UTF-8 (shown inline); larger ones are downloaded. */
const INLINE_TEXT_BYTES = 4 * 1024 * 1024;

/**
 * `attachment` with the name twice: `filename*` (RFC 8187, UTF-8, what browsers use) and an ASCII `filename`
 * for clients that know only that one.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name.toWellFormed()).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Whether the document has an original file this route sends (its page links to it): the format the server names. */
export function originalFormat(document: LoadedDocument): string | null {
  return document.source !== undefined && document.format !== undefined && Object.hasOwn(CONTENT_TYPES, document.format) ? document.format : null;
}

const isInside = (root: string, file: string): boolean => file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** The opened file of a document, checked to be a regular file inside its corpus root; null when it is not. */
async function openOriginal(document: LoadedDocument): Promise<{ handle: FileHandle; stats: Stats; name: string } | null> {
  const { source } = document;
  if (source === undefined) return null;
  const segments = source.path.split('/');
  // The recorded path is the walk's, but the store is a file on disk: an id that is no plain relative path is refused.
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\0') || s.includes(path.sep))) return null;
  let root: string;
  let file: string;
  try {
    root = await realpath(source.root);
    file = await realpath(path.join(source.root, ...segments));
  } catch {
    return null; // gone since the build
  }
  if (!isInside(root, file)) return null;
  let handle: FileHandle;
  try {
    // O_NOFOLLOW: the checked path is opened only if its last part has not become a symlink since.
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  const stats = await handle.stat().catch(() => null);
  if (stats === null || !stats.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, stats, name: segments.at(-1)! };
}

async function sendOriginal(holder: IndexHolder, docId: string, response: Response, next: NextFunction): Promise<void> {
  const { index } = holder.searcher();
  const position = index.documentById.get(docId);
  const document = position === undefined ? undefined : index.documents[position];
  const format = document === undefined ? null : originalFormat(document);
  const sending = format === null ? undefined : CONTENT_TYPES[format];
  const opened = document === undefined || sending === undefined ? null : await openOriginal(document);
  if (opened === null || sending === undefined) return next();
  const { handle, stats, name } = opened;
  try {
    let type = sending.type;
    let download = sending.download;
    let body: Buffer | undefined;
    if (!download && stats.size > INLINE_TEXT_BYTES) download = true;
    if (!download) {
      // Text is shown as text only when it is UTF-8; a GBK or Big5 file (which the reader decoded) is downloaded.
      body = await handle.readFile();
      if (isUtf8(body)) type = `${type}; charset=utf-8`;
      else download = true;
    }
    response.status(200);
    response.setHeader('Content-Type', type); // not response.set, which adds charset=utf-8 to any text type
    response.set('Content-Length', String(body?.length ?? stats.size));
    response.set('Cache-Control', 'no-cache');
    response.set('Content-Disposition', download ? attachmentDisposition(name) : `inline; ${attachmentDisposition(name).slice('attachment; '.length)}`);
    // Even if a browser rendered it, corpus content gets no script and no access to this origin.
    response.set('Content-Security-Policy', "sandbox; default-src 'none'");
    if (body !== undefined || stats.size === 0) {
      response.end(body);
      return;
    }
    response.flushHeaders(); // answered: the handler timeout's 503 no longer applies to a long download
    try {
      await pipeline(handle.createReadStream({ autoClose: false, start: 0, end: stats.size - 1 }), response);
    } catch {
      // The client went away, or the file shrank under us: the headers are sent, so only the connection can say it.
      response.destroy();
    }
  } finally {
    await handle.close();
  }
}

export function originalFileRouter(holder: IndexHolder): Router {
  const router = Router();
  const serve = (docId: string, response: Response, next: NextFunction): void => {
    sendOriginal(holder, docId, response, next).catch(next);
  };
  // Express 5 wildcard: the decoded path segments after /original/, joined as docUrl split them.
  router.get('/original/*docId', (request: Request, response: Response, next: NextFunction) =>
    serve((request.params.docId as unknown as string[]).join('/'), response, next),
  );
  router.get('/original', (request: Request, response: Response, next: NextFunction) => {
    const id = (request.query as Record<string, unknown>).id;
    if (typeof id !== 'string') return next();
    serve(id, response, next);
  });
  return router;
}
