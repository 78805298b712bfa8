// Reading typed Latin as pinyin: its letters and boundaries, every split into syllables and initials, typing
// as you go, and mixed runs. The splits are checked against a plain recursive oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SYLLABLES,
  latinLetters,
  matchesPattern,
  patternKey,
  patternTier,
  pinyinSplits,
  readQueryRun,
  splitMixedRun,
  type LatinLetters,
} from '../indexer/analyzer/pinyin-input.js';

const keys = (input: LatinLetters | null, prefix = false): string[] => (input === null ? [] : pinyinSplits(input, { prefix, limit: 512 }).map(patternKey));
const read = (typed: string, prefix = false): string[] => keys(latinLetters(typed), prefix);

describe('latinLetters', () => {
  it('gives the same letters for spaces, tone marks, tone numbers and case', () => {
    for (const typed of ['zhifubao', 'zhi fu bao', 'zhīfùbǎo', 'zhi1fu4bao3', 'ZhiFuBao']) expect(latinLetters(typed)?.letters).toBe('zhifubao');
  });

  it('keeps the boundaries the user marked', () => {
    expect(latinLetters("xi'an")).toEqual({ letters: 'xian', breaks: [2] });
    expect(latinLetters('zhi1fu4bao3')).toEqual({ letters: 'zhifubao', breaks: [3, 5] });
    expect(latinLetters('xi’an')?.breaks).toEqual([2]);
  });

  it('reads ü typed as ü, v or u:', () => {
    for (const typed of ['lüse', 'lvse', 'lu:se', 'lǜsè']) expect(latinLetters(typed)?.letters).toBe('lvse');
  });

  it('refuses what cannot be pinyin', () => {
    expect(latinLetters('ipad9')).toBeNull();
    expect(latinLetters('a+b')).toBeNull();
    expect(latinLetters('')).toBeNull();
    expect(latinLetters('a'.repeat(100))).toBeNull();
  });
});

describe('pinyinSplits', () => {
  it('finds every split of an ambiguous run (xian → xian | xi an)', () => {
    const splits = read('xian');
    expect(splits).toContain('xian');
    expect(splits).toContain('xi an');
    expect(splits.indexOf('xian')).toBeLessThan(splits.indexOf('xi an'));
  });

  it('gives the splits of whole syllables alone when asked (syllablesOnly), and none for letters that need initials', () => {
    const only = (letters: string): string[] => pinyinSplits(latinLetters(letters)!, { syllablesOnly: true }).map(patternKey);
    expect(only('xian').sort()).toEqual(['xi an', 'xian']);
    expect(only('zhifubaoxitong')[0]).toBe('zhi fu bao xi tong'); // then zhi fu ba o xi tong
    expect(only('zfb')).toEqual([]);
    expect(only('teeowprg')).toEqual([]);
    expect(pinyinSplits(latinLetters('zfb')!).length).toBeGreaterThan(0);
  });

  it('takes an apostrophe as a boundary (xi\'an → xi an only among full syllables)', () => {
    const full = pinyinSplits(latinLetters("xi'an")!).filter((pattern) => patternTier(pattern) === 0).map(patternKey);
    expect(full).toEqual(['xi an']);
  });

  it('reads initials (zfb) and mixes of syllables and initials (zhifb)', () => {
    expect(read('zfb')).toEqual(['z* f* b*']);
    expect(read('zhifb')).toContain('zhi f* b*');
    expect(read('zhfb')).toContain('zh* f* b*');
  });

  it('puts full syllables first, then mixes, then initials', () => {
    const tiers = pinyinSplits(latinLetters('zhifubao')!, { limit: 512 }).map(patternTier);
    expect(tiers[0]).toBe(0);
    expect([...tiers].sort((a, b) => a - b)).toEqual(tiers);
  });

  it('reads a last syllable typed halfway as a prefix when typing as you go', () => {
    expect(read('zhifub', true)).toContain('zhi fu b*');
    expect(read('zhifuba', true)).toContain('zhi fu ba*');
    expect(read('zhifuba', false)).not.toContain('zhi fu ba*');
    expect(read('zhifuzhon', true)).toContain('zhi fu zhon*');
    expect(read('zhifuzhon', false).filter((key) => !key.includes('*'))).toEqual([]);
  });

  it('reads lue and nue as lüe and nüe', () => {
    expect(read('lue')).toContain('lve');
  });

  it('finds nothing in letters that are not pinyin', () => {
    expect(read('iphone')).toEqual([]);
    expect(read('vvv')).toEqual([]);
  });

  // The oracle: every way to cut the letters into table syllables, by plain recursion.
  const oracle = (letters: string): string[] => {
    if (letters === '') return [''];
    const out: string[] = [];
    for (let end = 1; end <= letters.length; end++) {
      const head = letters.slice(0, end);
      if (!SYLLABLES.has(head)) continue;
      for (const rest of oracle(letters.slice(end))) out.push(rest === '' ? head : `${head} ${rest}`);
    }
    return out;
  };
  const syllables = [...SYLLABLES];
  const syllableSequence = fc.array(fc.constantFrom(...syllables), { minLength: 1, maxLength: 4 });

  it('parses every concatenation of syllables back to a set of splits that includes it', () => {
    fc.assert(
      fc.property(syllableSequence, (sequence) => {
        expect(read(sequence.join(''))).toContain(sequence.join(' '));
      }),
      { numRuns: 300 },
    );
  });

  it('finds exactly the oracle\'s full-syllable splits', () => {
    fc.assert(
      fc.property(syllableSequence, (sequence) => {
        const letters = latinLetters(sequence.join(''))!;
        const full = pinyinSplits(letters, { limit: 4096 }).filter((pattern) => patternTier(pattern) === 0).map(patternKey);
        expect(new Set(full)).toEqual(new Set(oracle(letters.letters)));
      }),
      { numRuns: 200 },
    );
  });

  it('reads the initials of every syllable sequence back as initials', () => {
    fc.assert(
      fc.property(syllableSequence, (sequence) => {
        expect(read(sequence.map((syllable) => syllable[0]).join(''))).toContain(sequence.map((syllable) => `${syllable[0]}*`).join(' '));
      }),
      { numRuns: 200 },
    );
  });
});

describe('mixed runs', () => {
  it('split into hanzi and Latin parts', () => {
    expect(splitMixedRun('zhi付宝')).toEqual([{ kind: 'latin', text: 'zhi' }, { kind: 'hanzi', text: '付宝' }]);
    expect(splitMixedRun('支fb')).toEqual([{ kind: 'hanzi', text: '支' }, { kind: 'latin', text: 'fb' }]);
    expect(splitMixedRun('支付宝！')).toBeNull();
  });

  it('read with their hanzi standing for themselves', () => {
    expect(readQueryRun('zhi付宝').map(patternKey)).toContain('zhi 付 宝');
    expect(readQueryRun('支fb').map(patternKey)).toContain('支 f* b*');
    expect(readQueryRun('支付宝')).toEqual([]);
  });
});

describe('matchesPattern', () => {
  const [pattern] = readQueryRun('zhi付b');
  it('matches a word whose syllables and characters fit every unit', () => {
    expect(matchesPattern([...'支付宝'], ['zhi', 'fu', 'bao'], pattern!)).toBe(true);
    expect(matchesPattern([...'知付宝'], ['zhi', 'fu', 'bao'], pattern!)).toBe(true);
    expect(matchesPattern([...'支复宝'], ['zhi', 'fu', 'bao'], pattern!)).toBe(false);
    expect(matchesPattern([...'支付'], ['zhi', 'fu'], pattern!)).toBe(false);
  });

  it('matches a longer word only as a completion', () => {
    const [start] = readQueryRun('zhifu', { prefix: true });
    expect(matchesPattern([...'支付宝'], ['zhi', 'fu', 'bao'], start!, true)).toBe(true);
    expect(matchesPattern([...'支付宝'], ['zhi', 'fu', 'bao'], start!, false)).toBe(false);
  });
});
