// The part of jieba's dictionary an update loads (jieba-subset.ts, jieba.ts loadJiebaFor): it cuts the texts it
// was made for, and every piece of them, exactly as the whole dictionary does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/fold.js';
import { cutWords, jiebaDictionaryLoaded, loadJiebaFor } from '../indexer/analyzer/jieba.js';
import { dictionarySubset, indexDictionary, SUBSET_TEXT_LIMIT } from '../indexer/analyzer/jieba-subset.js';
import { seededRandom } from './support/search-index.js';

const TOY = ['北京 300 ns', '北京大学 200 nt', '大学 500 n', '学生 400 n', '生活 100 vn', '活 50 v', '京 7 ns', '大 900 a', '北 60 f', '京剧 20 n', '北京 310 ns', '其他 100000 r'].join('\n');

describe('dictionarySubset', () => {
  it("keeps every line whose word occurs in the texts, in order, and the whole dictionary's sum, smallest and median frequency", () => {
    const whole = indexDictionary(TOY);
    for (const texts of [['活'], ['其他'], ['北京大学生', '活']]) {
      const reread = indexDictionary(dictionarySubset(whole, texts)!);
      expect([reread.sum, reread.min, reread.median], texts.join()).toEqual([whole.sum, whole.min, whole.median]);
    }
    const part = dictionarySubset(whole, ['北京大学生', '活'])!;
    const words = part.split('\n').filter((line) => line !== '' && !line.startsWith('\t'));
    // Grouped by first code point (in the order the texts meet them), each group in the dictionary's order.
    expect(words).toEqual(['北京 300 ns', '北京大学 200 nt', '北 60 f', '北京 310 ns', '京 7 ns', '大学 500 n', '大 900 a', '学生 400 n', '活 50 v']);
    expect(words.filter((line) => line.startsWith('北京 '))).toEqual(['北京 300 ns', '北京 310 ns']); // a word listed twice keeps both lines, in order
    expect(words.some((line) => line.startsWith('生活') || line.startsWith('京剧'))).toBe(false);
    expect(dictionarySubset(whole, ['北'.repeat(SUBSET_TEXT_LIMIT + 1)])).toBeNull();
  });
});

describe('loadJiebaFor', () => {
  it('cuts the texts it was loaded for, and their pieces, as the whole dictionary does; another text loads the whole dictionary', () => {
    const random = seededRandom(7);
    // Folded paragraphs of a committed text (Traditional, Latin letters and figures among the Chinese), pieces
    // of them, pieces joined across paragraphs, and the words of jieba's own user dictionary (their weight is
    // the median one), up to the part's limit.
    const paragraphs = readFileSync(path.join(import.meta.dirname, '..', 'corpus', 'alipay-15-years.txt'), 'utf8')
      .split(/\n+/)
      .map((line) => foldString(line.trim()))
      .filter((line) => line.length > 1);
    const piece = (): string => {
      const text = paragraphs[Math.floor(random() * paragraphs.length)]!;
      const start = Math.floor(random() * text.length);
      return text.slice(start, start + 1 + Math.floor(random() * 30));
    };
    const texts = ['云计算和区块链', '蓝翔的韩玉鉴赏', 'ceo说云计算'];
    let length = texts.join('\0').length;
    for (const text of [...paragraphs, ...Array.from({ length: 400 }, () => piece() + piece())]) {
      if (length + text.length + 1 > SUBSET_TEXT_LIMIT) break;
      texts.push(text);
      length += text.length + 1;
    }
    expect(texts.length).toBeGreaterThan(300);
    expect(loadJiebaFor(null, texts)).toBe(true);
    expect(jiebaDictionaryLoaded()).toBe('part');
    const asked = [...texts, ...texts.slice(0, 200).map((text) => text.slice(1, -1)).filter((text) => text.length > 1)];
    const byPart = asked.map((text) => cutWords(text));
    expect(jiebaDictionaryLoaded()).toBe('part'); // every text asked was covered
    cutWords('一段不在其中的文字');
    expect(jiebaDictionaryLoaded()).toBe('whole');
    expect(byPart).toEqual(asked.map((text) => cutWords(text)));
  });
});
