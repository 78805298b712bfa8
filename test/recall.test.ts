// The recall guarantee (docs/contract.md "Matching"): when the folded text of a paragraph contains the folded query
// string, that paragraph is found — whatever the word segmentation did. Checked against a plain scan for well
// over a thousand query strings cut at random from the seed corpus and the eval sample (so most cross word
// boundaries), in the original script, the other script, full-width and upper case.
import * as OpenCC from 'opencc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { astralRecallQueries, recallChecker, sampleRecallQueries, type AllResults, type RecallChecker } from '../bench/recall-check.js';
import { foldString } from '../indexer/analyzer/index.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import { RANKING } from '../server/search/rank-query.js';
import { loadSeedAndSampleIndex, seededRandom, type TestIndex } from './support/search-index.js';
import { allTexts } from './support/texts.js';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

let built: TestIndex;
let searcher: Searcher;
let recall: RecallChecker;

beforeAll(async () => {
  built = await loadSeedAndSampleIndex();
  searcher = createSearcher(built.index);
  // With the vocabulary, as a server has it: Latin runs may be read as pinyin, hanzi are never read by sound.
  await searcher.prepareVocabulary();
  recall = recallChecker(searcher, built.index);
});
afterAll(() => built?.cleanup());

const scan = (needles: readonly string[]): number[] => recall.scan(needles);
const searchAll = (query: string): AllResults => recall.searchAll(query);
const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

describe('recall guarantee', () => {
  it('finds every paragraph whose folded text contains the folded query, for random substrings in every script and width', () => {
    const texts = allTexts(built.index);
    const queries = [...sampleRecallQueries(texts, 2000, seededRandom(0x5eed), toTraditional), ...astralRecallQueries(texts)];
    const failures: string[] = [];
    const counts = { strings: queries.length, bare: 0, phrase: 0, skipped: 0, withMatches: 0 };
    const variants = new Map<string, number>();
    for (const query of queries) {
      variants.set(query.variant, (variants.get(query.variant) ?? 0) + 1);
      const outcome = recall.check(query);
      failures.push(...outcome.failures);
      if (outcome.occurs) counts.withMatches++;
      if (outcome.bare) counts.bare++;
      if (outcome.phrase) counts.phrase++;
      if (!outcome.bare && !outcome.phrase) counts.skipped++;
    }
    console.log(
      `recall: ${counts.strings} query strings (${[...variants].map(([v, n]) => `${v} ${n}`).join(', ')}); ` +
        `${counts.bare} searched bare, ${counts.phrase} as a "phrase", ${counts.skipped} skipped as pure syntax; ` +
        `${counts.withMatches} occur in the corpus`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.bare + counts.phrase).toBeGreaterThanOrEqual(2000);
    expect(counts.bare).toBeGreaterThanOrEqual(1000);
    expect(counts.withMatches).toBeGreaterThanOrEqual(1000);
    expect(variants.get('full-width') ?? 0).toBeGreaterThanOrEqual(50);
    expect(variants.get('other case') ?? 0).toBeGreaterThanOrEqual(50);
    expect(variants.get('other script') ?? 0).toBeGreaterThanOrEqual(300);
  });

  it('checks a query of more hits than fullCheckUpTo by its count (bench:recall on large indexes), and a count one short fails', () => {
    const query = { query: '的', variant: 'original' };
    const outcome = recallChecker(searcher, built.index, { fullCheckUpTo: 10 }).check(query);
    expect(outcome).toMatchObject({ byCount: true, occurs: true, bare: true, phrase: true, failures: [] });
    const oneShort: Searcher = { ...searcher, search: (q, options) => ({ ...searcher.search(q, options), total: searcher.search(q, options).total - 1 }) };
    expect(recallChecker(oneShort, built.index, { fullCheckUpTo: 10 }).check(query).failures).toHaveLength(2); // bare and phrase
  });

  it('finds a string that crosses a word boundary: the end of one word and the start of the next', () => {
    // 支付寶系統 is read as 支付宝|系统; 寶系 belongs to neither word and must still be found.
    const expected = scan([foldString('寶系')]);
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(searchAll('寶系').ids)).toEqual(expected);
    expect(sorted(searchAll('宝系').ids)).toEqual(expected);
    expect(sorted(searchAll('"寶系"').ids)).toEqual(expected);
  });

  it('finds strings of punctuation and symbols only (no index term), by scanning', () => {
    for (const query of ['，', '。「', '……', '%', '（']) {
      const expected = scan([foldString(query)]);
      const actual = searchAll(query);
      expect(sorted(actual.ids), query).toEqual(expected);
    }
  });

  it('regression: pages past the first exactly scored block join up without duplicates or gaps, total exact (common characters)', () => {
    for (const query of ['的', '是', '1', '，']) {
      const expected = scan([foldString(query)]);
      expect(expected.length, query).toBeGreaterThan(2 * RANKING.exactCandidates); // several blocks of exactly scored candidates
      const actual = searchAll(query);
      expect(actual.total).toBe(expected.length);
      expect(new Set(actual.ids).size).toBe(actual.ids.length);
      expect(sorted(actual.ids)).toEqual(expected);
    }
  });
});
