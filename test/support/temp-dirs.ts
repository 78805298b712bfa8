// Temporary folders for one test file, all removed after its last test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Returns a function making fresh folders named `sou-<name>-…`; call it at the top level of a test file. */
export function tempDirFactory(name: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(path.join(tmpdir(), `sou-${name}-`));
    made.push(dir);
    return dir;
  };
}
