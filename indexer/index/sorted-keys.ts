// Keys looked up by prefix or whole, the vocabulary's completions: ids sorted by key, so the keys that start
// with a prefix lie in one range found by binary search, and a tree of range minima hands out that range's ids
// smallest first. Vocabulary ids are most frequent first, so a completion reads the most frequent words of a
// prefix without looking at the rest, however many words share it (a one-letter prefix holds tens of
// thousands). Typed arrays only: a few bytes a key, where a prefix index of every prefix held a map entry each.

import { runSteps, sortInSteps } from '../steps.js';

export interface SortedKeys {
  /** How many ids have a key. */
  readonly size: number;
  /** The ids whose key starts with `prefix`, ascending, computed as they are taken. */
  startingWith(prefix: string): Iterable<number>;
  /** The ids whose key is `key`, ascending. */
  equalTo(key: string): Iterable<number>;
}

const NONE = 0xffffffff;

/**
 * Sorts the ids 0 … count − 1 that have a key (keyOf gives null for the others) by key, then by id. `keyOf`
 * is asked again during lookups (a few times per binary search step), so it should be cheap.
 */
export function sortKeys(count: number, keyOf: (id: number) => string | null): SortedKeys {
  return runSteps(sortKeysInSteps(count, keyOf));
}

/** sortKeys as steps (steps.ts), for building between requests. */
export function* sortKeysInSteps(count: number, keyOf: (id: number) => string | null): Generator<void, SortedKeys> {
  const keys: (string | null)[] = new Array(count);
  let withKey = 0;
  for (let id = 0; id < count; id++) {
    if ((keys[id] = keyOf(id)) !== null) withKey++;
    if ((id & 1023) === 0) yield;
  }
  const order = new Uint32Array(withKey);
  for (let id = 0, at = 0; id < count; id++) if (keys[id] !== null) order[at++] = id;
  // Ids are ascending already, so a stable sort by key alone leaves equal keys in id order.
  yield* sortInSteps(order, (a, b) => {
    const x = keys[a]!;
    const y = keys[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  keys.length = 0; // lookups ask keyOf: the closures below must not keep every key alive
  const size = order.length;
  const keyAt = (position: number): string => keyOf(order[position]!)!;

  /** The first position whose key is not below `target`. */
  const lowerBound = (target: string): number => {
    let lo = 0;
    let hi = size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  // A segment tree over positions: each node holds the position of the smallest id in its span.
  let leaves = 1;
  while (leaves < size) leaves *= 2;
  const tree = new Uint32Array(2 * leaves).fill(NONE);
  for (let i = 0; i < size; i++) tree[leaves + i] = i;
  const smaller = (p: number, q: number): number => (p === NONE ? q : q === NONE ? p : order[p]! <= order[q]! ? p : q);
  for (let node = leaves - 1; node >= 1; node--) {
    tree[node] = smaller(tree[2 * node]!, tree[2 * node + 1]!);
    if ((node & 4095) === 0) yield;
  }
  /** The position of the smallest id in [lo, hi), or NONE for an empty span. */
  const minimum = (lo: number, hi: number): number => {
    let best = NONE;
    for (let l = lo + leaves, r = hi + leaves; l < r; l >>= 1, r >>= 1) {
      if (l & 1) best = smaller(best, tree[l++]!);
      if (r & 1) best = smaller(best, tree[--r]!);
    }
    return best;
  };

  /** The ids of [lo, hi) smallest first: the span's minimum, then the minima of the spans either side of it. */
  function* ascending(lo: number, hi: number): Generator<number> {
    // A binary heap of spans keyed by their minimum's id.
    const heap: { lo: number; hi: number; at: number }[] = [];
    const push = (l: number, h: number): void => {
      if (l >= h) return;
      const span = { lo: l, hi: h, at: minimum(l, h) };
      heap.push(span);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (order[heap[parent]!.at]! <= order[span.at]!) break;
        heap[i] = heap[parent]!;
        heap[parent] = span;
        i = parent;
      }
    };
    const pop = (): { lo: number; hi: number; at: number } => {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        for (let i = 0; ; ) {
          const left = 2 * i + 1;
          const right = left + 1;
          let least = i;
          if (left < heap.length && order[heap[left]!.at]! < order[heap[least]!.at]!) least = left;
          if (right < heap.length && order[heap[right]!.at]! < order[heap[least]!.at]!) least = right;
          if (least === i) break;
          [heap[i], heap[least]] = [heap[least]!, heap[i]!];
          i = least;
        }
      }
      return top;
    };
    push(lo, hi);
    while (heap.length > 0) {
      const span = pop();
      yield order[span.at]!;
      push(span.lo, span.at);
      push(span.at + 1, span.hi);
    }
  }

  return {
    size,
    startingWith(prefix) {
      // Every key that starts with the prefix sorts below prefix + U+FFFF (surrogates are below it too).
      return prefix === '' ? ascending(0, size) : ascending(lowerBound(prefix), lowerBound(`${prefix}\uffff`));
    },
    equalTo(key) {
      // key + U+0000 is the least string above key itself.
      return ascending(lowerBound(key), lowerBound(`${key}\u0000`));
    },
  };
}
