// A facet value's link on the results page: the query text with its filter added (`in:报告`) or, when chosen,
// taken out again. Filters live in the query text on the pages, so the search box always shows what is applied.
import { normalizeFolder } from './search/filters.js';
import { parseQuery, type FilterKey } from './search/query.js';
import type { FacetName, Facets } from './search/types.js';
import type { FacetBlock } from '../views/facets.js';

const KEY_OF: Record<FacetName, FilterKey> = { folder: 'in', type: 'type', year: 'year' };

/** The value as the query syntax writes it: quoted when it has a space or a quote mark. */
const written = (value: string): string => (/[\s"“”「」『』＂]/u.test(value) ? `"${value.replaceAll('"', '')}"` : value);

const sameValue = (key: FilterKey, a: string, b: string): boolean =>
  key === 'in' ? normalizeFolder(a) === normalizeFolder(b) : a.trim().toLowerCase() === b.trim().toLowerCase();

/** `q` with every `key:value` filter of this value taken out, or with it added at the end. */
export function toggleFilter(q: string, key: FilterKey, value: string, selected: boolean): string {
  if (!selected) return `${q.trimEnd()} ${key}:${written(value)}`;
  const spans = parseQuery(q)
    .filters.filter((filter) => filter.key === key && sameValue(key, filter.value, value))
    .map((filter) => filter.span);
  let out = q;
  for (const [start, end] of [...spans].reverse()) out = `${out.slice(0, start).trimEnd()} ${out.slice(end).trimStart()}`;
  return out.trim();
}

/** The page's facet blocks: each value with its count and the query its link asks. */
export function facetBlocks(q: string, facets: Facets | undefined): FacetBlock[] {
  if (facets === undefined) return [];
  return (['folder', 'type', 'year'] as const).map((name) => ({
    name,
    links: (facets[name] ?? []).map(({ value, count, selected }) => ({
      label: name === 'folder' ? value.slice(value.lastIndexOf('/') + 1) : value,
      count,
      selected,
      q: toggleFilter(q, KEY_OF[name], value, selected),
      depth: name === 'folder' ? value.split('/').length - 1 : 0,
    })),
  }));
}
