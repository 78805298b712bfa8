// A reloaded index reads the replaced one's vocabulary until its own is built (SearcherOptions.interimVocabulary):
// pinyin goes on working through a watch-mode update, and suggestions are counted on the new index.
import { describe, expect, it } from 'vitest';
import type { SourceDocument } from '../indexer/corpus/index.js';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { writeDocumentsIndex } from './support/write-index.js';

const tempDir = tempDirFactory('sou-interim-');

const documents = (texts: readonly string[]): SourceDocument[] => texts.map((text, i) => ({ id: `note-${i}.txt`, title: `note ${i}`, paragraphs: [text] }));

async function searcherOf(texts: readonly string[], interimVocabulary?: ReturnType<ReturnType<typeof createSearcher>['vocabularyNow']>) {
  const dir = tempDir();
  await writeDocumentsIndex(dir, documents(texts));
  return createSearcher(await loadIndex(dir), { warmUpQueries: 0, ...(interimVocabulary === undefined ? {} : { interimVocabulary }) });
}

describe('a reloaded index before its own vocabulary is built', () => {
  const before = ['我用支付宝付款。', '支付宝的用户很多。', '蚂蚁金服和支付宝。', '今天下雨了。'];
  const after = ['我用支付宝付款。', '今天下雨了。', '明天出太阳。'];

  it('reads pinyin with the replaced index vocabulary, and finds on the new index', async () => {
    const old = await searcherOf(before);
    await old.prepareVocabulary();
    const fresh = await searcherOf(after, old.vocabularyNow());
    const answer = fresh.search('zhifubao', { limit: 10, offset: 0 });
    expect(answer.vocabularyReady).toBe(true);
    expect(answer.terms).toEqual(['支付宝']);
    expect(answer.hits.map((hit) => hit.docId)).toEqual(['note-0.txt']);
    // Without it, the same moment of a reload reads no pinyin.
    const bare = await searcherOf(after);
    expect(bare.search('zhifubao', { limit: 10, offset: 0 }).vocabularyReady).toBe(false);
  });

  it("counts its completions on the new index, drops those it no longer has, and takes its own vocabulary once built", async () => {
    const old = await searcherOf(before);
    await old.prepareVocabulary();
    const oldCounts = new Map(old.complete('支', 8)!.map((c) => [c.word, c.count]));
    expect(oldCounts.get('支付宝')).toBe(3);
    const fresh = await searcherOf(after, old.vocabularyNow());
    const interim = fresh.complete('支', 8)!;
    expect(interim.find((c) => c.word === '支付宝')?.count).toBe(1);
    expect(fresh.complete('蚂蚁', 8)!.map((c) => c.word)).toEqual([]);
    const own = await fresh.prepareVocabulary();
    expect(fresh.vocabularyNow()).toBe(own);
    expect(fresh.complete('支', 8)!.find((c) => c.word === '支付宝')?.count).toBe(1);
  });
});
