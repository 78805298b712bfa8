// Query parameters of the pages, on top of params.ts (shared with the JSON endpoint). Where the API answers a
// missing q with 400, the search page shows its empty state; messages here are for people, in Chinese.
import { LIMITS, ParamError, parseQueryText, parseSearchParams } from './params.js';

export type PageSearch = { readonly kind: 'empty' } | { readonly kind: 'search'; readonly q: string; readonly offset: number };

const isBlank = (q: unknown): boolean => q === undefined || (typeof q === 'string' && q.trim() === '');

/** q and offset of /search; 10 results a page (a `limit` in the URL is not the page's business and is ignored). */
export function readPageSearch(query: Record<string, unknown>): PageSearch {
  if (isBlank(query.q)) return { kind: 'empty' };
  const { q: text, offset } = parseSearchParams({ q: query.q, offset: query.offset });
  return { kind: 'search', q: text, offset };
}

/** The optional q of a document page: absent or blank means nothing to highlight. */
export function readHighlightQuery(query: Record<string, unknown>): string | null {
  return isBlank(query.q) ? null : parseQueryText(query.q);
}

/** The paragraph to single out (?p=n); anything that is not a paragraph of the document is ignored, not an error. */
export function readParagraph(value: unknown, paragraphCount: number): number | null {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n < paragraphCount ? n : null;
}

/** What to show in the search box again after an error: the text as sent, when it was one string. */
export function echoQuery(query: Record<string, unknown>): string {
  return typeof query.q === 'string' ? query.q.toWellFormed() : '';
}

export function friendlyMessage(error: ParamError, query: Record<string, unknown>): string {
  switch (error.code) {
    case 'query_too_long':
      return `搜索词太长了：${echoQuery(query).length} 个字符，最多 ${LIMITS.maxQueryLength} 个。请缩短后再试。`;
    case 'bad_offset':
      return `翻页参数 offset 无效：应是 0 到 ${LIMITS.maxOffset} 之间的整数。`;
    case 'bad_q':
      return '搜索参数 q 只能有一个。';
    case 'bad_filter':
      return `筛选条件无法识别：${error.message}。日期写作 2024、2024-03 或 2024-03-01。`;
    default:
      return `搜索参数有误（${error.code}）。`;
  }
}
