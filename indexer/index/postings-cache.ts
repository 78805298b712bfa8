// Decoded posting lists kept across queries, the least recently used dropped first, within a budget of ids.
// The server reads postings from the index files (byte-source.ts); the terms of a stream of queries repeat (a
// few characters and words make most of them), and reading and decoding a list again for each query was a
// measurable part of an uncached search (docs/design.md "Postings cache").

export interface PostingsCache<K> {
  /** The postings of `key`, decoded once while they stay in the cache. Callers never change a returned list. */
  postings(key: K): Uint32Array;
  /** Ids held now (for tests and the design doc's figure). */
  readonly heldIds: number;
}

/**
 * Caches `decode` within `budgetIds` ids. A list longer than a quarter of the budget is decoded each time: one
 * such list would push out the many short ones that most queries read.
 */
export function createPostingsCache<K>(decode: (key: K) => Uint32Array, budgetIds: number): PostingsCache<K> {
  if (!(Number.isInteger(budgetIds) && budgetIds >= 0)) throw new RangeError(`sou: the postings cache budget must be a whole number of ids, not ${budgetIds}`);
  const longest = Math.floor(budgetIds / 4);
  // A Map iterates in insertion order: a hit is moved to the end, so the first entry is the least recent.
  const lists = new Map<K, Uint32Array>();
  let held = 0;
  return {
    postings(key) {
      const cached = lists.get(key);
      if (cached !== undefined) {
        lists.delete(key);
        lists.set(key, cached);
        return cached;
      }
      const list = decode(key);
      if (list.length > longest) return list;
      lists.set(key, list);
      held += list.length;
      for (const [oldest, dropped] of lists) {
        if (held <= budgetIds) break;
        lists.delete(oldest);
        held -= dropped.length;
      }
      return list;
    },
    get heldIds() {
      return held;
    },
  };
}
