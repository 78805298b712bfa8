// The pinyin-pro adapter: words read in context (polyphones), Traditional read as its Simplified form, and
// every syllable it can produce known to the input parser's syllable table.
import { describe, expect, it } from 'vitest';
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
    // pinyin-pro's own dictionary reads 五行 wu hang; 现代汉语词典 (modern.json) reads wu xing.
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
