// HTTP hardening shared by every route: security headers, a limit on the URL's length checked before routing,
// an answer when a handler takes too long, and one structured log line per request (no query text in it).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import type { Logger } from './logger.js';

export const HTTP_LIMITS = Object.freeze({
  /** Longest request target (path and query string, as sent) the app reads; longer ones get 414. */
  maxUrlBytes: 8 * 1024,
  /** A handler that has not answered after this long gets a 503 answer. */
  handlerTimeoutMs: 10_000,
  /** Longest path written to the request log; the rest is cut. */
  maxLoggedPath: 256,
});

/** API clients always get JSON; everything under /api/ and /healthz is the API. */
export const isApiPath = (path: string): boolean => path === '/healthz' || path === '/api' || path.startsWith('/api/');

/** The path of a raw request target, without the query string. */
export function pathOf(url: string): string {
  const at = url.search(/[?#]/);
  return at === -1 ? url : url.slice(0, at);
}

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  frameguard: { action: 'deny' },
  xContentTypeOptions: true,
} as const;

/** What helmet sets for HELMET_OPTIONS, recorded once: no option above depends on the request. */
function recordHelmetHeaders(): readonly (readonly [string, string])[] {
  const headers: (readonly [string, string])[] = [];
  let outcome: { error?: unknown } | undefined;
  const recorder = { setHeader: (name: string, value: unknown) => void headers.push(Object.freeze([name, String(value)] as const)), removeHeader() {} };
  helmet(HELMET_OPTIONS)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => void (outcome = { error }));
  if (outcome === undefined || outcome.error !== undefined) throw new Error(`sou: helmet did not set its headers at once (${String(outcome?.error)})`);
  return Object.freeze(headers);
}

/**
 * App-wide headers: a Content-Security-Policy without inline script or style, no framing, no <base>, forms only
 * to this origin; nosniff; no Referer to other sites. It covers the pages, the JSON endpoints, static files and
 * error answers alike, and the searches answered before Express (app.ts).
 */
export const SECURITY_HEADERS = recordHelmetHeaders();

/** SECURITY_HEADERS as writeHead takes them: name, value, name, value, … */
const SECURITY_HEADER_LINES: readonly string[] = SECURITY_HEADERS.flat();

export function setSecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value);
}

export function securityHeaders(): RequestHandler {
  return (_request, response, next) => {
    setSecurityHeaders(response);
    next();
  };
}

/**
 * A JSON answer of this text, as res.json would send it, written with Node's own response methods (no ETag: a
 * search's tookMs makes every answer different).
 */
export function sendJson(response: ServerResponse, status: number, text: string): void {
  // One writeHead of every header: what is sent the most (searches answered before Express) sets no header one by
  // one (docs/design.md "Searches before Express"). Headers already set (Express's middleware) are kept, and
  // these replace any of the same name.
  response.writeHead(status, [...SECURITY_HEADER_LINES, 'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(text))]);
  response.end(text);
}

/** The API's error answer, JSON `{"error": {code, message}}`. */
export function sendJsonError(response: ServerResponse, status: number, code: string, message: string): void {
  sendJson(response, status, JSON.stringify({ error: { code, message } }));
}

/** An error answer: JSON for the API (sendJsonError), one line of plain text elsewhere. */
export function sendError(request: Request, response: Response, status: number, code: string, message: string): void {
  if (isApiPath(pathOf(request.originalUrl))) sendJsonError(response, status, code, message);
  else response.status(status).type('text/plain').send(`${message}\n`);
}

/** 414 for a request target longer than `maxBytes`, before any routing or parameter parsing. */
export function urlLengthLimit(maxBytes: number = HTTP_LIMITS.maxUrlBytes): RequestHandler {
  return (request, response, next) => {
    // The target arrives as bytes; Node hands it over as latin1, one character per byte.
    if (request.url.length <= maxBytes) return next();
    response.set('Connection', 'close');
    sendError(request, response, 414, 'uri_too_long', `the URL is ${request.url.length} bytes long; the limit is ${maxBytes}`);
  };
}

/**
 * Answers 503 (JSON) when `response` has not been answered within `ms`. Search itself is synchronous, so this
 * guards the wait for a turn (request-queue.ts) and what waits on I/O (static files, anything asynchronous added later).
 * A handler that answers after the timeout finds the response already sent and must check `response.headersSent`.
 */
export function answer503After(logger: Logger, ms: number, response: ServerResponse, method: string | undefined, path: string): void {
  const timer = setTimeout(() => {
    if (response.headersSent) return;
    logger.warn({ method, path, timeoutMs: ms }, 'request timed out');
    response.setHeader('Retry-After', '1');
    sendJsonError(response, 503, 'timeout', `no answer within ${ms} ms; try again`);
  }, ms);
  const clear = (): void => clearTimeout(timer);
  response.once('finish', clear);
  response.once('close', clear);
}

/** answer503After for every request that reaches the rest of the chain. */
export function handlerTimeout(logger: Logger, ms: number = HTTP_LIMITS.handlerTimeoutMs): RequestHandler {
  return (request, response, next) => {
    answer503After(logger, ms, response, request.method, loggedPath(request));
    next();
  };
}

function loggedPath(request: Request): string {
  const path = pathOf(request.originalUrl);
  return path.length > HTTP_LIMITS.maxLoggedPath ? `${path.slice(0, HTTP_LIMITS.maxLoggedPath)}…` : path;
}

export interface RequestLine {
  readonly method: string | undefined;
  readonly path: string;
  readonly status: number;
  readonly durationMs: number;
  /** The answer was not written out in full (the client went away). */
  readonly aborted?: true;
}

/** Writes one request line: server errors at error level, the rest at info. */
export function logRequest(logger: Logger, line: RequestLine): void {
  if (line.status >= 500) logger.error(line, 'request');
  else logger.info(line, 'request');
}

/** Milliseconds since `started` (process.hrtime.bigint()), to 0.01 ms. */
export const millisecondsSince = (started: bigint): number => Math.round(Number(process.hrtime.bigint() - started) / 10_000) / 100;

/** Writes the request's line when its answer is sent, or when the client goes away first (aborted). */
export function logWhenAnswered(logger: Logger, response: ServerResponse, started: bigint, method: string | undefined, path: string): void {
  let logged = false;
  const log = (): void => {
    if (logged) return;
    logged = true;
    logRequest(logger, {
      method,
      path,
      status: response.statusCode,
      durationMs: millisecondsSince(started),
      ...(response.writableFinished ? {} : { aborted: true as const }),
    });
  };
  response.once('finish', log);
  response.once('close', log);
}

/**
 * One line per request when its answer is sent (or the client went away): method, path without the query string,
 * status, duration. Queries are what people searched for, so they are not logged. Server errors log at error level.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    logWhenAnswered(logger, response, process.hrtime.bigint(), request.method, loggedPath(request));
    next();
  };
}
