// Filters by document: folder (a prefix of the id, whole path segments), file type, title words, year and date.
// They come from the query text (query.ts FilterTerm) and from the JSON endpoint's parameters, as one Filters
// value; against an index they become a mark per document of which filter groups it fails, so that a facet can
// count its documents with every filter but its own (facets.ts) from the same marks, and a paragraph is kept
// when its document's mark is 0 (paragraphDocument: one lookup).
//
// A per-document array, not FlexSearch's tags (docs/design.md): a few comparisons per document per query, exact,
// and nothing more to build, store or load.
import { foldedWords, foldString } from '../../indexer/analyzer/index.js';
import { parseDateText, yearOf } from '../../indexer/corpus/dates.js';
import type { DocumentFormat } from '../../indexer/corpus/index.js';
import type { LoadedIndex } from '../../indexer/index/load.js';
import type { FilterTerm } from './query.js';
import type { FileType, Filters } from './types.js';

export type { Filters } from './types.js';

/** Every format Sou reads: the values of type:. */
export const DOCUMENT_FORMATS: readonly (DocumentFormat & FileType)[] = ['txt', 'md', 'jsonl', 'html', 'pdf', 'docx', 'epub'];

export const NO_FILTERS: Filters = Object.freeze({ folders: [], types: [], titles: [], years: [], after: null, before: null, document: null });

/** A filter value that cannot be read; the message says what was expected. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

export const isFiltered = (f: Filters): boolean =>
  f.folders.length > 0 || f.types.length > 0 || f.titles.length > 0 || f.years.length > 0 || f.after !== null || f.before !== null || f.document !== null;

/** A folder as the filter compares it: no leading, trailing or doubled '/'. */
export const normalizeFolder = (value: string): string => value.split('/').filter((part) => part !== '').join('/');

function formatValue(value: string): FileType {
  const type = value.trim().toLowerCase().replace(/^\./, '');
  const format = DOCUMENT_FORMATS.find((f) => f === type);
  if (format === undefined) throw new FilterError(`type:${value} is not a file type Sou reads (${DOCUMENT_FORMATS.join(', ')})`);
  return format;
}

function yearValue(value: string): number {
  if (!/^\d{4}$/.test(value.trim())) throw new FilterError(`year:${value} is not a year (four digits, such as 2024)`);
  return Number(value.trim());
}

function dateValue(key: 'after' | 'before', value: string): number {
  const date = parseDateText(value);
  if (date === null) throw new FilterError(`${key}:${value} is not a date (2024, 2024-03 or 2024-03-01)`);
  return date;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The filters of `terms` added to `base`: dates narrow (the latest after:, the earliest before:). Throws FilterError. */
export function withFilterTerms(base: Filters, terms: readonly Pick<FilterTerm, 'key' | 'value'>[]): Filters {
  const folders = [...base.folders];
  const types = [...base.types];
  const titles = [...base.titles];
  const years = [...base.years];
  let { after, before } = base;
  for (const { key, value } of terms) {
    switch (key) {
      case 'in': {
        const folder = normalizeFolder(value);
        if (folder === '') throw new FilterError(`in:${value} names no folder`);
        folders.push(folder);
        break;
      }
      case 'type':
        types.push(formatValue(value));
        break;
      case 'title':
        if (foldString(value).trim() === '') throw new FilterError(`title:${value} has no word to look for`);
        titles.push(value);
        break;
      case 'year':
        years.push(yearValue(value));
        break;
      case 'after': {
        const date = dateValue('after', value);
        after = after === null ? date : Math.max(after, date);
        break;
      }
      case 'before': {
        const date = dateValue('before', value);
        before = before === null ? date : Math.min(before, date);
        break;
      }
    }
  }
  return { folders: unique(folders), types: unique(types), titles: unique(titles), years: unique(years), after, before, document: base.document };
}

/** Bits of DocumentMarks.fails: which filter group a document fails. A facet ignores its own group. */
export const FAILS = Object.freeze({ folder: 1, type: 2, year: 4, other: 8 });

/** Per document of an index: the FAILS bits of the filter groups it fails (0: it passes them all). */
export interface DocumentMarks {
  readonly fails: Uint8Array;
}

/** Whether the document id is in the folder (the folder itself, or under it: whole path segments). */
export const inFolder = (id: string, folder: string): boolean => id === folder || (id.startsWith(folder) && id[folder.length] === '/');

/** How a title filter is tested against a folded title: every word of it, or a quoted phrase whole. */
function titleNeedles(title: string): string[] {
  const folded = foldString(title).trim();
  const words = foldedWords(folded);
  return words.length > 0 ? [...new Set(words)] : [folded];
}

/** The folder facet counts folders to this depth: `报告` and `报告/2024`, not deeper. */
export const FOLDER_FACET_DEPTH = 2;

/** The folders a document id sits in, outermost first, at most FOLDER_FACET_DEPTH deep. */
export function foldersOf(id: string): string[] {
  const parts = id.split('/');
  const folders: string[] = [];
  for (let depth = 1; depth < parts.length && depth <= FOLDER_FACET_DEPTH; depth++) {
    if (parts[depth - 1] === '') break; // an id with an empty segment (possible in .jsonl) names no folder there
    folders.push(parts.slice(0, depth).join('/'));
  }
  return folders;
}

/** One facet's values, and each document's (−1: none), made once per index. */
export interface FacetTable {
  readonly names: readonly string[];
  /** `perDocument` entries a document (a folder facet: one per level), in order, −1 after its last. */
  readonly ids: Int32Array;
  readonly perDocument: number;
}

/** The per-document metadata the filters and facets read, made once per index (years from dates). */
export interface DocumentFacts {
  /** The UTC year of each document's date, 0 when undated. */
  readonly years: Uint16Array;
  /** The folders each document's id sits in (foldersOf), for the folder facet, made on first use. */
  folders(d: number): readonly string[];
  /** The facets' values of every document, made on first use: counting them is a lookup and an increment. */
  facetTables(): { readonly folder: FacetTable; readonly type: FacetTable; readonly year: FacetTable };
}

/** A facet table of `perDocument` values of each of `count` documents (fewer: the rest −1). */
function facetTable(count: number, perDocument: number, valuesOf: (d: number) => readonly string[]): FacetTable {
  const names: string[] = [];
  const idOf = new Map<string, number>();
  const ids = new Int32Array(count * perDocument).fill(-1);
  for (let d = 0; d < count; d++) {
    const values = valuesOf(d);
    for (let k = 0; k < Math.min(perDocument, values.length); k++) {
      let id = idOf.get(values[k]!);
      if (id === undefined) idOf.set(values[k]!, (id = names.push(values[k]!) - 1));
      ids[d * perDocument + k] = id;
    }
  }
  return { names, ids, perDocument };
}

const factsOf = new WeakMap<LoadedIndex, DocumentFacts>();

export function documentFacts(index: LoadedIndex): DocumentFacts {
  let facts = factsOf.get(index);
  if (facts === undefined) {
    const years = Uint16Array.from(index.documents, (d) => (d.date === undefined ? 0 : yearOf(d.date)));
    const folders: (readonly string[] | undefined)[] = new Array(index.documents.length);
    const folderOf = (d: number): readonly string[] => (folders[d] ??= foldersOf(index.documents[d]!.id));
    let tables: ReturnType<DocumentFacts['facetTables']> | undefined;
    const count = index.documents.length;
    factsOf.set(
      index,
      (facts = {
        years,
        folders: folderOf,
        facetTables: () =>
          (tables ??= {
            folder: facetTable(count, FOLDER_FACET_DEPTH, folderOf),
            type: facetTable(count, 1, (d) => { const format = index.documents[d]!.format; return format === undefined ? [] : [format]; }),
            year: facetTable(count, 1, (d) => (years[d] === 0 ? [] : [String(years[d])])),
          }),
      }),
    );
  }
  return facts;
}

/** Marks made lately, per index, by filters: paging and facet links ask the same filters again. */
const recentMarks = new WeakMap<LoadedIndex, Map<string, DocumentMarks>>();
const RECENT_MARKS = 16;

/** Which filter groups each document of the index fails (read-only: the same marks may answer again). */
export function markDocuments(index: LoadedIndex, filters: Filters): DocumentMarks {
  let recent = recentMarks.get(index);
  if (recent === undefined) recentMarks.set(index, (recent = new Map()));
  const key = JSON.stringify(filters);
  let marks = recent.get(key);
  if (marks === undefined) {
    marks = markAll(index, filters);
    if (recent.size >= RECENT_MARKS) recent.delete(recent.keys().next().value!);
    recent.set(key, marks);
  }
  return marks;
}

function markAll(index: LoadedIndex, filters: Filters): DocumentMarks {
  const { documents } = index;
  const fails = new Uint8Array(documents.length);
  if (!isFiltered(filters)) return { fails };
  const { years } = documentFacts(index);
  const titleWords = filters.titles.map(titleNeedles);
  const types = new Set<string>(filters.types);
  const yearSet = new Set(filters.years);
  for (let d = 0; d < documents.length; d++) {
    const document = documents[d]!;
    let bits = 0;
    if (filters.folders.length > 0 && !filters.folders.some((folder) => inFolder(document.id, folder))) bits |= FAILS.folder;
    if (types.size > 0 && (document.format === undefined || !types.has(document.format))) bits |= FAILS.type;
    if (yearSet.size > 0 && !yearSet.has(years[d]!)) bits |= FAILS.year;
    if (filters.document !== null && document.id !== filters.document) bits |= FAILS.other;
    if (filters.after !== null && (document.date === undefined || document.date < filters.after)) bits |= FAILS.other;
    if (filters.before !== null && (document.date === undefined || document.date >= filters.before)) bits |= FAILS.other;
    if (titleWords.length > 0) {
      const title = index.foldedTitle(d);
      if (!titleWords.every((words) => words.every((word) => title.includes(word)))) bits |= FAILS.other;
    }
    fails[d] = bits;
  }
  return { fails };
}
