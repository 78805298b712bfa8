// The build as a command: list the corpus, skip when the index is up to date, else read what changed since the
// last build, analyze the documents that are new or changed into new segments (one each time they reach the
// size budget), commit, and merge as the policy asks (docs/design.md §6).
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { analyzerFingerprint, foldString, loadJiebaAsync, loadJiebaFor, readUserDictionary, SUBSET_TEXT_LIMIT } from './analyzer/index.js';
import {
  listCorpusFiles,
  readListedFiles,
  summarizeFiles,
  type CorpusFile,
  type CorpusProblem,
  type FileOutcome,
  type FileTypeSummary,
  type SourceDocument,
} from './corpus/index.js';
import { isIsolated, READ_LIMITS } from './corpus/formats/index.js';
import { JSONL_LINE_BYTES } from './corpus/reader.js';
import type { FileState } from './file-state.js';
import { createAnalyzePool, type AnalyzePool } from './index/analyze-pool.js';
import { THREADED_BUILD_MINIMUM } from './index/threads.js';
import { buildIndexFiles, countCodePoints, type BuildCounts } from './index/build.js';
import { corpusFingerprint } from './index/fingerprint.js';
import { INDEX_FORMAT, MANIFEST_FILE, ORDER_FILE, SEGMENT_FILES, SOURCES_FILE, STORE_FILE, type Manifest, type SegmentRecord, type StoredDocument } from './index/format.js';
import { readIndexFile } from './index/load.js';
import { choosePolicyMerge, DEFAULT_MERGE_POLICY, DEFAULT_SEGMENT_CHARACTERS, mergeSegments, type MergePolicy } from './index/merge.js';
import { decodeOrder, type CorpusOrder } from './index/order.js';
import {
  documentHash,
  HASH_CHARS,
  sourcesFromJson,
  sourcesToJson,
  SOURCES_VERSION,
  type SourceFileRecord,
  type Sources,
} from './index/sources.js';
import { decodeStore } from './index/store.js';
import { newSegmentName, removeStale, writeCommit, writeSegment, type CommitHook, type ManifestDraft, type NewSegment } from './index/write.js';
import { readJsonl, type JsonlLimits } from './jsonl-scan.js';

export interface BuildOptions {
  readonly corpus: readonly string[];
  readonly out: string;
  readonly userDict: string | null;
  readonly force: boolean;
  /** When the build merges segments (merge.ts); the default's when absent. */
  readonly mergePolicy?: MergePolicy;
  /**
   * The size budget of a new segment, in characters: the documents to analyze are written as a segment each
   * time they reach it (DEFAULT_SEGMENT_CHARACTERS when absent), which bounds the build's memory.
   */
  readonly segmentCharacters?: number;
  /**
   * The corpus reader's limits for .jsonl files: the largest read whole (a larger one is streamed, a block of
   * lines at a time) and the longest line of a streamed one; READ_LIMITS.fileBytes and JSONL_LINE_BYTES when
   * absent (tests make them small).
   */
  readonly jsonlWholeBytes?: number;
  readonly jsonlLineBytes?: number;
}

/** What a build did to the index it found. */
export interface UpdateSummary {
  /** Documents analyzed into new segments (all of them in a full build). */
  readonly analyzed: number;
  /** Documents kept in the segments that already held them. */
  readonly kept: number;
  /** Documents of the previous index that are gone or were replaced. */
  readonly removed: number;
  /** Corpus files read again (all of them in a full build). */
  readonly filesRead: number;
  /** Lines of .jsonl files parsed (all of them in a full build): a line found, by its bytes, in the last version is not. */
  readonly linesParsed: number;
  /** Whether it was a full build (--force, a first build, or an index this build cannot update). */
  readonly full: boolean;
  /** Segments after the build, and whether the build merged some. */
  readonly segments: number;
  readonly merged: boolean;
}

/** For tests: called at each step of writing a commit (write.ts), where a test can stop the process. */
export interface BuildHooks {
  readonly onCommitStep?: CommitHook;
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
      readonly update: UpdateSummary;
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

async function currentManifest(out: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(out, MANIFEST_FILE), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/** Whether the manifest was written by this format and analyzer for these inputs: an index this build can update. */
function isCompatible(manifest: Manifest | null, options: BuildOptions, analyzer = analyzerFingerprint(options.userDict)): manifest is Manifest {
  return (
    manifest !== null &&
    manifest.format === INDEX_FORMAT &&
    Array.isArray(manifest.segments) &&
    JSON.stringify(manifest.corpus?.inputs) === JSON.stringify(options.corpus) &&
    manifest.userDict === options.userDict &&
    JSON.stringify(manifest.analyzer) === JSON.stringify(analyzer)
  );
}

function isCurrent(manifest: Manifest | null, options: BuildOptions, fingerprint: string, roots: CorpusRoots, analyzer = analyzerFingerprint(options.userDict)): manifest is Manifest {
  return isCompatible(manifest, options, analyzer) && manifest.corpus.fingerprint === fingerprint && JSON.stringify(manifest.corpus.roots) === JSON.stringify(roots.roots);
}

/** Whether `out` holds an index of exactly this corpus, built by this analyzer. */
export async function isUpToDate(options: BuildOptions): Promise<boolean> {
  const listed = await listCorpusFiles(options.corpus);
  const manifest = await currentManifest(options.out);
  return isCurrent(manifest, options, corpusFingerprint(listed.files, options.userDict), corpusRoots(listed.files)) && (await priorState(options.out, manifest)) !== null;
}

/** The last commit, as an incremental build reads it. */
interface Prior {
  readonly manifest: Manifest;
  readonly sources: Sources;
  readonly order: CorpusOrder;
  /** Its live documents, by position in corpus order (parallel to `order`): where each is in `sources.files`. */
  readonly live: LivePositions;
}

/** Where the live documents of a commit's file records are, without an object or a string per document. */
interface LivePositions {
  readonly count: number;
  /** Per live position: the record (in `files`) and the document of it. */
  readonly record: Uint32Array;
  readonly index: Uint32Array;
  /** Per record path, per document of the record: its live position, or −1 (a duplicate of an earlier file's). */
  readonly positions: ReadonlyMap<string, Int32Array>;
}

/**
 * The documents a build of these file records kept, in corpus order: the first of two with one id (the reader's
 * rule). A record's own ids are distinct (its reading dropped the repeated ones), so a corpus of one file
 * needs no set of ids; priorState checks the count against the order's.
 */
function livePositions(records: readonly SourceFileRecord[]): LivePositions {
  const total = records.reduce((sum, record) => sum + record.ids.length, 0);
  const record = new Uint32Array(total);
  const index = new Uint32Array(total);
  const positions = new Map<string, Int32Array>();
  const seen = records.length > 1 ? new Set<string>() : null;
  let count = 0;
  records.forEach((file, r) => {
    const at = new Int32Array(file.ids.length);
    for (let n = 0; n < file.ids.length; n++) {
      if (seen !== null) {
        const id = file.ids[n]!;
        if (seen.has(id)) {
          at[n] = -1;
          continue;
        }
        seen.add(id);
      }
      at[n] = count;
      record[count] = r;
      index[count++] = n;
    }
    positions.set(file.path, at);
  });
  return { count, record: record.subarray(0, count), index: index.subarray(0, count), positions };
}

/**
 * The last commit's sources and order, and a check that its segments' files are all there with their sizes;
 * null when any of it is missing or damaged (the build then builds everything again: nothing is lost, the
 * corpus is all read again).
 */
async function priorState(out: string, manifest: Manifest): Promise<Prior | null> {
  try {
    const sources = sourcesFromJson((await readIndexFile(out, manifest, `${manifest.generation}/${SOURCES_FILE}`)).toString('utf8'));
    if (sources === null) return null;
    const order = decodeOrder(
      await readIndexFile(out, manifest, `${manifest.generation}/${ORDER_FILE}`),
      manifest.segments.map((segment) => segment.documents),
    );
    const live = livePositions(sources.files);
    if (live.count !== order.length / 2 || sources.live.paragraphs.length !== live.count) return null;
    for (const segment of manifest.segments) {
      for (const name of SEGMENT_FILES) {
        const record = manifest.files[`${segment.name}/${name}`];
        if (record === undefined || (await stat(join(out, segment.name, name))).size !== record.bytes) return null;
      }
    }
    return { manifest, sources, order, live };
  } catch {
    return null;
  }
}

/**
 * A file modified within this long before the last build listed the corpus may have changed again within the
 * same modification time and kept its size (the file systems' time resolution, and a write racing the build):
 * such a file is hashed, not trusted on its size and time.
 */
const RACY_MS = 2000;

async function fileHash(file: CorpusFile): Promise<string | null> {
  try {
    return createHash('sha256').update(await readFile(file.absolutePath)).digest('hex');
  } catch {
    return null;
  }
}

/** The root folder path of a document (files of their own; .jsonl documents have none). */
function rootPathOf(document: { readonly id: string; readonly format?: string }, roots: CorpusRoots): string | undefined {
  const root = document.format === 'jsonl' ? undefined : roots.rootOfId.get(document.id);
  return root === undefined ? undefined : roots.roots[root];
}

/** Reads `files` with the corpus reader, each file's documents and report apart (their records are per file). */
async function readFiles(
  files: readonly CorpusFile[],
  hashes: ReadonlyMap<CorpusFile, string | null>,
  roots: CorpusRoots,
  recorded: ReadonlyMap<string, SourceFileRecord>,
  onRead: () => void,
  limits: JsonlLimits,
): Promise<Map<CorpusFile, FileState>> {
  const readOptions = { jsonlWholeBytes: limits.wholeBytes, jsonlLineBytes: limits.lineBytes };
  const states = new Map<CorpusFile, FileState>();
  for (const file of files) {
    if (file.format !== 'jsonl') continue;
    const state = await readJsonl(file, recorded.get(file.absolutePath), limits);
    if (state === null) continue;
    states.set(file, state);
    onRead();
  }
  const record = (file: CorpusFile, documents: readonly SourceDocument[], problems: readonly CorpusProblem[], outcome: FileOutcome): FileState => ({
    file,
    read: { has: (index) => index < documents.length, get: (index) => documents[index]! },
    record: {
      path: file.absolutePath,
      size: file.size,
      mtimeMs: file.mtimeMs,
      sha256: hashes.get(file) ?? null,
      ids: documents.map((document) => document.id),
      hashes: documents.map((document) => documentHash(document, rootPathOf(document, roots))).join(''),
      problems,
      outcome,
    },
  });
  // Files read on the reader pool's threads go in one call, so the pool starts once; their ids are their own
  // (one document a file), so a duplicate among them, which the reader would drop, is read alone instead.
  const pooled: CorpusFile[] = [];
  const pooledIds = new Set<string>();
  for (const file of files) {
    if (!states.has(file) && isIsolated(file.format) && file.docId !== undefined && !pooledIds.has(file.docId)) {
      pooled.push(file);
      pooledIds.add(file.docId);
    }
  }
  if (pooled.length > 0) {
    const read = await readListedFiles({ files: pooled, problems: [] }, () => onRead(), readOptions);
    pooled.forEach((file, i) => {
      const documents = read.documents.filter((document) => document.id === file.docId);
      states.set(file, record(file, documents, read.problems.filter((problem) => problem.file === file.path), read.outcomes[i]!));
    });
  }
  for (const file of files) {
    if (states.has(file)) continue;
    const read = await readListedFiles({ files: [file], problems: [] }, undefined, readOptions);
    states.set(file, record(file, read.documents, read.problems, read.outcomes[0]!));
    onRead();
  }
  return states;
}

/** The type a listing problem's file is summarized under (the reader's rule: its extension). */
function typeOfProblemFile(file: string): string {
  const dot = file.lastIndexOf('.');
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  const ext = dot > slash + 1 ? file.slice(dot).toLowerCase() : '';
  const formats: Record<string, string> = { '.txt': 'txt', '.md': 'md', '.jsonl': 'jsonl', '.html': 'html', '.htm': 'html', '.pdf': 'pdf', '.docx': 'docx', '.epub': 'epub' };
  return formats[ext] ?? (ext === '' ? '(none)' : ext);
}

/**
 * Changed files are read this many bytes (or files) at a time, in corpus order, and their documents placed
 * before the next are read: the corpus is never all in memory (a file larger than this is read alone).
 */
const READ_WINDOW_BYTES = 64 * 1024 * 1024;
const READ_WINDOW_FILES = 2000;

/**
 * The new segments of a build: documents added in corpus order, a segment analyzed and written to disk each
 * time they reach the size budget (in characters), so a build's memory is bounded by the budget, not by the
 * corpus (docs/design.md §6.2). The segments are written before the commit that names them.
 */
function createSegmentWriter(
  options: BuildOptions,
  roots: CorpusRoots,
  reporter: BuildReporter,
  hooks: BuildHooks,
  jieba: { beforeFirst(documents: readonly SourceDocument[]): Promise<void>; pending(characters: number): void },
) {
  const budget = options.segmentCharacters ?? DEFAULT_SEGMENT_CHARACTERS;
  if (!(budget > 0)) throw new Error(`sou: the segment size must be a positive number of characters, not ${budget}`);
  const written: NewSegment[] = [];
  let pending: (SourceDocument & { readonly root?: number })[] = [];
  let pendingCharacters = 0;
  let pool: AnalyzePool | undefined;
  let documentsWritten = 0;
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    if (pool === undefined) {
      await jieba.beforeFirst(pending);
      pool = createAnalyzePool(options.userDict);
    }
    const documents = pending;
    pending = [];
    pendingCharacters = 0;
    reporter.step(`analyzing ${documents.length.toLocaleString('en')} document(s)${written.length > 0 ? ` (segment ${written.length + 1})` : ''}`);
    const built = await buildIndexFiles(documents, options.userDict, (done, total) => reporter.progress(done, total, 'paragraphs'), pool);
    const record: SegmentRecord = { name: newSegmentName(), documents: built.counts.documents, paragraphs: built.counts.paragraphs, roots: roots.roots };
    written.push({ record, written: await writeSegment(options.out, record.name, built.files) });
    documentsWritten += documents.length;
    await hooks.onCommitStep?.('segment-written');
  };
  return {
    /** Adds a document (with its character count); returns which new segment holds it and where. */
    async add(document: SourceDocument & { readonly root?: number }, characters: number): Promise<{ segment: number; document: number }> {
      const at = { segment: written.length, document: pending.length };
      pending.push(document);
      pendingCharacters += characters;
      jieba.pending(pendingCharacters);
      if (pendingCharacters >= budget) await flush();
      return at;
    },
    /** Writes what is pending; returns every new segment, in order. */
    async finish(): Promise<readonly NewSegment[]> {
      await flush();
      return written;
    },
    analyzed: (): number => documentsWritten + pending.length,
    async close(): Promise<void> {
      await pool?.close();
    },
  };
}

export async function runBuild(options: BuildOptions, reporter: BuildReporter, hooks: BuildHooks = {}): Promise<BuildOutcome> {
  const started = performance.now();
  // Fail early on an unreadable dictionary. jieba itself is loaded where paragraphs are analyzed: on worker
  // threads for big builds, so the main thread does not pay its second of loading and 235 MB.
  if (options.userDict !== null) readUserDictionary(options.userDict);
  const listedAt = Date.now();
  const listed = await listCorpusFiles(options.corpus);
  const fingerprint = corpusFingerprint(listed.files, options.userDict);
  const roots = corpusRoots(listed.files);
  const found = await currentManifest(options.out);
  const analyzer = analyzerFingerprint(options.userDict); // hashes jieba's dictionaries: once a build
  // An update analyzes its few documents in this process (a full build analyzes on worker threads, which load
  // jieba themselves), and which they are is known once the changed files are compared: while their texts stay
  // under SUBSET_TEXT_LIMIT, only the part of jieba's dictionary they need is loaded, then; beyond it, the whole
  // dictionary starts loading on the thread pool meanwhile (jieba.ts, jieba-subset.ts).
  let jiebaLoading: Promise<void> | null = null;
  const loadJiebaMeanwhile = (): void => {
    if (jiebaLoading !== null) return;
    jiebaLoading = loadJiebaAsync(options.userDict);
    jiebaLoading.catch(() => {}); // awaited before the analysis
  };
  const prior = !options.force && isCompatible(found, options, analyzer) ? await priorState(options.out, found) : null;
  const policy = options.mergePolicy ?? DEFAULT_MERGE_POLICY;
  const jsonlLimits: JsonlLimits = { wholeBytes: options.jsonlWholeBytes ?? READ_LIMITS.fileBytes, lineBytes: options.jsonlLineBytes ?? JSONL_LINE_BYTES };
  if (prior !== null && isCurrent(found, options, fingerprint, roots, analyzer)) {
    // Up to date, unless a build was killed before the merge it was due (the build below then only merges);
    // what a killed build left behind goes.
    if (choosePolicyMerge(prior.manifest, prior.order, prior.sources.live, policy).length === 0) {
      await removeStale(options.out, prior.manifest);
      return { status: 'up-to-date', manifest: prior.manifest };
    }
  }

  // Which files changed: a file whose size and time are those recorded (and not racily close to the last
  // listing) is taken as it was; one of the same size is hashed to see; the others are read again.
  const recorded = new Map((prior?.sources.files ?? []).map((record) => [record.path, record]));
  const hashes = new Map<CorpusFile, string | null>();
  const states: (FileState | CorpusFile)[] = [];
  for (const file of listed.files) {
    const record = recorded.get(file.absolutePath);
    const sameStat = record !== undefined && record.size === file.size;
    if (sameStat && record.mtimeMs === file.mtimeMs && record.mtimeMs < prior!.sources.listedAt - RACY_MS) {
      states.push({ file, record });
      continue;
    }
    if (sameStat && record.sha256 !== null) {
      const hash = await fileHash(file);
      hashes.set(file, hash);
      // Same bytes and the same time: unchanged. A new time alone changes the documents' date (their file's
      // modified time), so such a file is read again.
      if (hash === record.sha256 && record.mtimeMs === file.mtimeMs) {
        states.push({ file, record });
        continue;
      }
    }
    states.push(file);
  }
  const toRead = states.filter((state): state is CorpusFile => !('record' in state));
  for (const file of toRead) if (!hashes.has(file) && file.format !== 'jsonl') hashes.set(file, await fileHash(file)); // a .jsonl's lines are compared instead
  reporter.step(prior === null ? `reading ${listed.files.length} corpus file(s)` : `reading ${toRead.length} changed of ${listed.files.length} corpus file(s)`);

  // The corpus in order, as a full build reads it: file by file, the first of two documents with one id kept
  // (the reader's rule, across the files read now and the files unchanged), with the problems and outcomes the
  // reader would report. Each document is kept where it is when the last commit has it with the same content,
  // and when its segment's documents stay in their order (the loader maps a segment's ascending ids to
  // ascending global ids); every other document goes into the new segments, in corpus order.
  const problems: CorpusProblem[] = [...listed.problems];
  const outcomes: FileOutcome[] = listed.problems.flatMap((problem) => (problem.reason === undefined ? [] : [{ file: problem.file, type: typeOfProblemFile(problem.file), skipped: problem.reason, ms: 0 }]));
  listed.problems.forEach((problem) => reporter.problem(problem));
  const records: SourceFileRecord[] = [];
  // The first-of-two-ids rule across files, without a map of every id: the last commit's live documents have
  // distinct ids, so a document known to be one of them (by its record, `FileState.previousIndex`) can only
  // repeat the id of a document placed otherwise, and those are few (`otherSeen`).
  const takenBy = new Int32Array(prior?.live.count ?? 0).fill(-1); // per last commit's position: the file (in `takenPaths`) that took it
  const takenPaths: string[] = [];
  const otherSeen = new Map<string, string>(); // id → file, for documents not known to be the last commit's
  let priorIds: Map<string, number> | undefined;
  /** The last commit's live position of a document id (a map built when first asked). */
  const priorPositionOf = (id: string): number | undefined => {
    if (prior === null) return undefined;
    if (priorIds === undefined) {
      const files = prior.sources.files;
      priorIds = new Map();
      for (let p = 0; p < prior.live.count; p++) priorIds.set(files[prior.live.record[p]!]!.ids[prior.live.index[p]!]!, p);
    }
    return priorIds.get(id);
  };
  const priorHash = (position: number): string => {
    const index = prior!.live.index[position]!;
    return prior!.sources.files[prior!.live.record[position]!]!.hashes.slice(index * HASH_CHARS, (index + 1) * HASH_CHARS);
  };
  // `idPosition`, when given, is the last commit's live position of the id, known without the map.
  /** The last commit's live position of a document with this content, if it has one. */
  const inPrior = (document: { readonly id: string; readonly hash: string }, idPosition?: number): number | undefined => {
    const position = idPosition ?? priorPositionOf(document.id);
    return position !== undefined && priorHash(position) === document.hash ? position : undefined;
  };
  /** The file that already took a document with this id, if any. */
  const firstWith = (id: string, idPosition?: number): string | undefined => {
    const other = otherSeen.size > 0 ? otherSeen.get(id) : undefined;
    if (other !== undefined) return other;
    const position = idPosition ?? priorPositionOf(id);
    return position !== undefined && takenBy[position]! >= 0 ? takenPaths[takenBy[position]!] : undefined;
  };
  const priorSegments = prior?.manifest.segments ?? [];
  const lastKept = priorSegments.map(() => -1);
  // Per live document in corpus order: its segment (a kept one's number, or −1 − k for the k-th new one) and
  // position there, and its counts.
  const placedSegment: number[] = [];
  const placedDocument: number[] = [];
  const live = { paragraphs: [] as number[], characters: [] as number[] };
  let storeOf: { segment: number; documents: Promise<StoredDocument[]> } | undefined; // the last segment copied from
  const writer = createSegmentWriter(options, roots, reporter, hooks, {
    async beforeFirst(documents) {
      const paragraphs = documents.reduce((sum, document) => sum + document.paragraphs.length, 0);
      if (prior !== null && jiebaLoading === null && paragraphs < THREADED_BUILD_MINIMUM) {
        if (loadJiebaFor(options.userDict, documents.flatMap((document) => document.paragraphs.map(foldString)))) return;
        loadJiebaMeanwhile();
      }
      await jiebaLoading;
    },
    pending(characters) {
      if (prior !== null && characters > SUBSET_TEXT_LIMIT) loadJiebaMeanwhile();
    },
  });
  let filesDone = 0;
  const onRead = (): void => reporter.progress(++filesDone, toRead.length, 'files');
  let linesParsed = 0;

  /** Keeps the last commit's document at `position` where it is, when its segment's order allows; false when not. */
  const keep = (position: number): boolean => {
    const segment = prior!.order[2 * position]!;
    const local = prior!.order[2 * position + 1]!;
    if (local <= lastKept[segment]!) return false;
    lastKept[segment] = local;
    placedSegment.push(segment);
    placedDocument.push(local);
    live.paragraphs.push(prior!.sources.live.paragraphs[position]!);
    live.characters.push(prior!.sources.live.characters[position]!);
    return true;
  };

  /**
   * Adds a live document of the corpus to the new segments, its content from `state` or, for a file not read,
   * from its old segment (the last commit's document at `position`).
   */
  const addNew = async (state: FileState, index: number, position: number | undefined): Promise<void> => {
    let content: SourceDocument;
    if (state.read?.has(index) === true) {
      content = state.read.get(index);
    } else {
      // Unchanged, but out of its segment's order (lines of a .jsonl swapped, say): copied from its segment.
      const segment = prior!.order[2 * position!]!;
      if (storeOf?.segment !== segment) storeOf = { segment, documents: readIndexFile(options.out, prior!.manifest, `${priorSegments[segment]!.name}/${STORE_FILE}`).then(decodeStore) };
      const stored = (await storeOf.documents)[prior!.order[2 * position! + 1]!]!;
      content = { id: stored.id, title: stored.title, paragraphs: stored.paragraphs, ...(stored.format === undefined ? {} : { format: stored.format }), ...(stored.locations === undefined ? {} : { locations: stored.locations.map((location) => location ?? {}) }), ...(stored.date === undefined ? {} : { date: stored.date }) };
    }
    const root = content.format === 'jsonl' ? undefined : roots.rootOfId.get(content.id);
    const characters = content.paragraphs.reduce((sum, text) => sum + countCodePoints(text), 0);
    live.paragraphs.push(content.paragraphs.length);
    live.characters.push(characters);
    const at = await writer.add(root === undefined ? content : { ...content, root }, characters);
    placedSegment.push(-1 - at.segment);
    placedDocument.push(at.document);
  };

  /** Takes one file's documents into the corpus, in order. */
  const takeFile = async (given: FileState): Promise<void> => {
    let state = given;
    const hashAt = (record: SourceFileRecord, index: number): string => record.hashes.slice(index * HASH_CHARS, (index + 1) * HASH_CHARS);
    // A document of an unchanged file that no segment holds (it was a duplicate of one now gone): the file is
    // read now.
    const recordedAt = prior?.live.positions.get(state.file.absolutePath);
    if (state.read === undefined) {
      const { record } = state;
      const unheld = record.ids.some((id, index) => !(recordedAt !== undefined && recordedAt[index]! >= 0) && firstWith(id) === undefined && inPrior({ id, hash: hashAt(record, index) }) === undefined);
      if (unheld) {
        const reread = await readFiles([state.file], new Map([[state.file, record.sha256]]), roots, new Map([[state.file.absolutePath, record]]), () => {}, jsonlLimits);
        state = reread.get(state.file)!;
      }
    }
    const { file, record } = state;
    const fileNumber = takenPaths.push(file.path) - 1;
    // A .jsonl the corpus reader read itself had every line parsed.
    if (file.format === 'jsonl' && state.read !== undefined) linesParsed += state.linesParsed ?? record.ids.length + record.problems.filter((problem) => problem.line !== undefined).length;
    for (const problem of record.problems) {
      problems.push(problem);
      reporter.problem(problem);
    }
    let kept = 0;
    try {
      for (let index = 0; index < record.ids.length; index++) {
        const id = record.ids[index]!;
        // The last commit's position of this very document, when its record says which it is.
        const previous = state.read === undefined ? index : (state.previousIndex?.[index] ?? -1);
        const known = recordedAt !== undefined && previous >= 0 && previous < recordedAt.length ? recordedAt[previous]! : -1;
        // Not that document, but one of the same id in the last version of the file (a line edited in place).
        const sameId = known < 0 && recordedAt !== undefined ? state.previousWithId?.get(index) : undefined;
        const idPosition = sameId !== undefined && recordedAt![sameId]! >= 0 ? recordedAt![sameId]! : undefined;
        const first = known >= 0 ? (otherSeen.size > 0 ? otherSeen.get(id) : undefined) : firstWith(id, idPosition);
        if (first !== undefined) {
          const message = `duplicate id "${id}", also in ${first}; skipped`;
          const problem: CorpusProblem = file.format === 'jsonl' ? { file: file.path, message } : { file: file.path, message, reason: 'duplicate' };
          problems.push(problem);
          reporter.problem(problem);
          continue;
        }
        kept++;
        let position: number | undefined = known;
        if (known >= 0) {
          takenBy[known] = fileNumber;
        } else {
          otherSeen.set(id, file.path);
          position = inPrior({ id, hash: hashAt(record, index) }, idPosition);
        }
        if (position === undefined || !keep(position)) await addNew(state, index, position);
      }
    } finally {
      state.read?.release?.();
    }
    const { skipped: _readAlone, ...outcome } = record.outcome;
    const skipped = kept > 0 ? undefined : (record.problems.find((p) => p.reason !== undefined)?.reason ?? (record.ids.length > 0 ? 'duplicate' : 'no text'));
    outcomes.push({ ...outcome, file: file.path, ms: state.read === undefined ? 0 : outcome.ms, ...(skipped === undefined ? {} : { skipped }) });
    records.push(record);
  };

  let newSegments: readonly NewSegment[];
  try {
    for (let from = 0; from < states.length; ) {
      // The next window of files: up to READ_WINDOW_BYTES (or _FILES) of changed files, at least one entry.
      const window: CorpusFile[] = [];
      let bytes = 0;
      let to = from;
      while (to < states.length && bytes < READ_WINDOW_BYTES && window.length < READ_WINDOW_FILES) {
        const entry = states[to++]!;
        if ('record' in entry) continue;
        window.push(entry);
        bytes += entry.size;
      }
      const read = await readFiles(window, hashes, roots, recorded, onRead, jsonlLimits);
      for (; from < to; from++) {
        const entry = states[from]!;
        await takeFile('record' in entry ? entry : read.get(entry)!);
      }
    }
    newSegments = await writer.finish();
  } finally {
    await writer.close();
  }

  // Segments with no live document left are dropped; the new ones come last.
  const keptSegments = priorSegments.flatMap((segment, s) => (lastKept[s]! >= 0 ? [s] : []));
  const renumber = new Map(keptSegments.map((s, n) => [s, n]));
  const segments: SegmentRecord[] = [...keptSegments.map((s) => priorSegments[s]!), ...newSegments.map((segment) => segment.record)];
  let order: CorpusOrder = new Uint32Array(2 * placedSegment.length);
  placedSegment.forEach((segment, p) => {
    order[2 * p] = segment < 0 ? keptSegments.length - 1 - segment : renumber.get(segment)!;
    order[2 * p + 1] = placedDocument[p]!;
  });

  // The live documents' counts, for the manifest (a full build's) and the next build.
  const paragraphs = live.paragraphs.reduce((sum, n) => sum + n, 0);
  const characters = live.characters.reduce((sum, n) => sum + n, 0);
  const counts: BuildCounts = { documents: placedSegment.length, paragraphs, characters };
  const sources: Sources = { version: SOURCES_VERSION, listedAt, files: records, live };
  reporter.step(`writing the index to ${options.out}`);
  const draft = (): ManifestDraft => {
    const seconds = (performance.now() - started) / 1000;
    return {
      format: INDEX_FORMAT,
      analyzer,
      userDict: options.userDict,
      builtAt: new Date().toISOString(),
      buildSeconds: Math.round(seconds * 100) / 100,
      corpus: { inputs: [...options.corpus], fingerprint, problems: problems.length, roots: roots.roots },
      counts,
    };
  };
  const sourcesText = sourcesToJson(sources);
  let manifest = await writeCommit(options.out, { segments, newSegments, order, sources: sourcesText, previous: prior?.manifest ?? null }, draft(), hooks.onCommitStep);

  // Merges run after the commit: the index is already served as it is, and a merge killed half-way leaves
  // that commit in place. The policy is asked again after each merge; every merge leaves fewer segments or
  // fewer deleted paragraphs, so this ends (the bound is a safety net).
  let merges = 0;
  for (let limit = 2 * manifest.segments.length + 2; merges < limit; merges++) {
    const chosen = choosePolicyMerge(manifest, order, live, policy);
    if (chosen.length === 0) break;
    reporter.step(`merging ${chosen.length} of ${manifest.segments.length} segments`);
    const merged = await mergeSegments(options.out, manifest, order, chosen);
    manifest = await writeCommit(options.out, { ...merged, sources: sourcesText, previous: manifest }, draft(), hooks.onCommitStep);
    order = merged.order;
  }
  await jiebaLoading; // not left loading for a next build in this process, which would load it itself
  const bytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
  const kept = placedSegment.filter((segment) => segment >= 0).length;
  const update: UpdateSummary = {
    analyzed: writer.analyzed(),
    kept,
    removed: (prior?.live.count ?? 0) - kept,
    filesRead: toRead.length,
    linesParsed,
    full: prior === null,
    segments: manifest.segments.length,
    merged: merges > 0,
  };
  return { status: 'built', manifest, counts, problems, files: summarizeFiles(outcomes), seconds: (performance.now() - started) / 1000, bytes, update };
}
