// URLs of the results page with its view (sort, grouping, one document's matches), kept beside urls.ts's plain
// searchUrl so that every link of the page (pager, facets, sorts, "N more") keeps what the visitor chose.
import type { SortOrder } from '../server/search/types.js';

/** What the results page shows besides its query: the sort, whether grouped by document, one document alone. */
export interface ResultsView {
  readonly q: string;
  readonly sort: SortOrder;
  /** Cards of documents (the default), or paragraphs (`group=none`). */
  readonly grouped: boolean;
  /** One document's matching paragraphs (a card's "N more" without JavaScript). */
  readonly doc: string | null;
}

function params(view: ResultsView, offset: number): URLSearchParams {
  const out = new URLSearchParams({ q: view.q });
  if (view.doc !== null) out.set('doc', view.doc);
  else if (!view.grouped) out.set('group', 'none');
  if (view.sort !== 'relevance') out.set('sort', view.sort);
  if (offset > 0) out.set('offset', String(offset));
  return out;
}

/** The results page of this view at `offset`. */
export const resultsUrl = (view: ResultsView, offset = 0): string => `/search?${params(view, offset)}`;

/** One document's matching paragraphs from `offset` on, as a page (the link without JavaScript). */
export const documentMatchesUrl = (view: ResultsView, docId: string, offset: number): string => resultsUrl({ ...view, doc: docId }, offset);

/** The same, as the fragment htmx puts in place of a card's "N more" link. */
export const moreMatchesUrl = (view: ResultsView, docId: string, offset: number): string => `/search/more?${params({ ...view, doc: docId }, offset)}`;
