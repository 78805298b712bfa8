// The whole-word postings (word-postings.ts): a hash table of typed arrays with delta-varint postings that
// answers like a Map from word to ascending ids, and refuses bytes it cannot trust.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWordPostingsBuilder, decodeWordPostings, encodeWordPostings } from '../indexer/index/word-postings.js';

const WORDS = ['\u0002床前', '\u0002低头', '𠮷', '', '\u0002明月光'];
const LISTS = [[0], [1, 7, 300], [99], [5], [3, 4, 200000]];

describe('word postings', () => {
  it('answers each word with its ids and anything else with none', () => {
    const table = decodeWordPostings(encodeWordPostings(WORDS, LISTS), 200001);
    expect(table.size).toBe(5);
    WORDS.forEach((word, n) => {
      expect(Array.from(table.postings(word))).toEqual(LISTS[n]);
      expect(table.wordAt(n)).toBe(word);
      expect(Array.from(table.postingsAt(n))).toEqual(LISTS[n]);
    });
    for (const other of ['\u0002床', '\u0002床前明', '床前', '\ud842', '\u0002明月', 'x']) expect(table.postings(other)).toHaveLength(0);
  });

  it('answers like a Map for any distinct words and id lists, colliding or not', () => {
    const word = fc.string({ unit: 'binary', maxLength: 6 });
    const ids = fc.uniqueArray(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 20 }).map((list) => list.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(word, ids), { selector: ([w]) => w, maxLength: 200 }), fc.array(word, { maxLength: 30 }), (list, probes) => {
        const table = decodeWordPostings(
          encodeWordPostings(
            list.map(([w]) => w),
            list.map(([, l]) => l),
          ),
          5001,
        );
        const map = new Map(list);
        for (const probe of [...map.keys(), ...probes]) expect(Array.from(table.postings(probe))).toEqual(map.get(probe) ?? []);
      }),
      { seed: 11, numRuns: 200 },
    );
  });

  it('builds from paragraphs given in any order, each word once a paragraph', () => {
    const builder = createWordPostingsBuilder();
    builder.add(7, ['a', 'b']);
    builder.add(2, ['b', 'b']);
    builder.add(0, ['c', 'a']);
    const table = decodeWordPostings(builder.encode(), 8);
    expect(Array.from(table.postings('a'))).toEqual([0, 7]);
    expect(Array.from(table.postings('b'))).toEqual([2, 7]);
    expect(Array.from(table.postings('c'))).toEqual([0]);
  });

  it('reads bytes that do not start on a 4-byte boundary', () => {
    const bytes = encodeWordPostings(WORDS, LISTS);
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(Array.from(decodeWordPostings(shifted, 200001).postings('𠮷'))).toEqual([99]);
  });

  it('refuses a word listed twice or ids that do not ascend', () => {
    expect(() => encodeWordPostings(['a', 'a'], [[1], [2]])).toThrow(/"a" is listed twice/);
    expect(() => encodeWordPostings(['a'], [[2, 1]])).toThrow(/do not ascend/);
    expect(() => encodeWordPostings(['a'], [[-1]])).toThrow(/do not ascend/);
  });

  it('refuses truncated, padded, foreign or inconsistent bytes with a reason', () => {
    const bytes = encodeWordPostings(WORDS, LISTS);
    expect(() => decodeWordPostings(bytes.subarray(0, 10), 200001)).toThrow('word postings file too short');
    expect(() => decodeWordPostings(bytes.subarray(0, bytes.length - 2), 200001)).toThrow(/truncated/);
    expect(() => decodeWordPostings(Uint8Array.of(...bytes, 0, 0), 200001)).toThrow(/trailing bytes/);
    const foreign = Uint8Array.from(bytes);
    foreign[0] = 0;
    expect(() => decodeWordPostings(foreign, 200001)).toThrow('not a word postings file of this version');
    expect(() => decodeWordPostings(bytes, 200000).postings('\u0002明月光')).toThrow('word postings name a paragraph this index does not have');
    const lost = Uint8Array.from(bytes);
    const slots = new Uint32Array(lost.buffer, 4 * (6 + 2 * (WORDS.length + 1)), 16);
    slots[slots.findIndex((slot) => slot !== 0)] = 0;
    expect(() => decodeWordPostings(lost, 200001)).toThrow('word postings slots do not hold every word once');
  });
});
