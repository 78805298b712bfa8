// The JSON endpoints: GET /api/search and GET /healthz (SPEC.md "JSON endpoint").
import { Router, type Request, type Response } from 'express';
import { sendJson, sendJsonError } from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import { ParamError, parseSearchParams } from './params.js';

export const SEARCH_PATH = '/api/search';

export function apiRouter(holder: IndexHolder): Router {
  const router = Router();
  router.get(SEARCH_PATH, (request: Request, response: Response) => {
    let params;
    try {
      params = parseSearchParams(request.query as Record<string, unknown>);
    } catch (error) {
      if (error instanceof ParamError) return sendJsonError(response, 400, error.code, error.message);
      throw error;
    }
    sendJson(response, 200, holder.current().searchJson(params.q, params));
  });
  router.get('/healthz', (_request: Request, response: Response) => {
    const { counts, builtAt } = holder.current().index.manifest;
    response.json({ status: 'ok', documents: counts.documents, paragraphs: counts.paragraphs, builtAt });
  });
  router.use('/api', (_request: Request, response: Response) => sendJsonError(response, 404, 'not_found', 'no such API endpoint'));
  return router;
}
