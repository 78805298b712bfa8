// Validation of the search parameters shared by the JSON endpoint and the pages.
import { FilterError, NO_FILTERS, withFilterTerms, type Filters } from './search/filters.js';
import { queryFilters, type FilterKey } from './search/query.js';
import { FACET_NAMES, SORT_ORDERS } from './search/group.js';
import type { FacetName, SearchOptions, SortOrder } from './search/types.js';

export const LIMITS = Object.freeze({ maxQueryLength: 256, defaultLimit: 10, maxLimit: 100, maxOffset: 10_000 });

export interface SearchParams {
  readonly q: string;
  readonly limit: number;
  readonly offset: number;
  /** The filter parameters (in, type, title, year, after, before, doc); the query text's own are the engine's. */
  readonly filters: Filters;
  readonly group?: 'doc';
  readonly sort: SortOrder;
  readonly facets: readonly FacetName[];
}

export class ParamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new ParamError(`bad_${name}`, `${name} must be given once, as a string`);
  return value;
}

function integer(value: string | undefined, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ParamError(`bad_${name}`, `${name} must be an integer from ${min} to ${max}`);
  }
  return Number(value);
}

/** The query text: required, at most maxQueryLength characters; lone surrogates are replaced. */
export function parseQueryText(value: unknown): string {
  const q = single(value, 'q');
  if (q === undefined || q.trim() === '') throw new ParamError('missing_query', 'q is required: the text to search for');
  if (q.length > LIMITS.maxQueryLength) {
    throw new ParamError('query_too_long', `q is ${q.length} characters long; the limit is ${LIMITS.maxQueryLength}`);
  }
  return q.toWellFormed();
}

/** A parameter given once or more (`type=pdf&type=docx`), as a list. */
function many(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  const values = Array.isArray(value) ? value : [value];
  if (!values.every((v): v is string => typeof v === 'string')) throw new ParamError(`bad_${name}`, `${name} must be text`);
  return values.map((v) => v.toWellFormed()).filter((v) => v.trim() !== '');
}

/** The parameters that filter, in the query syntax's keys (docs/contract.md "Filters"). */
const FILTER_PARAMS: readonly FilterKey[] = ['in', 'type', 'title', 'year', 'after', 'before'];

/** Filters from the parameters; a value that is no filter (a bad date, an unknown type) is a 400, `bad_filter`. */
export function parseFilterParams(query: Record<string, unknown>): Filters {
  const terms = FILTER_PARAMS.flatMap((key) => many(query[key], key).map((value) => ({ key, value })));
  const doc = single(query.doc, 'doc');
  if (terms.length === 0 && (doc === undefined || doc === '')) return NO_FILTERS;
  try {
    return withFilterTerms(doc === undefined || doc === '' ? NO_FILTERS : { ...NO_FILTERS, document: doc.toWellFormed() }, terms);
  } catch (error) {
    if (error instanceof FilterError) throw new ParamError('bad_filter', error.message);
    throw error;
  }
}

/** The query text's own filters, checked here so that a bad one is a 400 like a bad parameter. */
function checkQueryFilters(q: string): void {
  try {
    withFilterTerms(NO_FILTERS, queryFilters(q));
  } catch (error) {
    if (error instanceof FilterError) throw new ParamError('bad_filter', error.message);
    throw error;
  }
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new ParamError(`bad_${name}`, `${name} must be one of ${allowed.join(', ')}`);
  return found;
}

/** group=doc groups by document; anything else given is an error (group=none: paragraphs, as when absent). */
export function parseGroup(value: unknown): 'doc' | undefined {
  const group = oneOf(single(value, 'group'), 'group', ['doc', 'none'], 'none');
  return group === 'doc' ? 'doc' : undefined;
}

export function parseSort(value: unknown): SortOrder {
  return oneOf(single(value, 'sort'), 'sort', SORT_ORDERS, 'relevance');
}

/** facets=folder,type,year (any of them, comma-separated). */
export function parseFacets(value: unknown): FacetName[] {
  const text = single(value, 'facets');
  if (text === undefined || text.trim() === '') return [];
  const names = text.split(',').map((name) => name.trim());
  return [...new Set(names.map((name) => oneOf(name, 'facets', FACET_NAMES, 'folder')))];
}

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  const q = parseQueryText(query.q);
  checkQueryFilters(q);
  const group = parseGroup(query.group);
  return {
    q,
    limit: integer(single(query.limit, 'limit'), 'limit', 1, LIMITS.maxLimit, LIMITS.defaultLimit),
    offset: integer(single(query.offset, 'offset'), 'offset', 0, LIMITS.maxOffset, 0),
    filters: parseFilterParams(query),
    ...(group === undefined ? {} : { group }),
    sort: parseSort(query.sort),
    facets: parseFacets(query.facets),
  };
}

/** The engine's options for these parameters: only what differs from a plain search (its cache key stays short). */
export function searchOptions({ limit, offset, filters, group, sort, facets }: Omit<SearchParams, 'q'>): SearchOptions {
  return {
    limit,
    offset,
    ...(filters === NO_FILTERS ? {} : { filters }),
    ...(group === undefined ? {} : { group }),
    ...(sort === 'relevance' ? {} : { sort }),
    ...(facets.length === 0 ? {} : { facets }),
  };
}
