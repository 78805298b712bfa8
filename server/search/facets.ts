// Facets: how many matching documents each folder, file type and year has. Disjunctive: a facet counts with
// every filter but its own (filters.ts FAILS), so choosing one folder still shows the other folders' counts.
// Exact: every matching document is counted, from the match's per-document counts (group.ts).
import type { LoadedIndex } from '../../indexer/index/load.js';
import { documentFacts, FAILS, type DocumentMarks, type FacetTable } from './filters.js';

export { FOLDER_FACET_DEPTH, foldersOf } from './filters.js';
import type { FacetName, Facets, FacetValue, Filters } from './types.js';

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function values(counts: Map<string, number>, selected: readonly string[], order: (a: string, b: string) => number): FacetValue[] {
  // A chosen value stays listed at 0, so that it can be taken off again.
  for (const value of selected) if (!counts.has(value)) counts.set(value, 0);
  return [...counts.keys()].sort(order).map((value) => ({ value, count: counts.get(value)!, selected: selected.includes(value) }));
}

/** A facet's counts by value name: the table's values with a count. */
function countsByName(table: FacetTable, counts: Uint32Array): Map<string, number> {
  const byName = new Map<string, number>();
  for (let id = 0; id < counts.length; id++) if (counts[id]! > 0) byName.set(table.names[id]!, counts[id]!);
  return byName;
}

/**
 * The asked facets over the matching documents (`matched`: document positions, each with a match), in one pass
 * over them: each document's values are ids in the index's facet tables (filters.ts documentFacts).
 */
export function countFacets(index: LoadedIndex, marks: DocumentMarks, matched: readonly number[], names: readonly FacetName[], filters: Filters): Facets {
  const asked = new Set(names);
  const tables = documentFacts(index).facetTables();
  const counted = (name: FacetName): Uint32Array | null => (asked.has(name) ? new Uint32Array(tables[name].names.length) : null);
  const folder = counted('folder');
  const type = counted('type');
  const year = counted('year');
  const folderIds = tables.folder.ids;
  const depth = tables.folder.perDocument;
  const { fails } = marks;
  for (let i = 0; i < matched.length; i++) {
    const d = matched[i]!;
    const bits = fails[d]!;
    // Disjunctive: a facet counts a document that fails no filter but its own.
    if (folder !== null && (bits & ~FAILS.folder) === 0) {
      for (let k = 0; k < depth; k++) {
        const id = folderIds[d * depth + k]!;
        if (id < 0) break;
        folder[id]!++;
      }
    }
    if (type !== null && (bits & ~FAILS.type) === 0 && tables.type.ids[d]! >= 0) type[tables.type.ids[d]!]!++;
    if (year !== null && (bits & ~FAILS.year) === 0 && tables.year.ids[d]! >= 0) year[tables.year.ids[d]!]!++;
  }
  const facets: Partial<Record<FacetName, FacetValue[]>> = {};
  for (const name of asked) {
    if (name === 'folder') facets.folder = values(countsByName(tables.folder, folder!), filters.folders, compareText);
    else if (name === 'type') {
      const counts = countsByName(tables.type, type!);
      facets.type = values(counts, filters.types, (a, b) => counts.get(b)! - counts.get(a)! || compareText(a, b));
    } else facets.year = values(countsByName(tables.year, year!), filters.years.map(String), (a, b) => compareText(b, a));
  }
  return facets;
}
