// What the engine answers, as plain data: the HTTP layer makes JSON of it and views/ make HTML of it. Types
// only, importing nothing, so that views/ can take them without taking any of the engine.

/** A [start, end) range of UTF-16 offsets in a text. */
export type Range = readonly [number, number];

export interface SearchOptions {
  /** Hits, or documents when grouped. */
  readonly limit: number;
  readonly offset: number;
  /** Added to the query text's own filters (filters.ts). */
  readonly filters?: Filters;
  /** 'doc': one entry a document (SearchResponse.groups); offset and limit count documents. */
  readonly group?: 'doc';
  readonly sort?: SortOrder;
  readonly facets?: readonly FacetName[];
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

/** A document's entry in a grouped answer: its best matching paragraphs and how many match in all. */
export interface SearchGroup {
  readonly docId: string;
  readonly title: string;
  readonly format: string | null;
  /** The document's date as YYYY-MM-DD (UTC), or null when undated. */
  readonly date: string | null;
  /** Its best paragraph's score: the order of documents under relevance. */
  readonly score: number;
  /** Matching paragraphs in this document (after filters). */
  readonly total: number;
  /** Its first matching paragraphs in the answer's order (at most GROUP_HITS). */
  readonly hits: readonly SearchHit[];
}

/**
 * An answer. Asked with filters, grouping, a sort or facets, it also has `documents` (matching documents),
 * `filters`, `sort`, `group`, `facets` when asked, and `groups` when grouped (then `hits` is empty).
 */
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
  readonly documents?: number;
  readonly filters?: FiltersEcho;
  readonly sort?: SortOrder;
  readonly group?: 'doc' | null;
  readonly facets?: Facets;
  readonly tookMs: number;
  readonly hits: readonly SearchHit[];
  readonly groups?: readonly SearchGroup[];
}

// What a search may ask beyond its text (filters, grouping by document, sorting, facets) and what it answers then.
/** Every format Sou reads (indexer/corpus DocumentFormat, restated: this module imports nothing). */
export type FileType = 'txt' | 'md' | 'jsonl' | 'html' | 'pdf' | 'docx' | 'epub';

/**
 * What the documents must be. Within a list any value will do (two folders: either one), across lists every
 * one must hold; titles must each be in the title. Dates: after is inclusive, before exclusive (ms, UTC).
 */
export interface Filters {
  readonly folders: readonly string[];
  readonly types: readonly FileType[];
  readonly titles: readonly string[];
  readonly years: readonly number[];
  readonly after: number | null;
  readonly before: number | null;
  /** One document by its exact id (a card's "N more"). */
  readonly document: string | null;
}

/** relevance: best first; newest / oldest: by the document's date; document: corpus order, paragraphs in reading order. */
export type SortOrder = 'relevance' | 'newest' | 'oldest' | 'document';

export type FacetName = 'folder' | 'type' | 'year';

/** One value of a facet: how many matching documents have it, and whether a filter chooses it now. */
export interface FacetValue {
  readonly value: string;
  readonly count: number;
  readonly selected: boolean;
}

/** Counts of matching documents by value; each facet counted with every filter but its own (disjunctive). */
export type Facets = Partial<Record<FacetName, readonly FacetValue[]>>;

/** The filters as a response echoes them: dates as YYYY-MM-DD (UTC). */
export interface FiltersEcho {
  readonly in: readonly string[];
  readonly type: readonly string[];
  readonly title: readonly string[];
  readonly year: readonly number[];
  readonly after: string | null;
  readonly before: string | null;
  readonly doc: string | null;
}
