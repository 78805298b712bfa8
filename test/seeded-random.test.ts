// The seeded generator (server/search/seeded-random.ts) that the warm-up queries, the bench and the tests draw from.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../server/search/seeded-random.js';

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const draw = (seed: number): number[] => Array.from({ length: 20 }, seededRandom(seed));
    expect(draw(1)).toEqual(draw(1));
    expect(draw(2)).not.toEqual(draw(1));
  });

  it('gives numbers in [0, 1), spread over the interval', () => {
    const random = seededRandom(7);
    const tenths = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      tenths[Math.floor(x * 10)]!++;
    }
    for (const count of tenths) expect(count).toBeGreaterThan(800);
  });

  it('golden: its first numbers for seed 1 stay what they were (the bench samples and the warm-up queries follow them)', () => {
    const random = seededRandom(1);
    expect(Array.from({ length: 3 }, () => Math.floor(random() * 2 ** 32))).toEqual([2693262067, 11749833, 2265367787]);
  });
});
