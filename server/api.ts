// The JSON endpoints: GET /api/search, GET /api/suggest (suggest.ts), GET /healthz and GET /readyz
// (docs/contract.md "JSON endpoint"). answerSearch is the one handler of GET /api/search: Express's route calls it,
// and so does the path before Express (app.ts).
import type { ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { sendJson, sendJsonError } from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import type { UpdatesStatus } from './index-updates.js';
import { ParamError, parseSearchParams, searchOptions } from './params.js';
import { PoolWorkerError } from './query-pool.js';
import { answerSuggest, SUGGEST_PATH } from './suggest.js';

export const SEARCH_PATH = '/api/search';

/**
 * GET /api/search: the parameters parsed (400 on bad ones), the answer from the result cache or the engine,
 * sent as JSON text; 503 when the query worker searching it failed twice (query-pool.ts). Anything unexpected
 * rejects, for the caller's error handler. An answer that comes after the handler timeout's 503, or after the
 * client left, is dropped.
 */
export async function answerSearch(holder: IndexHolder, query: Record<string, unknown>, response: ServerResponse): Promise<void> {
  let params;
  try {
    params = parseSearchParams(query);
  } catch (error) {
    if (error instanceof ParamError) return sendJsonError(response, 400, error.code, error.message);
    throw error;
  }
  let text: string;
  try {
    text = await holder.answers().searchJson(params.q, searchOptions(params));
  } catch (error) {
    if (!(error instanceof PoolWorkerError)) throw error;
    if (response.headersSent || response.destroyed) return;
    response.setHeader('Retry-After', '1');
    return sendJsonError(response, 503, 'worker_failed', 'the search failed; try again');
  }
  if (!response.headersSent && !response.destroyed) sendJson(response, 200, text);
}

/** Why a replica is not ready: its index is still warming up, its warm-up failed, or the server is draining. */
export type Readiness = 'ready' | 'warming' | 'warm-up failed' | 'draining';

/** Ready: the index is loaded and warm, and the server is not shutting down (docs/operations.md "Replicas"). */
export function readiness(holder: IndexHolder, draining: boolean): Readiness {
  if (draining) return 'draining';
  const warmth = holder.warmth();
  return warmth === 'warm' ? 'ready' : warmth === 'failed' ? 'warm-up failed' : 'warming';
}

/**
 * `draining` says whether the server is shutting down (shutdown.ts): /readyz answers 503 from then on. `updates`: in
 * watch mode, how the updates go; /healthz then says so in its `watch` field.
 */
export function apiRouter(holder: IndexHolder, draining: () => boolean = () => false, updates?: () => UpdatesStatus): Router {
  const router = Router();
  router.get(SEARCH_PATH, (request: Request, response: Response) => answerSearch(holder, request.query as Record<string, unknown>, response));
  router.get(SUGGEST_PATH, (request: Request, response: Response) => answerSuggest(holder, request.query as Record<string, unknown>, response));
  router.get('/healthz', (_request: Request, response: Response) => {
    const { counts, builtAt } = holder.searcher().index.manifest;
    response.json({ status: 'ok', documents: counts.documents, paragraphs: counts.paragraphs, builtAt, ...(updates === undefined ? {} : { watch: updates() }) });
  });
  // For a load balancer's health check: 200 only when this replica should get traffic.
  router.get('/readyz', (_request: Request, response: Response) => {
    const status = readiness(holder, draining());
    const { generation, builtAt } = holder.searcher().index.manifest;
    response.status(status === 'ready' ? 200 : 503).json({ status, generation, builtAt });
  });
  router.use('/api', (_request: Request, response: Response) => sendJsonError(response, 404, 'not_found', 'no such API endpoint'));
  return router;
}
