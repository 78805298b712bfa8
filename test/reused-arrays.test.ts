// The searcher's reused typed arrays (server/search/reused-arrays.ts): each take is zeroed and of the length
// asked, whatever an earlier take of the same key left in it or how long it was.
import { describe, expect, it } from 'vitest';
import { createReusedArrays } from '../server/search/reused-arrays.js';

describe('createReusedArrays', () => {
  it('gives a zeroed array of the asked length after a longer and a shorter take of the same key were written', () => {
    const arrays = createReusedArrays();
    arrays.int32('a', 40).fill(7);
    const short = arrays.int32('a', 3);
    expect([...short]).toEqual([0, 0, 0]);
    short.fill(-1);
    const long = arrays.int32('a', 100);
    expect(long.length).toBe(100);
    expect(long.every((value) => value === 0)).toBe(true);
  });

  it('keeps keys and element types apart', () => {
    const arrays = createReusedArrays();
    const a = arrays.float64('x', 4);
    const b = arrays.float64('y', 4);
    a.fill(0.5);
    expect([...b]).toEqual([0, 0, 0, 0]);
    expect(arrays.uint8('x', 4)).toBeInstanceOf(Uint8Array);
    expect(arrays.uint16('x', 4)).toBeInstanceOf(Uint16Array);
    expect(arrays.uint32('x', 4)).toBeInstanceOf(Uint32Array);
    expect([...arrays.float64('x', 4)]).toEqual([0, 0, 0, 0]);
  });
});
