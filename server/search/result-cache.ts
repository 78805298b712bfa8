// A bounded least-recently-used map: the searcher keeps its latest answers, so a query asked again (a popular
// search, a page reloaded, the next page of the same results) skips matching, ranking and snippets. Like
// Solr's query result cache, it belongs to one loaded index: a new index starts with an empty cache.

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
