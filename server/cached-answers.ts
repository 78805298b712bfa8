// Repeated JSON searches answered before Express. Writing an answer from the result cache takes microseconds;
// Express's router, middleware chain and response helpers cost more than that many times over (one fixed 4.6 KB
// answer on the bench machine: 16,728 req/s from Node's own handler, 4,564 through Express 5's res.json;
// BENCHMARKS.md), which held the cached server near 2,500 req/s. Only a GET of exactly /api/search whose answer
// is already cached takes this path, with the same headers, log line and limits; everything else, and anything
// unexpected here, goes to Express, which answers errors in one place.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import { SEARCH_PATH, sendJsonText } from './api.js';
import { logRequest, millisecondsSince, setSecurityHeaders } from './http-hardening.js';
import type { IndexHolder, Logger } from './index-holder.js';
import { parseSearchParams, type SearchParams } from './params.js';

const SEARCH_PREFIX = `${SEARCH_PATH}?`;

/** The search parameters of a request this path may answer, or undefined; throws ParamError on bad ones. */
function searchParamsOf(request: IncomingMessage, maxUrlBytes: number): SearchParams | undefined {
  const url = request.url;
  if (request.method !== 'GET' || url === undefined || url.length > maxUrlBytes || !url.startsWith(SEARCH_PREFIX)) return undefined;
  // querystring.parse is Express's "simple" query parser, which the app uses.
  return parseSearchParams(parseQueryString(url.slice(SEARCH_PREFIX.length)));
}

export function answerCachedSearches(next: RequestListener, holder: IndexHolder, logger: Logger, maxUrlBytes: number): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    let text: string | undefined;
    try {
      const params = searchParamsOf(request, maxUrlBytes);
      text = params && holder.current().cachedSearchJson(params.q, params);
    } catch {
      text = undefined; // bad parameters (a 400) or anything unexpected: Express parses again and answers
    }
    if (text === undefined) return next(request, response);
    setSecurityHeaders(response);
    sendJsonText(response, text);
    logRequest(logger, { method: 'GET', path: SEARCH_PATH, status: 200, durationMs: millisecondsSince(started), ...(request.socket.destroyed ? { aborted: true as const } : {}) });
  };
}
