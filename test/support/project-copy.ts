// A copy of this project at another path, as a clone there would be, for tests of where the project may live
// (e.g. under a dot folder such as ~/.cache). Everything but .git, node_modules and generated folders is copied,
// dist included (build first). node_modules is a folder of symlinks to this project's packages, except htmx.org,
// which is copied: Node resolves a package through a symlink to its real path, and the server must find htmx
// under the copy's path, as it does in a real clone.
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOT_COPIED = new Set(['.git', 'node_modules', 'data', 'test-output']);
const COPIED_PACKAGES = new Set(['htmx.org']);

/** Copies the project into `dest` (created; it must not exist yet) and returns `dest`. */
export function copyProject(dest: string): string {
  if (!existsSync(path.join(ROOT, 'dist', 'server', 'main.js'))) throw new Error('dist/server/main.js is missing: run `npm run build` first');
  if (existsSync(dest)) throw new Error(`${dest} exists already`);
  mkdirSync(dest, { recursive: true });
  for (const entry of readdirSync(ROOT)) {
    if (!NOT_COPIED.has(entry)) cpSync(path.join(ROOT, entry), path.join(dest, entry), { recursive: true });
  }
  const modules = path.join(ROOT, 'node_modules');
  mkdirSync(path.join(dest, 'node_modules'));
  for (const entry of readdirSync(modules)) {
    const from = path.join(modules, entry);
    const to = path.join(dest, 'node_modules', entry);
    if (COPIED_PACKAGES.has(entry)) cpSync(from, to, { recursive: true, dereference: true });
    else symlinkSync(from, to);
  }
  return dest;
}
