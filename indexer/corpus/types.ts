/** A document as read from the corpus, before analysis. */
export interface SourceDocument {
  /** Path relative to the corpus root (folders) or the `id` field (.jsonl). Unique within a build. */
  readonly id: string;
  /** First Markdown heading, else the file name without extension; the `title` field for .jsonl. */
  readonly title: string;
  /** Paragraph texts, in order; paragraph n has id `${id}#${n}`. Never empty strings. */
  readonly paragraphs: readonly string[];
  /**
   * Where each paragraph came from, parallel to `paragraphs` (locations[n] is paragraph n's); absent when
   * the format has no places worth naming (.txt, .jsonl).
   */
  readonly locations?: readonly ParagraphLocation[];
  /** The format the document was read from. */
  readonly format?: DocumentFormat;
  /**
   * The document's date (ms since the epoch, UTC: dates.ts): its file's modified time, or a .jsonl line's `date`
   * field (else the .jsonl file's modified time); absent when a `date` field could not be read.
   */
  readonly date?: number;
}

/**
 * Where a paragraph sits in its file, as the format knows it: a PDF's page, an EPUB's chapter, the
 * headings above it in Word, Markdown, HTML and within an EPUB chapter. Fields a format lacks are absent.
 */
export interface ParagraphLocation {
  /** 1-based page number (PDF). */
  readonly page?: number;
  /** The chapter's title as the book's table of contents gives it (EPUB). */
  readonly chapter?: string;
  /** The headings the paragraph sits under, outermost first; a heading's own path ends with itself. */
  readonly headings?: readonly string[];
  /** Set on a Word footnote or endnote, which is read after the body, under the headings of its reference. */
  readonly note?: 'footnote' | 'endnote';
}

/** Every format Sou reads. */
export type DocumentFormat = 'txt' | 'md' | 'jsonl' | 'html' | 'pdf' | 'docx' | 'epub';

/** Why a file was not indexed, in the build summary's words. */
export type SkipReason =
  | 'unsupported type'
  | 'encrypted'
  | 'corrupt'
  | 'no text layer'
  | 'too large'
  | 'no text'
  | 'unreadable'
  | 'duplicate';

/** Something the reader skipped, reported to the user by file (and line for .jsonl). */
export interface CorpusProblem {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
  /** Set when the whole file was skipped, for the build summary; a bad line of a .jsonl has none. */
  readonly reason?: SkipReason;
  /** Set on a warning: the document was indexed anyway (a .jsonl line's bad `date`: indexed undated). */
  readonly kept?: true;
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
export type CorpusFormat = DocumentFormat;

/** A corpus input file as listed by the reader: its stat plus what reading it needs. */
export interface CorpusFile extends CorpusFileStat {
  /** Absolute path, for opening the file; `path` is the one shown to the user. */
  readonly absolutePath: string;
  readonly format: CorpusFormat;
  /** The document id of a file of one document (relative to its corpus root, with `/`); undefined for .jsonl. */
  readonly docId?: string;
}

/** What became of one file of the corpus, for the build summary: every file found is accounted for. */
export interface FileOutcome {
  readonly file: string;
  /** The file's format, or its extension (`.csv`, or `(none)`) when Sou does not read that type. */
  readonly type: string;
  /** Absent when the file was indexed. */
  readonly skipped?: SkipReason;
  /** Time spent reading and parsing it, in milliseconds (on a worker for the formats read there). */
  readonly ms: number;
}
