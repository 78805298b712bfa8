// The document page: the whole document, every paragraph anchored #p-<n>, the query's matches marked, and the
// paragraph a result linked to singled out (CSS :target, plus .is-target when ?p=n says which one); a line with the
// location (page, chapter, headings) wherever it changes, and a link to the original file when there is one.
import { count } from './format.js';
import { html, markRanges, type SafeHtml } from './html.js';
import { layout, pageTitle } from './layout.js';
import { pageHeader } from './search-page.js';
import { FORMAT_NAMES, locationLabel } from './location.js';
import { originalUrl, searchUrl } from './urls.js';
import type { HitLocation } from '../server/search/types.js';

export interface DocumentView {
  readonly id: string;
  readonly title: string;
  /** Original paragraph texts with their highlight ranges (UTF-16 offsets, sorted, non-overlapping). */
  readonly paragraphs: readonly {
    readonly text: string;
    readonly ranges: readonly (readonly [number, number])[];
    /** Where it sits in the file; shown where it changes. */
    readonly location?: HitLocation | null;
  }[];
  /** The format of the document's original file when the server can send it (a file of the corpus), else null. */
  readonly original?: string | null;
  readonly q: string | null;
  readonly target: number | null;
  /** The search box's limit. */
  readonly maxQueryLength: number;
}

/** Each paragraph's location line, where it differs from the paragraph before's (null elsewhere). */
function locationChanges(paragraphs: DocumentView['paragraphs']): (string | null)[] {
  let previous: string | null = null;
  return paragraphs.map(({ location }) => {
    const label = locationLabel(location);
    const changed = label !== null && label !== previous;
    previous = label;
    return changed ? label : null;
  });
}

export function documentPage({ id, title, paragraphs, q, target, maxQueryLength, original = null }: DocumentView): SafeHtml {
  const matches = paragraphs.reduce((sum, p) => sum + p.ranges.length, 0);
  const back = q ? html`<p class="back"><a href="${searchUrl(q)}">← 返回“${q}”的搜索结果</a></p>` : '';
  const changes = locationChanges(paragraphs);
  const originalLink = original === null ? '' : html` · <a class="doc-original" href="${originalUrl(id)}">原文件（${FORMAT_NAMES[original] ?? original}）</a>`;
  const matchNote = q ? html` · “${q}”出现 ${count(matches)} 处` : '';
  const body = html`${pageHeader({ q: q ?? '', live: false, autofocus: false, maxQueryLength })}
<main id="main" class="doc">
${back}
<article>
<h1 class="doc-title">${title}</h1>
<p class="doc-meta"><span class="doc-id">${id}</span> · ${count(paragraphs.length)} 段${matchNote}${originalLink}</p>
${paragraphs.map(
  ({ text, ranges }, n) => html`${changes[n] === null ? '' : html`<p class="para-location">${changes[n]}</p>
`}<p id="p-${n}" class="para${n === target ? ' is-target' : ''}">${markRanges(text, ranges)}</p>
`,
)}</article>
</main>`;
  return layout({ title: pageTitle(title), body, htmx: false });
}
