// The document page: the whole document, every paragraph anchored #p-<n>, the query's matches marked, and the
// paragraph a result linked to singled out (CSS :target, plus .is-target when ?p=n says which one).
import { count } from './format.js';
import { html, markRanges, type SafeHtml } from './html.js';
import { layout, pageTitle } from './layout.js';
import { pageHeader } from './search-page.js';
import { searchUrl } from './urls.js';

export interface DocumentView {
  readonly id: string;
  readonly title: string;
  /** Original paragraph texts with their highlight ranges (UTF-16 offsets, sorted, non-overlapping). */
  readonly paragraphs: readonly { readonly text: string; readonly ranges: readonly (readonly [number, number])[] }[];
  readonly q: string | null;
  readonly target: number | null;
  /** The search box's limit. */
  readonly maxQueryLength: number;
}

export function documentPage({ id, title, paragraphs, q, target, maxQueryLength }: DocumentView): SafeHtml {
  const matches = paragraphs.reduce((sum, p) => sum + p.ranges.length, 0);
  const back = q ? html`<p class="back"><a href="${searchUrl(q)}">← 返回“${q}”的搜索结果</a></p>` : '';
  const matchNote = q ? html` · “${q}”出现 ${count(matches)} 处` : '';
  const body = html`${pageHeader({ q: q ?? '', live: false, autofocus: false, maxQueryLength })}
<main id="main" class="doc">
${back}
<article>
<h1 class="doc-title">${title}</h1>
<p class="doc-meta"><span class="doc-id">${id}</span> · ${count(paragraphs.length)} 段${matchNote}</p>
${paragraphs.map(
  ({ text, ranges }, n) => html`<p id="p-${n}" class="para${n === target ? ' is-target' : ''}">${markRanges(text, ranges)}</p>
`,
)}</article>
</main>`;
  return layout({ title: pageTitle(title), body, htmx: false });
}
