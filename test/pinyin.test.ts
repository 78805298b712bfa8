// The pinyin-pro adapter: words read in context (polyphones), Traditional read as its Simplified form, and
// every syllable it can produce known to the input parser's syllable table.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { foldString } from '../indexer/analyzer/fold.js';
import { characterReadings, initialsOf, readText, wordInitials, wordReading } from '../indexer/analyzer/pinyin.js';
import { SYLLABLES } from '../indexer/analyzer/pinyin-input.js';

describe('wordReading', () => {
  it('reads polyphones in context (golden)', () => {
    expect(wordReading('重庆')).toEqual(['chong', 'qing']);
    expect(wordReading('银行')).toEqual(['yin', 'hang']);
    expect(wordReading('了解')).toEqual(['liao', 'jie']);
    expect(wordReading('长城')).toEqual(['chang', 'cheng']);
    expect(wordReading('行长')).toEqual(['hang', 'zhang']);
    expect(wordReading('支付宝')).toEqual(['zhi', 'fu', 'bao']);
  });

  it('reads a word with a polyphone as the Modern Chinese Dictionary does, where pinyin-pro alone misreads it', () => {
    // pinyin-pro's own dictionary reads 五行 wu hang; 现代汉语词典 (modern.json, within complete.json) reads wu xing.
    expect(wordReading('五行')).toEqual(['wu', 'xing']);
    expect(wordReading('排行')).toEqual(['pai', 'hang']);
    expect(wordReading('绿化')).toEqual(['lv', 'hua']);
  });

  it('reads Traditional as its Simplified form', () => {
    expect(wordReading('銀行')).toEqual(['yin', 'hang']);
    expect(wordReading('重慶')).toEqual(['chong', 'qing']);
    expect(wordReading('支付寶')).toEqual(wordReading('支付宝'));
  });

  it('writes ü as v', () => {
    expect(wordReading('绿色')).toEqual(['lv', 'se']);
    expect(wordReading('女儿')).toEqual(['nv', 'er']);
  });

  it('gives no reading to a word that is not all Chinese characters', () => {
    expect(wordReading('cto')).toBeNull();
    expect(wordReading('3d打印')).toBeNull();
    expect(wordReading('')).toBeNull();
  });
});

// Regressions of issue 23: words pinyin-pro alone read by each character's most common reading (高句丽 gao ju
// li), found misread in the held-out polyphone sets, read right from complete.json (jieba's words).
describe('words with a polyphone pinyin-pro alone misread', () => {
  it.each([
    ['高句丽', 'gao gou li'],
    ['大城市', 'da cheng shi'],
    ['都察院', 'du cha yuan'],
    ['处长', 'chu zhang'],
    ['秘书长', 'mi shu zhang'],
    ['委员长', 'wei yuan zhang'],
    ['执行长', 'zhi xing zhang'],
    ['灵长类', 'ling zhang lei'],
    ['薄膜', 'bo mo'],
    ['势单力薄', 'shi dan li bo'],
    ['藏文', 'zang wen'],
    ['藏语', 'zang yu'],
    ['雅鲁藏布江', 'ya lu zang bu jiang'],
    ['奥古斯都', 'ao gu si du'],
    ['大都会', 'da du hui'],
    ['都灵', 'du ling'],
    ['都柏林', 'du bo lin'],
    ['丰都', 'feng du'],
    ['花都', 'hua du'],
    ['都安瑶族自治县', 'du an yao zu zi zhi xian'],
    ['重排', 'chong pai'],
    ['重拾', 'chong shi'],
    ['重制', 'chong zhi'],
    ['重回', 'chong hui'],
    ['曾荫权', 'zeng yin quan'],
    ['曾巩', 'zeng gong'],
    ['释迦牟尼', 'shi jia mou ni'],
    ['的黎波里', 'di li bo li'],
    ['斯堪的纳维亚', 'si kan di na wei ya'],
    ['什叶派', 'shi ye pai'],
    ['乌什', 'wu shi'],
    ['大埔', 'da bu'],
    ['大埔县', 'da bu xian'],
    ['水浒传', 'shui hu zhuan'],
    ['刘禅', 'liu shan'],
    ['装弹', 'zhuang dan'],
  ])('reads %s as %s', (word, reading) => {
    expect(wordReading(word)?.join(' ')).toBe(reading);
  });

  it('reads the Traditional form of a fixed word alike (高句麗)', () => {
    expect(wordReading('高句麗')).toEqual(['gao', 'gou', 'li']);
  });
});

describe('the dictionary of words with a polyphone (@pinyin-pro/data complete.json)', () => {
  const require = createRequire(import.meta.url);
  const parse = (name: string): Record<string, readonly [string, ...unknown[]] | string> =>
    JSON.parse(readFileSync(require.resolve(`@pinyin-pro/data/${name}.json`), 'utf8')) as Record<string, readonly [string, ...unknown[]] | string>;
  const toneless = (value: readonly [string, ...unknown[]] | string): string =>
    (typeof value === 'string' ? value : value[0]).normalize('NFD').toLowerCase().replace(/u\u0308/g, 'v').replace(/[\u0300-\u036f]/g, '').trim();
  const complete = parse('complete');
  const hasPolyphone = (word: string): boolean => [...word].some((character) => characterReadings(character).length > 1);

  // A plain oracle (JSON.parse of the file) against the module's pattern-read, sorted table: every 7th word with
  // a polyphone, the first and the last included.
  it('reads its words with a polyphone as it does', () => {
    const words = Object.keys(complete).filter((word) => /^\p{Script=Han}+$/u.test(word) && foldString(word) === word && hasPolyphone(word));
    expect(words.length).toBeGreaterThan(50_000);
    const sample = words.filter((_, i) => i % 7 === 0 || i === words.length - 1);
    const wrong: string[] = [];
    for (const word of sample) {
      const expected = toneless(complete[word]!);
      if (expected.split(/\s+/).length !== [...word].length || !/^[a-z ]+$/.test(expected)) continue;
      const read = wordReading(word)?.join(' ');
      if (read !== expected) wrong.push(`${word} ${read} (${expected})`);
    }
    expect(wrong).toEqual([]);
  });

  it('loads in many short steps when prepared (the server builds its vocabulary between requests)', async () => {
    vi.resetModules();
    const fresh = await import('../indexer/analyzer/pinyin.js');
    let steps = 0;
    for (const _ of fresh.prepareWordReadingsInSteps()) steps++;
    expect(steps).toBeGreaterThan(50);
    expect(fresh.wordReading('高句丽')).toEqual(['gao', 'gou', 'li']);
    // Prepared once: a second preparation has nothing left to do.
    expect([...fresh.prepareWordReadingsInSteps()]).toHaveLength(0);
  });

  // Why complete.json alone: it holds the Modern Chinese Dictionary's words with the same readings, so
  // reading modern.json first would change nothing. A new version of the data that broke this fails here.
  it('holds every word of the Modern Chinese Dictionary (modern.json) that has a polyphone, read alike', () => {
    const modern = parse('modern');
    const differ: string[] = [];
    for (const [word, value] of Object.entries(modern)) {
      if (!hasPolyphone(word)) continue;
      const there = complete[word];
      if (there === undefined || toneless(there) !== toneless(value)) differ.push(word);
    }
    expect(differ).toEqual([]);
  });
});

describe('readText', () => {
  it('reads one syllable per code point of the folded text, null for the rest', () => {
    expect(readText('CTO支付寶')).toEqual([null, null, null, 'zhi', 'fu', 'bao']);
    expect(readText('𦈡')).toHaveLength(1);
  });
});

describe('initials', () => {
  it('are the first letters of the syllables', () => {
    expect(wordInitials('支付宝')).toBe('zfb');
    expect(wordInitials('上海市')).toBe('shs');
    expect(initialsOf(['xi', 'an'])).toBe('xa');
    expect(wordInitials('ipad')).toBeNull();
  });
});

describe('characterReadings', () => {
  it('lists every reading of a polyphone, and none for what is not a character', () => {
    expect(characterReadings('行')).toEqual(expect.arrayContaining(['xing', 'hang']));
    expect(characterReadings('重')).toEqual(expect.arrayContaining(['zhong', 'chong']));
    expect(characterReadings('a')).toEqual([]);
    expect(characterReadings('银行')).toEqual([]);
  });
});

describe('syllable table', () => {
  it('holds every syllable pinyin-pro reads a common CJK character as (interjections aside)', () => {
    const interjections = new Set(['m', 'n', 'ng', 'hm', 'hng', 'ê']);
    const unknown = new Set<string>();
    for (let cp = 0x4e00; cp <= 0x9fa5; cp++) {
      for (const syllable of characterReadings(String.fromCodePoint(cp))) {
        if (/^[a-z]+$/.test(syllable) && !SYLLABLES.has(syllable) && !interjections.has(syllable)) unknown.add(syllable);
      }
    }
    expect([...unknown]).toEqual([]);
  });
});
