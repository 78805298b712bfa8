// One card per document: its title and place, its best matching paragraphs (the engine's SearchGroup), and
// "N more in this document", a link to the document's other matches that htmx opens in place.
import type { SearchGroup, SearchHit } from '../server/search/types.js';
import { count } from './format.js';
import { html, type SafeHtml } from './html.js';
import { locationLabel } from './location.js';
import { documentMatchesUrl, moreMatchesUrl, type ResultsView } from './result-urls.js';
import { snippetMarkup } from './snippet.js';
import { docUrl } from './urls.js';

/** How many matching paragraphs one "N more" opens; a further link follows when there are more still. */
export const MORE_PAGE = 50;

const TYPE_LABELS: Record<string, string> = { txt: '文本', md: 'Markdown', jsonl: 'JSONL', html: 'HTML', pdf: 'PDF', docx: 'Word', epub: 'EPUB' };

/** A matching paragraph inside a card (or opened under it). */
export function groupHit(hit: SearchHit, q: string): SafeHtml {
  const location = locationLabel(hit.location);
  return html`<li class="group-hit">
<p class="snippet"><a class="snippet-link" href="${docUrl(hit.docId, q, hit.paragraph)}">${snippetMarkup(hit)}</a></p>
<p class="hit-meta">第 ${hit.paragraph + 1} 段${location === null ? '' : html` · <span class="hit-location">${location}</span>`}</p>
</li>`;
}

/** "N more in this document": a page of them without JavaScript, in place with htmx (moreMatches replaces it). */
export function moreLink(view: ResultsView, docId: string, offset: number, remaining: number): SafeHtml {
  const page = documentMatchesUrl(view, docId, offset);
  const fragment = moreMatchesUrl(view, docId, offset);
  return html`<a class="more" href="${page}" hx-get="${fragment}" hx-target="this" hx-swap="outerHTML" hx-indicator="this">这篇文档中还有 ${count(remaining)} 段匹配</a>`;
}

/** What htmx puts in place of a "N more" link: the next matches, and a link for the rest when there are more. */
export function moreMatches(view: ResultsView, hits: readonly SearchHit[], docId: string, offset: number, total: number): SafeHtml {
  const next = offset + hits.length;
  return html`<ol class="group-hits more-hits" start="${offset + 1}">
${hits.map((hit) => groupHit(hit, view.q))}
</ol>
${next < total ? moreLink(view, docId, next, total - next) : ''}`;
}

export function groupCard(group: SearchGroup, view: ResultsView): SafeHtml {
  const best = group.hits[0];
  const type = group.format === null ? null : (TYPE_LABELS[group.format] ?? group.format);
  const shown = group.hits.length;
  return html`<li class="group">
<h2 class="hit-title"><a href="${docUrl(group.docId, view.q, best?.paragraph ?? null)}">${group.title}</a></h2>
<p class="group-meta"><span class="hit-doc">${group.docId}</span>${type === null ? '' : html` · <span class="group-type">${type}</span>`}${group.date === null ? '' : html` · <time datetime="${group.date}">${group.date}</time>`} · <span class="group-total">${count(group.total)} 段匹配</span></p>
<ol class="group-hits">
${group.hits.map((hit) => groupHit(hit, view.q))}
</ol>
${group.total > shown ? moreLink(view, group.docId, shown, group.total - shown) : ''}
</li>`;
}
