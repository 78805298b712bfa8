// The latest answers of one loaded index, kept for queries asked again (a popular search, a page reloaded, the
// next page of the same results): those skip matching, ranking and snippets, and an answer asked for as JSON is
// serialized once. Like Solr's query result cache it belongs to one loaded index: the index holder makes a new,
// empty one with each searcher it loads.
import type { Vocabulary } from '../indexer/index/vocabulary.js';
import { answerJson, answerText, beforeTook, type AnswerJson } from './answer-json.js';
import type { Searcher } from './search/engine.js';
import type { SearchOptions, SearchResponse } from './search/types.js';

/** A bounded least-recently-used map. */
export interface ResultCache<V> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  readonly size: number;
}

/** A cache of at most `capacity` entries (0: caches nothing). */
export function createResultCache<V>(capacity: number): ResultCache<V> {
  if (!Number.isSafeInteger(capacity) || capacity < 0) throw new Error(`sou: a result cache holds a whole number of entries ≥ 0, not ${capacity}`);
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, V>();
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      if (capacity === 0) return;
      entries.delete(key);
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
}

/** A searcher's answers through the cache; a cached answer's tookMs is the time of its lookup. */
export interface CachedSearcher {
  search(query: string, options: SearchOptions): Promise<SearchResponse>;
  /** The answer as the JSON text GET /api/search sends. */
  searchJson(query: string, options: SearchOptions): Promise<string>;
  /** Answers held now. */
  readonly size: number;
}

/**
 * A cached answer; its JSON text is made when it is first asked for as JSON. It is reused only while searches read
 * the vocabulary it was read with: one read with the replaced index's vocabulary (a reload's interim one) may have
 * missed a pinyin reading or a correction of a word that only this index has.
 */
interface CachedAnswer {
  readonly response: SearchResponse;
  json: AnswerJson | undefined;
  readonly vocabulary: Vocabulary | null;
}

const cacheKey = (query: string, { limit, offset, filters, group, sort, facets }: SearchOptions): string =>
  filters === undefined && group === undefined && sort === undefined && facets === undefined
    ? `${limit} ${offset} ${query}`
    : `${limit} ${offset} ${JSON.stringify([filters, group, sort, facets])} ${query}`;
const tookSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

/**
 * A search answered now, not from the cache: the engine's answer and, when `asJson`, the JSON text after its
 * tookMs if already made (a query worker makes it, query-pool.ts).
 */
export type FreshAnswer = { readonly response: SearchResponse; readonly afterTook?: string };
export type AnswerSearch = (query: string, options: SearchOptions, asJson: boolean) => FreshAnswer | Promise<FreshAnswer>;

/**
 * `searcher`'s answers, the latest `capacity` of them kept (0: none). `search` answers what is not cached
 * (default: the searcher, on this thread).
 */
export function cacheAnswers(searcher: Searcher, capacity: number, search: AnswerSearch = (query, options) => ({ response: searcher.search(query, options) })): CachedSearcher {
  const cache = createResultCache<CachedAnswer>(capacity);
  /** The answer from the cache, or searched now and cached; `cached` says which. */
  const answer = async (query: string, options: SearchOptions, asJson: boolean): Promise<{ entry: CachedAnswer; cached: boolean }> => {
    const key = cacheKey(query, options);
    const found = cache.get(key);
    if (found !== undefined && found.vocabulary === searcher.vocabularyNow()) return { entry: found, cached: true };
    // Taken before the search, which reads it at its start (a query worker answers later).
    const vocabulary = searcher.vocabularyNow();
    const { response, afterTook } = await search(query, options, asJson);
    const entry: CachedAnswer = { response, json: afterTook === undefined ? undefined : { beforeTook: beforeTook(response), afterTook }, vocabulary };
    // An answer given before the vocabulary was built read no pinyin: the same query asked later reads it.
    if (entry.response.vocabularyReady) cache.set(key, entry);
    return { entry, cached: false };
  };
  return {
    async search(query, options) {
      const started = performance.now();
      const { entry, cached } = await answer(query, options, false);
      return cached ? { ...entry.response, tookMs: tookSince(started) } : entry.response;
    },
    async searchJson(query, options) {
      const started = performance.now();
      const { entry, cached } = await answer(query, options, true);
      entry.json ??= answerJson(entry.response);
      return answerText(entry.json, cached ? tookSince(started) : entry.response.tookMs);
    },
    get size() {
      return cache.size;
    },
  };
}
