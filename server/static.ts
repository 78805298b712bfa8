// Static assets of the pages: views/static (our CSS and JS) and htmx itself, all served by the app (no CDN), so
// the Content-Security-Policy can stay at script-src 'self'.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { findProjectRoot } from './project-root.js';

const require = createRequire(import.meta.url);

export function staticRouter(): Router {
  const router = Router();
  const htmxDir = dirname(require.resolve('htmx.org/dist/htmx.min.js'));
  // Only the two htmx files a page can ask for (the script and its source map), not the whole package.
  for (const file of ['htmx.min.js', 'htmx.min.js.map']) {
    router.get(`/${file}`, (_request, response) => response.sendFile(join(htmxDir, file)));
  }
  router.use(express.static(join(findProjectRoot(), 'views', 'static'), { index: false, redirect: false }));
  return router;
}
