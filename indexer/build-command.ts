// The offline build as a command: list the corpus, skip when the index is up to date, read, analyze, write.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzerFingerprint, readUserDictionary } from './analyzer/index.js';
import { listCorpusFiles, readListedFiles, summarizeFiles, type CorpusProblem, type FileTypeSummary } from './corpus/index.js';
import { buildIndexFiles, type BuildCounts } from './index/build.js';
import { corpusFingerprint } from './index/fingerprint.js';
import { INDEX_FORMAT, MANIFEST_FILE, STORE_FILE, type Manifest } from './index/format.js';
import { writeIndex } from './index/write.js';

export interface BuildOptions {
  readonly corpus: readonly string[];
  readonly out: string;
  readonly userDict: string | null;
  readonly force: boolean;
}

export interface BuildReporter {
  step(message: string): void;
  progress(done: number, total: number, unit: string): void;
  problem(problem: CorpusProblem): void;
}

export type BuildOutcome =
  | { readonly status: 'up-to-date'; readonly manifest: Manifest }
  | {
      readonly status: 'built';
      readonly manifest: Manifest;
      readonly counts: BuildCounts;
      readonly problems: readonly CorpusProblem[];
      /** Every file found, by type: indexed, or skipped and why. */
      readonly files: readonly FileTypeSummary[];
      readonly seconds: number;
      readonly bytes: number;
    };

async function currentManifest(out: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function isCurrent(manifest: Manifest | null, options: BuildOptions, fingerprint: string, out: string): manifest is Manifest {
  if (manifest === null || manifest.format !== INDEX_FORMAT) return false;
  if (!existsSync(join(out, manifest.generation ?? '', STORE_FILE))) return false;
  const analyzer = analyzerFingerprint(options.userDict);
  return (
    manifest.corpus?.fingerprint === fingerprint &&
    JSON.stringify(manifest.corpus.inputs) === JSON.stringify(options.corpus) &&
    manifest.userDict === options.userDict &&
    JSON.stringify(manifest.analyzer) === JSON.stringify(analyzer)
  );
}

/** Whether `out` holds an index of exactly this corpus, built by this analyzer. */
export async function isUpToDate(options: BuildOptions): Promise<boolean> {
  const listed = await listCorpusFiles(options.corpus);
  return isCurrent(await currentManifest(options.out), options, corpusFingerprint(listed.files, options.userDict), options.out);
}

export async function runBuild(options: BuildOptions, reporter: BuildReporter): Promise<BuildOutcome> {
  const started = performance.now();
  // Fail early on an unreadable dictionary. jieba itself is loaded where paragraphs are analyzed: on worker
  // threads for big builds, so the main thread does not pay its second of loading and 235 MB.
  if (options.userDict !== null) readUserDictionary(options.userDict);
  const listed = await listCorpusFiles(options.corpus);
  const fingerprint = corpusFingerprint(listed.files, options.userDict);
  const previous = await currentManifest(options.out);
  if (!options.force && isCurrent(previous, options, fingerprint, options.out)) return { status: 'up-to-date', manifest: previous };

  reporter.step(`reading ${listed.files.length} corpus file(s)`);
  const read = await readListedFiles(listed, (done, total) => reporter.progress(done, total, 'files'));
  read.problems.forEach((problem) => reporter.problem(problem));
  reporter.step(`analyzing ${read.documents.length} document(s)`);
  const built = await buildIndexFiles(read.documents, options.userDict, (done, total) => reporter.progress(done, total, 'paragraphs'));
  reporter.step(`writing the index to ${options.out}`);
  const seconds = (performance.now() - started) / 1000;
  const manifest = await writeIndex(options.out, built.files, {
    format: INDEX_FORMAT,
    analyzer: analyzerFingerprint(options.userDict),
    userDict: options.userDict,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round(seconds * 100) / 100,
    corpus: { inputs: [...options.corpus], fingerprint, problems: read.problems.length },
    counts: built.counts,
  });
  const bytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
  const files = summarizeFiles(read.outcomes);
  return { status: 'built', manifest, counts: built.counts, problems: read.problems, files, seconds: (performance.now() - started) / 1000, bytes };
}
