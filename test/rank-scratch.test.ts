// The searcher's ranking buffers (server/search/rank-scratch.ts): every query leaves them as it found them, so
// the next query's first pass starts clean — after a list, a question's bitmap, and a source that throws.
import { describe, expect, it } from 'vitest';
import { rank } from '../server/search/rank.js';
import { rankQuery, type RankingSource } from '../server/search/rank-query.js';
import { createRankScratch, type RankScratch } from '../server/search/rank-scratch.js';
import { bitmapWords } from '../server/search/sets.js';
import { textRankingSource } from './support/ranking-source.js';

const texts = Array.from({ length: 300 }, (_, id) => `${id % 2 ? '支付' : '付'}${'宝'.repeat(id % 4)}${id % 5 ? '的系统' : '在'}`);
const all = Uint32Array.from(texts.keys());

function expectClean(scratch: RankScratch, fresh = createRankScratch(texts.length)): void {
  expect(scratch.positions).toEqual(fresh.positions);
  expect(scratch.keyById).toEqual(fresh.keyById);
  expect(scratch.codeUnits.letters).toEqual(fresh.codeUnits.letters);
  expect(scratch.codeUnits.marked).toEqual(fresh.codeUnits.marked);
}

describe('createRankScratch', () => {
  it('is left as made after ranking a list and a bitmap, and the same query ranks the same after either', () => {
    const source = textRankingSource(texts);
    const query = rankQuery(source, ['支付宝的'], ['支付宝', '的'], [], false);
    const first = rank(source, query, { kind: 'ids', ids: all }, 60);
    expectClean(source.scratch);
    expect(rank(source, query, { kind: 'bitmap', bitmap: { words: bitmapWords(all, texts.length), count: all.length } }, 60)).toEqual(first);
    expectClean(source.scratch);
    expect(rank(source, query, { kind: 'ids', ids: all }, 60)).toEqual(first);
  });

  it('is left as made when the source throws in the middle of a first pass, over a list or a bitmap', () => {
    const plain = textRankingSource(texts);
    let reads = 0;
    // The third postings read fails, after the first two terms have keyed some candidates.
    const failing: RankingSource = { ...plain, postings: (term) => (++reads === 3 ? (() => { throw new Error('lost'); })() : plain.postings(term)) };
    const query = rankQuery(plain, ['支付宝的'], ['支付宝', '的'], [], false);
    expect(() => rank(failing, query, { kind: 'ids', ids: all }, 60)).toThrow('lost');
    expectClean(plain.scratch);
    reads = 0;
    expect(() => rank(failing, query, { kind: 'bitmap', bitmap: { words: bitmapWords(all, texts.length), count: all.length } }, 60)).toThrow('lost');
    expectClean(plain.scratch);
  });
});
