// The only module that imports FlexSearch: the vocabulary's completions of words by prefix (vocabulary.ts). It held
// the word postings too, until Sou's own word postings replaced them (word-postings.ts).
import { Index } from 'flexsearch';

type FlexIndex = InstanceType<typeof Index>;

export interface PrefixIndexOptions {
  /**
   * The longest prefix stored, in code units: a key is given to FlexSearch cut to this length, so it stores
   * that many prefixes at most. A longer typed prefix reads its first `longestPrefix` units' keys and keeps
   * those that start with all of it (few: hardly any keys share so long a start).
   */
  readonly longestPrefix?: number;
}

export interface PrefixIndex {
  /** Adds one key for `id`; ids should be added in the order results are wanted. */
  add(id: number, key: string): void;
  /** The ids of keys that start with `prefix`, in insertion order, at most `limit`. */
  startingWith(prefix: string, limit: number): number[];
}

/** Ids read at a time when a typed prefix is longer than the stored ones and must be checked key by key. */
const PAGE = 256;

/**
 * A prefix index of keys (the vocabulary's words and phrases): FlexSearch's forward tokenization stores every
 * prefix of a key, so a prefix finds its keys by one lookup. Each id holds one key, given whole (`encode` does
 * not split it, only cuts it to the longest prefix). With resolution 1 every prefix keeps one list of ids in
 * insertion order, so ids added most useful first come back in that order and `limit` keeps the best of them.
 * `keyOf` gives an id's key back, for prefixes longer than the stored ones.
 */
export function createPrefixIndex(keyOf: (id: number) => string, { longestPrefix = Infinity }: PrefixIndexOptions = {}): PrefixIndex {
  const cut = (text: string): string => (text.length > longestPrefix ? text.slice(0, longestPrefix) : text);
  const options = { tokenize: 'forward', resolution: 1, cache: false, encode: (text: string): string[] => [cut(text)] } as const;
  const index = new Index(options as unknown as ConstructorParameters<typeof Index>[0]) as FlexIndex;
  // A copy: for a single key FlexSearch hands out its own list of ids, and a caller that appended to the answer
  // (completeScript adds the rarer words) changed what the index holds.
  const search = (prefix: string, limit: number, offset: number): number[] => [...(index.search(prefix, { limit, offset }) as number[])];
  return {
    add(id, key) {
      if (key !== '') index.add(id, key);
    },
    startingWith(prefix, limit) {
      if (prefix === '' || limit <= 0) return [];
      if (prefix.length <= longestPrefix) return search(prefix, limit, 0);
      const found: number[] = [];
      for (let offset = 0; found.length < limit; offset += PAGE) {
        const page = search(prefix, PAGE, offset);
        for (const id of page) if (keyOf(id).startsWith(prefix) && found.length < limit) found.push(id);
        if (page.length < PAGE) break;
      }
      return found;
    },
  };
}
