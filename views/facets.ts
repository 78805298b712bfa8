// The facets beside the results: counts of matching documents by folder, file type and year, each a link that
// adds its filter to the query or takes it out. A <details> block: open as a sidebar on a wide screen (app.css),
// collapsible above the results on a phone. The HTTP layer works out each link's query text (server/facet-links.ts).
import { count } from './format.js';
import { html, type SafeHtml } from './html.js';
import { resultsUrl, type ResultsView } from './result-urls.js';

export interface FacetLink {
  readonly label: string;
  readonly count: number;
  readonly selected: boolean;
  /** The query text with this filter added, or taken out when selected. */
  readonly q: string;
  /** Nesting depth (a subfolder is 1). */
  readonly depth: number;
}

export interface FacetBlock {
  readonly name: 'folder' | 'type' | 'year';
  readonly links: readonly FacetLink[];
}

const HEADINGS = { folder: '文件夹', type: '文件类型', year: '年份' } as const;

function facetLink(view: ResultsView, link: FacetLink): SafeHtml {
  const url = resultsUrl({ ...view, q: link.q, doc: null });
  const label = link.selected ? `取消筛选：${link.label}` : `只看：${link.label}`;
  return html`<li class="facet-value depth-${link.depth}${link.selected ? ' is-selected' : ''}"><a href="${url}" hx-get="${url}" hx-target="#results" hx-swap="innerHTML" hx-push-url="true" hx-sync="#search-form:replace" hx-indicator="#search-form" aria-label="${label}（${count(link.count)} 篇）"${link.selected ? html` aria-current="true"` : ''}><span class="facet-label">${link.label}</span> <span class="facet-count">${count(link.count)}</span></a></li>`;
}

export function facetsBlock(view: ResultsView, blocks: readonly FacetBlock[]): SafeHtml {
  const shown = blocks.filter((block) => block.links.length > 0);
  if (shown.length === 0) return html``;
  const chosen = shown.reduce((sum, block) => sum + block.links.filter((link) => link.selected).length, 0);
  return html`<details class="facets">
<summary>筛选${chosen > 0 ? html`（已选 ${count(chosen)} 项）` : ''}</summary>
${shown.map(
  (block) => html`<section class="facet facet-${block.name}" aria-label="${HEADINGS[block.name]}">
<h2 class="facet-heading">${HEADINGS[block.name]}</h2>
<ul class="facet-values">
${block.links.map((link) => facetLink(view, link))}
</ul>
</section>`,
)}
</details>`;
}
