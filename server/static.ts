// Static assets of the pages: views/static (our CSS and JS) and htmx itself, all served by the app (no CDN), so
// the Content-Security-Policy can stay at script-src 'self'.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import { findProjectRoot } from './project-root.js';

const require = createRequire(import.meta.url);

/** Where the assets are read from. */
export interface StaticFolders {
  /** htmx's dist folder. */
  readonly htmxDir: string;
  /** Our own CSS and JS. */
  readonly assetsDir: string;
}

export function defaultStaticFolders(): StaticFolders {
  return {
    htmxDir: dirname(require.resolve('htmx.org/dist/htmx.min.js')),
    assetsDir: join(findProjectRoot(), 'views', 'static'),
  };
}

export function staticRouter({ htmxDir, assetsDir }: StaticFolders = defaultStaticFolders()): Router {
  const router = Router();
  // Only the two htmx files a page can ask for (the script and its source map), not the whole package.
  // sendFile gets a `root` and a bare name: given an absolute path instead, `send` refuses (404) any path with a
  // folder starting with a dot, which is every file of a clone under ~/.cache or ~/.local (regression).
  for (const file of ['htmx.min.js', 'htmx.min.js.map']) {
    router.get(`/${file}`, (_request, response) => response.sendFile(file, { root: htmxDir }));
  }
  // express.static already passes its folder as `root`, so only dot segments of the URL itself are ignored.
  router.use(express.static(assetsDir, { index: false, redirect: false }));
  return router;
}
