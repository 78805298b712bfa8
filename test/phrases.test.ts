// Frequent phrases for suggestions (indexer/index/phrases.ts): two vocabulary words side by side in several
// paragraphs, each counted as its search counts; in the vocabulary they complete but are never read as pinyin
// nor proposed as corrections; through the engine every suggested phrase finds exactly the count it shows.
import { describe, expect, it } from 'vitest';
import { foldString, foldedWords } from '../indexer/analyzer/index.js';
import { frequentPhrasesInSteps, LONGEST_PHRASE, MIN_PHRASE_PARAGRAPHS, type PhraseSource } from '../indexer/index/phrases.js';
import { runSteps } from '../indexer/steps.js';
import { buildVocabularyData, loadVocabulary } from '../indexer/index/vocabulary.js';
import { paragraphWordCounts } from '../bench/pinyin-eval.js';
import { createSearcher } from '../server/search/engine.js';
import { proposeCorrections } from '../server/search/did-you-mean.js';
import { completionsFor, readPinyinRun } from '../server/search/pinyin-query.js';
import { loadSeedAndSampleIndex } from './support/search-index.js';

const TEXTS = [
  '我用支付宝钱包付款。',
  '打开支付宝钱包，选择转账。',
  '支付宝钱包的新版本上线了。',
  '支付宝 钱包 分开写。',
  '淘宝网店铺很多。',
  '淘宝网店铺的评价。',
  '中华人民共和国成立。',
  '中华人民共和国万岁。',
  '我们热爱中华人民共和国和平。',
].map(foldString);

/** What a search of a hanzi run finds: paragraphs that contain each of its words (the engine's strict match). */
const searchCount = (paragraphs: readonly string[]) => (phrase: string) => {
  const words = [...new Set(foldedWords(phrase))];
  return paragraphs.filter((p) => words.every((word) => p.includes(word))).length;
};

const sourceOf = (paragraphs: readonly string[]): PhraseSource => ({
  paragraphCount: paragraphs.length,
  folded: (id) => paragraphs[id]!,
  count: searchCount(paragraphs),
});

/** The oracle: adjacent word pairs (both in `words`, of two or more Chinese characters) in at least two paragraphs. */
function plainPhrases(paragraphs: readonly string[], words: ReadonlySet<string>): Map<string, number> {
  const seen = new Map<string, number>();
  for (const paragraph of paragraphs) {
    const found = new Set<string>();
    const pieces = foldedWords(paragraph);
    for (let i = 0; i + 1 < pieces.length; i++) {
      const [a, b] = [pieces[i]!, pieces[i + 1]!];
      const ok = (w: string) => words.has(w) && [...w].length >= 2 && /^\p{Script=Han}+$/u.test(w);
      if (ok(a) && ok(b) && paragraph.includes(a + b) && [...(a + b)].length <= LONGEST_PHRASE) found.add(a + b);
    }
    for (const phrase of found) seen.set(phrase, (seen.get(phrase) ?? 0) + 1);
  }
  const count = searchCount(paragraphs);
  return new Map(
    [...seen]
      .filter(([phrase, n]) => n >= MIN_PHRASE_PARAGRAPHS && !words.has(phrase) && count(phrase) >= MIN_PHRASE_PARAGRAPHS)
      .map(([phrase]) => [phrase, count(phrase)]),
  );
}

describe('frequent phrases', () => {
  const words = new Set(paragraphWordCounts(TEXTS).keys());

  it('are the word pairs side by side in two or more paragraphs, counted as their search counts', () => {
    const found = new Map(runSteps(frequentPhrasesInSteps(sourceOf(TEXTS), (w) => words.has(w))));
    expect(found).toEqual(plainPhrases(TEXTS, words));
    // Side by side in three paragraphs; its search also finds the one that writes the words apart.
    if (words.has('支付宝') && words.has('钱包')) expect(found.get('支付宝钱包')).toBe(4);
  });

  it('leave out a phrase that is a word of the vocabulary, and pairs with a word it does not keep', () => {
    const found = new Map(runSteps(frequentPhrasesInSteps(sourceOf(TEXTS), (w) => words.has(w) && w !== '钱包')));
    expect([...found.keys()].some((phrase) => phrase.endsWith('钱包'))).toBe(false);
    for (const phrase of found.keys()) expect(words.has(phrase)).toBe(false);
  });

  it('find the frequent ones from a sample and within a small pair budget, with exact counts still', () => {
    // Many paragraphs: a frequent phrase among noise that fills the budget.
    const noise = Array.from({ length: 400 }, (_, i) => foldString(`第${i}号文件${'春夏秋冬'[i % 4]}天气预报${i % 7}`));
    const paragraphs = [...noise, ...Array.from({ length: 60 }, (_, i) => foldString(`今天打开支付宝钱包${i}次`))];
    const vocabularyWords = new Set(paragraphWordCounts(paragraphs).keys());
    const full = new Map(runSteps(frequentPhrasesInSteps(sourceOf(paragraphs), (w) => vocabularyWords.has(w))));
    const sampled = new Map(runSteps(frequentPhrasesInSteps(sourceOf(paragraphs), (w) => vocabularyWords.has(w), { sampleCharacters: 2000, pairBudget: 8 })));
    expect(full.get('支付宝钱包')).toBe(60);
    expect(sampled.get('支付宝钱包')).toBe(60);
    for (const [phrase, count] of sampled) expect(full.get(phrase)).toBe(count);
  });

  it('keep at most `limit`, and none of an empty source', () => {
    expect(runSteps(frequentPhrasesInSteps(sourceOf(TEXTS), (w) => words.has(w), { limit: 1 })).length).toBeLessThanOrEqual(1);
    expect(runSteps(frequentPhrasesInSteps(sourceOf([]), () => true))).toEqual([]);
  });
});

describe('phrases in the vocabulary', () => {
  const words = paragraphWordCounts(TEXTS);
  const vocabulary = loadVocabulary(buildVocabularyData(words, { phrases: sourceOf(TEXTS) }));
  const phrase = '支付宝钱包';

  it('complete in script, pinyin and initials, ranked with the words by count', () => {
    const id = vocabulary.entryIdOf(phrase);
    expect(id).toBeDefined();
    expect(vocabulary.isPhrase(id!)).toBe(true);
    expect(vocabulary.completeScript('支付', 8).map((e) => e.word)).toContain(phrase);
    expect(vocabulary.completePinyin('zhifubaoqian', 8).map((e) => e.word)).toEqual([phrase]);
    expect(vocabulary.completeInitials('zfbq', 8).map((e) => e.word)).toEqual([phrase]);
    const counts = Array.from({ length: vocabulary.size }, (_, i) => vocabulary.entry(i).count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(completionsFor('支付', vocabulary).map((c) => c.word)).toContain(phrase);
  });

  it('are never a word: not read as pinyin, not proposed as a correction, not idOf', () => {
    expect(vocabulary.idOf(phrase)).toBeUndefined();
    expect(vocabulary.withReading(['zhi', 'fu', 'bao', 'qian', 'bao'])).toEqual([]);
    expect(vocabulary.withInitials('zfbqb')).toEqual([]);
    expect(readPinyinRun('zhifubaoqianbao', vocabulary)).toBeNull();
    expect(proposeCorrections('支付包钱包', vocabulary).map((c) => c.word)).not.toContain(phrase);
  });
});

describe('phrases through the engine (GET /api/suggest)', () => {
  it('show exactly what their search finds, and every suggestion finds something', async () => {
    const { index } = await loadSeedAndSampleIndex();
    const searcher = createSearcher(index);
    const vocabulary = await searcher.prepareVocabulary();
    const phrases = Array.from({ length: vocabulary.size }, (_, id) => id).filter((id) => vocabulary.isPhrase(id));
    expect(phrases.length).toBeGreaterThan(10);
    for (const id of phrases.slice(0, 200)) {
      const { word, count } = vocabulary.entry(id);
      expect(searcher.search(word, { limit: 1, offset: 0 }).total, word).toBe(count);
    }
    // A phrase offered as a completion of its first word's start.
    const first = vocabulary.entry(phrases[0]!).word;
    const offered = searcher.complete(first.slice(0, 2), 8) ?? [];
    for (const { word, count } of offered) expect(searcher.search(word, { limit: 1, offset: 0 }).total, word).toBeGreaterThanOrEqual(Math.min(count, 1));
  });
});
