// Friendly error pages (400 bad parameters, 404 unknown document or page) and the error fragment htmx swaps into
// #results. The message is ours; any user text in it is escaped by html``.
import { html, type SafeHtml } from './html.js';
import { layout, pageTitle } from './layout.js';
import { resultsFragment } from './results.js';
import { searchPage, pageHeader } from './search-page.js';

export interface ErrorView {
  readonly heading: string;
  readonly message: string;
  /** The query to put back in the search box, so the user can fix it. */
  readonly q: string;
  /** The search box's limit. */
  readonly maxQueryLength: number;
}

/** A bad search: the search page itself with the message where the results would be. */
export function searchErrorPage({ message, q, maxQueryLength }: ErrorView): SafeHtml {
  return searchPage({ kind: 'error', q, message }, maxQueryLength);
}

export function searchErrorFragment({ message, q }: ErrorView): SafeHtml {
  return resultsFragment({ kind: 'error', q, message });
}

/** Any other page that cannot be shown (unknown document, unknown address, malformed URL). */
export function errorPage({ heading, message, q, maxQueryLength }: ErrorView): SafeHtml {
  const body = html`${pageHeader({ q, live: false, autofocus: false, maxQueryLength })}
<main id="main" class="error-page">
<h1>${heading}</h1>
<p>${message}</p>
<p><a href="/">回到搜索首页</a></p>
</main>`;
  return layout({ title: pageTitle(heading), body, htmx: false });
}
