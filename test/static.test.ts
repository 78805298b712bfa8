// The static assets (server/static.ts): htmx and our CSS and JS, served from wherever the project lives.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { defaultStaticFolders, staticRouter, type StaticFolders } from '../server/static.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('static');
const ASSETS = [
  ['htmx.min.js', /javascript/],
  ['htmx.min.js.map', /json/],
  ['app.css', /text\/css/],
  ['app.js', /javascript/],
] as const;

/** A copy of the assets laid out as in a clone at `projectDir`: node_modules/htmx.org/dist and views/static. */
function copyAssets(projectDir: string): StaticFolders {
  const real = defaultStaticFolders();
  const folders = { htmxDir: path.join(projectDir, 'node_modules', 'htmx.org', 'dist'), assetsDir: path.join(projectDir, 'views', 'static') };
  for (const dir of Object.values(folders)) mkdirSync(dir, { recursive: true });
  for (const file of ['htmx.min.js', 'htmx.min.js.map']) copyFileSync(path.join(real.htmxDir, file), path.join(folders.htmxDir, file));
  for (const file of ['app.css', 'app.js']) copyFileSync(path.join(real.assetsDir, file), path.join(folders.assetsDir, file));
  return folders;
}

const appServing = (folders: StaticFolders) => express().use('/static', staticRouter(folders));

describe('static assets', () => {
  it('serves htmx, its map, the CSS and the JS from a clone under a dot folder (regression: htmx was a 404)', async () => {
    // A clone under ~/.cache or ~/.local: send() refused any absolute path with a dot folder in it.
    const folders = copyAssets(path.join(tempDir(), '.cache', 'sou 搜', 'clone'));
    const app = appServing(folders);
    for (const [file, type] of ASSETS) {
      const response = await request(app).get(`/static/${file}`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(response.status, file).toBe(200);
      expect(response.headers['content-type'], file).toMatch(type);
      const dir = file.startsWith('htmx') ? folders.htmxDir : folders.assetsDir;
      expect((response.body as Buffer).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
  });

  it('still serves no dot file, no other htmx file and nothing outside the folders', async () => {
    const folders = copyAssets(path.join(tempDir(), '.local', 'sou'));
    writeFileSync(path.join(folders.assetsDir, '.secret'), 'hidden');
    writeFileSync(path.join(folders.htmxDir, 'htmx.js'), 'unminified');
    const app = appServing(folders);
    for (const url of ['/static/.secret', '/static/htmx.js', '/static/../package.json', '/static/%2e%2e/views/static/app.css', '/static/nope.css']) {
      expect((await request(app).get(url)).status, url).toBe(404);
    }
  });
});
