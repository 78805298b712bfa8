// JSON searches answered before Express. Express's router, middleware chain and response helpers cost more than a
// fast search (one fixed 4.6 KB answer on the bench machine: 16,728 req/s from Node's own handler, 4,564 through
// Express 5's res.json; BENCHMARKS.md). A GET of exactly /api/search with valid parameters is answered here, with
// the same headers, body and log line: at once when the result cache has it, else in its turn (turns.ts, the
// queue Express's requests wait in too) and with the same handler timeout. Everything else, bad parameters
// included, and anything unexpected before the search, goes to Express, which answers errors in one place.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { SEARCH_PATH } from './api.js';
import { answer503After, logRequest, logWhenAnswered, millisecondsSince, sendJson, sendJsonError, setSecurityHeaders } from './http-hardening.js';
import type { IndexHolder, Logger } from './index-holder.js';
import { parseSearchParams, type SearchParams } from './params.js';
import type { RequestTurns } from './turns.js';

const SEARCH_PREFIX = `${SEARCH_PATH}?`;

export interface SearchAnswerOptions {
  readonly holder: IndexHolder;
  readonly logger: Logger;
  readonly maxUrlBytes: number;
  readonly handlerTimeoutMs: number;
  /** The queue the app's own requests wait in. */
  readonly turns: RequestTurns;
}

/** The search parameters of a request this path may answer, or undefined; throws ParamError on bad ones. */
function searchParamsOf(request: IncomingMessage, maxUrlBytes: number): SearchParams | undefined {
  const url = request.url;
  if (request.method !== 'GET' || url === undefined || url.length > maxUrlBytes || !url.startsWith(SEARCH_PREFIX)) return undefined;
  // querystring.parse is Express's "simple" query parser, which the app uses.
  return parseSearchParams(parseQueryString(url.slice(SEARCH_PREFIX.length)));
}

export function answerSearchesFirst(next: RequestListener, { holder, logger, maxUrlBytes, handlerTimeoutMs, turns }: SearchAnswerOptions): RequestListener {
  /** The search in its turn; a failure is answered 500 and logged as Express's error handler would. */
  const search = (response: ServerResponse, params: SearchParams): void => {
    try {
      sendJson(response, 200, holder.current().searchJson(params.q, params));
    } catch (error) {
      logger.error({ error: error instanceof Error ? error.stack : String(error), path: SEARCH_PATH }, 'request failed');
      if (!response.headersSent) sendJsonError(response, 500, 'internal', 'internal error');
    }
  };
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    let params: SearchParams | undefined;
    let cached: string | undefined;
    try {
      params = searchParamsOf(request, maxUrlBytes);
      cached = params && holder.current().cachedSearchJson(params.q, params);
    } catch {
      params = undefined; // bad parameters (a 400) or anything unexpected: Express parses again and answers
    }
    if (params === undefined) return next(request, response);
    setSecurityHeaders(response);
    if (cached !== undefined) {
      // Written at once: the line is logged now rather than from the response's events.
      sendJson(response, 200, cached);
      logRequest(logger, { method: 'GET', path: SEARCH_PATH, status: 200, durationMs: millisecondsSince(started), ...(request.socket.destroyed ? { aborted: true as const } : {}) });
      return;
    }
    logWhenAnswered(logger, response, started, 'GET', SEARCH_PATH);
    answer503After(logger, handlerTimeoutMs, response, 'GET', SEARCH_PATH);
    const asked = params;
    turns(request, response, () => search(response, asked));
  };
}
