// The warm-up queries (server/search/warm-up-queries.ts), drawn from the index's own texts with a fixed seed, in
// every shape of the query syntax. The server's warm-up on paragraphs of 200,000 characters is exercised by
// http.test.ts's graceful shutdown (it timed out while the warm-up folded whole paragraphs).
import { describe, expect, it } from 'vitest';
import { foldString, indexableRuns } from '../indexer/analyzer/index.js';
import { warmUpQueries } from '../server/search/warm-up-queries.js';

const TEXTS = ['支付寶十五年，從淘寶的擔保交易開始。', '2004年，支付寶成立於杭州。', 'Mobile payment 改變了生活。', '——', ''];
/** What the warm-up adds of its own: the question's tail, the miss's character and the other scripts' words. */
const OWN = new Set([...foldString('是什麼\uf8ffiPhone2024ＡＢＣTaipei１９COVID-19é64Kmp3A4紙5G網路')]);

describe('warmUpQueries', () => {
  it('gives the same queries for the same texts and seed, and others for another seed', () => {
    expect(warmUpQueries(TEXTS, 200)).toEqual(warmUpQueries(TEXTS, 200));
    expect(warmUpQueries(TEXTS, 200, 2)).not.toEqual(warmUpQueries(TEXTS, 200));
    expect(warmUpQueries(TEXTS, 200)).toHaveLength(200);
  });

  it('draws every letter and digit from the folded texts, but for the operator OR and the few words of its own', () => {
    const characters = new Set(TEXTS.flatMap((text) => indexableRuns(foldString(text)).flat()));
    for (const query of warmUpQueries(TEXTS, 500)) {
      for (const character of indexableRuns(foldString(query.replace(' OR ', ' '))).flat()) {
        expect(characters.has(character) || OWN.has(character), query).toBe(true);
      }
    }
  });

  it('asks every shape of the query syntax: one character, a few, two words, a phrase, an exclusion, OR, a question, a miss', () => {
    const queries = warmUpQueries(TEXTS, 500);
    const has = (test: (query: string) => boolean): boolean => queries.some(test);
    expect(has((q) => [...q].length === 1)).toBe(true);
    expect(has((q) => /^[^\s"「-]{2,4}$/u.test(q))).toBe(true);
    expect(has((q) => /^\S+ \S+$/u.test(q) && !q.includes('-') && !q.includes('OR'))).toBe(true);
    expect(has((q) => q.startsWith('"'))).toBe(true);
    expect(has((q) => q.includes(' -'))).toBe(true);
    expect(has((q) => q.includes(' OR '))).toBe(true);
    expect(has((q) => q.endsWith('是什麼？'))).toBe(true);
    expect(has((q) => q.endsWith('\uf8ff'))).toBe(true);
  });

  it('asks nothing of texts without two letters in a row, and ends', () => {
    expect(warmUpQueries([], 100)).toEqual([]);
    expect(warmUpQueries(['，', 'a', '——', ''], 100)).toEqual([]);
  });
});
