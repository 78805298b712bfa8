// The results: what #results holds (hits, states, pager) and what the #summary live region says. The full page
// places both; the htmx fragment sends #results' content and updates #summary with an <hx-partial>.
import type { SearchHit, SearchResponse, SortOrder } from '../server/search/types.js';
import { facetsBlock, type FacetBlock } from './facets.js';
import { count, millis } from './format.js';
import { groupCard } from './groups.js';
import { html, type SafeHtml } from './html.js';
import { pageTitle } from './layout.js';
import { locationLabel } from './location.js';
import { correctedNotice, pinyinNotice, suggestionNotice } from './query-help.js';
import { snippetMarkup } from './snippet.js';
import { resultsUrl, type ResultsView } from './result-urls.js';
import { docUrl, PAGE_SIZE, searchUrl } from './urls.js';

export interface IndexStats {
  readonly documents: number;
  readonly paragraphs: number;
}

export type ResultsState =
  | { readonly kind: 'empty'; readonly stats: IndexStats }
  /**
   * `hasNext`: whether a next page may be asked for (the HTTP layer knows how far offsets go); `view`: the sort,
   * grouping or document shown; `facets`: the blocks beside the results; `docTitle`: the title of `view.doc`;
   * `corrected`: when the query found nothing, the results of its suggested correction (query-help.ts).
   */
  | {
      readonly kind: 'results';
      readonly q: string;
      readonly response: SearchResponse;
      readonly hasNext: boolean;
      readonly view: ResultsView;
      readonly facets: readonly FacetBlock[];
      readonly docTitle: string | null;
      readonly corrected?: CorrectedResults;
    }
  | { readonly kind: 'error'; readonly q: string; readonly message: string };

export interface CorrectedResults {
  readonly q: string;
  readonly response: SearchResponse;
  readonly hasNext: boolean;
}

export function stateTitle(state: ResultsState): string {
  if (state.kind === 'empty') return pageTitle(null);
  return pageTitle(state.kind === 'error' ? '无法搜索' : state.q);
}

/** One sentence for the aria-live region: how many matches and how long it took. */
export function summaryText(state: ResultsState): string {
  if (state.kind !== 'results') return '';
  const { total, relaxed, tookMs, documents, groups } = state.response;
  if (total === 0) return `没有找到结果，用时 ${millis(tookMs)}`;
  if (groups !== undefined && documents !== undefined) {
    return `找到 ${count(documents)} 篇文档中 ${count(total)} 个${relaxed ? '相近的' : '匹配的'}段落，用时 ${millis(tookMs)}`;
  }
  // The relaxed notice in #results says why; the summary stays one short line.
  if (relaxed) return `找到 ${count(total)} 个相近的段落，用时 ${millis(tookMs)}`;
  return `找到 ${count(total)} 个段落，用时 ${millis(tookMs)}`;
}

const SYNTAX_TIPS = html`<ul class="tips">
<li>多个词用空格分开，每个词都要出现：<kbd>支付宝 系统</kbd></li>
<li>引号内是完整短语：<kbd>"双11 洪峰"</kbd></li>
<li><kbd>-词</kbd> 排除，<kbd>A OR B</kbd> 任一即可；简繁体、全半角、大小写都一样。</li>
<li>筛选：<kbd>in:报告/2024</kbd> 文件夹，<kbd>type:pdf</kbd> 文件类型，<kbd>title:年度</kbd> 标题，<kbd>year:2024</kbd>、<kbd>after:2024-01-01</kbd>、<kbd>before:2025</kbd> 日期；含空格的值加引号：<kbd>in:"年度 报告"</kbd></li>
</ul>`;

function emptyState(stats: IndexStats): SafeHtml {
  return html`<div class="state state-empty">
<p>输入关键词开始搜索。已收录 ${count(stats.documents)} 篇文档、${count(stats.paragraphs)} 个段落。</p>
${SYNTAX_TIPS}
</div>`;
}

function noResults(q: string): SafeHtml {
  return html`<div class="state state-none">
<p>没有找到包含“<strong>${q}</strong>”的段落。</p>
<p>试试更短的词，或者去掉一些词。</p>
${SYNTAX_TIPS}
</div>`;
}

function hitItem(hit: SearchHit, q: string): SafeHtml {
  const location = locationLabel(hit.location);
  return html`<li class="hit">
<h2 class="hit-title"><a href="${docUrl(hit.docId, q, hit.paragraph)}">${hit.title}</a></h2>
<p class="snippet">${snippetMarkup(hit)}</p>
<p class="hit-meta"><span class="hit-doc">${hit.docId}</span> · 第 ${hit.paragraph + 1} 段${location === null ? '' : html` · <span class="hit-location">${location}</span>`}</p>
</li>`;
}

/** A link that replaces the results (pager, sort, grouping): a page without JavaScript, #results with htmx. */
function resultsLink(url: string, attributes: SafeHtml, label: string): SafeHtml {
  return html`<a ${attributes} href="${url}" hx-get="${url}" hx-target="#results" hx-swap="innerHTML show:top" hx-push-url="true" hx-sync="#search-form:replace" hx-indicator="#search-form">${label}</a>`;
}

function pagerLink(view: ResultsView, offset: number, rel: 'prev' | 'next', label: string): SafeHtml {
  const url = resultsUrl(view, offset);
  // Each link carries its own hx-* attributes: htmx 4 does not inherit them from a parent.
  return html`<a class="pager-${rel}" rel="${rel}" href="${url}" hx-get="${url}" hx-target="#results" hx-swap="innerHTML show:top" hx-push-url="true" hx-sync="#search-form:replace" hx-indicator="#search-form">${label}</a>`;
}

function pager(view: ResultsView, { total, offset, documents, groups }: SearchResponse, hasNext: boolean): SafeHtml {
  // A grouped answer pages over documents.
  const pages = Math.ceil((groups === undefined ? total : (documents ?? total)) / PAGE_SIZE);
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const hasPrev = offset > 0;
  const nextOffset = offset + PAGE_SIZE;
  if (!hasPrev && !hasNext) return html``;
  return html`<nav class="pager" aria-label="翻页">
${hasPrev ? pagerLink(view, Math.max(0, offset - PAGE_SIZE), 'prev', '← 上一页') : html`<span class="pager-prev" aria-hidden="true"></span>`}
<span class="pager-status">第 ${count(page)} / ${count(pages)} 页</span>
${hasNext ? pagerLink(view, nextOffset, 'next', '下一页 →') : html`<span class="pager-next" aria-hidden="true"></span>`}
</nav>`;
}

const SORT_LABELS: Record<SortOrder, string> = { relevance: '相关度', newest: '最新', oldest: '最早', document: '文档顺序' };

/** The sorts and the grouping, each a link (the current one marked, not linked). */
function viewBar(view: ResultsView): SafeHtml {
  const option = (label: string, chosen: boolean, url: string): SafeHtml =>
    chosen ? html`<span class="view-option is-current" aria-current="true">${label}</span>` : resultsLink(url, html`class="view-option"`, label);
  const sorts = (Object.keys(SORT_LABELS) as SortOrder[]).map((sort) => option(SORT_LABELS[sort], view.sort === sort, resultsUrl({ ...view, sort })));
  const grouping =
    view.doc === null
      ? html`<span class="view-group" role="group" aria-label="结果">${option('按文档', view.grouped, resultsUrl({ ...view, grouped: true }))}${option('按段落', !view.grouped, resultsUrl({ ...view, grouped: false }))}</span>`
      : '';
  return html`<nav class="view-bar" aria-label="排序与分组"><span class="view-sorts" role="group" aria-label="排序">排序：${sorts}</span>${grouping}</nav>`;
}

function resultList(state: Extract<ResultsState, { kind: 'results' }>): SafeHtml {
  const { q, response, hasNext, view, docTitle, corrected } = state;
  const { hits, relaxed, total, offset, groups } = response;
  if (total === 0 && corrected !== undefined && corrected.response.total > 0) {
    const { q: correctedQ, response: correctedResponse, hasNext: correctedHasNext } = corrected;
    const correctedState = { ...state, q: correctedQ, response: correctedResponse, hasNext: correctedHasNext, view: { ...view, q: correctedQ } };
    return html`${correctedNotice(response, correctedQ)}${resultList({ ...correctedState, corrected: undefined })}`;
  }
  if (total === 0) return html`${pinyinNotice(response)}${noResults(q)}`;
  const notice = html`${pinyinNotice(response)}${suggestionNotice(response)}${relaxed ? html`<p class="notice notice-relaxed">没有哪个段落包含所有的词；下面是最接近的结果。</p>` : ''}`;
  const shown = groups ?? hits;
  if (shown.length === 0) {
    return html`${notice}<div class="state state-past-end"><p>这一页没有结果了。<a href="${resultsUrl(view)}">回到第一页</a></p></div>`;
  }
  const heading =
    view.doc === null
      ? ''
      : html`<p class="doc-matches">《${docTitle ?? view.doc}》中的 ${count(total)} 段匹配 · ${resultsLink(resultsUrl({ ...view, doc: null }), html`class="back"`, '← 所有文档')}</p>`;
  const list =
    groups === undefined
      ? html`<ol class="hits" start="${offset + 1}">
${hits.map((hit) => hitItem(hit, q))}
</ol>`
      : html`<ol class="groups" start="${offset + 1}">
${groups.map((group) => groupCard(group, view))}
</ol>`;
  return html`${notice}${viewBar(view)}${heading}${list}
${pager(view, response, hasNext)}`;
}

function errorState(message: string): SafeHtml {
  return html`<div class="state state-error" role="alert"><p>${message}</p></div>`;
}

/** The content of #results. */
export function resultsBody(state: ResultsState): SafeHtml {
  switch (state.kind) {
    case 'empty':
      return emptyState(state.stats);
    case 'error':
      return errorState(state.message);
    case 'results':
      // data-q: the query these results are of, which app.js puts in the box after a facet link's swap.
      return html`<div class="results-layout" data-q="${state.q}">
${facetsBlock(state.view, state.facets)}
<div class="results-main">
${resultList(state)}
</div>
</div>`;
  }
}

/** What htmx swaps into #results: the body, the new <title> and the #summary update. */
export function resultsFragment(state: ResultsState): SafeHtml {
  return html`<title>${stateTitle(state)}</title>
<hx-partial hx-target="#summary" hx-swap="innerHTML">${summaryText(state)}</hx-partial>
${resultsBody(state)}`;
}
