// The offline build as a command: list the corpus, skip when the index is up to date, read, analyze, write.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { analyzerFingerprint, readUserDictionary } from './analyzer/index.js';
import { listCorpusFiles, readListedFiles, summarizeFiles, type CorpusFile, type CorpusProblem, type FileTypeSummary, type SourceDocument } from './corpus/index.js';
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

/** The corpus roots of the listed files, and which root each file document's id is relative to. */
export interface CorpusRoots {
  /** Absolute folders, in the order first met. */
  readonly roots: readonly string[];
  /** Document id → position in `roots`, for documents read from a file of their own (not .jsonl). */
  readonly rootOfId: ReadonlyMap<string, number>;
}

export function corpusRoots(files: readonly CorpusFile[]): CorpusRoots {
  const roots: string[] = [];
  const rootOfId = new Map<string, number>();
  for (const file of files) {
    if (file.docId === undefined || rootOfId.has(file.docId)) continue; // .jsonl, or a duplicate id (the first is read)
    // The listing made docId the path relative to the root with '/' for the separator: the same length.
    const root = file.absolutePath.slice(0, file.absolutePath.length - file.docId.length).replace(/[\\/]+$/, '') || sep;
    let position = roots.indexOf(root);
    if (position < 0) position = roots.push(root) - 1;
    rootOfId.set(file.docId, position);
  }
  return { roots, rootOfId };
}

/** The documents with the root of their file; .jsonl documents (whose ids are no paths) have none. */
function withRoots(documents: readonly SourceDocument[], { rootOfId }: CorpusRoots): (SourceDocument & { readonly root?: number })[] {
  return documents.map((document) => {
    const root = document.format === 'jsonl' ? undefined : rootOfId.get(document.id);
    return root === undefined ? document : { ...document, root };
  });
}

async function currentManifest(out: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

function isCurrent(manifest: Manifest | null, options: BuildOptions, fingerprint: string, roots: CorpusRoots, out: string): manifest is Manifest {
  if (manifest === null || manifest.format !== INDEX_FORMAT) return false;
  if (!existsSync(join(out, manifest.generation ?? '', STORE_FILE))) return false;
  const analyzer = analyzerFingerprint(options.userDict);
  return (
    manifest.corpus?.fingerprint === fingerprint &&
    JSON.stringify(manifest.corpus.inputs) === JSON.stringify(options.corpus) &&
    JSON.stringify(manifest.corpus.roots) === JSON.stringify(roots.roots) &&
    manifest.userDict === options.userDict &&
    JSON.stringify(manifest.analyzer) === JSON.stringify(analyzer)
  );
}

/** Whether `out` holds an index of exactly this corpus, built by this analyzer. */
export async function isUpToDate(options: BuildOptions): Promise<boolean> {
  const listed = await listCorpusFiles(options.corpus);
  return isCurrent(await currentManifest(options.out), options, corpusFingerprint(listed.files, options.userDict), corpusRoots(listed.files), options.out);
}

export async function runBuild(options: BuildOptions, reporter: BuildReporter): Promise<BuildOutcome> {
  const started = performance.now();
  // Fail early on an unreadable dictionary. jieba itself is loaded where paragraphs are analyzed: on worker
  // threads for big builds, so the main thread does not pay its second of loading and 235 MB.
  if (options.userDict !== null) readUserDictionary(options.userDict);
  const listed = await listCorpusFiles(options.corpus);
  const fingerprint = corpusFingerprint(listed.files, options.userDict);
  const roots = corpusRoots(listed.files);
  const previous = await currentManifest(options.out);
  if (!options.force && isCurrent(previous, options, fingerprint, roots, options.out)) return { status: 'up-to-date', manifest: previous };

  reporter.step(`reading ${listed.files.length} corpus file(s)`);
  const read = await readListedFiles(listed, (done, total) => reporter.progress(done, total, 'files'));
  read.problems.forEach((problem) => reporter.problem(problem));
  reporter.step(`analyzing ${read.documents.length} document(s)`);
  const built = await buildIndexFiles(withRoots(read.documents, roots), options.userDict, (done, total) => reporter.progress(done, total, 'paragraphs'));
  reporter.step(`writing the index to ${options.out}`);
  const seconds = (performance.now() - started) / 1000;
  const manifest = await writeIndex(options.out, built.files, {
    format: INDEX_FORMAT,
    analyzer: analyzerFingerprint(options.userDict),
    userDict: options.userDict,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round(seconds * 100) / 100,
    corpus: { inputs: [...options.corpus], fingerprint, problems: read.problems.length, roots: roots.roots },
    counts: built.counts,
  });
  const bytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
  const files = summarizeFiles(read.outcomes);
  return { status: 'built', manifest, counts: built.counts, problems: read.problems, files, seconds: (performance.now() - started) / 1000, bytes };
}
