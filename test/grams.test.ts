import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gramKey, indexGramKeys, indexTerms } from '../indexer/analyzer/index.js';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { encodeGramBatches } from '../indexer/index/gram-encode.js';
import { createGramIndexBuilder, decodeGramIndex, MAX_PARAGRAPHS } from '../indexer/index/grams.js';

// The compiled module: only it finds its worker file (npm test compiles first).
const COMPILED_GRAM_ENCODE = fileURLToPath(new URL('../dist/indexer/index/gram-encode.js', import.meta.url));

function encode(paragraphKeys: number[][], batchSize: number): Uint8Array {
  const builder = createGramIndexBuilder();
  // Batches are added out of order on purpose: worker results can arrive in any order.
  const batches: [number, number[][]][] = [];
  for (let first = 0; first < paragraphKeys.length; first += batchSize) batches.push([first, paragraphKeys.slice(first, first + batchSize)]);
  for (const [first, batch] of batches.reverse()) {
    builder.add(first, { keys: Float64Array.from(batch.flat()), counts: Uint32Array.from(batch, (keys) => keys.length) });
  }
  return builder.encode();
}

describe('gram keys', () => {
  it('gives every unigram and bigram of indexTerms a distinct key, and nothing else a key', () => {
    const folded = '支付宝的cto 𦈡𠮷, 64k';
    const terms = [...indexTerms(folded)];
    const keys = terms.map(gramKey);
    expect(new Set(keys).size).toBe(terms.length);
    expect(new Set(indexGramKeys(folded))).toEqual(new Set(keys));
    expect(gramKey('支付宝')).toBeNull();
    expect(gramKey('')).toBeNull();
  });
});

describe('gram index encoding', () => {
  it('round-trips the postings of every key, in ascending order', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 40 }), { maxLength: 12 }), { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (paragraphs, batchSize) => {
        const keyed = paragraphs.map((list) => list.map((n) => n * 0x110000 + (n % 3)));
        const index = decodeGramIndex(encode(keyed, batchSize));
        const all = new Set(keyed.flat());
        expect(index.termCount).toBe(all.size);
        for (const key of all) {
          const expected = keyed.flatMap((keys, id) => (keys.includes(key) ? [id] : []));
          expect(Array.from(index.postings(key))).toEqual(expected);
        }
        expect(index.postings(-5).length).toBe(0);
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('finds every key among many of one first code point, and none that is absent (lookups by first code point)', () => {
    const key = (first: number, second: number): number => first * 0x110000 + second;
    const firsts = [0, 1, 5, 0x4e00, 0x4e01, 0x20000];
    // Code point 7 has pairs but no key of its own: a character's key is looked for first in its code point's keys.
    const present = [
      ...firsts.flatMap((first, f) => [key(first, 0), ...Array.from({ length: 40 * f }, (_, s) => key(first, 1 + 3 * s))]),
      key(7, 2),
      key(7, 9),
    ].sort((a, b) => a - b);
    const keyed = present.map((k, id) => [k, present[(id * 7) % present.length]!]);
    const index = decodeGramIndex(encode(keyed, 16));
    for (const k of present) expect(index.count(k), `key ${k}`).toBe(keyed.filter((keys) => keys.includes(k)).length);
    const absent = [-5, key(2, 0), key(7, 0), key(5, 2), key(0x4e00, 3 * 200 + 2), key(0x4e01, 0x10ffff), key(0x20000, 500), key(0x20001, 0), key(0x10ffff, 0x10ffff)];
    for (const k of absent) {
      expect(index.count(k), `key ${k}`).toBe(0);
      expect(index.postings(k).length).toBe(0);
    }
    expect(decodeGramIndex(encode([], 1)).count(key(1, 0))).toBe(0);
  });

  it('keeps ids above 127 exact (multi-byte varints)', () => {
    const keyed = Array.from({ length: 70_000 }, (_, id) => (id % 1000 === 0 ? [5, 9] : [9]));
    const index = decodeGramIndex(encode(keyed, 4096));
    expect(Array.from(index.postings(5))).toEqual(Array.from({ length: 70 }, (_, k) => k * 1000));
    expect(index.postings(9).length).toBe(70_000);
  });

  it('keeps the largest keys and high paragraph ids exact when they share one 64-bit word', () => {
    const largest = 0x10ffff * 0x110000 + 0x10ffff; // the pair of the two highest code points
    const unigram = 0x10ffff * 0x110000;
    const builder = createGramIndexBuilder();
    builder.add(299_998, { keys: Float64Array.from([largest, 1, unigram, largest]), counts: Uint32Array.from([2, 2]) });
    builder.add(0, { keys: Float64Array.from([largest]), counts: Uint32Array.from([1]) });
    const index = decodeGramIndex(builder.encode());
    expect(Array.from(index.postings(largest))).toEqual([0, 299_998, 299_999]);
    expect(Array.from(index.postings(unigram))).toEqual([299_999]);
    expect(Array.from(index.postings(1))).toEqual([299_998]);
  });

  it('refuses a corpus with more paragraphs than a gram index can number, with the limit in the message', () => {
    const builder = createGramIndexBuilder();
    builder.add(MAX_PARAGRAPHS, { keys: Float64Array.from([1]), counts: Uint32Array.from([1]) });
    expect(() => builder.encode()).toThrow(/at most 8,388,608 paragraphs/);
  });

  it('reads the postings of many blocks of terms in any order, and refuses a damaged block when it is first read', () => {
    // 100 terms: four blocks of checkpoints. Term k (key k + 1) is in paragraphs k, k + 100, k + 200.
    const paragraphs = Array.from({ length: 300 }, (_, id) => [(id % 100) + 1]);
    const bytes = encode(paragraphs, 64);
    const index = decodeGramIndex(bytes);
    for (const key of [100, 1, 64, 33, 32, 97]) expect(Array.from(index.postings(key))).toEqual([key - 1, key + 99, key + 199]);
    // Every posting is one varint byte; setting a continuation bit in the first block makes its walk come up short.
    const damaged = Uint8Array.from(bytes);
    damaged[bytes.length - 300] = damaged[bytes.length - 300]! | 0x80;
    const broken = decodeGramIndex(damaged);
    expect(Array.from(broken.postings(100))).toEqual([99, 199, 299]);
    expect(() => broken.postings(1)).toThrow(/gram index postings/);
  });

  it('finds every block’s offsets ahead of need (readyBlock), reading the same postings, and refuses a damaged block then', () => {
    const paragraphs = Array.from({ length: 300 }, (_, id) => [(id % 100) + 1]);
    const bytes = encode(paragraphs, 64);
    const index = decodeGramIndex(bytes);
    expect(index.blockCount).toBe(4); // 100 terms, 32 a block
    for (let block = index.blockCount - 1; block >= 0; block--) index.readyBlock(block);
    index.readyBlock(0); // again: nothing to do
    for (let key = 1; key <= 100; key++) expect(Array.from(index.postings(key))).toEqual([key - 1, key + 99, key + 199]);
    expect(() => index.readyBlock(4)).toThrow(RangeError);
    expect(() => index.readyBlock(-1)).toThrow(RangeError);
    const damaged = Uint8Array.from(bytes);
    damaged[bytes.length - 300] = damaged[bytes.length - 300]! | 0x80;
    const broken = decodeGramIndex(damaged);
    broken.readyBlock(3);
    expect(() => broken.readyBlock(0)).toThrow(/gram index postings/);
  });

  it('lists the keys of the grams in at least a given number of paragraphs, ascending', () => {
    const index = decodeGramIndex(encode([[1, 2, 9], [2, 9], [2, 5]], 1));
    expect(index.keysInAtLeast(2)).toEqual([2, 9]);
    expect(index.keysInAtLeast(1)).toEqual([1, 2, 5, 9]);
    expect(index.keysInAtLeast(4)).toEqual([]);
  });

  it('refuses truncated, padded or foreign bytes with a reason', () => {
    const bytes = encode([[1, 2], [2, 3]], 1);
    expect(() => decodeGramIndex(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => decodeGramIndex(new Uint8Array([...bytes, 0]))).toThrow(/trailing/);
    expect(() => decodeGramIndex(new Uint8Array(32))).toThrow(/not a gram index/);
    expect(() => decodeGramIndex(new Uint8Array(3))).toThrow(/too short/);
  });
});

describe('gram layout on a thread of its own', () => {
  it('gives the bytes the in-process layout gives, and reports a failure in the thread', async () => {
    if (!existsSync(COMPILED_GRAM_ENCODE)) throw new Error(`${COMPILED_GRAM_ENCODE} is missing: run \`npm run build\` first (npm test does)`);
    const compiled = (await import(COMPILED_GRAM_ENCODE)) as typeof import('../indexer/index/gram-encode.js');
    const batch = (first: number, count: number) => ({
      first,
      batch: { keys: Float64Array.from({ length: count }, (_, i) => ((first + i) % 50) + 1), counts: new Uint32Array(count).fill(1) },
    });
    const expected = encodeGramBatches([batch(0, 3000), batch(3000, 3000)]);
    // 6,000 paragraphs: past the threshold, so a worker lays them out (the batches move to it).
    expect(await compiled.encodeGramBatchesOffThread([batch(3000, 3000), batch(0, 3000)], 6000)).toEqual(expected);
    await expect(compiled.encodeGramBatchesOffThread([batch(MAX_PARAGRAPHS, 6000)], 6000)).rejects.toThrow(/^sou: an index holds at most 8,388,608 paragraphs/);
  });
});
