// The search box's suggestions: the options of its listbox (the ARIA combobox pattern; views/static/suggest.js
// moves the active option and picks one). Each option says what it searches and how many paragraphs it finds.
import { count } from './format.js';
import { html, type SafeHtml } from './html.js';

export interface SuggestionItem {
  readonly text: string;
  readonly count: number;
}

/** The listbox's id; the box's aria-controls names it. */
export const SUGGESTIONS_ID = 'suggestions';

/** The options, ids suggestion-0 … (the box's aria-activedescendant points at one). */
export function suggestionOptions(items: readonly SuggestionItem[]): SafeHtml {
  return html`${items.map(
    (item, i) =>
      html`<li id="suggestion-${i}" class="suggestion" role="option" aria-selected="false" data-value="${item.text}"><span class="suggestion-text">${item.text}</span><span class="suggestion-count">${count(item.count)} 段</span></li>`,
  )}`;
}

/** The empty listbox under the box, filled by htmx as the visitor types; hidden while it has no option. */
export function suggestionsListbox(): SafeHtml {
  return html`<ul id="${SUGGESTIONS_ID}" class="suggestions" role="listbox" aria-label="搜索建议" hidden></ul>`;
}
