// The JSON endpoints: GET /api/search and GET /healthz (SPEC.md "JSON endpoint").
import type { ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { sendJsonError } from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import { ParamError, parseSearchParams } from './params.js';

export const SEARCH_PATH = '/api/search';

/** A 200 answer of JSON text, as res.json would send it (no ETag: tookMs makes every answer different). */
export function sendJsonText(response: ServerResponse, text: string): void {
  response.statusCode = 200;
  response.setHeader('Content-Type', 'application/json; charset=utf-8');
  response.setHeader('Content-Length', Buffer.byteLength(text));
  response.end(text);
}

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
    sendJsonText(response, holder.current().searchJson(params.q, params));
  });
  router.get('/healthz', (_request: Request, response: Response) => {
    const { counts, builtAt } = holder.current().index.manifest;
    response.json({ status: 'ok', documents: counts.documents, paragraphs: counts.paragraphs, builtAt });
  });
  router.use('/api', (_request: Request, response: Response) => sendJsonError(response, 404, 'not_found', 'no such API endpoint'));
  return router;
}
