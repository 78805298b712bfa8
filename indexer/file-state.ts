// One corpus file in a build: its record and, when it was read in this build, how to have its documents.
import type { CorpusFile, SourceDocument } from './corpus/index.js';
import type { SourceFileRecord } from './index/sources.js';

/** The documents of a file read in this build, by position in its record's ids. */
export interface ReadDocuments {
  /** Whether the document at this position can be had without reading the file again. */
  has(index: number): boolean;
  get(index: number): SourceDocument;
  /** Lets go of what `get` holds (a streamed file kept open), once the file's documents are taken. */
  release?(): void;
}

/** One corpus file in this build: its record (what it holds) and, when it was read in this build, its documents. */
export interface FileState {
  readonly file: CorpusFile;
  readonly record: SourceFileRecord;
  /** Absent for a file found unchanged (not read). */
  readonly read?: ReadDocuments;
  /**
   * For a file read in this build: per document of `record`, the document of the last version's record (same
   * path) it is, by the same bytes, or −1. Absent: none known (a file not read is its last record itself).
   */
  readonly previousIndex?: Int32Array;
  /** For documents of a file read again that are not its last version's: the last version's document of the same id (a line edited in place). */
  readonly previousWithId?: ReadonlyMap<number, number>;
  /** For a .jsonl read in this build: how many of its lines were parsed. */
  readonly linesParsed?: number;
}
