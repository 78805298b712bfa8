// What a search may ask beyond its text (filters, grouping by document, sorting, facets) and what it answers
// then, as plain data: types only, importing nothing, like types.ts, so that views/ can take them.

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
export const SORT_ORDERS: readonly SortOrder[] = ['relevance', 'newest', 'oldest', 'document'];

export type FacetName = 'folder' | 'type' | 'year';
export const FACET_NAMES: readonly FacetName[] = ['folder', 'type', 'year'];

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
