// Words of one paragraph: taken out of FlexSearch's export (flex.ts) and kept in a hash table of typed arrays
// (single-paragraph-words.ts) that answers exactly like the postings it replaces, and refuses bytes it cannot trust.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTermIndex, importTermIndex, takeSingleIdTerms, type ExportedParts } from '../indexer/index/flex.js';
import { decodeOnceWords, encodeOnceWords } from '../indexer/index/single-paragraph-words.js';

describe('takeSingleIdTerms', () => {
  it('takes the terms with one id and leaves FlexSearch every other term', () => {
    const index = createTermIndex();
    index.add(0, ['\u0002明月', '\u0002故乡', '\u0002床前']);
    index.add(1, ['\u0002明月', '\u0002低头']);
    index.add(7, ['\u0002明月', '\u0002故乡']);
    const parts = index.exportParts();
    expect(takeSingleIdTerms(parts).sort()).toEqual([['\u0002低头', 1], ['\u0002床前', 0]]);
    const rest = importTermIndex(parts);
    expect(rest.postings('\u0002明月')).toEqual([0, 1, 7]);
    expect(rest.postings('\u0002故乡')).toEqual([0, 7]);
    expect(rest.postings('\u0002床前')).toEqual([]);
  });

  it('leaves parts that are not term maps alone', () => {
    const parts: ExportedParts = new Map<string, unknown>([['1.reg', [4]], ['1.cfg', { a: 1 }], ['1.map', [['x', [[4]]], ['y', [[4], [5]]]]]]);
    expect(takeSingleIdTerms(parts)).toEqual([['x', 4]]);
    expect([...parts]).toEqual([['1.reg', [4]], ['1.cfg', { a: 1 }], ['1.map', [['y', [[4], [5]]]]]]);
  });
});

describe('once-words table', () => {
  const entries: [string, number][] = [['\u0002床前', 0], ['\u0002低头', 1], ['𠮷', 99], ['', 5], ['\u0002明月光', 3]];

  it('answers each word with its paragraph and anything else with undefined', () => {
    const table = decodeOnceWords(encodeOnceWords(entries), 100);
    expect(table.size).toBe(5);
    for (const [word, id] of entries) expect(table.posting(word)).toBe(id);
    for (const other of ['\u0002床', '\u0002床前明', '床前', '\ud842', '\u0002明月', 'x']) expect(table.posting(other)).toBeUndefined();
  });

  it('answers like a Map for any distinct words, colliding or not', () => {
    const word = fc.string({ unit: 'binary', maxLength: 6 });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(word, fc.nat({ max: 999 })), { selector: ([w]) => w, maxLength: 300 }), fc.array(word, { maxLength: 30 }), (list, probes) => {
        const table = decodeOnceWords(encodeOnceWords(list), 1000);
        const map = new Map(list);
        for (const probe of [...map.keys(), ...probes]) expect(table.posting(probe)).toBe(map.get(probe));
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('reads bytes that do not start on a 4-byte boundary', () => {
    const bytes = encodeOnceWords(entries);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodeOnceWords(shifted, 100).posting('𠮷')).toBe(99);
  });

  it('refuses a word listed twice or an id that is not a u32', () => {
    expect(() => encodeOnceWords([['a', 1], ['a', 2]])).toThrow(/"a" is listed twice/);
    expect(() => encodeOnceWords([['a', -1]])).toThrow(/not a u32/);
  });

  it('refuses truncated, padded, foreign or inconsistent bytes with a reason', () => {
    const bytes = encodeOnceWords(entries);
    expect(() => decodeOnceWords(bytes.subarray(0, 10), 100)).toThrow('once-words file too short');
    expect(() => decodeOnceWords(bytes.subarray(0, bytes.length - 2), 100)).toThrow(/truncated/);
    expect(() => decodeOnceWords(Uint8Array.of(...bytes, 0, 0), 100)).toThrow(/trailing bytes/);
    const foreign = Uint8Array.from(bytes);
    foreign[0] = 0;
    expect(() => decodeOnceWords(foreign, 100)).toThrow('not a once-words file of this version');
    expect(() => decodeOnceWords(bytes, 99)).toThrow('once-words id 99 is not a paragraph of this index');
    const lost = Uint8Array.from(bytes);
    const slots = new Uint32Array(lost.buffer, 4 * (5 + 2 * entries.length + 1), 16);
    slots[slots.findIndex((slot) => slot !== 0)] = 0;
    expect(() => decodeOnceWords(lost, 100)).toThrow('once-words slots do not hold every word once');
  });
});
