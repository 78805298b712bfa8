// Keys sorted for prefix and exact lookups: each lookup gives the ids a plain filter gives, smallest first.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortKeys } from '../indexer/index/sorted-keys.js';

const plain = (keys: readonly (string | null)[], test: (key: string) => boolean): number[] =>
  keys.flatMap((key, id) => (key !== null && test(key) ? [id] : []));

describe('sortKeys', () => {
  it('finds keys by prefix and whole, smallest id first (golden)', () => {
    const keys = ['zhifubao', 'zhong', null, 'zhifu', 'a', 'zhifu'];
    const sorted = sortKeys(keys.length, (id) => keys[id]!);
    expect(sorted.size).toBe(5);
    expect([...sorted.startingWith('zhi')]).toEqual([0, 3, 5]);
    expect([...sorted.startingWith('z')]).toEqual([0, 1, 3, 5]);
    expect([...sorted.equalTo('zhifu')]).toEqual([3, 5]);
    expect([...sorted.startingWith('q')]).toEqual([]);
    expect([...sorted.startingWith('')]).toEqual([0, 1, 3, 4, 5]);
  });

  it('agrees with a plain filter on any keys, in either script', () => {
    const key = fc.option(fc.stringMatching(/^[ab支付宝𦈡]{0,4}$/), { nil: null });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 60 }), fc.stringMatching(/^[ab支付宝𦈡]{0,3}$/), (keys, probe) => {
        const sorted = sortKeys(keys.length, (id) => keys[id]!);
        expect([...sorted.startingWith(probe)]).toEqual(plain(keys, (k) => k.startsWith(probe)));
        expect([...sorted.equalTo(probe)]).toEqual(plain(keys, (k) => k === probe));
      }),
      { numRuns: 300 },
    );
  });

  it('hands out the first ids without walking the whole range', () => {
    const count = 1 << 16;
    const sorted = sortKeys(count, (id) => `k${(count - id) % 97}`);
    const first: number[] = [];
    for (const id of sorted.startingWith('k')) {
      first.push(id);
      if (first.length === 3) break;
    }
    expect(first).toEqual([0, 1, 2]);
  });
});
