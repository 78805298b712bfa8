import { describe, expect, it } from 'vitest';
import { slabFloat64Array, slabUint16Array, slabUint32Array } from '../indexer/index/slab.js';

describe('slab arrays', () => {
  it('come zeroed, of the length asked for, and never share a byte with another', () => {
    const made: (Uint32Array | Float64Array | Uint16Array)[] = [];
    // Enough to fill several 64 KB slabs, in sizes on both sides of the 64-byte and 8 KB limits.
    for (let round = 0; round < 400; round++) {
      for (const length of [0, 3, 17, 40, 200, 1000, 3000]) {
        const arrays = [slabUint32Array(length), slabFloat64Array(length), slabUint16Array(length)];
        for (const array of arrays) {
          expect(array.length).toBe(length);
          expect(array.every((value) => value === 0)).toBe(true);
          array.fill(round + 1); // a later array that overlapped this one would not come zeroed
        }
        made.push(...arrays);
      }
    }
    for (const array of made.slice(-21)) expect(array.every((value) => value === 400)).toBe(true);
  });

  it('cut small arrays from shared buffers, aligned for their element size, and give large ones a buffer of their own', () => {
    const a = slabUint32Array(100);
    const b = slabFloat64Array(100);
    expect(a.buffer.byteLength).toBe(1 << 16);
    expect(b.byteOffset % 8).toBe(0);
    expect(slabUint16Array(5).buffer.byteLength).toBe(10); // 64 bytes or less: V8 keeps it in its heap anyway
    expect(slabUint32Array(10_000).buffer.byteLength).toBe(40_000);
  });
});
