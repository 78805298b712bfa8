// The HTTP application, without listen(): tests drive it directly, main.ts serves it. JSON searches are answered
// before Express (search-answers.ts); everything else goes through Express.
import type { RequestListener } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { apiRouter } from './api.js';
import { handlerTimeout, HTTP_LIMITS, requestLog, securityHeaders, sendError, urlLengthLimit } from './http-hardening.js';
import type { IndexHolder, Logger } from './index-holder.js';
import { answerSearchesFirst } from './search-answers.js';
import { requestTurns } from './turns.js';

export interface AppOptions {
  readonly holder: IndexHolder;
  /** Request logs and errors go here (main.ts passes pino; tests pass a silent or capturing logger). */
  readonly logger: Logger;
  /** The pages (search page, results, documents); mounted after the API. */
  readonly pages?: express.Router;
  /** How long a handler may take before the request is answered 503 (default HTTP_LIMITS.handlerTimeoutMs). */
  readonly handlerTimeoutMs?: number;
  /** Longest request target in bytes (default HTTP_LIMITS.maxUrlBytes). */
  readonly maxUrlBytes?: number;
}

export function createApp({ holder, logger, pages, handlerTimeoutMs, maxUrlBytes }: AppOptions): RequestListener {
  const urlLimit = maxUrlBytes ?? HTTP_LIMITS.maxUrlBytes;
  const timeoutMs = handlerTimeoutMs ?? HTTP_LIMITS.handlerTimeoutMs;
  const turns = requestTurns();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Before routing: every answer is logged and carries the security headers, over-long URLs stop here.
  app.use(requestLog(logger));
  app.use(securityHeaders());
  app.use(urlLengthLimit(urlLimit));
  app.use(handlerTimeout(logger, timeoutMs));
  app.use(turns);
  app.use(apiRouter(holder));
  if (pages) app.use(pages);
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
  return answerSearchesFirst(app, { holder, logger, maxUrlBytes: urlLimit, handlerTimeoutMs: timeoutMs, turns });
}
