// Real indexes for the search tests: the seed corpus plus the committed eval sample (built once per run by
// global-setup.ts and shared), or a handful of custom documents built in a temporary folder. Everything runs
// in-process (small builds never start worker threads).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { readCorpus, type SourceDocument } from '../../indexer/corpus/index.js';
import { loadIndex, type LoadedIndex } from '../../indexer/index/load.js';
import { writeDocumentsIndex } from './write-index.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SEED_CORPUS = path.join(ROOT, 'corpus', 'alipay-15-years.txt');
export const SAMPLE_DIR = path.join(ROOT, 'test', 'fixtures', 'eval-sample');
export const SAMPLE_CORPUS = path.join(SAMPLE_DIR, 'corpus.jsonl');

export interface TestIndex {
  readonly dir: string;
  readonly index: LoadedIndex;
  /** Removes the temporary folder. */
  cleanup(): void;
}

/** Writes `documents` as an index into a fresh temporary folder and loads it. */
export async function buildTestIndex(documents: readonly SourceDocument[]): Promise<TestIndex> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sou-search-'));
  await writeDocumentsIndex(dir, documents);
  return { dir, index: await loadIndex(dir), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The documents of the seed corpus and of the eval sample, read by the project's corpus reader. */
export async function seedAndSampleDocuments(): Promise<readonly SourceDocument[]> {
  const { documents, problems } = await readCorpus([SEED_CORPUS, SAMPLE_CORPUS]);
  if (problems.length > 0) throw new Error(`corpus problems: ${JSON.stringify(problems)}`);
  return documents;
}

/**
 * The seed + eval-sample index the global setup built for the whole run, loaded. Shared by every suite: read it,
 * never change it (a suite that changes an index builds its own). `cleanup` leaves it for the global teardown.
 */
export async function loadSeedAndSampleIndex(): Promise<TestIndex> {
  const dir = inject('seedAndSampleIndexDir');
  if (typeof dir !== 'string') throw new Error('no shared test index: run vitest with vitest.config.ts, whose globalSetup builds it');
  return { dir, index: await loadIndex(dir), cleanup: () => {} };
}

export interface SampleQuery {
  readonly qid: string;
  readonly query: string;
  readonly gold: readonly string[];
  readonly answers: readonly string[];
}

export function sampleQueries(name: 'drcd' | 'cmrc'): SampleQuery[] {
  return readFileSync(path.join(SAMPLE_DIR, `queries-${name}-sample.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SampleQuery);
}

/** The project's seeded generator (mulberry32): the same seed gives the same test cases on every machine. */
export { seededRandom } from '../../server/search/seeded-random.js';

/** True when [start, end) cuts no surrogate pair of `text`. */
export function onCodePointBoundaries(text: string, start: number, end: number): boolean {
  const inside = (at: number): boolean =>
    at > 0 && at < text.length && (text.charCodeAt(at) & 0xfc00) === 0xdc00 && (text.charCodeAt(at - 1) & 0xfc00) === 0xd800;
  return !inside(start) && !inside(end);
}

/** `${docId}#${n}` (a hit's id) → global paragraph id, for every paragraph of the index. */
export function globalParagraphIds(index: LoadedIndex): Map<string, number> {
  const ids = new Map<string, number>();
  for (const document of index.documents) {
    for (let n = 0; n < document.paragraphCount; n++) ids.set(`${document.id}#${n}`, document.firstParagraph + n);
  }
  return ids;
}
