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

/** A Latin or mixed run of the query read as pinyin and searched as a word of the index's vocabulary. */
export interface PinyinRun {
  /** The run as typed (terms typed apart are joined by one space: zhi fu bao). */
  readonly typed: string;
  /** The word it was searched as: the vocabulary's most frequent word of the most literal reading. */
  readonly word: string;
  /** How the run was read, for people: "zhi fu bao", "z f b", "zhi 付 宝". */
  readonly readAs: string;
  readonly kind: 'pinyin' | 'initials' | 'mixed';
  /** Other words the run reads as, best first (a few at most). */
  readonly others: readonly string[];
}

/** How the query was rewritten before it was searched; null in a response when nothing was. */
export interface QueryRewrite {
  readonly runs: readonly PinyinRun[];
}

/** "Did you mean": a corrected query that finds far more than the query did. */
export interface QuerySuggestion {
  /** The corrected query, to search instead. */
  readonly q: string;
  /** The term of the query that was corrected, as typed, and the vocabulary word put into it. */
  readonly replaced: string;
  readonly word: string;
  readonly kind: 'homophone' | 'near-homophone' | 'swap';
  /** Paragraphs the corrected query finds. */
  readonly total: number;
}

export interface SearchResponse {
  readonly query: string;
  readonly terms: readonly string[];
  readonly total: number;
  readonly relaxed: boolean;
  readonly offset: number;
  readonly limit: number;
  /** Latin runs read as pinyin (the terms are the words they were read as), or null. */
  readonly rewrite: QueryRewrite | null;
  /** A correction of the query when it finds nothing or little and the correction at least ten times more. */
  readonly suggestion: QuerySuggestion | null;
  /**
   * Whether the vocabulary (pinyin reading, corrections) was ready: it is built after the server starts
   * answering, and until then Latin runs are searched as typed and nothing is corrected.
   */
  readonly vocabularyReady: boolean;
  readonly tookMs: number;
  readonly hits: readonly SearchHit[];
}
