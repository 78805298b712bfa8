// The JSON endpoints: GET /api/search, GET /api/suggest (suggest.ts) and GET /healthz (docs/contract.md "JSON endpoint"). answerSearch is the
// one handler of GET /api/search: Express's route calls it, and so does the path before Express (app.ts).
import type { ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { sendJson, sendJsonError } from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import { ParamError, parseSearchParams } from './params.js';
import { answerSuggest, SUGGEST_PATH } from './suggest.js';

export const SEARCH_PATH = '/api/search';

/**
 * GET /api/search: the parameters parsed (400 on bad ones), the answer from the result cache or the engine,
 * sent as JSON text. Anything unexpected is thrown for the caller's error handler.
 */
export function answerSearch(holder: IndexHolder, query: Record<string, unknown>, response: ServerResponse): void {
  let params;
  try {
    params = parseSearchParams(query);
  } catch (error) {
    if (error instanceof ParamError) return sendJsonError(response, 400, error.code, error.message);
    throw error;
  }
  sendJson(response, 200, holder.answers().searchJson(params.q, params));
}

export function apiRouter(holder: IndexHolder): Router {
  const router = Router();
  router.get(SEARCH_PATH, (request: Request, response: Response) => answerSearch(holder, request.query as Record<string, unknown>, response));
  router.get(SUGGEST_PATH, (request: Request, response: Response) => answerSuggest(holder, request.query as Record<string, unknown>, response));
  router.get('/healthz', (_request: Request, response: Response) => {
    const { counts, builtAt } = holder.searcher().index.manifest;
    response.json({ status: 'ok', documents: counts.documents, paragraphs: counts.paragraphs, builtAt });
  });
  router.use('/api', (_request: Request, response: Response) => sendJsonError(response, 404, 'not_found', 'no such API endpoint'));
  return router;
}
