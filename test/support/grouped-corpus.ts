// The grouped-corpus fixture (test/fixtures/grouped-corpus/): folders, file types and dates for filters,
// grouping, facets and sorting. Git keeps no modified times, so the files are copied to a temporary folder and
// given those of layout.json (and the binary samples copied in from test/fixtures/documents/samples/).
import { copyFileSync, cpSync, mkdirSync, readFileSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { readCorpus, type CorpusProblem, type SourceDocument } from '../../indexer/corpus/index.js';
import { ROOT } from './search-index.js';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'grouped-corpus');
const SAMPLES = path.join(ROOT, 'test', 'fixtures', 'documents', 'samples');

interface Layout {
  readonly mtimes: Record<string, string>;
  readonly from: Record<string, string>;
}

/** The .jsonl file's own modified time: its undated line's date. */
export const JSONL_MTIME = '2020-01-01';

/** Copies the fixture into `dir` with its dates and reads it: the documents and the reader's problems. */
export async function readGroupedCorpus(dir: string): Promise<{ documents: readonly SourceDocument[]; problems: readonly CorpusProblem[] }> {
  const layout = JSON.parse(readFileSync(path.join(FIXTURE, 'layout.json'), 'utf8')) as Layout;
  const files = path.join(dir, 'files');
  cpSync(path.join(FIXTURE, 'files'), files, { recursive: true });
  for (const [file, sample] of Object.entries(layout.from)) {
    mkdirSync(path.dirname(path.join(files, file)), { recursive: true });
    copyFileSync(path.join(SAMPLES, sample), path.join(files, file));
  }
  for (const [file, date] of Object.entries(layout.mtimes)) {
    const time = new Date(`${date}T12:00:00Z`);
    utimesSync(path.join(files, file), time, time);
  }
  const jsonl = path.join(dir, 'dated.jsonl');
  copyFileSync(path.join(FIXTURE, 'dated.jsonl'), jsonl);
  const time = new Date(`${JSONL_MTIME}T12:00:00Z`);
  utimesSync(jsonl, time, time);
  const read = await readCorpus([files, jsonl]);
  return { documents: read.documents, problems: read.problems };
}
