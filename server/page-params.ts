// Query parameters of the pages, on top of params.ts (shared with the JSON endpoint). Where the API answers a
// missing q with 400, the search page shows its empty state; messages here are for people, in Chinese.
import { LIMITS, ParamError, parseGroup, parseQueryText, parseSearchParams, parseSort } from './params.js';
import type { SortOrder } from './search/types.js';

export type PageSearch =
  | { readonly kind: 'empty' }
  | {
      readonly kind: 'search';
      readonly q: string;
      readonly offset: number;
      readonly sort: SortOrder;
      /** Cards of documents unless `group=none`. */
      readonly grouped: boolean;
      /** One document's matches (`doc=`). */
      readonly doc: string | null;
    };

const isBlank = (q: unknown): boolean => q === undefined || (typeof q === 'string' && q.trim() === '');

/**
 * q, offset, sort, group and doc of /search; 10 results a page (a `limit` in the URL is not the page's business
 * and is ignored). Filters are written in q (its facet links add and remove them there).
 */
export function readPageSearch(query: Record<string, unknown>): PageSearch {
  if (isBlank(query.q)) return { kind: 'empty' };
  const { q: text, offset, filters } = parseSearchParams({ q: query.q, offset: query.offset, doc: query.doc });
  // The page groups unless told not to: group=none (group=doc, the API's word, is the default here).
  const grouped = parseGroup(query.group ?? 'doc') === 'doc';
  return { kind: 'search', q: text, offset, sort: parseSort(query.sort), grouped, doc: filters.document };
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
    case 'bad_sort':
      return '排序参数 sort 无效：可选 relevance、newest、oldest、document。';
    case 'bad_group':
      return '分组参数 group 无效：可选 doc 或 none。';
    case 'bad_filter':
      return `筛选条件无法识别：${error.message}。日期写作 2024、2024-03 或 2024-03-01。`;
    default:
      return `搜索参数有误（${error.code}）。`;
  }
}
