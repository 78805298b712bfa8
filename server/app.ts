// The HTTP application, without listen(): tests drive it directly, main.ts serves it. A GET of /api/search is
// handed to its one handler (api.ts answerSearch) before Express (docs/design.md §11.3: Express's router and
// middleware cost more than a fast search); everything else, and that handler's thrown errors, go through Express.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import express, { type NextFunction, type Request, type Response } from 'express';
import { answerSearch, apiRouter, SEARCH_PATH } from './api.js';
import {
  answer503After,
  handlerTimeout,
  HTTP_LIMITS,
  logWhenAnswered,
  requestLog,
  securityHeaders,
  sendError,
  sendJsonError,
  urlLengthLimit,
} from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import type { UpdatesStatus } from './index-updates.js';
import { suggestionsFragmentRouter } from './suggest.js';
import type { Logger } from './logger.js';
import { createRequestQueue, type RequestQueue } from './request-queue.js';

export interface AppOptions {
  readonly holder: IndexHolder;
  /** Request logs and errors go here (main.ts passes pino; tests pass a silent or capturing logger). */
  readonly logger: Logger;
  /** In watch mode, how the updates go (for /healthz). */
  readonly updates?: () => UpdatesStatus;
  /** The pages (search page, results, documents); mounted after the API. */
  readonly pages?: express.Router;
  /** How long a handler may take before the request is answered 503 (default HTTP_LIMITS.handlerTimeoutMs). */
  readonly handlerTimeoutMs?: number;
  /** Longest request target in bytes (default HTTP_LIMITS.maxUrlBytes). */
  readonly maxUrlBytes?: number;
  /** True once the server is shutting down: GET /readyz answers 503 (main.ts passes its shutdown state). */
  readonly draining?: () => boolean;
}

export function createApp({ holder, logger, pages, updates, handlerTimeoutMs, maxUrlBytes, draining }: AppOptions): RequestListener {
  const urlLimit = maxUrlBytes ?? HTTP_LIMITS.maxUrlBytes;
  const timeoutMs = handlerTimeoutMs ?? HTTP_LIMITS.handlerTimeoutMs;
  const queue = createRequestQueue();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Before routing: every answer is logged and carries the security headers, over-long URLs stop here.
  app.use(requestLog(logger));
  app.use(securityHeaders());
  app.use(urlLengthLimit(urlLimit));
  app.use(handlerTimeout(logger, timeoutMs));
  app.use(queue);
  app.use(apiRouter(holder, draining, updates));
  if (pages) {
    // The search page's suggestions (an HTML fragment), beside the pages that show them.
    app.use(suggestionsFragmentRouter(holder));
    app.use(pages);
  }
  app.use((request: Request, response: Response) => sendError(request, response, 404, 'not_found', 'not found'));
  // Errors in one place: a request never takes the server down, and API clients always get JSON.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const status = typeof (error as { status?: unknown } | null)?.status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) logger.error({ error: error instanceof Error ? error.stack : String(error), path: request.path }, 'request failed');
    if (response.headersSent) {
      // Already answered (e.g. 503 after a timeout): nothing more to say. Still writing: cut the connection.
      return response.writableEnded ? undefined : next(error);
    }
    if (status >= 400 && status < 500) return sendError(request, response, status, 'bad_request', 'bad request');
    sendError(request, response, 500, 'internal', 'internal error');
  });
  return searchesBeforeExpress(app, { holder, logger, maxUrlBytes: urlLimit, handlerTimeoutMs: timeoutMs, queue });
}

export interface BeforeExpressOptions {
  readonly holder: IndexHolder;
  readonly logger: Logger;
  readonly maxUrlBytes: number;
  readonly handlerTimeoutMs: number;
  /** The queue Express's requests wait in. */
  readonly queue: RequestQueue;
}

const SEARCH_PREFIX = `${SEARCH_PATH}?`;

/**
 * A GET of exactly /api/search?… (not over-long) goes to answerSearch with what Express's middleware would have
 * done around it: security headers, the log line, the handler timeout, a place in the queue, and a thrown error
 * logged and answered 500. Everything else goes to Express.
 */
export function searchesBeforeExpress(next: RequestListener, { holder, logger, maxUrlBytes, handlerTimeoutMs, queue }: BeforeExpressOptions): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = request.url;
    if (request.method !== 'GET' || url === undefined || url.length > maxUrlBytes || !url.startsWith(SEARCH_PREFIX)) return next(request, response);
    // No setSecurityHeaders: every answer from here is sendJson's, which writes them with the rest.
    logWhenAnswered(logger, response, process.hrtime.bigint(), 'GET', SEARCH_PATH);
    answer503After(logger, handlerTimeoutMs, response, 'GET', SEARCH_PATH);
    queue(request, response, () => {
      const fail = (error: unknown): void => {
        logger.error({ error: error instanceof Error ? error.stack : String(error), path: SEARCH_PATH }, 'request failed');
        if (!response.headersSent) sendJsonError(response, 500, 'internal', 'internal error');
      };
      // querystring.parse is Express's "simple" query parser, which the app uses. The answer may come from a query
      // worker (query-pool.ts): a failure is a rejection.
      answerSearch(holder, parseQueryString(url.slice(SEARCH_PREFIX.length)), response).catch(fail);
    });
  };
}

