// words.bin: FlexSearch's export parts round-trip through the binary file, a FlexSearch index imported from it
// answers like the one exported, and damaged bytes are refused with a reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTermIndex, importTermIndex, type ExportedParts } from '../indexer/index/flex.js';
import { decodeWords, encodeWords } from '../indexer/index/words-file.js';

describe('words file', () => {
  it('round-trips reg and map parts, ids in any order, and other parts as JSON', () => {
    const parts: ExportedParts = new Map<string, unknown>([
      ['1.reg', [0, 1, 2, 5, 3, 100_000]],
      ['1.map', [['\u0002秦川', [[0, 128, 1405]]], ['', [[]]], ['𠮷x', [[7, 3], [9]]]]],
      ['1.cfg', { opt: 1, list: ['a'] }],
      ['2.map', []],
    ]);
    expect(decodeWords(encodeWords(parts))).toEqual(parts);
  });

  it('round-trips any map entries', () => {
    const entry = fc.tuple(fc.string({ unit: 'binary', maxLength: 8 }), fc.array(fc.array(fc.nat({ max: 2 ** 40 }), { maxLength: 6 }), { minLength: 1, maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 20 }), (entries, reg) => {
        const parts: ExportedParts = new Map<string, unknown>([['1.map', entries], ['1.reg', reg]]);
        expect(decodeWords(encodeWords(parts))).toEqual(parts);
      }),
      { seed: 5, numRuns: 300 },
    );
  });

  it('gives a FlexSearch index that answers like the exported one', () => {
    const index = createTermIndex();
    const words = ['\u0002支付宝', '\u0002系统', '\u0002考验', 'cto'];
    for (let id = 0; id < 3000; id++) index.add(id, words.filter((_, k) => id % (k + 2) === 0));
    const imported = importTermIndex(decodeWords(encodeWords(index.exportParts())));
    for (const word of [...words, '\u0002missing']) expect(imported.postings(word)).toEqual(index.postings(word));
    expect(index.postings('\u0002系统').length).toBe(1000);
  });

  it('refuses truncated, padded or foreign bytes with a reason', () => {
    const bytes = encodeWords(new Map<string, unknown>([['1.reg', [1, 2, 3]], ['1.map', [['ab', [[1, 2]]]]]]));
    expect(() => decodeWords(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeWords(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeWords(new Uint8Array(16))).toThrow(/not a words file/);
    expect(() => decodeWords(new Uint8Array(5))).toThrow(/too short/);
  });
});
