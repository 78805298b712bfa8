import type { ParagraphLocation, SkipReason } from '../types.js';

/** One paragraph as a reader found it. */
export interface ReadParagraph {
  readonly text: string;
  readonly location?: ParagraphLocation;
}

/** What a reader makes of one file: its title (when the file names one) and its paragraphs in order. */
export interface ReadDocument {
  readonly title?: string;
  readonly paragraphs: readonly ReadParagraph[];
}

/** Bytes in, document out; throws UnreadableDocument for a file that cannot be read. */
export type DocumentReader = (bytes: Uint8Array) => Promise<ReadDocument> | ReadDocument;

/** Limits a reader of container formats (zip, PDF) keeps to, so a hostile file cannot exhaust memory. */
export interface ReadLimits {
  readonly fileBytes: number;
  readonly zipEntryBytes: number;
  readonly zipTotalBytes: number;
  readonly zipEntries: number;
  readonly pdfPages: number;
}

export const READ_LIMITS: ReadLimits = Object.freeze({
  /** Largest file read at all. */
  fileBytes: 256 * 1024 * 1024,
  /** Largest single zip entry, declared or inflated. */
  zipEntryBytes: 64 * 1024 * 1024,
  /** Largest sum of the zip entries a reader inflates. */
  zipTotalBytes: 256 * 1024 * 1024,
  zipEntries: 20_000,
  pdfPages: 20_000,
});

/** A file that cannot be indexed, with the reason shown in the build summary. */
export class UnreadableDocument extends Error {
  constructor(
    readonly reason: SkipReason,
    message: string,
  ) {
    super(message);
    this.name = 'UnreadableDocument';
  }
}
