// The JSON endpoints: GET /api/search and GET /healthz (SPEC.md "JSON endpoint").
import { Router, type Request, type Response } from 'express';
import type { IndexHolder } from './index-holder.js';
import { ParamError, parseSearchParams } from './params.js';

export function apiError(response: Response, status: number, code: string, message: string): void {
  response.status(status).json({ error: { code, message } });
}

export function apiRouter(holder: IndexHolder): Router {
  const router = Router();
  router.get('/api/search', (request: Request, response: Response) => {
    let params;
    try {
      params = parseSearchParams(request.query as Record<string, unknown>);
    } catch (error) {
      if (error instanceof ParamError) return apiError(response, 400, error.code, error.message);
      throw error;
    }
    response.json(holder.current().search(params.q, params));
  });
  router.get('/healthz', (_request: Request, response: Response) => {
    const { counts, builtAt } = holder.current().index.manifest;
    response.json({ status: 'ok', documents: counts.documents, paragraphs: counts.paragraphs, builtAt });
  });
  router.use('/api', (_request: Request, response: Response) => apiError(response, 404, 'not_found', 'no such API endpoint'));
  return router;
}
