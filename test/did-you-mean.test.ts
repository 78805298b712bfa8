// "Did you mean": corrections proposed from the vocabulary for input-method slips (homophones, near sounds,
// swapped characters), and the rule that offers one only when it finds ten times more and never when the
// query's string occurs in the corpus.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocabularyData, loadVocabulary, type Vocabulary } from '../indexer/index/vocabulary.js';
import { nearSyllables, OFFER_FACTOR, proposeCorrections, shouldOffer } from '../server/search/did-you-mean.js';
import { SYLLABLES } from '../indexer/analyzer/pinyin-input.js';

// Paragraph counts of words of the seed corpus (corpus/alipay-15-years.txt), and a few more.
const vocabulary = loadVocabulary(
  buildVocabularyData([
    ['支付宝', 58],
    ['支付', 49],
    ['淘宝', 6],
    ['历史', 5],
    ['银行', 12],
    ['音响', 2],
    ['影响', 40],
    ['北京', 9],
    ['同盟会', 2],
    ['杭州', 7],
  ]),
);
const best = (query: string): string | undefined => proposeCorrections(query, vocabulary)[0]?.text;

describe('proposeCorrections', () => {
  it('corrects homophone slips of the input method', () => {
    expect(best('支付包')).toBe('支付宝');
    expect(best('支副宝')).toBe('支付宝');
    expect(best('淘保')).toBe('淘宝');
    expect(proposeCorrections('支付包', vocabulary)[0]).toMatchObject({ word: '支付宝', count: 58, kind: 'homophone', start: 0, end: 3 });
  });

  it('corrects near-homophones (z/zh, n/l, in/ing)', () => {
    expect(best('资付宝')).toBe('支付宝');
    expect(best('北禁')).toBe('北京');
    expect(proposeCorrections('资付宝', vocabulary)[0]?.kind).toBe('near-homophone');
  });

  it('corrects two characters typed in the wrong order', () => {
    expect(best('付支宝')).toBe('支付宝');
    expect(best('盟同会')).toBe('同盟会');
    expect(proposeCorrections('付支宝', vocabulary)[0]?.kind).toBe('swap');
  });

  it('corrects a slip inside a longer query, keeping the rest', () => {
    expect(best('支付包的历史')).toBe('支付宝的历史');
    expect(proposeCorrections('支付包的历史', vocabulary)[0]).toMatchObject({ start: 0, end: 3 });
  });

  it('reads a slip by any reading of its character (行 read hang for 杭 in 杭州)', () => {
    expect(best('行州')).toBe('杭州');
  });

  it('lets a much more frequent word outweigh a closer sound', () => {
    expect(best('阴响')).toBe('影响');
  });

  it('reads Traditional slips as their Simplified form', () => {
    expect(best('支付寶')).toBeUndefined();
    expect(best('淘保')).toBe('淘宝');
    expect(best('行州')).toBe(best('行洲'.replace('洲', '州')));
    expect(best('歷始')).toBe('历史');
  });

  it('proposes nothing for a vocabulary word or a lone character', () => {
    expect(proposeCorrections('支付宝', vocabulary)).toEqual([]);
    expect(proposeCorrections('包', vocabulary)).toEqual([]);
    expect(proposeCorrections('abc', vocabulary)).toEqual([]);
  });

  it('never proposes a word that reads unlike the query', () => {
    expect(proposeCorrections('天气', vocabulary)).toEqual([]);
  });
});

describe('proposeCorrections leaves only what cannot become a word', () => {
  // The vocabulary without the two shortcuts: every window is read and every reading sequence asked for.
  const unpruned: Vocabulary = { ...vocabulary, mayStartReading: () => true, hasCharacter: () => true };
  const characters = [...new Set(['支付宝淘历史银行音影响北京同盟会杭州', '包副保资禁阴形始', '龘靐齉'].join(''))];

  it('proposes what reading every window and every sequence proposes', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...characters), { minLength: 2, maxLength: 4 }), (picked) => {
        const query = picked.join('');
        expect(proposeCorrections(query, vocabulary, { limit: 20 })).toEqual(proposeCorrections(query, unpruned, { limit: 20 }));
      }),
      { numRuns: 300 },
    );
  });

  it('regression: characters no word has are never read (a query that finds nothing was the slowest to correct)', () => {
    let asked = 0;
    const counting: Vocabulary = { ...vocabulary, withReading: (syllables) => (asked++, vocabulary.withReading(syllables)) };
    expect(proposeCorrections('龘靐齉', counting)).toEqual([]);
    expect(asked).toBe(0);
    expect(proposeCorrections('支付包', counting)[0]?.word).toBe('支付宝');
    expect(asked).toBeGreaterThan(0);
  });
});

describe('nearSyllables', () => {
  it('pairs the sounds many speakers merge, only into syllables that exist', () => {
    const exists = (s: string): boolean => SYLLABLES.has(s);
    expect(nearSyllables('zhi', exists)).toEqual(['zi']);
    expect(nearSyllables('zi', exists)).toEqual(['zhi']);
    expect(nearSyllables('lin', exists).sort()).toEqual(['ling', 'nin']);
    expect(nearSyllables('sheng', exists).sort()).toEqual(['shen', 'seng'].sort());
    expect(nearSyllables('zhuang', exists)).toEqual(['zuang'].filter(exists));
  });
});

describe('shouldOffer', () => {
  it('never corrects a query whose string occurs in the corpus', () => {
    expect(shouldOffer({ queryOccurrences: 1, queryHits: 1, correctionHits: 1000 })).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.nat(1e6), fc.nat(1e7), (occurrences, hits, correction) => {
        expect(shouldOffer({ queryOccurrences: occurrences, queryHits: hits, correctionHits: correction })).toBe(false);
      }),
    );
  });

  it('offers a correction that finds at least ten times more, and something at all', () => {
    expect(shouldOffer({ queryOccurrences: 0, queryHits: 4, correctionHits: 58 })).toBe(true);
    expect(shouldOffer({ queryOccurrences: 0, queryHits: 4, correctionHits: OFFER_FACTOR * 4 })).toBe(true);
    expect(shouldOffer({ queryOccurrences: 0, queryHits: 4, correctionHits: OFFER_FACTOR * 4 - 1 })).toBe(false);
    expect(shouldOffer({ queryOccurrences: 0, queryHits: 0, correctionHits: 1 })).toBe(true);
    expect(shouldOffer({ queryOccurrences: 0, queryHits: 0, correctionHits: 0 })).toBe(false);
  });
});
