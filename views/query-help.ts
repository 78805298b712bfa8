// The lines above the results that say how the query was read: its pinyin runs and the words they were
// searched as ("按拼音 zhifubao 搜索：支付宝"), "did you mean" with a link, and, when the query found nothing, the
// line over the corrected query's results with a link to search the original exactly (as a quoted phrase, which
// is never read as pinyin nor corrected).
import type { SearchResponse } from '../server/search/types.js';
import { count } from './format.js';
import { html, type SafeHtml } from './html.js';
import { searchUrl } from './urls.js';

/** A link that searches `q` in #results (with htmx) or as a page (without). */
function searchLink(q: string, label: string | SafeHtml): SafeHtml {
  const url = searchUrl(q);
  // Each link carries its own hx-* attributes: htmx 4 does not inherit them from a parent.
  return html`<a href="${url}" hx-get="${url}" hx-target="#results" hx-swap="innerHTML show:top" hx-push-url="true" hx-sync="#search-form:replace">${label}</a>`;
}

/** The query with one stretch typed as given put in quotes: searched exactly as typed. */
const exactly = (query: string, typed: string): string => {
  const at = query.indexOf(typed);
  return at < 0 ? `"${typed}"` : `${query.slice(0, at)}"${typed}"${query.slice(at + typed.length)}`;
};

/** "按拼音 zhifubao 搜索：支付宝", per run, with the other readings and a link to search the letters as typed. */
export function pinyinNotice(response: SearchResponse): SafeHtml {
  const { rewrite, query } = response;
  // In the first seconds after a start the vocabulary is still being built: letters were searched as typed.
  if (!response.vocabularyReady && /[a-z]/i.test(query)) return html`<p class="notice notice-pinyin">拼音词表还在准备，这次按字母原样搜索；稍后再搜即可按拼音查找。</p>`;
  if (rewrite === null) return html``;
  return html`${rewrite.runs.map(
    (run) => html`<p class="notice notice-pinyin">按拼音 <kbd>${run.typed}</kbd> 搜索：<strong>${run.word}</strong>${
      run.others.length === 0 ? '' : html`。也可以搜：${run.others.map((word, i) => html`${i > 0 ? '、' : ''}${searchLink(query.replace(run.typed, word), word)}`)}`
    }。${searchLink(exactly(query, run.typed), html`按原样搜索“${run.typed}”`)}</p>`,
  )}`;
}

/** "你是不是要找：支付宝", when the query found something but the correction finds far more. */
export function suggestionNotice(response: SearchResponse): SafeHtml {
  const { suggestion } = response;
  if (suggestion === null || response.total === 0) return html``;
  return html`<p class="notice notice-suggestion">你是不是要找：${searchLink(suggestion.q, html`<strong>${suggestion.q}</strong>`)}（${count(suggestion.total)} 个段落）</p>`;
}

/** Over the corrected query's results, when the query itself found nothing. */
export function correctedNotice(response: SearchResponse, correctedQuery: string): SafeHtml {
  const replaced = response.suggestion?.replaced ?? response.query;
  return html`<p class="notice notice-corrected">没有找到“<kbd>${response.query}</kbd>”，下面是“<strong>${correctedQuery}</strong>”的结果。${searchLink(
    exactly(response.query, replaced),
    html`仍然搜索“${response.query}”`,
  )}</p>`;
}
