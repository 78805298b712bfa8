// Validation of the search parameters shared by the JSON endpoint and the pages.

export const LIMITS = Object.freeze({ maxQueryLength: 256, defaultLimit: 10, maxLimit: 100, maxOffset: 10_000 });

export interface SearchParams {
  readonly q: string;
  readonly limit: number;
  readonly offset: number;
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

export function parseSearchParams(query: Record<string, unknown>): SearchParams {
  return {
    q: parseQueryText(query.q),
    limit: integer(single(query.limit, 'limit'), 'limit', 1, LIMITS.maxLimit, LIMITS.defaultLimit),
    offset: integer(single(query.offset, 'offset'), 'offset', 0, LIMITS.maxOffset, 0),
  };
}
