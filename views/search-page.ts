// The search page (GET / and GET /search without htmx): the form, the live summary and the results, all server
// rendered so the page works without JavaScript.
import { utcMinute } from './format.js';
import { html, type SafeHtml } from './html.js';
import { layout } from './layout.js';
import { resultsBody, stateTitle, summaryText, type ResultsState } from './results.js';
import { searchForm, type SearchFormOptions } from './search-form.js';

/** The header with the brand and the search box, shared by the search and document pages. */
export function pageHeader(form: SearchFormOptions): SafeHtml {
  return html`<header class="top">
<a class="brand" href="/" aria-label="搜 Sou 首页"><span class="brand-mark" aria-hidden="true">搜</span><span class="brand-name">Sou</span></a>
${searchForm(form)}
</header>`;
}

/** The footer line saying when the index served was last updated (its manifest's build time). */
function indexTimeFooter(builtAt: string): SafeHtml {
  return html`<footer class="index-time"><p>索引更新于 <time datetime="${builtAt}">${utcMinute(builtAt)}</time></p></footer>`;
}

/** `maxQueryLength`: the search box's limit; `indexBuiltAt`: when the index was last updated (no footer without it). */
export function searchPage(state: ResultsState, maxQueryLength: number, indexBuiltAt?: string): SafeHtml {
  const q = state.kind === 'empty' ? '' : state.q;
  // #summary lives outside #results so screen readers announce its changes (a replaced live region is not read).
  // #results takes focus (tabindex=-1) after a pager link that was inside it is swapped away.
  const body = html`${pageHeader({ q, live: true, autofocus: state.kind === 'empty', maxQueryLength })}
<main id="main">
<h1 class="vh">搜索</h1>
<p id="summary" class="summary" aria-live="polite" aria-atomic="true">${summaryText(state)}</p>
<div id="results" class="results" tabindex="-1">
${resultsBody(state)}
</div>
</main>
${indexBuiltAt === undefined ? '' : indexTimeFooter(indexBuiltAt)}`;
  return layout({ title: stateTitle(state), body, htmx: true });
}
