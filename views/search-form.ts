// The search box: a plain GET form that works without JavaScript, with htmx attributes on top when `live`.
//
// htmx 4 (see node_modules/htmx.org/dist/skills/htmx-guidance.md):
// - hx-get on the <form> itself: for GET, htmx sends the form's own fields only when the form is the source.
// - hx-trigger: `submit` (Enter) fires at once; `sou:search` is our own event, sent by app.js on input and on
//   compositionend but never mid-composition (an IME's half-typed pinyin is in the input's value); app.js also
//   drops a search for the query already shown. `delay:250ms` debounces; a submit cancels a pending delay.
//   No `[filter]` expressions: htmx evaluates those with Function(), which the CSP forbids.
// - hx-sync="replace": a new search aborts the one in flight, so a stale response never overwrites a newer one.
//   Pager links sync on this form too (`#search-form:replace`).
// - hx-target="#results" makes htmx send `HX-Request-Type: partial`; the server answers with the fragment.
// - hx-push-url="true" pushes /search?q=… so reload, back and shared links show the same results.
import { html, type SafeHtml } from './html.js';
import { SUGGESTIONS_ID, suggestionsListbox } from './suggestions.js';

export interface SearchFormOptions {
  readonly q: string;
  /** Search as you type (htmx). The document page has a plain form that opens the results page. */
  readonly live: boolean;
  readonly autofocus: boolean;
  /** The longest query the server takes (the HTTP layer's limit). */
  readonly maxQueryLength: number;
}

const LIVE_ATTRIBUTES = html` hx-get="/search" hx-trigger="submit, sou:search delay:250ms" hx-target="#results" hx-swap="innerHTML" hx-sync="replace" hx-push-url="true"`;

// The box is an ARIA combobox over #suggestions: it asks GET /suggest for the options on `sou:suggest`, an event
// suggest.js sends as the visitor types, never while an input method composes. The input is the source, so htmx
// sends its own name and value. hx-sync on the box: a newer keystroke's request replaces one in flight.
const SUGGEST_ATTRIBUTES = html` role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${SUGGESTIONS_ID} results" hx-get="/suggest" hx-trigger="sou:suggest delay:120ms" hx-target="#${SUGGESTIONS_ID}" hx-swap="innerHTML" hx-sync="replace"`;

export function searchForm({ q, live, autofocus, maxQueryLength }: SearchFormOptions): SafeHtml {
  return html`<form id="search-form" class="search" role="search" action="/search" method="get"${live ? LIVE_ATTRIBUTES : ''}>
<label class="search-label" for="q">搜索文档</label>
<div class="search-row">
<input id="q" name="q" type="search" value="${q}" maxlength="${maxQueryLength}" placeholder="输入要找的词，按 / 聚焦" autocomplete="off" autocapitalize="off" spellcheck="false" enterkeyhint="search"${live ? SUGGEST_ATTRIBUTES : ''}${autofocus ? html` autofocus` : ''}>
<button type="submit">搜索</button>
</div>
${live ? suggestionsListbox() : ''}
${live ? html`<span class="searching htmx-indicator" aria-hidden="true">搜索中…</span>` : ''}
</form>`;
}
