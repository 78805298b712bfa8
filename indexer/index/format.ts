// The on-disk index: immutable segments and a commit point (docs/design.md §5).
// DIR/manifest.json, the commit point, lists the live segments (folders DIR/seg-*/, each the files of one build
// of some documents, never changed once written) and names a generation folder DIR/gen-*/ with the corpus order
// (order.bin: which segment's which document is at each position; a document not listed is deleted) and the
// source records an incremental build compares the corpus with (sources.json). A build writes its new files,
// then replaces manifest.json by rename: readers see the old index or the new one, never a half-written mix,
// and a killed build leaves the previous index loadable.
import type { AnalyzerFingerprint } from '../analyzer/index.js';
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';

/** Bump when the files' layout or meaning changes. */
export const INDEX_FORMAT = 8;

export const MANIFEST_FILE = 'manifest.json';
/** Segment file: documents and their original paragraph texts (store.ts), the texts last: read when shown. */
export const STORE_FILE = 'store.bin';
/** Segment file: n-gram postings (grams.ts). */
export const GRAMS_FILE = 'grams.bin';
/** Segment file: whole-word postings (word-postings.ts). */
export const WORDS_FILE = 'words.bin';
/** Segment file: n-gram postings of the document titles (ids are the segment's document positions). */
export const TITLES_FILE = 'titles.bin';
/** Segment file: indexable characters of each paragraph (u32 little-endian, in paragraph order): BM25 lengths. */
export const LENGTHS_FILE = 'lengths.bin';
/** The files of every segment. */
export const SEGMENT_FILES = [STORE_FILE, GRAMS_FILE, WORDS_FILE, TITLES_FILE, LENGTHS_FILE] as const;
/** Generation file: the corpus order of the live documents (order.ts). */
export const ORDER_FILE = 'order.bin';
/** Generation file: what each corpus file held when it was read, for the next incremental build (sources.ts). */
export const SOURCES_FILE = 'sources.json';

export interface FileRecord {
  readonly bytes: number;
  readonly sha256: string;
}

export interface Manifest {
  readonly format: number;
  readonly analyzer: AnalyzerFingerprint;
  /** The user dictionary the build used (as given on the command line), or null. */
  readonly userDict: string | null;
  readonly builtAt: string;
  readonly buildSeconds: number;
  /** Folder (inside the index folder) that holds this commit's corpus order and source records. */
  readonly generation: string;
  /** The live segments, in the order order.bin numbers them. */
  readonly segments: readonly SegmentRecord[];
  readonly corpus: {
    /** The --corpus arguments, as given. */
    readonly inputs: readonly string[];
    /** Hash of every input file's path, size and modification time: equal means up to date. */
    readonly fingerprint: string;
    readonly problems: number;
    /**
     * The folders the documents' files are relative to, absolute (a property of this machine, kept in the index
     * and never in git): a folder input itself, the folder of a single-file input. StoredDocument.root indexes it.
     */
    readonly roots: readonly string[];
  };
  /** Of the live documents: what a full build of the same corpus would count. */
  readonly counts: { readonly documents: number; readonly paragraphs: number; readonly characters: number };
  /** Every file of the index (the segments' and the generation's), by path relative to the index folder with '/'. */
  readonly files: Readonly<Record<string, FileRecord>>;
}

/** One segment as the commit point lists it. */
export interface SegmentRecord {
  /** Its folder in the index folder (seg-*), also its identity: a segment is never changed once written. */
  readonly name: string;
  /** Documents and paragraphs it holds, deleted ones included. */
  readonly documents: number;
  readonly paragraphs: number;
  /** The corpus roots (absolute folders) its documents' StoredDocument.root numbers refer to. */
  readonly roots: readonly string[];
}

/** What the store holds for each document: its id, title, original paragraph texts and where they came from. */
export interface StoredDocument {
  readonly id: string;
  readonly title: string;
  readonly paragraphs: readonly string[];
  /** Parallel to `paragraphs` (null: no location); absent when no paragraph has one. */
  readonly locations?: readonly (ParagraphLocation | null)[];
  readonly format?: DocumentFormat;
  /**
   * For a document read from a file of its own (not .jsonl): the position in its segment's roots of the folder
   * its id is the relative path in.
   */
  readonly root?: number;
  /** The document's date, ms since the epoch (SourceDocument.date); absent when undated. */
  readonly date?: number;
}
