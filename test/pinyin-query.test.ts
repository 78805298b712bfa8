// Pinyin queries and completions on the seed corpus's vocabulary (corpus/alipay-15-years.txt): every way of
// typing 支付宝 by sound finds it, ambiguous splits go by the corpus's counts, a Latin word of the corpus stays
// literal, and completions come most frequent first.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { buildVocabularyData, loadVocabulary, type Vocabulary } from '../indexer/index/vocabulary.js';
import { paragraphWordCounts } from '../bench/pinyin-eval.js';
import { completionsFor, readPinyinRun, readPinyinWords } from '../server/search/pinyin-query.js';

const SEED = fileURLToPath(new URL('../corpus/alipay-15-years.txt', import.meta.url));
let seed: Vocabulary;

beforeAll(() => {
  const paragraphs = readFileSync(SEED, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(foldString);
  seed = loadVocabulary(buildVocabularyData(paragraphWordCounts(paragraphs)));
});

const firstWord = (run: string, vocabulary: Vocabulary = seed): string | undefined => readPinyinRun(run, vocabulary)?.candidates[0]?.word;

describe('readPinyinRun', () => {
  it('reads 支付宝 however it is typed by sound', () => {
    for (const run of ['zhifubao', 'zhi fu bao', 'zhīfùbǎo', 'zhi1fu4bao3', 'ZHIFUBAO', 'zfb', 'zhifb', 'zhi付宝', '支fb', 'zhi付bao']) {
      expect(firstWord(run), run).toBe('支付宝');
    }
  });

  it('says how the run was read', () => {
    expect(readPinyinRun('zhifubao', seed)?.candidates[0]).toMatchObject({ word: '支付宝', readAs: 'zhi fu bao', kind: 'pinyin' });
    expect(readPinyinRun('zfb', seed)?.candidates[0]).toMatchObject({ readAs: 'z f b', kind: 'initials' });
    expect(readPinyinRun('支fb', seed)?.candidates[0]).toMatchObject({ readAs: '支 f b', kind: 'mixed' });
    expect(readPinyinRun('zhifubao', seed)?.candidates[0]?.count).toBe(seed.entry(seed.idOf('支付宝')!).count);
  });

  it('reads other words of the seed corpus', () => {
    expect(firstWord('taobao')).toBe('淘宝');
    expect(firstWord('mayun')).toBe('马云');
    expect(firstWord('jinfu')).toBe('金服');
  });

  // A vocabulary of its own, where the counts decide.
  const small = loadVocabulary(
    buildVocabularyData([
      ['西安', 30],
      ['先', 50],
      ['现', 10],
      ['cto', 3],
      ['重庆', 4],
      ['银行', 8],
    ]),
  );

  it('puts a dictionary word before a string no dictionary has, unless that one is in ten times the paragraphs', () => {
    // 花为 is what jieba's HMM makes of 开花为… ; someone typing huawei means 华为.
    const huawei = loadVocabulary(buildVocabularyData([['花为', 7], ['华为', 1]]));
    expect(readPinyinRun('huawei', huawei)?.candidates.map((c) => c.word)).toEqual(['华为', '花为']);
    expect(completionsFor('huawei', huawei).map((c) => c.word)).toEqual(['华为', '花为']);
    const flooded = loadVocabulary(buildVocabularyData([['花为', 11], ['华为', 1]]));
    expect(readPinyinRun('huawei', flooded)?.candidates.map((c) => c.word)).toEqual(['花为', '华为']);
  });

  it('resolves an ambiguous split by the corpus, most frequent first', () => {
    expect(readPinyinRun('xian', small)?.candidates.map((c) => c.word)).toEqual(['先', '西安', '现']);
    expect(readPinyinRun("xi'an", small)?.candidates.map((c) => c.word)).toEqual(['西安']);
  });

  it('reads polyphones the way the words are read in context', () => {
    expect(firstWord('chongqing', small)).toBe('重庆');
    expect(firstWord('yinhang', small)).toBe('银行');
    expect(firstWord('zhongqing', small)).toBeUndefined();
  });

  it('keeps a Latin word of the vocabulary literal, first', () => {
    expect(readPinyinRun('CTO', small)).toMatchObject({ literal: { word: 'cto', count: 3 } });
    expect(readPinyinRun('CTO', seed)?.literal?.word).toBe('cto');
  });

  it('gives nothing for a run that is neither a word nor pinyin', () => {
    expect(readPinyinRun('iphone', small)).toBeNull();
    expect(readPinyinRun('qqq', small)).toBeNull();
  });
});

describe('readPinyinWords', () => {
  const words = (run: string, vocabulary: Vocabulary = seed): string[][] => readPinyinWords(run, vocabulary).map((reading) => reading.words.map(({ word }) => word));

  it('reads letters typed without spaces as the consecutive words they sound as', () => {
    expect(words('zhifubaoxitong')[0]).toEqual(['支付宝', '系统']);
    expect(words('mayijinfu')[0]).toEqual(['蚂蚁', '金服']);
    expect(readPinyinWords('mayijinfu', seed)[0]?.readAs).toBe('ma yi jin fu');
  });

  const city = loadVocabulary(buildVocabularyData([['杭州', 9], ['西湖', 5], ['西安', 30], ['先', 50], ['我', 50], ['爱', 40], ['北京', 20], ['湖', 3]]));

  it('tries every split into syllables, fewest words first, and words of two syllables or more only', () => {
    expect(words('hangzhouxihu', city)).toEqual([['杭州', '西湖']]);
    expect(words('xianxihu', city)).toEqual([['西安', '西湖']]); // xian as xi an: 先 is one syllable
    expect(words('woaibeijing', city)).toEqual([]); // 我 and 爱 are one syllable each
    expect(words('xihu', city)).toEqual([]); // one word is readPinyinRun's
  });

  it('gives nothing for letters that are not whole syllables, or too many words', () => {
    expect(words('zfbxt')).toEqual([]);
    expect(words('taozwon')).toEqual([]);
    expect(words('hangzhouxihuhangzhouxihuhangzhou', city)).toEqual([]);
  });
});

describe('completionsFor', () => {
  it('completes in either script, pinyin, initials and mixed, most frequent first, each finding something', () => {
    for (const typed of ['支付', '支付寶', 'zhifub', 'zhif', 'zf', '支f']) {
      const completions = completionsFor(typed, seed);
      expect(completions[0]?.word, typed).toBe('支付宝');
      expect(completions.every((completion) => completion.count > 0)).toBe(true);
      const counts = completions.map((completion) => completion.count);
      expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    }
  });

  it('answers at most the limit', () => {
    expect(completionsFor('z', seed)).toHaveLength(8);
    expect(completionsFor('z', seed, 3)).toHaveLength(3);
    expect(completionsFor('', seed)).toEqual([]);
  });

  it('puts the words that read exactly as whole syllables typed first, then longer ones by frequency', () => {
    expect(completionsFor('zhifu', seed).map((completion) => completion.word).slice(0, 2)).toEqual(['支付', '支付宝']);
    expect(completionsFor('zhifub', seed)[0]?.word).toBe('支付宝');
  });

  it('says how each completion was reached', () => {
    expect(completionsFor('支付', seed)[0]?.by).toBe('script');
    expect(completionsFor('zhifub', seed)[0]?.by).toBe('pinyin');
    expect(completionsFor('支f', seed)[0]?.by).toBe('mixed');
  });
});
