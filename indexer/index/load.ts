// Loads an index folder into memory, refusing one that this analyzer did not build or whose files changed. The
// index is made of segments (format.ts); the loader composes the live ones into one LoadedIndex with global
// paragraph ids in corpus order, exactly as a full build of the same corpus would number them, so the engine
// sees no segments at all.
import { read as readFd } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';
import { analyzerFingerprint, foldKeepsOffsets, foldString, gramKey, isWordTerm, loadJiebaAsync, unigramOfKey, wordTerm } from '../analyzer/index.js';
import { GRAMS_FILE, INDEX_FORMAT, MANIFEST_FILE, ORDER_FILE, SEGMENT_FILES, STORE_FILE, LENGTHS_FILE, TITLES_FILE, WORDS_FILE, type FileRecord, type Manifest, type SegmentRecord, type StoredDocument } from './format.js';
import { memorySource, openFileSource, type ByteSource, type FileSource } from './byte-source.js';
import { openGramIndex, type GramIndex } from './grams.js';
import { decodeOrder, type CorpusOrder } from './order.js';
import { createPostingsCache } from './postings-cache.js';
import { openStore, storedDocuments, type OpenedStore } from './store.js';
import { inTimeSlices } from './time-slices.js';
import { hashUnits, openWordPostings, slotCountFor, type WordPostings } from './word-postings.js';

export interface LoadedDocument {
  readonly id: string;
  readonly title: string;
  /** Global id of the document's first paragraph; its paragraphs are consecutive. */
  readonly firstParagraph: number;
  readonly paragraphCount: number;
  /** The format it was read from (absent in an index that did not record it). */
  readonly format?: DocumentFormat;
  /**
   * The file it was read from, for documents of a file of their own (not .jsonl): the corpus root recorded at
   * build time (absolute) and the id, which is the file's path relative to it with '/'.
   */
  readonly source?: { readonly root: string; readonly path: string };
  /** Parallel to the paragraphs; absent when none has a location. */
  readonly locations?: readonly (ParagraphLocation | null)[];
  /** The document's date, ms since the epoch, UTC (its file's modified time or a .jsonl `date`); absent: undated. */
  readonly date?: number;
}

/** Ids in ascending order. */
export type Postings = ArrayLike<number> & Iterable<number>;

export interface PostingsIndex {
  postings(term: string): Postings;
}

export interface TermPostingsIndex extends PostingsIndex {
  /** How many ids `postings(term)` has (for n-grams, without decoding them). */
  count(term: string): number;
}

export interface ParagraphPostingsIndex extends TermPostingsIndex {
  /** The characters (unigram terms) in at least `minimum` paragraphs. */
  charactersInAtLeast(minimum: number): string[];
}

/** Document positions by id (a ReadonlyMap has this shape too). */
export interface DocumentPositions {
  readonly size: number;
  get(id: string): number | undefined;
  has(id: string): boolean;
}

export interface LoadedIndex {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly documents: readonly LoadedDocument[];
  readonly documentById: DocumentPositions;
  /** How many paragraphs the index holds (global ids are 0 … paragraphCount − 1). */
  readonly paragraphCount: number;
  /**
   * The original text of the paragraph with this global id. Read from the store on disk when asked (only the
   * hits shown need it), unless its folded text is the same string.
   */
  paragraphText(id: number): string;
  /** Where the paragraph with this global id sits in its file (page, chapter, headings), or null. */
  paragraphLocation(id: number): ParagraphLocation | null;
  /** Folded text of a paragraph, computed on first use (verification and ranking read it). */
  foldedParagraph(id: number): string;
  /** Whether folding the paragraph moved no offset (foldKeepsOffsets of its text), computed on first use. */
  foldKeepsOffsets(id: number): boolean;
  /** Folded title of the document at this position, computed on first use like foldedParagraph. */
  foldedTitle(documentIndex: number): string;
  /**
   * Finds every gram block's posting offsets and folds every title and paragraph ahead of need (the folded texts
   * are what stays in memory), a slice per event-loop turn, so early queries do not pay for it.
   */
  warm(): Promise<void>;
  /** Indexable characters of each paragraph: BM25 lengths, computed at build time. */
  readonly paragraphLength: Uint32Array;
  readonly paragraphDocument: Uint32Array;
  /** Paragraph postings (ids are global paragraph ids) and title postings (ids are document positions). */
  readonly terms: ParagraphPostingsIndex;
  readonly titles: TermPostingsIndex;
  /**
   * Every whole word of the index (folded, as the analyzer stores it) with the number of paragraphs it is in, in
   * no set order: the vocabulary (pinyin queries, suggestions) is derived from it, so it needs no file of its own.
   */
  wordCounts(): Iterable<readonly [word: string, count: number]>;
}

/** An index that cannot be used; the message names the file and says how to rebuild. */
export class IndexLoadError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    readonly rebuild: string,
  ) {
    super(`sou: cannot use the index: ${reason} (${file}). Rebuild it with: ${rebuild}`);
    this.name = 'IndexLoadError';
  }
}

export function rebuildCommand(dir: string, manifest?: Pick<Manifest, 'corpus' | 'userDict'>): string {
  const corpus = manifest?.corpus.inputs.map((input) => ` --corpus ${input}`).join('') ?? ' --corpus …';
  const dict = manifest?.userDict ? ` --dict ${manifest.userDict}` : '';
  return `npm run index --${corpus} --out ${dir}${dict} --force`;
}

async function readManifest(dir: string): Promise<Manifest> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new IndexLoadError(file, 'no index here (manifest.json is missing)', rebuildCommand(dir));
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw new IndexLoadError(file, 'manifest.json is not valid JSON', rebuildCommand(dir));
  }
  // The format first: an index of another format has other fields, and is refused for its format, not as incomplete.
  const format = typeof manifest === 'object' && manifest !== null ? (manifest as { format?: unknown }).format : undefined;
  if (typeof format === 'number' && format !== INDEX_FORMAT) {
    throw new IndexLoadError(file, `index format ${format}, this Sou reads format ${INDEX_FORMAT}`, rebuildCommand(dir, isCompleteManifest(manifest) ? manifest : undefined));
  }
  if (!isCompleteManifest(manifest) || manifest.format !== INDEX_FORMAT) throw new IndexLoadError(file, 'manifest.json is incomplete', rebuildCommand(dir));
  const rebuild = rebuildCommand(dir, manifest);
  // Checked after the format: an index of an earlier format has no roots, and is refused for its format.
  const areRoots = (roots: unknown): boolean => Array.isArray(roots) && roots.every((root) => typeof root === 'string' && isAbsolute(root));
  if (!areRoots(manifest.corpus.roots) || !manifest.segments.every((segment) => areRoots(segment.roots))) {
    throw new IndexLoadError(file, 'manifest.json is incomplete (corpus roots)', rebuild);
  }
  let current;
  try {
    current = analyzerFingerprint(manifest.userDict);
  } catch {
    throw new IndexLoadError(file, `the user dictionary ${manifest.userDict} it was built with cannot be read`, rebuild);
  }
  for (const key of ['analyzer', 'opencc', 'dictionaries'] as const) {
    if (manifest.analyzer?.[key] !== current[key]) {
      throw new IndexLoadError(file, `built by ${key} ${manifest.analyzer?.[key]}, this Sou has ${current[key]}`, rebuild);
    }
  }
  return manifest;
}

/** The word a word term stands for (the term without its mark). */
const wordOfTerm = (term: string): string => term.slice(wordTerm('').length);

const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

/** A path inside the index folder: parts separated by '/', none empty, '.' or '..'. */
const isInnerPath = (name: string): boolean => !name.split('/').some((part) => part === '' || part === '.' || part === '..');

/** The fields the loader relies on, with the right types (a hand-edited or half-written manifest has not). */
function isCompleteManifest(manifest: unknown): manifest is Manifest {
  if (typeof manifest !== 'object' || manifest === null) return false;
  const m = manifest as Partial<Record<keyof Manifest, unknown>>;
  if (typeof m.generation !== 'string' || !/^gen-[\w-]+$/.test(m.generation)) return false;
  const corpus = m.corpus as Partial<Manifest['corpus']> | undefined;
  if (typeof corpus !== 'object' || corpus === null || !Array.isArray(corpus.inputs) || !corpus.inputs.every((i) => typeof i === 'string')) {
    return false;
  }
  if (m.userDict !== null && typeof m.userDict !== 'string') return false;
  const counts = m.counts as Partial<Manifest['counts']> | undefined;
  if (typeof counts !== 'object' || counts === null || !isCount(counts.documents) || !isCount(counts.paragraphs)) return false;
  const files = m.files as Record<string, Partial<FileRecord> | null> | undefined;
  if (typeof files !== 'object' || files === null || !Object.hasOwn(files, `${m.generation}/${ORDER_FILE}`)) return false;
  const segments = m.segments as Partial<SegmentRecord>[] | undefined;
  if (!Array.isArray(segments)) return false;
  const names = new Set<string>();
  for (const segment of segments) {
    if (typeof segment !== 'object' || segment === null || typeof segment.name !== 'string' || !/^seg-[\w-]+$/.test(segment.name)) return false;
    if (names.has(segment.name) || !isCount(segment.documents) || !isCount(segment.paragraphs)) return false;
    names.add(segment.name);
    if (!SEGMENT_FILES.every((name) => Object.hasOwn(files, `${segment.name}/${name}`))) return false;
  }
  return Object.entries(files).every(
    ([name, record]) => isInnerPath(name) && typeof record === 'object' && record !== null && isCount(record.bytes) && typeof record.sha256 === 'string',
  );
}

/**
 * The open file's bytes in one read on the thread pool. fs.promises.readFile reads 512 KB at a time, each chunk
 * started from this thread, so the reads stalled whenever this thread was busy.
 */
async function readWhole(fd: number, size: number): Promise<Buffer> {
  const data = Buffer.allocUnsafeSlow(size); // a buffer of its own, not a slice of Node's pool
  let filled = 0;
  while (filled < size) {
    const at = filled;
    const bytesRead = await new Promise<number>((resolve, reject) => readFd(fd, data, at, size - at, at, (error, n) => (error === null ? resolve(n) : reject(error))));
    if (bytesRead === 0) break; // shrank while read: the size check refuses it
    filled += bytesRead;
  }
  return filled === size ? data : data.subarray(0, filled);
}

/** Whether the bytes are the file the manifest lists: its size and SHA-256. */
async function matchesRecord(data: Uint8Array, record: FileRecord): Promise<boolean> {
  if (data.length !== record.bytes) return false;
  // WebCrypto hashes on libuv's thread pool: the files are read and checked while this thread decodes.
  const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)).toString('hex'); // the Buffer owns a plain ArrayBuffer
  return sha256 === record.sha256;
}

function recordOf(dir: string, manifest: Manifest, name: string): FileRecord {
  const record = manifest.files[name];
  if (record === undefined) throw new IndexLoadError(join(dir, name), 'the manifest does not list a file of the index', rebuildCommand(dir, manifest));
  return record;
}

const damaged = (dir: string, manifest: Manifest, name: string): IndexLoadError =>
  new IndexLoadError(join(dir, name), 'a file of the index is truncated or corrupted', rebuildCommand(dir, manifest));

/** A file of the index (`name` relative to the index folder), its size and SHA-256 checked against the manifest. */
export async function readIndexFile(dir: string, manifest: Manifest, name: string): Promise<Buffer> {
  const file = join(dir, name);
  const record = recordOf(dir, manifest, name);
  let data: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      data = await readWhole(handle.fd, (await handle.stat()).size);
    } finally {
      await handle.close();
    }
  } catch {
    throw new IndexLoadError(file, 'a file of the index is missing', rebuildCommand(dir, manifest));
  }
  if (!(await matchesRecord(data, record))) throw damaged(dir, manifest, name);
  return data;
}

// The SHA-256 of the index's files, on a thread of its own: hashing on the main thread was a fifth of a large
// index's load, while the other core idled. The thread reads each open file (its descriptor is the process's)
// a megabyte at a time into one buffer, so nothing of the files stays in memory.
const HASH_WORKER = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const chunk = Buffer.allocUnsafeSlow(1 << 20);
parentPort.on('message', ({ id, fd, length }) => {
  try {
    const hash = createHash('sha256');
    for (let at = 0; at < length; ) {
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, length - at), at);
      if (n === 0) throw new Error('the file shrank while read');
      hash.update(chunk.subarray(0, n));
      at += n;
    }
    parentPort.postMessage({ id, sha256: hash.digest('hex') });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error) });
  }
});
`;

/** Hashes open files on a worker thread; `close` ends the thread (a load makes one and closes it when done). */
interface FileHasher {
  sha256(source: FileSource): Promise<string>;
  close(): void;
}

function startHasher(): FileHasher {
  const worker = new Worker(HASH_WORKER, { eval: true });
  worker.unref();
  const pending = new Map<number, { resolve: (sha256: string) => void; reject: (error: Error) => void }>();
  let next = 0;
  worker.on('message', ({ id, sha256, error }: { id: number; sha256?: string; error?: string }) => {
    const waiting = pending.get(id);
    pending.delete(id);
    if (sha256 !== undefined) waiting?.resolve(sha256);
    else waiting?.reject(new Error(error));
  });
  worker.on('error', (error) => {
    for (const waiting of pending.values()) waiting.reject(error);
    pending.clear();
  });
  return {
    sha256(source) {
      return new Promise((resolve, reject) => {
        const id = next++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, fd: source.fd, length: source.length });
      });
    },
    close() {
      void worker.terminate();
    },
  };
}

/** Whether the open file is the one the manifest lists: its size and SHA-256. */
async function fileMatchesRecord(source: FileSource, record: FileRecord, hasher: FileHasher): Promise<boolean> {
  return source.length === record.bytes && (await hasher.sha256(source)) === record.sha256;
}

/**
 * A file of the index opened for reads at offsets (byte-source.ts), its size and SHA-256 checked against the
 * manifest first (the check reads the file once and keeps none of it).
 */
export async function openIndexFile(dir: string, manifest: Manifest, name: string, hasher: FileHasher): Promise<FileSource> {
  const record = recordOf(dir, manifest, name);
  let source: FileSource;
  try {
    source = openFileSource(join(dir, name));
  } catch {
    throw new IndexLoadError(join(dir, name), 'a file of the index is missing', rebuildCommand(dir, manifest));
  }
  if (!(await fileMatchesRecord(source, record, hasher))) throw damaged(dir, manifest, name);
  return source;
}

/** Decodes a checked file; a failure names the file, says what it should hold, and how to rebuild. */
async function decodeChecked<B, T>(dir: string, manifest: Manifest, name: string, what: string, bytes: Promise<B>, decode: (bytes: B) => T): Promise<T> {
  const data = await bytes;
  try {
    return decode(data);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new IndexLoadError(join(dir, name), `cannot read ${what}: ${why}`, rebuildCommand(dir, manifest));
  }
}

/** What is known of a paragraph's folding (LoadedSegment.foldFacts): 0 nothing yet, else FOLDED and the bits below. */
const FOLDED = 1;
/** Folding moved no offset (foldKeepsOffsets). */
const KEEPS_OFFSETS = 2;
/** The folded text is the original: the original need not be read from the store. */
const UNCHANGED = 4;
/** Paragraphs folded per store read in warm(). */
const FOLD_CHUNK = 256;
/**
 * The UTF-16 units of the original texts kept after being read from the store (LoadedIndex.paragraphText), the
 * least recently asked dropped first: the first pages of the queries people repeat (docs/design.md §7, Texts).
 */
const RECENT_TEXT_UNITS = 1 << 20;
/** Decoded paragraph postings kept across queries, in ids (postings-cache.ts), half for grams, half for words. */
export const POSTINGS_CACHE_IDS = 1 << 22;

/**
 * One segment: its documents' fields in columns, postings and the folded texts computed so far, with its own ids
 * (paragraphs and documents numbered from 0 in the segment). What is in memory is the tables and the folded
 * texts; original texts and postings are read from the segment's files (byte-source.ts) when asked. Never
 * changed once loaded except for the folded texts, so a reload that keeps the segment shares it with the index
 * it replaces.
 */
export interface LoadedSegment {
  readonly name: string;
  /** The segment's file records as the manifest lists them (its identity for reuse, with the name). */
  readonly identity: string;
  readonly roots: readonly string[];
  /** Documents' ids, titles, formats, roots, dates and locations, and the original texts on demand (store.ts). */
  readonly store: OpenedStore;
  readonly paragraphCount: number;
  /** Per document: its first paragraph in the segment; one entry more, the paragraph count. */
  readonly firstParagraph: Uint32Array;
  readonly lengths: Uint32Array;
  readonly grams: GramIndex;
  readonly titles: GramIndex;
  readonly words: WordPostings;
  /** Every document with its texts, read from the store on first use: for a merge (merge.ts), never when serving. */
  readonly documents: readonly StoredDocument[];
  /** Every paragraph's original text, in segment order (from `documents`). */
  readonly texts: readonly string[];
  /** Folded texts by paragraph, each a string of its own (none pins a text read from the store). */
  readonly folded: (string | undefined)[];
  readonly foldedTitles: (string | undefined)[];
  /** Per paragraph: what is known of its folding (FOLDED, KEEPS_OFFSETS, UNCHANGED). */
  readonly foldFacts: Uint8Array;
}

function segmentIdentity(manifest: Manifest, segment: SegmentRecord): string {
  return JSON.stringify([segment, SEGMENT_FILES.map((name) => manifest.files[`${segment.name}/${name}`])]);
}

type SegmentFile = (typeof SEGMENT_FILES)[number];

/** Decodes and checks one segment's files, given as byte sources (all in memory, or open files). */
async function segmentOf(dir: string, manifest: Manifest, segment: SegmentRecord, sources: ReadonlyMap<SegmentFile, Promise<ByteSource>>): Promise<LoadedSegment> {
  const path = (name: string): string => `${segment.name}/${name}`;
  for (const pending of sources.values()) pending.catch(() => {}); // each is awaited below; a failure is not unhandled
  const decode = <T>(name: SegmentFile, what: string, decoder: (source: ByteSource) => T): Promise<T> => decodeChecked(dir, manifest, path(name), what, sources.get(name)!, decoder);
  const fail = (name: string, reason: string): never => {
    throw new IndexLoadError(join(dir, path(name)), reason, rebuildCommand(dir, manifest));
  };
  const store = await decode(STORE_FILE, 'the paragraph store', openStore);
  const paragraphs = store.paragraphCount;
  if (store.documentCount !== segment.documents || paragraphs !== segment.paragraphs) fail(STORE_FILE, 'the segment holds other counts than the manifest says');
  for (let d = 0; d < store.documentCount; d++) {
    const root = store.root(d);
    if (root !== undefined && segment.roots[root] === undefined) fail(STORE_FILE, 'a document names a corpus root the manifest does not list');
  }
  const words = await decode(WORDS_FILE, 'the word postings', (source) => openWordPostings(source, paragraphs));
  const grams = await decode(GRAMS_FILE, 'the n-gram postings', openGramIndex);
  const titles = await decode(TITLES_FILE, 'the title n-gram postings', openGramIndex);
  const lengthSource = await sources.get(LENGTHS_FILE)!;
  if (lengthSource.length !== paragraphs * 4) fail(LENGTHS_FILE, 'paragraph lengths do not match the paragraph count');
  let documents: StoredDocument[] | undefined;
  let texts: string[] | undefined;
  return {
    name: segment.name,
    identity: segmentIdentity(manifest, segment),
    roots: segment.roots,
    store,
    paragraphCount: paragraphs,
    firstParagraph: store.firstParagraph,
    lengths: new Uint32Array(new Uint8Array(lengthSource.read(0, lengthSource.length)).buffer), // copied: aligned, and pins nothing
    grams,
    titles,
    words,
    get documents() {
      return (documents ??= storedDocuments(store));
    },
    get texts() {
      return (texts ??= (documents ??= storedDocuments(store)).flatMap((document) => document.paragraphs));
    },
    folded: new Array<string | undefined>(paragraphs),
    foldedTitles: new Array<string | undefined>(store.documentCount),
    foldFacts: new Uint8Array(paragraphs),
  };
}

/** Reads, checks and decodes the files of one segment of the manifest, whole, into memory (a merge reads them all). */
export async function loadSegment(dir: string, manifest: Manifest, segment: SegmentRecord, read = (name: string) => readIndexFile(dir, manifest, name)): Promise<LoadedSegment> {
  const path = (name: string): string => `${segment.name}/${name}`;
  return segmentOf(dir, manifest, segment, new Map(SEGMENT_FILES.map((name) => [name, read(path(name)).then(memorySource)])));
}

/**
 * Opens the files of one segment of the manifest, checked, for reads at offsets: only their tables are read
 * into memory; texts and postings stay on disk (the operating system caches them) until a query asks.
 */
export async function openSegment(dir: string, manifest: Manifest, segment: SegmentRecord, hasher: FileHasher, whole?: WholeFiles): Promise<LoadedSegment> {
  const path = (name: string): string => `${segment.name}/${name}`;
  const source = (name: SegmentFile): Promise<ByteSource> =>
    whole?.names.includes(name) === true ? whole.read(path(name), manifest).then(memorySource) : openIndexFile(dir, manifest, path(name), hasher);
  return segmentOf(dir, manifest, segment, new Map(SEGMENT_FILES.map((name) => [name, source(name)])));
}

/** Segment files read whole through a load hook rather than opened (LoadHooks.wholeFiles). */
interface WholeFiles {
  readonly names: readonly string[];
  readonly read: (name: string, manifest: Manifest) => Promise<Buffer>;
}

/** Folds the segment's paragraph `local` unless done, recording what folding did; `original` is its text. */
function foldInto(segment: LoadedSegment, local: number, original: string): string {
  const folded = foldString(original);
  segment.folded[local] = folded;
  segment.foldFacts[local] = FOLDED | (foldKeepsOffsets(original) ? KEEPS_OFFSETS : 0) | (folded === original ? UNCHANGED : 0);
  return folded;
}

/** Folds the paragraphs [first, end) of the segment that are not yet, from one read of the store. */
function foldRange(segment: LoadedSegment, first: number, end: number): void {
  let from = first;
  while (from < end && segment.foldFacts[from] !== 0) from++;
  if (from === end) return;
  const texts = segment.store.paragraphs(from, end);
  texts.forEach((text, i) => {
    if (segment.foldFacts[from + i] === 0) foldInto(segment, from + i, text);
  });
}

/** The segments each loaded index was composed of, for the next load to reuse (loadIndex's `previous`). */
const segmentsOf = new WeakMap<LoadedIndex, readonly LoadedSegment[]>();

/** The loaded segments of an index loadIndex returned (empty for any other object). */
export function loadedSegments(index: LoadedIndex): readonly LoadedSegment[] {
  return segmentsOf.get(index) ?? [];
}

/**
 * How a load gets its files: the server's query workers (server/query-pool.ts) load the index from the bytes the
 * HTTP thread read, checked and shared, and never load jieba (their queries come analyzed).
 */
export interface LoadHooks {
  /** The checked bytes of a file of the index (`name` relative to the folder); by default read from disk and checked. */
  readonly read?: (name: string, manifest: Manifest) => Promise<Buffer>;
  /** The manifest, already read and checked; by default read from the folder. */
  readonly manifest?: Manifest;
  /** false: jieba's dictionary is not loaded (nothing is segmented with this index). */
  readonly analyzer?: boolean;
  /** The postings cache's budget in ids (POSTINGS_CACHE_IDS by default): query workers share one budget. */
  readonly postingsCacheIds?: number;
  /** The UTF-16 units of original texts kept once read (RECENT_TEXT_UNITS by default). */
  readonly recentTextUnits?: number;
  /**
   * Segment files (SEGMENT_FILES names) read whole through `read` and decoded from memory instead of opened: a file
   * whose table the decoder views rather than copies (words.bin) is then held once for every query worker.
   */
  readonly wholeFiles?: readonly string[];
}

/**
 * Loads the index in `dir`. Every failure is an IndexLoadError naming a file and the command that rebuilds the
 * index: a server refuses the index in one line, and a running server keeps the index it has. With `previous`
 * (an index loaded from the same folder before), the segments it already holds are reused, not read again: a
 * reload after a small incremental build reads the new segment and the corpus order only.
 */
export async function loadIndex(dir: string, previous?: LoadedIndex, hooks: LoadHooks = {}): Promise<LoadedIndex> {
  try {
    return await loadChecked(dir, previous, hooks);
  } catch (error) {
    if (error instanceof IndexLoadError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new IndexLoadError(dir, `the index cannot be read: ${why}`, rebuildCommand(dir));
  }
}

async function loadChecked(dir: string, previous: LoadedIndex | undefined, hooks: LoadHooks): Promise<LoadedIndex> {
  const manifest = hooks.manifest ?? (await readManifest(dir));
  const read = hooks.read ?? ((name: string) => readIndexFile(dir, manifest, name));
  // jieba's dictionary is built on the thread pool (about half a second) while this thread decodes the files,
  // themselves read and hashed on the thread pool.
  const jiebaLoaded = hooks.analyzer === false ? Promise.resolve() : loadJiebaAsync(manifest.userDict);
  jiebaLoaded.catch(() => {}); // awaited before the index is returned
  const reusable = new Map((previous === undefined || previous.dir !== dir ? [] : loadedSegments(previous)).map((segment) => [segment.name, segment]));
  const orderName = `${manifest.generation}/${ORDER_FILE}`;
  const orderBytes = read(orderName, manifest);
  orderBytes.catch(() => {});
  const segments: LoadedSegment[] = [];
  const whole = hooks.wholeFiles === undefined ? undefined : { names: hooks.wholeFiles, read };
  const hasher = startHasher();
  try {
    for (const record of manifest.segments) {
      const kept = reusable.get(record.name);
      segments.push(kept !== undefined && kept.identity === segmentIdentity(manifest, record) ? kept : await openSegment(dir, manifest, record, hasher, whole));
    }
  } finally {
    hasher.close();
  }
  const order = await decodeChecked(dir, manifest, orderName, 'the corpus order', orderBytes, (bytes) =>
    decodeOrder(
      bytes,
      segments.map((segment) => segment.store.documentCount),
    ),
  );
  const index = composeSegments(dir, manifest, segments, order, { postingsIds: hooks.postingsCacheIds ?? POSTINGS_CACHE_IDS, textUnits: hooks.recentTextUnits ?? RECENT_TEXT_UNITS });
  await jiebaLoaded; // queries are segmented from the first one on
  segmentsOf.set(index, segments);
  return index;
}

/** Ids of one segment mapped to global ids (−1: deleted), kept ascending; deleted ones dropped. */
function mapIds(local: Uint32Array, toGlobal: Int32Array): Uint32Array {
  const out = new Uint32Array(local.length);
  let n = 0;
  for (let i = 0; i < local.length; i++) {
    const id = toGlobal[local[i]!]!;
    if (id >= 0) out[n++] = id;
  }
  return n === out.length ? out : out.subarray(0, n);
}

/** The union of ascending, disjoint id lists, ascending. */
function mergeAscending(lists: Uint32Array[]): Uint32Array {
  if (lists.length === 0) return new Uint32Array(0);
  if (lists.length === 1) return lists[0]!;
  if (lists.length === 2) {
    const [a, b] = lists as [Uint32Array, Uint32Array];
    const out = new Uint32Array(a.length + b.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
    while (i < a.length) out[k++] = a[i++]!;
    while (j < b.length) out[k++] = b[j++]!;
    return out;
  }
  const out = new Uint32Array(lists.reduce((sum, list) => sum + list.length, 0));
  let at = 0;
  for (const list of lists) {
    out.set(list, at);
    at += list.length;
  }
  return out.sort();
}

/** The postings of a lone segment as they are (a function of its own, so they keep no id maps in memory). */
function lonePostings<K>(
  segment: LoadedSegment,
  local: (segment: LoadedSegment, key: K) => Uint32Array,
  localCount: (segment: LoadedSegment, key: K) => number,
): { postings(key: K): Uint32Array; count(key: K): number } {
  return { postings: (key) => local(segment, key), count: (key) => localCount(segment, key) };
}

/**
 * One posting index over the segments: a term's postings are each segment's, mapped to global ids and merged;
 * its count is exact after deletions (a segment with deleted ids counts the survivors once, then remembers).
 */
function composedPostings<K>(
  segments: readonly LoadedSegment[],
  toGlobal: readonly Int32Array[],
  hasDeleted: readonly boolean[],
  local: (segment: LoadedSegment, key: K) => Uint32Array,
  localCount: (segment: LoadedSegment, key: K) => number,
): { postings(key: K): Uint32Array; count(key: K): number } {
  // A lone segment with nothing deleted: its ids are the global ids.
  if (segments.length === 1 && !hasDeleted[0]) return lonePostings(segments[0]!, local, localCount);
  const survivors = segments.map(() => new Map<K, number>());
  const postings = (key: K): Uint32Array => {
    const lists: Uint32Array[] = [];
    segments.forEach((segment, s) => {
      const ids = local(segment, key);
      if (ids.length === 0) return;
      const mapped = mapIds(ids, toGlobal[s]!);
      if (mapped.length > 0) lists.push(mapped);
    });
    return mergeAscending(lists);
  };
  const count = (key: K): number => {
    let total = 0;
    segments.forEach((segment, s) => {
      const stored = localCount(segment, key);
      if (stored === 0 || !hasDeleted[s]) {
        total += stored;
        return;
      }
      let alive = survivors[s]!.get(key);
      if (alive === undefined) survivors[s]!.set(key, (alive = mapIds(local(segment, key), toGlobal[s]!).length));
      total += alive;
    });
    return total;
  };
  return { postings, count };
}

/**
 * The positions of `count` documents by id (`idAt(position)`), or the first id listed twice: an open-addressing
 * table of positions + 1 in a typed array (a Map took about 40 bytes a document), probing compares ids.
 */
function documentPositions(idAt: (position: number) => string, count: number): DocumentPositions | { readonly twice: string } {
  const slots = new Uint32Array(slotCountFor(count));
  const mask = slots.length - 1;
  /** The slot holding `id`, or the empty slot where it would go. */
  const slotOf = (id: string): number => {
    let slot = hashUnits(id) & mask;
    for (let entry = slots[slot]!; entry !== 0 && idAt(entry - 1) !== id; entry = slots[slot]!) slot = (slot + 1) & mask;
    return slot;
  };
  for (let position = 0; position < count; position++) {
    const id = idAt(position);
    const slot = slotOf(id);
    if (slots[slot] !== 0) return { twice: id };
    slots[slot] = position + 1;
  }
  return {
    size: count,
    get(id) {
      const entry = slots[slotOf(id)]!;
      return entry === 0 ? undefined : entry - 1;
    },
    has: (id) => slots[slotOf(id)] !== 0,
  };
}

/** The live documents of the segments, in corpus order, as one index with global ids. */
/** What composeSegments' caches may hold: decoded postings in ids, original texts in UTF-16 units. */
interface CacheBudgets {
  readonly postingsIds: number;
  readonly textUnits: number;
}

function composeSegments(dir: string, manifest: Manifest, segments: readonly LoadedSegment[], order: CorpusOrder, budgets: CacheBudgets): LoadedIndex {
  const paragraphToGlobal = segments.map((segment) => new Int32Array(segment.paragraphCount).fill(-1));
  const documentToGlobal = segments.map((segment) => new Int32Array(segment.store.documentCount).fill(-1));
  const documentCount = order.length / 2;
  let paragraphCount = 0;
  for (let p = 0; p < order.length; p += 2) {
    const { firstParagraph } = segments[order[p]!]!;
    paragraphCount += firstParagraph[order[p + 1]! + 1]! - firstParagraph[order[p + 1]!]!;
  }
  const storeFile = (): string => join(dir, manifest.generation, ORDER_FILE);
  if (documentCount !== manifest.counts.documents || paragraphCount !== manifest.counts.paragraphs) {
    throw new IndexLoadError(storeFile(), 'the corpus order holds other counts than the manifest says', rebuildCommand(dir, manifest));
  }
  const documents: LoadedDocument[] = [];
  const paragraphLength = new Uint32Array(paragraphCount);
  const paragraphDocument = new Uint32Array(paragraphCount);
  const paragraphSegment = new Uint16Array(paragraphCount);
  const paragraphLocal = new Uint32Array(paragraphCount);
  const documentSegment = new Uint16Array(documentCount);
  const documentLocal = new Uint32Array(documentCount);
  let next = 0;
  for (let p = 0; p < order.length; p += 2) {
    const s = order[p]!;
    const d = order[p + 1]!;
    const segment = segments[s]!;
    const { store } = segment;
    const id = store.ids[d]!;
    const position = documents.length;
    documentToGlobal[s]![d] = position;
    documentSegment[position] = s;
    documentLocal[position] = d;
    const first = segment.firstParagraph[d]!;
    const count = segment.firstParagraph[d + 1]! - first;
    for (let i = 0; i < count; i++, next++) {
      paragraphLength[next] = segment.lengths[first + i]!;
      paragraphDocument[next] = position;
      paragraphSegment[next] = s;
      paragraphLocal[next] = first + i;
      paragraphToGlobal[s]![first + i] = next;
    }
    const rootNumber = store.root(d);
    const root = rootNumber === undefined ? undefined : segment.roots[rootNumber];
    const format = store.format(d);
    const locations = store.locations(d);
    const date = store.date(d);
    const title = store.titles[d]!;
    const firstParagraph = next - count;
    // The common shapes as literals of their own: properties added by a spread went into a second array of
    // each document's properties.
    if (root === undefined && locations === undefined && date === undefined) {
      documents.push(format === undefined ? { id, title, firstParagraph, paragraphCount: count } : { id, title, firstParagraph, paragraphCount: count, format });
      continue;
    }
    documents.push({
      id,
      title,
      firstParagraph,
      paragraphCount: count,
      ...(format === undefined ? {} : { format }),
      ...(root === undefined ? {} : { source: { root, path: id } }),
      ...(locations === undefined ? {} : { locations }),
      ...(date === undefined ? {} : { date }),
    });
  }
  const documentById = documentPositions((position) => documents[position]!.id, documents.length);
  if ('twice' in documentById) throw new IndexLoadError(storeFile(), `the corpus order lists the document ${JSON.stringify(documentById.twice)} twice`, rebuildCommand(dir, manifest));
  // A loop, not an arrow: a closure here over the id maps would keep them for a lone segment, which needs none.
  const hasDeleted: boolean[] = [];
  for (const toGlobal of documentToGlobal) hasDeleted.push(toGlobal.includes(-1));
  const grams = composedPostings<number>(segments, paragraphToGlobal, hasDeleted, (segment, key) => segment.grams.postings(key), (segment, key) => segment.grams.count(key));
  const words = composedPostings<string>(segments, paragraphToGlobal, hasDeleted, (segment, word) => segment.words.postings(word), (segment, word) => segment.words.postings(word).length);
  // A question reads the title postings of each of its dozens of terms, as it reads their paragraph postings.
  const gramCache = createPostingsCache(grams.postings, Math.floor((budgets.postingsIds * 7) / 16));
  const wordCache = createPostingsCache(words.postings, Math.floor((budgets.postingsIds * 7) / 16));
  const titleGrams = composedPostings<number>(segments, documentToGlobal, hasDeleted, (segment, key) => segment.titles.postings(key), (segment, key) => segment.titles.count(key));
  const titleCache = createPostingsCache(titleGrams.postings, Math.floor(budgets.postingsIds / 8));
  // Characters and character pairs come from the gram postings, whole words from the word postings.
  const terms: ParagraphPostingsIndex = {
    postings(term) {
      const key = isWordTerm(term) ? null : gramKey(term);
      return key === null ? wordCache.postings(term) : gramCache.postings(key);
    },
    count(term) {
      const key = isWordTerm(term) ? null : gramKey(term);
      return key === null ? wordCache.postings(term).length : grams.count(key);
    },
    charactersInAtLeast(minimum) {
      if (segments.length === 1) {
        const keys = segments[0]!.grams.keysInAtLeast(minimum);
        return (hasDeleted[0] ? keys.filter((key) => grams.count(key) >= minimum) : keys).flatMap((key) => unigramOfKey(key) ?? []);
      }
      // A character in `minimum` paragraphs overall is in at least one of them in some segment: every
      // character's stored counts are added, then the candidates' exact counts are checked.
      const stored = new Map<number, number>();
      for (const segment of segments) {
        for (const key of segment.grams.keysInAtLeast(1)) if (unigramOfKey(key) !== null) stored.set(key, (stored.get(key) ?? 0) + segment.grams.count(key));
      }
      const found = [...stored].filter(([key, total]) => total >= minimum && grams.count(key) >= minimum).map(([key]) => key);
      return found.sort((a, b) => a - b).map((key) => unigramOfKey(key)!);
    },
  };
  const titles: TermPostingsIndex = {
    postings(term) {
      const key = gramKey(term);
      return key === null ? new Uint32Array(0) : titleCache.postings(key);
    },
    count(term) {
      const key = gramKey(term);
      return key === null ? 0 : titleGrams.count(key);
    },
  };
  // Folding every paragraph up front would delay the ready time: a query folds what it touches, and warm() the
  // rest once the server answers. The folded texts are kept in the segments, so a reload that keeps a segment
  // keeps them too; they are what stays in memory of the texts (the originals are read from the store).
  // By global id as well as in their segments: ranking reads a candidate's folded text and title, and one
  // array of the strings is one lookup where the segment's took three.
  const foldedTitleAt: (string | undefined)[] = new Array(documentCount);
  const foldedTitle = (position: number): string => {
    const known = foldedTitleAt[position];
    if (known !== undefined) return known;
    const segment = segments[documentSegment[position]!]!;
    const d = documentLocal[position]!;
    return (foldedTitleAt[position] = segment.foldedTitles[d] ??= foldString(segment.store.titles[d]!));
  };
  /** The segment's paragraph folded, and what folding did, made on first use. */
  const foldedLocal = (segment: LoadedSegment, local: number): string => segment.folded[local] ?? foldInto(segment, local, segment.store.paragraph(local));
  const foldedAt: (string | undefined)[] = new Array(paragraphCount);
  const foldedParagraph = (id: number): string => foldedAt[id] ?? (foldedAt[id] = foldedLocal(segments[paragraphSegment[id]!]!, paragraphLocal[id]!));
  // Each hit asks (highlights without an offset map when it is 1) rather than reading the text again.
  const foldKeepsOffsetsOf = (id: number): boolean => {
    const segment = segments[paragraphSegment[id]!]!;
    const local = paragraphLocal[id]!;
    foldedLocal(segment, local);
    return (segment.foldFacts[local]! & KEEPS_OFFSETS) !== 0;
  };
  // The hits' texts, read from the store: the recently asked ones are kept (a Map iterates in insertion order,
  // so a text asked again moves to the end and the first is the least recent). A read is a system call and a
  // decoding for each hit of a page; the queries people repeat ask for the same pages.
  const recentTexts = new Map<number, string>();
  let recentUnits = 0;
  const paragraphText = (id: number): string => {
    if (!(Number.isInteger(id) && id >= 0 && id < paragraphCount)) throw new RangeError(`sou: no paragraph ${id}`);
    const segment = segments[paragraphSegment[id]!]!;
    const local = paragraphLocal[id]!;
    const folded = segment.folded[local];
    if (folded !== undefined && (segment.foldFacts[local]! & UNCHANGED) !== 0) return folded;
    let text = recentTexts.get(id);
    if (text !== undefined) {
      recentTexts.delete(id);
      recentTexts.set(id, text);
      return text;
    }
    text = segment.store.paragraph(local);
    if (text.length > budgets.textUnits / 64) return text;
    recentTexts.set(id, text);
    recentUnits += text.length;
    for (const [oldest, dropped] of recentTexts) {
      if (recentUnits <= budgets.textUnits) break;
      recentTexts.delete(oldest);
      recentUnits -= dropped.length;
    }
    return text;
  };
  const paragraphLocation = (id: number): ParagraphLocation | null => {
    const document = documents[paragraphDocument[id]!];
    return document?.locations?.[id - document.firstParagraph] ?? null;
  };
  return {
    dir,
    manifest,
    documents,
    documentById,
    paragraphCount,
    paragraphText,
    paragraphLocation,
    foldedParagraph,
    foldKeepsOffsets: foldKeepsOffsetsOf,
    foldedTitle,
    async warm() {
      // Every block's posting offsets (grams.ts readyBlock), which a query's first term of a block found by walking
      // it: one walk over every posting byte, between requests.
      for (const segment of segments) for (const index of [segment.grams, segment.titles]) await inTimeSlices(index.blockCount, index.readyBlock);
      await inTimeSlices(documents.length, foldedTitle);
      for (const segment of segments) {
        await inTimeSlices(Math.ceil(segment.paragraphCount / FOLD_CHUNK), (chunk) => foldRange(segment, chunk * FOLD_CHUNK, Math.min(segment.paragraphCount, (chunk + 1) * FOLD_CHUNK)));
      }
    },
    paragraphLength,
    paragraphDocument,
    terms,
    titles,
    *wordCounts() {
      // A lone segment with nothing deleted counts its own words; otherwise a word is counted once, over every
      // segment, after deletions (terms.count).
      const composed = segments.length > 1 || hasDeleted[0] === true;
      const seen = new Set<string>();
      for (const segment of segments) {
        const counts = composed ? undefined : segment.words.counts();
        for (let n = 0; n < segment.words.size; n++) {
          const term = segment.words.wordAt(n);
          if (!isWordTerm(term)) continue;
          if (composed && seen.has(term)) continue;
          if (composed) seen.add(term);
          const count = counts === undefined ? words.count(term) : counts[n]!;
          if (count > 0) yield [wordOfTerm(term), count] as const;
        }
      }
    },
  };
}
