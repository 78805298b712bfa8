// The best k of scored candidates (server/search/top-k.ts), against a plain oracle: sort everything, then slice.
import { describe, expect, it } from 'vitest';
import { positionsBelow, topPositions } from '../server/search/top-k.js';
import { seededRandom } from '../server/search/seeded-random.js';

/** The oracle: every position sorted by key (largest first), ties to the lower id, the first `count` kept. */
const sortAndSlice = (keys: Float64Array, ids: Uint32Array, count: number): number[] =>
  [...keys.keys()].sort((a, b) => keys[b]! - keys[a]! || ids[a]! - ids[b]!).slice(0, count);

describe('topPositions', () => {
  it('are the largest keys, largest first and ties to the lower id, as sorting everything gives, for any sizes', () => {
    const random = seededRandom(11);
    // Sizes on both sides of the choice between sorting and the heap, and more kept than there are.
    for (const [n, count] of [[0, 5], [1, 1], [7, 50], [100, 50], [101, 50], [1500, 50], [3000, 100], [64, 1], [300, 300]] as const) {
      for (let round = 0; round < 5; round++) {
        // Few distinct keys (many ties) and ids in no order, as a sparse first pass's touched ids are.
        const keys = Float64Array.from({ length: n }, () => Math.floor(random() * 12) / 4);
        const ids = Uint32Array.from(new Set(Array.from({ length: n * 3 }, () => Math.floor(random() * 1e6)))).slice(0, n);
        expect(ids.length).toBe(n);
        expect(topPositions(keys, ids, count), `${n} keys, ${count} kept`).toEqual(sortAndSlice(keys, ids, count));
      }
    }
  });

  it('are the lowest ids when every key is alike (an unkeyed first pass), whether or not the ids come in order', () => {
    const zeros = new Float64Array(6);
    expect(topPositions(zeros, Uint32Array.of(2, 5, 9, 11, 40, 41), 4)).toEqual([0, 1, 2, 3]);
    expect(topPositions(zeros, Uint32Array.of(9, 2, 41, 5, 11, 40), 4)).toEqual([1, 3, 0, 4]);
    expect(topPositions(new Float64Array(6).fill(0.5), Uint32Array.of(2, 5, 9, 11, 40, 41), 50)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('positionsBelow', () => {
  it('is 0 … n − 1', () => {
    expect(positionsBelow(0)).toEqual([]);
    expect(positionsBelow(4)).toEqual([0, 1, 2, 3]);
  });
});
