// The only module that imports FlexSearch: the vocabulary's completions of words by prefix (vocabulary.ts). It held
// the word postings too, until Sou's own word postings replaced them (word-postings.ts).
import { Index } from 'flexsearch';

type FlexIndex = InstanceType<typeof Index>;

// A prefix index of keys (the vocabulary's words): FlexSearch's forward
// tokenization stores every prefix of a key, so a prefix finds its keys by one lookup. Each id holds one key,
// given whole (`encode` does not split it). With resolution 1 every prefix keeps one list of ids in insertion
// order, so ids added most useful first come back in that order and `limit` keeps the best of them.
const PREFIX_OPTIONS = {
  tokenize: 'forward',
  resolution: 1,
  cache: false,
  encode: (text: string): string[] => [text],
} as const;

export interface PrefixIndex {
  /** Adds one key for `id`; ids should be added in the order results are wanted. */
  add(id: number, key: string): void;
  /** The ids of keys that start with `prefix`, in insertion order, at most `limit`. */
  startingWith(prefix: string, limit: number): number[];
}

export function createPrefixIndex(): PrefixIndex {
  const index = new Index(PREFIX_OPTIONS as unknown as ConstructorParameters<typeof Index>[0]) as FlexIndex;
  return {
    add(id, key) {
      if (key !== '') index.add(id, key);
    },
    startingWith(prefix, limit) {
      if (prefix === '' || limit <= 0) return [];
      return index.search(prefix, { limit }) as number[];
    },
  };
}
