// Vitest's global setup: builds the seed + eval-sample index once per run, in the main process, into a temporary
// folder, and provides its path to every suite (loadSeedAndSampleIndex in search-index.ts). Building it once per
// suite cost every suite a build on a machine shared with other work. Suites only read it; a suite that changes an
// index builds its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { seedAndSampleDocuments } from './search-index.js';
import { writeDocumentsIndex } from './write-index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder of the shared seed + eval-sample index (read-only). */
    seedAndSampleIndexDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sou-shared-index-'));
  try {
    await writeDocumentsIndex(dir, await seedAndSampleDocuments());
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('seedAndSampleIndexDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
