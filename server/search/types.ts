// What the engine answers, as plain data: the HTTP layer makes JSON of it and views/ make HTML of it. Types
// only, importing nothing, so that views/ can take them without taking any of the engine.

/** A [start, end) range of UTF-16 offsets in a text. */
export type Range = readonly [number, number];

export interface SearchOptions {
  readonly limit: number;
  readonly offset: number;
}

/** The window of a hit's text to show, and what to mark in it. */
export interface Snippet {
  readonly start: number;
  readonly end: number;
  /** Highlight ranges inside the window, in offsets of the whole text. */
  readonly highlights: readonly Range[];
}

/**
 * Where a hit's paragraph sits in its file, as its format knows it (the index's ParagraphLocation, restated here
 * because this module imports nothing): a PDF's page, an EPUB's chapter, the headings above it.
 */
export interface HitLocation {
  /** 1-based page number (PDF). */
  readonly page?: number;
  /** The chapter's title (EPUB). */
  readonly chapter?: string;
  /** The headings the paragraph sits under, outermost first. */
  readonly headings?: readonly string[];
  /** Set on a Word footnote or endnote. */
  readonly note?: 'footnote' | 'endnote';
}

export interface SearchHit {
  readonly id: string;
  readonly docId: string;
  readonly paragraph: number;
  readonly title: string;
  readonly score: number;
  /** The paragraph's original text. */
  readonly text: string;
  /** Where the query matched in `text`: sorted, non-overlapping. */
  readonly highlights: readonly Range[];
  readonly snippet: Snippet;
  /** Where the paragraph sits in its file; null when its format names no places (.txt, .jsonl). */
  readonly location: HitLocation | null;
}

export interface SearchResponse {
  readonly query: string;
  readonly terms: readonly string[];
  readonly total: number;
  readonly relaxed: boolean;
  readonly offset: number;
  readonly limit: number;
  readonly tookMs: number;
  readonly hits: readonly SearchHit[];
}
