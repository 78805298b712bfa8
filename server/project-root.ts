// The project root: the nearest folder with a package.json above this module. Compiled code runs from dist/server
// and tests run the sources from server/, so paths to non-TypeScript files (views/static) are resolved from the
// root, never from the module's own folder.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`sou: no package.json above ${from}`);
  }
}
