/** A document as read from the corpus, before analysis. */
export interface SourceDocument {
  /** Path relative to the corpus root (folders) or the `id` field (.jsonl). Unique within a build. */
  readonly id: string;
  /** First Markdown heading, else the file name without extension; the `title` field for .jsonl. */
  readonly title: string;
  /** Paragraph texts, in order; paragraph n has id `${id}#${n}`. Never empty strings. */
  readonly paragraphs: readonly string[];
}

/** Something the reader skipped, reported to the user by file (and line for .jsonl). */
export interface CorpusProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** One corpus input file with what staleness checks need. */
export interface CorpusFileStat {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface CorpusReadResult {
  readonly documents: readonly SourceDocument[];
  readonly problems: readonly CorpusProblem[];
}

/** How a corpus file is read. */
export type CorpusFormat = 'txt' | 'md' | 'jsonl';

/** A corpus input file as listed by the reader: its stat plus what reading it needs. */
export interface CorpusFile extends CorpusFileStat {
  /** Absolute path, for opening the file; `path` is the one shown to the user. */
  readonly absolutePath: string;
  readonly format: CorpusFormat;
  /** The document id of a .txt/.md file (relative to its corpus root, with `/`); undefined for .jsonl. */
  readonly docId?: string;
}
