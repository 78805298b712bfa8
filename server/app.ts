// The Express application, without listen(): tests drive it directly, main.ts serves it.
import express, { type NextFunction, type Request, type Response } from 'express';
import { apiError, apiRouter } from './api.js';
import type { IndexHolder, Logger } from './index-holder.js';

export interface AppOptions {
  readonly holder: IndexHolder;
  readonly logger: Logger;
  /** The pages (search page, results, documents); mounted after the API. */
  readonly pages?: express.Router;
}

export function createApp({ holder, logger, pages }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(apiRouter(holder));
  if (pages) app.use(pages);
  // Errors in one place: a request never takes the server down, and API clients always get JSON.
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    logger.error({ error: error instanceof Error ? error.stack : String(error), path: request.path }, 'request failed');
    if (response.headersSent) return next(error);
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    if (request.path.startsWith('/api/')) return apiError(response, status, status < 500 ? 'bad_request' : 'internal', status < 500 ? 'bad request' : 'internal error');
    response.status(status).type('text/plain').send(status < 500 ? 'Bad request' : 'Internal error');
  });
  return app;
}
