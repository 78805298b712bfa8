// Facets: how many matching documents each folder, file type and year has. Disjunctive: a facet counts with
// every filter but its own (filters.ts FAILS), so choosing one folder still shows the other folders' counts.
// Exact: every matching document is counted, from the match's per-document counts (group.ts).
import type { LoadedIndex } from '../../indexer/index/load.js';
import { documentFacts, FAILS, type DocumentMarks } from './filters.js';

export { FOLDER_FACET_DEPTH, foldersOf } from './filters.js';
import type { FacetName, Facets, FacetValue, Filters } from './types.js';

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function values(counts: Map<string, number>, selected: readonly string[], order: (a: string, b: string) => number): FacetValue[] {
  // A chosen value stays listed at 0, so that it can be taken off again.
  for (const value of selected) if (!counts.has(value)) counts.set(value, 0);
  return [...counts.keys()].sort(order).map((value) => ({ value, count: counts.get(value)!, selected: selected.includes(value) }));
}

/** The asked facets over the matching documents (`matched`: document positions, each with a match). */
export function countFacets(index: LoadedIndex, marks: DocumentMarks, matched: readonly number[], names: readonly FacetName[], filters: Filters): Facets {
  const facets: Partial<Record<FacetName, FacetValue[]>> = {};
  const passesBut = (d: number, own: number): boolean => (marks.fails[d]! & ~own) === 0;
  for (const name of new Set(names)) {
    const counts = new Map<string, number>();
    const add = (value: string): void => {
      counts.set(value, (counts.get(value) ?? 0) + 1);
    };
    if (name === 'folder') {
      const { folders } = documentFacts(index);
      for (const d of matched) if (passesBut(d, FAILS.folder)) folders(d).forEach(add);
      facets.folder = values(counts, filters.folders, compareText);
    } else if (name === 'type') {
      for (const d of matched) {
        const format = index.documents[d]!.format;
        if (format !== undefined && passesBut(d, FAILS.type)) add(format);
      }
      facets.type = values(counts, filters.types, (a, b) => counts.get(b)! - counts.get(a)! || compareText(a, b));
    } else {
      const { years } = documentFacts(index);
      for (const d of matched) if (years[d] !== 0 && passesBut(d, FAILS.year)) add(String(years[d]));
      facets.year = values(counts, filters.years.map(String), (a, b) => compareText(b, a));
    }
  }
  return facets;
}
