// The results: what #results holds (hits, states, pager) and what the #summary live region says. The full page
// places both; the htmx fragment sends #results' content and updates #summary with an <hx-partial>.
import type { SearchHit, SearchResponse } from '../server/search/types.js';
import { count, millis } from './format.js';
import { html, type SafeHtml } from './html.js';
import { pageTitle } from './layout.js';
import { locationLabel } from './location.js';
import { correctedNotice, pinyinNotice, suggestionNotice } from './query-help.js';
import { snippetMarkup } from './snippet.js';
import { docUrl, PAGE_SIZE, searchUrl } from './urls.js';

export interface IndexStats {
  readonly documents: number;
  readonly paragraphs: number;
}

export type ResultsState =
  | { readonly kind: 'empty'; readonly stats: IndexStats }
  /** `hasNext`: whether a next page may be asked for (the HTTP layer knows how far offsets go). */
  /** `corrected`: when the query found nothing, the results of its suggested correction (query-help.ts). */
  | { readonly kind: 'results'; readonly q: string; readonly response: SearchResponse; readonly hasNext: boolean; readonly corrected?: CorrectedResults }
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
  const { total, relaxed, tookMs } = state.response;
  if (total === 0) return `没有找到结果，用时 ${millis(tookMs)}`;
  // The relaxed notice in #results says why; the summary stays one short line.
  if (relaxed) return `找到 ${count(total)} 个相近的段落，用时 ${millis(tookMs)}`;
  return `找到 ${count(total)} 个段落，用时 ${millis(tookMs)}`;
}

const SYNTAX_TIPS = html`<ul class="tips">
<li>多个词用空格分开，每个词都要出现：<kbd>支付宝 系统</kbd></li>
<li>引号内是完整短语：<kbd>"双11 洪峰"</kbd></li>
<li><kbd>-词</kbd> 排除，<kbd>A OR B</kbd> 任一即可；简繁体、全半角、大小写都一样。</li>
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

function pagerLink(q: string, offset: number, rel: 'prev' | 'next', label: string): SafeHtml {
  const url = searchUrl(q, offset);
  // Each link carries its own hx-* attributes: htmx 4 does not inherit them from a parent.
  return html`<a class="pager-${rel}" rel="${rel}" href="${url}" hx-get="${url}" hx-target="#results" hx-swap="innerHTML show:top" hx-push-url="true" hx-sync="#search-form:replace" hx-indicator="#search-form">${label}</a>`;
}

function pager(q: string, { total, offset }: SearchResponse, hasNext: boolean): SafeHtml {
  const pages = Math.ceil(total / PAGE_SIZE);
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const hasPrev = offset > 0;
  const nextOffset = offset + PAGE_SIZE;
  if (!hasPrev && !hasNext) return html``;
  return html`<nav class="pager" aria-label="翻页">
${hasPrev ? pagerLink(q, Math.max(0, offset - PAGE_SIZE), 'prev', '← 上一页') : html`<span class="pager-prev" aria-hidden="true"></span>`}
<span class="pager-status">第 ${count(page)} / ${count(pages)} 页</span>
${hasNext ? pagerLink(q, nextOffset, 'next', '下一页 →') : html`<span class="pager-next" aria-hidden="true"></span>`}
</nav>`;
}

function resultList(q: string, response: SearchResponse, hasNext: boolean, corrected?: CorrectedResults): SafeHtml {
  const { hits, relaxed, total, offset } = response;
  if (total === 0 && corrected !== undefined && corrected.response.total > 0) {
    return html`${correctedNotice(response, corrected.q)}${resultList(corrected.q, corrected.response, corrected.hasNext)}`;
  }
  if (total === 0) return html`${pinyinNotice(response)}${noResults(q)}`;
  const notice = html`${pinyinNotice(response)}${suggestionNotice(response)}${relaxed ? html`<p class="notice notice-relaxed">没有哪个段落包含所有的词；下面是最接近的结果。</p>` : ''}`;
  if (hits.length === 0) {
    return html`${notice}<div class="state state-past-end"><p>这一页没有结果了。<a href="${searchUrl(q)}">回到第一页</a></p></div>`;
  }
  return html`${notice}<ol class="hits" start="${offset + 1}">
${hits.map((hit) => hitItem(hit, q))}
</ol>
${pager(q, response, hasNext)}`;
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
      return resultList(state.q, state.response, state.hasNext, state.corrected);
  }
}

/** What htmx swaps into #results: the body, the new <title> and the #summary update. */
export function resultsFragment(state: ResultsState): SafeHtml {
  return html`<title>${stateTitle(state)}</title>
<hx-partial hx-target="#summary" hx-swap="innerHTML">${summaryText(state)}</hx-partial>
${resultsBody(state)}`;
}
