// The on-disk index: DIR/manifest.json names a generation folder DIR/gen-*/ that holds the data files.
// A build writes a new generation, then replaces manifest.json by rename: readers see the old index or the
// new one, never a half-written mix, and a killed build leaves the previous index loadable.
import type { AnalyzerFingerprint } from '../analyzer/index.js';
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';

/** Bump when the files' layout or meaning changes. */
export const INDEX_FORMAT = 6;

export const MANIFEST_FILE = 'manifest.json';
/** Documents and their original paragraph texts (store.ts). */
export const STORE_FILE = 'store.bin';
/** n-gram postings (grams.ts). */
export const GRAMS_FILE = 'grams.bin';
/** FlexSearch's export of the word postings, in binary (words-file.ts): words in two paragraphs or more. */
export const WORDS_FILE = 'words.bin';
/** Words that occur in exactly one paragraph, with its id: a hash table in typed arrays (single-paragraph-words.ts). */
export const ONCE_WORDS_FILE = 'once-words.bin';
/** n-gram postings of the document titles (ids are document positions). */
export const TITLES_FILE = 'titles.bin';
/** Indexable characters of each paragraph (u32 little-endian, in paragraph order): BM25 lengths. */
export const LENGTHS_FILE = 'lengths.bin';

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
  /** Folder (inside the index folder) that holds this build's files. */
  readonly generation: string;
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
  readonly counts: { readonly documents: number; readonly paragraphs: number; readonly characters: number };
  /** Every data file of the generation, relative to its folder. */
  readonly files: Readonly<Record<string, FileRecord>>;
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
   * For a document read from a file of its own (not .jsonl): the position in the manifest's corpus.roots of the
   * folder its id is the relative path in.
   */
  readonly root?: number;
  /** The document's date, ms since the epoch (SourceDocument.date); absent when undated. */
  readonly date?: number;
}
