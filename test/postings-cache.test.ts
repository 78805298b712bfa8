import { describe, expect, it } from 'vitest';
import { createPostingsCache } from '../indexer/index/postings-cache.js';

/** A decoder over fixed lists that counts its calls, as the index's readers are. */
function countingDecoder(lists: Record<string, number[]>) {
  const calls: string[] = [];
  const decode = (key: string): Uint32Array => {
    calls.push(key);
    return Uint32Array.from(lists[key] ?? []);
  };
  return { decode, calls };
}

describe('createPostingsCache', () => {
  it('answers the lists the decoder gives', () => {
    const { decode } = countingDecoder({ a: [1, 2, 3], b: [7] });
    const cache = createPostingsCache(decode, 100);
    expect([...cache.postings('a')]).toEqual([1, 2, 3]);
    expect([...cache.postings('b')]).toEqual([7]);
    expect([...cache.postings('missing')]).toEqual([]);
  });

  it('decodes a list once while it stays in the budget', () => {
    const { decode, calls } = countingDecoder({ a: [1, 2, 3] });
    const cache = createPostingsCache(decode, 100);
    const first = cache.postings('a');
    expect(cache.postings('a')).toBe(first);
    expect(calls).toEqual(['a']);
    expect(cache.heldIds).toBe(3);
  });

  it('drops the least recently used list when the budget is passed', () => {
    const { decode, calls } = countingDecoder({ a: [1, 2], b: [3, 4], c: [5, 6], d: [7, 8], e: [9, 10] });
    const cache = createPostingsCache(decode, 8); // lists of up to 2 ids are kept, 8 ids in all
    for (const key of ['a', 'b', 'c', 'd']) cache.postings(key);
    expect(cache.heldIds).toBe(8);
    cache.postings('a'); // a is now the most recent, b the least
    cache.postings('e'); // 10 ids > 8: b goes
    expect(cache.heldIds).toBe(8);
    calls.length = 0;
    for (const key of ['a', 'c', 'd', 'e']) cache.postings(key);
    expect(calls).toEqual([]);
    cache.postings('b');
    expect(calls).toEqual(['b']);
  });

  it('never keeps a list longer than a quarter of the budget', () => {
    const { decode, calls } = countingDecoder({ long: [1, 2, 3, 4, 5] });
    const cache = createPostingsCache(decode, 16);
    cache.postings('long');
    cache.postings('long');
    expect(calls).toEqual(['long', 'long']);
    expect(cache.heldIds).toBe(0);
  });

  it('refuses a budget that is not a whole number of ids', () => {
    expect(() => createPostingsCache(countingDecoder({}).decode, -1)).toThrow(/whole number/);
    expect(() => createPostingsCache(countingDecoder({}).decode, 1.5)).toThrow(/whole number/);
  });
});
