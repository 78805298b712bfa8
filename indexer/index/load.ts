// Loads an index folder into memory, refusing one that this analyzer did not build or whose files changed.
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';
import { analyzerFingerprint, foldKeepsOffsets, foldString, gramKey, isWordTerm, loadJiebaAsync, unigramOfKey, wordTerm } from '../analyzer/index.js';
import { importTermIndex, termCounts } from './flex.js';
import { GRAMS_FILE, INDEX_FORMAT, MANIFEST_FILE, ONCE_WORDS_FILE, STORE_FILE, LENGTHS_FILE, TITLES_FILE, WORDS_FILE, type FileRecord, type Manifest, type StoredDocument } from './format.js';
import { decodeGramIndex } from './grams.js';
import { decodeOnceWords } from './single-paragraph-words.js';
import { decodeStore } from './store.js';
import { inTimeSlices } from './time-slices.js';
import { decodeWords } from './words-file.js';

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
}

/** Ids in ascending order: a plain array (FlexSearch) or a typed array (the gram index). */
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

export interface LoadedIndex {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly documents: readonly LoadedDocument[];
  readonly documentById: ReadonlyMap<string, number>;
  /** Per global paragraph id: original text, folded text, owning document. */
  readonly paragraphText: readonly string[];
  /** Where the paragraph with this global id sits in its file (page, chapter, headings), or null. */
  paragraphLocation(id: number): ParagraphLocation | null;
  /** Folded text of a paragraph, computed on first use (verification and ranking read it). */
  foldedParagraph(id: number): string;
  /** Whether folding the paragraph moved no offset (foldKeepsOffsets of its text), computed on first use. */
  foldKeepsOffsets(id: number): boolean;
  /** Folded title of the document at this position, computed on first use like foldedParagraph. */
  foldedTitle(documentIndex: number): string;
  /**
   * Finds every gram block's posting offsets and folds every title and paragraph ahead of need, a slice per
   * event-loop turn, so early queries do not pay for it.
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
  if (!isCompleteManifest(manifest)) throw new IndexLoadError(file, 'manifest.json is incomplete', rebuildCommand(dir));
  const rebuild = rebuildCommand(dir, manifest);
  if (manifest.format !== INDEX_FORMAT) {
    throw new IndexLoadError(file, `index format ${manifest.format}, this Sou reads format ${INDEX_FORMAT}`, rebuild);
  }
  // Checked after the format: an index of an earlier format has no roots, and is refused for its format.
  const { roots } = manifest.corpus as { roots?: unknown };
  if (!Array.isArray(roots) || !roots.every((root) => typeof root === 'string' && isAbsolute(root))) {
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
  if (typeof files !== 'object' || files === null || !Object.hasOwn(files, STORE_FILE)) return false;
  return Object.entries(files).every(
    ([name, record]) =>
      !name.split('/').some((part) => part === '' || part === '.' || part === '..') &&
      typeof record === 'object' &&
      record !== null &&
      isCount(record.bytes) &&
      typeof record.sha256 === 'string',
  );
}

/**
 * The file's bytes in one read on the thread pool. fs.promises.readFile reads 512 KB at a time, each chunk
 * started from this thread, so the reads stalled whenever this thread was busy.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const data = Buffer.allocUnsafeSlow(size); // a buffer of its own, not a slice of Node's pool
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(data, filled, size - filled, filled);
      if (bytesRead === 0) break; // shrank while read: the size check below refuses it
      filled += bytesRead;
    }
    return filled === size ? data : data.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

async function readCheckedBytes(dir: string, manifest: Manifest, name: string): Promise<Buffer> {
  const file = join(dir, manifest.generation, name);
  const record = manifest.files[name]!;
  let data: Buffer;
  try {
    data = await readWhole(file);
  } catch {
    throw new IndexLoadError(file, 'a file of the index is missing', rebuildCommand(dir, manifest));
  }
  // WebCrypto hashes on libuv's thread pool: the files are read and checked while this thread decodes (loadChecked).
  const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>)).toString('hex'); // the Buffer owns a plain ArrayBuffer
  if (data.length !== record.bytes || sha256 !== record.sha256) {
    throw new IndexLoadError(file, 'a file of the index is truncated or corrupted', rebuildCommand(dir, manifest));
  }
  return data;
}

/** Decodes a checked file; a failure names the file, says what it should hold, and how to rebuild. */
async function decodeChecked<T>(dir: string, manifest: Manifest, name: string, what: string, bytes: Promise<Buffer>, decode: (bytes: Buffer) => T): Promise<T> {
  const data = await bytes;
  try {
    return decode(data);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new IndexLoadError(join(dir, manifest.generation, name), `cannot read ${what}: ${why}`, rebuildCommand(dir, manifest));
  }
}

/**
 * Loads the index in `dir`. Every failure is an IndexLoadError naming a file and the command that rebuilds the
 * index: a server refuses the index in one line, and a running server keeps the index it has.
 */
export async function loadIndex(dir: string): Promise<LoadedIndex> {
  try {
    return await loadChecked(dir);
  } catch (error) {
    if (error instanceof IndexLoadError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new IndexLoadError(dir, `the index cannot be read: ${why}`, rebuildCommand(dir));
  }
}

async function loadChecked(dir: string): Promise<LoadedIndex> {
  const manifest = await readManifest(dir);
  // Every file is read and hashed on the thread pool, and jieba's dictionary is built there too (about half a
  // second), while this thread decodes the files as they arrive.
  const reads = new Map(Object.keys(manifest.files).map((name) => [name, readCheckedBytes(dir, manifest, name)]));
  for (const read of reads.values()) read.catch(() => {}); // each is awaited below; a failure is not unhandled
  const file = (name: string): Promise<Buffer> => reads.get(name) ?? readCheckedBytes(dir, manifest, name);
  const jiebaLoaded = loadJiebaAsync(manifest.userDict);
  jiebaLoaded.catch(() => {}); // awaited before the index is returned
  const stored = await decodeChecked(dir, manifest, STORE_FILE, 'the paragraph store', file(STORE_FILE), decodeStore);
  // The words of several paragraphs and their counts, listed from the export before FlexSearch takes it in.
  // Kept as two arrays, not pairs: an array per word would cost more than the word's string.
  let sharedTerms: string[] = [];
  let sharedCounts = new Uint32Array(0);
  const words = await decodeChecked(dir, manifest, WORDS_FILE, 'the word postings', file(WORDS_FILE), (bytes) => {
    const parts = decodeWords(bytes);
    const counted = termCounts(parts).filter(([term]) => isWordTerm(term));
    sharedTerms = counted.map(([term]) => term);
    sharedCounts = Uint32Array.from(counted, ([, count]) => count);
    return importTermIndex(parts);
  });
  const onceWords = await decodeChecked(dir, manifest, ONCE_WORDS_FILE, 'the words of one paragraph', file(ONCE_WORDS_FILE), (bytes) =>
    decodeOnceWords(bytes, manifest.counts.paragraphs),
  );
  const grams = await decodeChecked(dir, manifest, GRAMS_FILE, 'the n-gram postings', file(GRAMS_FILE), decodeGramIndex);
  const titleGrams = await decodeChecked(dir, manifest, TITLES_FILE, 'the title n-gram postings', file(TITLES_FILE), decodeGramIndex);
  const lengthBytes = await file(LENGTHS_FILE);
  if (lengthBytes.length !== manifest.counts.paragraphs * 4) {
    throw new IndexLoadError(join(dir, manifest.generation, LENGTHS_FILE), 'paragraph lengths do not match the paragraph count', rebuildCommand(dir, manifest));
  }
  const paragraphLength = new Uint32Array(new Uint8Array(lengthBytes).buffer);
  // The closures returned below share this function's scope, and with it `reads`: let the file bytes go, or they
  // stay for as long as the index is served.
  reads.clear();
  // Characters and character pairs come from the gram index, whole words from the single-paragraph words (a word
  // of one paragraph) or else FlexSearch.
  const wordPostings = (term: string): readonly number[] => {
    const once = onceWords.posting(term);
    return once === undefined ? words.postings(term) : [once];
  };
  const terms: ParagraphPostingsIndex = {
    postings(term) {
      const key = isWordTerm(term) ? null : gramKey(term);
      return key === null ? wordPostings(term) : grams.postings(key);
    },
    count(term) {
      const key = isWordTerm(term) ? null : gramKey(term);
      return key === null ? wordPostings(term).length : grams.count(key);
    },
    charactersInAtLeast: (minimum) => grams.keysInAtLeast(minimum).flatMap((key) => unigramOfKey(key) ?? []),
  };
  const titles: TermPostingsIndex = {
    postings(term) {
      const key = gramKey(term);
      return key === null ? [] : titleGrams.postings(key);
    },
    count(term) {
      const key = gramKey(term);
      return key === null ? 0 : titleGrams.count(key);
    },
  };

  const documents: LoadedDocument[] = [];
  const documentById = new Map<string, number>();
  const paragraphText: string[] = [];
  const paragraphDocument = new Uint32Array(manifest.counts.paragraphs);
  for (const document of stored) {
    documentById.set(document.id, documents.length);
    for (const text of document.paragraphs) paragraphDocument[paragraphText.push(text) - 1] = documents.length;
    const root = document.root === undefined ? undefined : manifest.corpus.roots[document.root];
    if (document.root !== undefined && root === undefined) {
      throw new IndexLoadError(join(dir, manifest.generation, STORE_FILE), 'a document names a corpus root the manifest does not list', rebuildCommand(dir, manifest));
    }
    documents.push({
      id: document.id,
      title: document.title,
      firstParagraph: paragraphText.length - document.paragraphs.length,
      paragraphCount: document.paragraphs.length,
      ...(document.format === undefined ? {} : { format: document.format }),
      ...(root === undefined ? {} : { source: { root, path: document.id } }),
      ...(document.locations === undefined ? {} : { locations: document.locations }),
    });
  }
  if (paragraphText.length !== manifest.counts.paragraphs) {
    throw new IndexLoadError(join(dir, manifest.generation, STORE_FILE), 'paragraph count differs from the manifest', rebuildCommand(dir, manifest));
  }
  // Folding every paragraph up front would delay the ready time: a query folds what it touches, and warm() the
  // rest once the server answers.
  const folded: (string | undefined)[] = new Array(paragraphText.length);
  const foldedTitles: (string | undefined)[] = new Array(documents.length);
  const foldedTitle = (position: number): string => (foldedTitles[position] ??= foldString(documents[position]!.title));
  const foldedParagraph = (id: number): string => (folded[id] ??= foldString(paragraphText[id]!));
  // 0: not known yet, 1: folding kept every offset, 2: it moved some. Each hit asks (highlights without an offset
  // map when it is 1) rather than reading the text again.
  const offsetsKept = new Uint8Array(paragraphText.length);
  const foldKeepsOffsetsOf = (id: number): boolean => (offsetsKept[id] ||= foldKeepsOffsets(paragraphText[id]!) ? 1 : 2) === 1;
  const paragraphLocation = (id: number): ParagraphLocation | null => {
    const document = documents[paragraphDocument[id]!];
    return document?.locations?.[id - document.firstParagraph] ?? null;
  };
  await jiebaLoaded; // queries are segmented from the first one on
  return {
    dir,
    manifest,
    documents,
    documentById,
    paragraphText,
    paragraphLocation,
    foldedParagraph,
    foldKeepsOffsets: foldKeepsOffsetsOf,
    foldedTitle,
    async warm() {
      // Every block's posting offsets (grams.ts readyBlock), which a query's first term of a block found by walking
      // it: one walk over every posting byte, between requests.
      for (const index of [grams, titleGrams]) await inTimeSlices(index.blockCount, index.readyBlock);
      await inTimeSlices(documents.length, foldedTitle);
      await inTimeSlices(paragraphText.length, (id) => {
        foldedParagraph(id);
        foldKeepsOffsetsOf(id);
      });
    },
    paragraphLength,
    paragraphDocument,
    terms,
    titles,
    *wordCounts() {
      for (let n = 0; n < sharedTerms.length; n++) yield [wordOfTerm(sharedTerms[n]!), sharedCounts[n]!] as const;
      for (let n = 0; n < onceWords.size; n++) {
        const term = onceWords.wordAt(n);
        if (isWordTerm(term)) yield [wordOfTerm(term), 1] as const;
      }
    },
  };
}
