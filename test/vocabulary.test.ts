// The vocabulary: words by reading and initials, completions by prefix in either script, pinyin and initials
// (ids sorted by key, checked against a plain filter), most frequent first, and its data round-trip.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildVocabularyData, buildVocabularyInSlices, FLEX_MINIMUM_COUNT, loadVocabulary, UNKNOWN_WORD_WEIGHT } from '../indexer/index/vocabulary.js';
import { readQueryRun } from '../indexer/analyzer/pinyin-input.js';
import { paragraphWordCounts } from '../bench/pinyin-eval.js';
import { loadSeedAndSampleIndex } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('vocabulary');

// Paragraph counts of words of the seed corpus (corpus/alipay-15-years.txt), and a few more.
const PAIRS: [string, number][] = [
  ['支付宝', 58],
  ['支付', 49],
  ['这份', 1],
  ['中国', 14],
  ['淘宝', 6],
  ['淘宝网', 5],
  ['西安', 3],
  ['先', 9],
  ['cto', 3],
  ['重庆', 2],
  ['银行', 12],
  ['上海市', 2],
  ['实施', 4],
  ['从来', 0],
];
const vocabulary = loadVocabulary(buildVocabularyData(PAIRS));
const words = (ids: readonly number[]): string[] => ids.map((id) => vocabulary.entry(id).word);

describe('building', () => {
  it('orders words most frequent first and leaves out words that find nothing', () => {
    expect(vocabulary.size).toBe(PAIRS.length - 1);
    expect(vocabulary.entry(0)).toEqual({ word: '支付宝', count: 58 });
    expect(vocabulary.idOf('从来')).toBeUndefined();
  });

  it('orders words of the same count by how common they are in general (jieba), else by code point', () => {
    // feiji: 斐济 sorts first by code point; 飞机 is by far the more common word.
    const tied: [string, number][] = [['斐济', 2], ['飞机', 2], ['公司', 3], ['龢龣', 2]];
    const ordered = (data: ReturnType<typeof buildVocabularyData>): string[] => [...data.words];
    expect(ordered(buildVocabularyData(tied))).toEqual(['公司', '飞机', '斐济', '龢龣']);
    expect(ordered(buildVocabularyData(tied, { orderTies: false }))).toEqual(['公司', '斐济', '飞机', '龢龣']);
    const feiji = loadVocabulary(buildVocabularyData(tied));
    expect(feiji.withReading(['fei', 'ji']).map((id) => feiji.entry(id).word)).toEqual(['飞机', '斐济']);
  });

  it('reads each word in context and gives none to a Latin word', () => {
    expect(vocabulary.reading(vocabulary.idOf('银行')!)).toEqual(['yin', 'hang']);
    expect(vocabulary.reading(vocabulary.idOf('cto')!)).toBeNull();
  });

  it('refuses a repeated word or a count that is not a whole number', () => {
    expect(() => buildVocabularyData([['支付', 1], ['支付', 2]])).toThrow(/given twice/);
    expect(() => buildVocabularyData([['支付', 1.5]])).toThrow(/count/);
    expect(() => buildVocabularyData([['', 1]])).toThrow(/non-empty/);
  });
});

describe('ranking the words of one reading', () => {
  // huawei: 花为 (a string jieba's HMM joined in 化为 contexts, no dictionary's word) is in more paragraphs than 华为.
  const homophones: [string, number][] = [['花为', 7], ['华为', 1], ['划为', 4], ['化为', 2]];
  const ranked = loadVocabulary(buildVocabularyData(homophones));
  const byCounts = loadVocabulary(buildVocabularyData(homophones, { unknownWordWeight: 1 }));
  const named = (v: typeof ranked, ids: readonly number[]): string[] => ids.map((id) => v.entry(id).word);

  it('weighs down a word no dictionary has, by UNKNOWN_WORD_WEIGHT', () => {
    expect(ranked.readingWeight(ranked.idOf('花为')!)).toBeCloseTo(7 * UNKNOWN_WORD_WEIGHT);
    expect(ranked.readingWeight(ranked.idOf('华为')!)).toBe(1);
    expect(named(ranked, ranked.withReading(['hua', 'wei']))).toEqual(['划为', '化为', '华为', '花为']);
    expect(named(byCounts, byCounts.withReading(['hua', 'wei']))).toEqual(['花为', '划为', '化为', '华为']);
  });

  it('ranks the words of an initials or mixed reading the same way', () => {
    expect(named(ranked, ranked.matching(readQueryRun('hw')[0]!, 4))).toEqual(['划为', '化为', '华为', '花为']);
    expect(named(ranked, ranked.matching(readQueryRun('华w')[0]!, 3))).toEqual(['华为']);
    const crowded = loadVocabulary(buildVocabularyData([['花为', 15], ['画为', 12], ['华为', 2]]));
    expect(named(crowded, crowded.matching(readQueryRun('hw')[0]!, 3))).toEqual(['华为', '花为', '画为']);
  });

  it('completes pinyin and initials by the same weight, script by count, and leaves the ids as they were', () => {
    expect([...buildVocabularyData(homophones).words]).toEqual(['花为', '划为', '化为', '华为']);
    expect(ranked.completeInitials('hw', 8).map((entry) => entry.word)).toEqual(['划为', '化为', '华为', '花为']);
    expect(ranked.completePinyin('huaw', 3).map((entry) => entry.word)).toEqual(['划为', '化为', '华为']);
    expect(byCounts.completePinyin('huaw', 3).map((entry) => entry.word)).toEqual(['花为', '划为', '化为']);
    const script = loadVocabulary(buildVocabularyData([['花为', 7], ['花园', 1]]));
    expect(script.completeScript('花', 8).map((entry) => entry.word)).toEqual(['花为', '花园']);
  });

  it('refuses a weight outside (0, 1]', () => {
    expect(() => buildVocabularyData(homophones, { unknownWordWeight: 0 })).toThrow(/unknownWordWeight/);
    expect(() => buildVocabularyData(homophones, { unknownWordWeight: 2 })).toThrow(/unknownWordWeight/);
  });

  it('counts the words of the user dictionary jieba is loaded with as dictionary words', () => {
    const root = fileURLToPath(new URL('..', import.meta.url));
    const distVocabulary = path.join(root, 'dist', 'indexer', 'index', 'vocabulary.js');
    const distAnalyzer = path.join(root, 'dist', 'indexer', 'analyzer', 'index.js');
    if (!existsSync(distVocabulary)) throw new Error(`${distVocabulary} is missing: run \`npm run build\` first (npm test does)`);
    const dir = tempDir();
    const dict = path.join(dir, 'user.dict.txt');
    // A Traditional entry: the dictionary's words are folded as the vocabulary's are (花為 → 花为).
    writeFileSync(dict, '花為 5 n\n');
    const probe = path.join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { loadJieba } from ${JSON.stringify(distAnalyzer)};
import { buildVocabularyData, loadVocabulary } from ${JSON.stringify(distVocabulary)};
const [dict] = process.argv.slice(2);
loadJieba(dict === '-' ? null : dict);
const v = loadVocabulary(buildVocabularyData([['花为', 7], ['华为', 1]]));
console.log(JSON.stringify(v.withReading(['hua', 'wei']).map((id) => v.entry(id).word)));`,
    );
    const run = (arg: string): string => {
      const child = spawnSync(process.execPath, [probe, arg], { encoding: 'utf8', timeout: 60_000 });
      expect(child.status, child.stderr).toBe(0);
      return child.stdout.trim();
    };
    expect(run('-')).toBe(JSON.stringify(['华为', '花为']));
    expect(run(dict)).toBe(JSON.stringify(['花为', '华为']));
  });
});

describe('lookups', () => {
  it('finds words by exact reading and by initials', () => {
    expect(words(vocabulary.withReading(['zhi', 'fu', 'bao']))).toEqual(['支付宝']);
    expect(words(vocabulary.withReading(['xi', 'an']))).toEqual(['西安']);
    expect(words(vocabulary.withInitials('zf'))).toEqual(['支付', '这份']);
    expect(words(vocabulary.withInitials('zz'))).toEqual([]);
  });

  it('says which reading prefixes may start a word, never no to one that does', () => {
    expect(vocabulary.mayStartReading(['zhi'])).toBe(true);
    expect(vocabulary.mayStartReading(['zhi', 'fu'])).toBe(true);
    expect(vocabulary.mayStartReading(['zhi', 'fu', 'bao'])).toBe(true);
    expect(vocabulary.mayStartReading(['zhi', 'fu', 'bao', 'zhi', 'fu', 'bao'])).toBe(false);
    for (let id = 0; id < vocabulary.size; id++) {
      const reading = vocabulary.isPhrase(id) ? null : vocabulary.reading(id);
      if (reading !== null) for (let end = 1; end <= reading.length; end++) expect(vocabulary.mayStartReading(reading.slice(0, end))).toBe(true);
    }
  });

  it('knows the characters of its words', () => {
    expect(vocabulary.hasCharacter('宝')).toBe(true);
    expect(vocabulary.hasCharacter('龘')).toBe(false);
  });

  it('matches a mixed pattern (支fb) only against words that fit it', () => {
    expect(words(vocabulary.matching(readQueryRun('支fb')[0]!, 10))).toEqual(['支付宝']);
    expect(words(vocabulary.matching(readQueryRun('zf')[0]!, 10))).toEqual(['支付', '这份']);
  });
});

describe('completions', () => {
  it('complete a prefix in either script, most frequent first with counts', () => {
    expect(vocabulary.completeScript('支付', 8)).toEqual([{ word: '支付宝', count: 58 }, { word: '支付', count: 49 }]);
    expect(vocabulary.completeScript('淘寶', 8).map((entry) => entry.word)).toEqual(['淘宝', '淘宝网']);
    expect(vocabulary.completeScript('淘', 8).map((entry) => entry.word)).toEqual(['淘宝', '淘宝网']);
    expect(vocabulary.completeScript('淘寶網', 8).map((entry) => entry.word)).toEqual(['淘宝网']);
  });

  it('complete pinyin typed so far, respecting typed boundaries', () => {
    expect(vocabulary.completePinyin('zhifub', 8).map((entry) => entry.word)).toEqual(['支付宝']);
    expect(vocabulary.completePinyin('zhi', 8).map((entry) => entry.word)).toEqual(['支付宝', '支付']);
    expect(vocabulary.completePinyin('xian', 8).map((entry) => entry.word)).toEqual(['先', '西安']);
    expect(vocabulary.completePinyin("xi'an", 8).map((entry) => entry.word)).toEqual(['西安']);
  });

  it('look further when the most frequent words of a prefix are not kept', () => {
    // Dozens of words read xian… are more frequent than 西安; only 西安 has a boundary after xi.
    const many = [...'生天人前后来去是在有个的了和不我他她它们这那里外上下中大小多少长短高低明暗新旧好坏真假对错']
      .slice(0, 60)
      .map((ch, i): [string, number] => [`先${ch}`, 100 + i]);
    const crowded = loadVocabulary(buildVocabularyData([...many, ['西安', 1]]));
    expect(crowded.completePinyin("xi'an", 1).map((entry) => entry.word)).toEqual(['西安']);
  });

  it('complete initials typed so far', () => {
    expect(vocabulary.completeInitials('zf', 8).map((entry) => entry.word)).toEqual(['支付宝', '支付', '这份']);
    expect(vocabulary.completeInitials('zf', 1).map((entry) => entry.word)).toEqual(['支付宝']);
  });

  it('find exactly what a plain filter over the vocabulary finds, in the same order', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-d]{1,5}$/), fc.integer({ min: 1, max: 50 })), { selector: ([word]) => word, maxLength: 40 });
    fc.assert(
      fc.property(entries, fc.stringMatching(/^[a-d]{1,3}$/), fc.integer({ min: 1, max: 10 }), (pairs, prefix, limit) => {
        const data = buildVocabularyData(pairs, { orderTies: false });
        const found = loadVocabulary(data).completeScript(prefix, limit).map((entry) => entry.word);
        const expected = data.words.filter((word) => word.startsWith(prefix)).slice(0, limit);
        expect(found).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});

describe('completions past FlexSearch’s words (regression)', () => {
  it('asked again give the same answer: the rarer words appended do not change FlexSearch’s lists', () => {
    // 中华为 is in FlexSearch (FLEX_MINIMUM_COUNT or more paragraphs), the others on sorted keys. The answer of a
    // prefix was FlexSearch's own list of ids, and appending the rarer words to it added them to the index.
    const data = buildVocabularyData([['中华为', FLEX_MINIMUM_COUNT], ['中华', 1], ['中华民国', 1]], { orderTies: false });
    const lookups = loadVocabulary(data);
    const words = (limit: number): string[] => lookups.completeScript('中', limit).map((entry) => entry.word);
    expect(words(8)).toEqual(['中华为', '中华', '中华民国']);
    expect(words(2)).toEqual(['中华为', '中华']);
    expect(words(8)).toEqual(['中华为', '中华', '中华民国']);
  });
});

describe('completions of long words', () => {
  // Words whose pinyin and initials run long, checked against a plain filter.
  const long: [string, number][] = [
    ['中华人民共和国', 9],
    ['中华人民', 8],
    ['中华', 7],
    ['中华民国', 6],
    ['中央人民广播电台', 5],
    ['支付宝', 4],
    ['重庆银行', 3],
    // Strings no dictionary has, weighed down: they come after words of fewer paragraphs.
    ['中华为', 20],
    ['支付为', 12],
  ];
  const data = buildVocabularyData(long, { orderTies: false });
  const lookups = loadVocabulary(data);
  const pinyinOf = (word: string): string => (lookups.reading(lookups.idOf(word)!) ?? []).join('');
  const initialsOf = (word: string): string => (lookups.reading(lookups.idOf(word)!) ?? []).map((s) => s[0]).join('');
  const prefixes = (key: (word: string) => string): fc.Arbitrary<string> =>
    fc.tuple(fc.constantFrom(...data.words), fc.nat(20)).map(([word, n]) => key(word).slice(0, 1 + (n % key(word).length)));

  it('in script, pinyin and initials find what a plain filter finds, in order (pinyin and initials by reading weight)', () => {
    expect(data.known.filter((k) => k === 0).length).toBeGreaterThanOrEqual(2);
    const weight = (word: string): number => lookups.entry(lookups.idOf(word)!).count * (data.known[lookups.idOf(word)!] === 1 ? 1 : UNKNOWN_WORD_WEIGHT);
    const byWeight = (words: string[]): string[] => words.sort((a, b) => weight(b) - weight(a) || lookups.idOf(a)! - lookups.idOf(b)!);
    fc.assert(
      fc.property(prefixes((word) => word), prefixes(pinyinOf), prefixes(initialsOf), fc.integer({ min: 1, max: 8 }), (script, pinyin, initials, limit) => {
        const filter = (key: (word: string) => string, prefix: string, order = (words: string[]) => words): string[] =>
          order(data.words.filter((word) => key(word).startsWith(prefix))).slice(0, limit);
        expect(lookups.completeScript(script, limit).map((e) => e.word)).toEqual(filter((word) => word, script));
        expect(lookups.completePinyin(pinyin, limit).map((e) => e.word)).toEqual(filter(pinyinOf, pinyin, byWeight));
        expect(lookups.completeInitials(initials, limit).map((e) => e.word)).toEqual(filter(initialsOf, initials, byWeight));
      }),
      { numRuns: 200 },
    );
  });
});

describe('building between requests', () => {
  it('gives the vocabulary that building at once gives', async () => {
    const sliced = await buildVocabularyInSlices(PAIRS);
    expect(sliced.size).toBe(vocabulary.size);
    for (let id = 0; id < sliced.size; id++) expect(sliced.entry(id)).toEqual(vocabulary.entry(id));
    expect(sliced.completePinyin('zhi', 8)).toEqual(vocabulary.completePinyin('zhi', 8));
  });

  it('keeps the most frequent words up to its limit', () => {
    const kept = loadVocabulary(buildVocabularyData(PAIRS, 3));
    expect(Array.from({ length: kept.size }, (_, id) => kept.entry(id).word)).toEqual(['支付宝', '支付', '中国']);
  });
});

describe('the loaded index’s words (LoadedIndex.wordCounts)', () => {
  it('are every word of two or more characters with its paragraph count, as a plain count over the paragraphs finds', async () => {
    const { index } = await loadSeedAndSampleIndex();
    const listed = new Map<string, number>();
    for (const [word, count] of index.wordCounts()) {
      expect(listed.has(word), word).toBe(false);
      listed.set(word, count);
    }
    const expected = paragraphWordCounts(Array.from({ length: index.paragraphCount }, (_, id) => index.foldedParagraph(id)));
    expect(listed.size).toBe(expected.size);
    const differing = [...expected].filter(([word, count]) => listed.get(word) !== count);
    expect(differing.slice(0, 10)).toEqual([]);
    expect(listed.get('支付宝')).toBeGreaterThan(1); // a word of many paragraphs (FlexSearch's part)
    expect([...listed.values()].filter((count) => count === 1).length).toBeGreaterThan(1000); // and of one (once-words)
  });
});
