// What an index holds and answers, as plain data to compare two indexes by: an incremental build's against a
// full build's (incremental.test.ts, commit-crash.test.ts).
import type { LoadedIndex } from '../../indexer/index/load.js';
import { createSearcher } from '../../server/search/engine.js';
import { allTexts } from './texts.js';

export const QUERIES = ['的', '研究', '中国', '語言 研究', '歷史', '年', '发展 -的', '学者', '"的研究"', '1786', '大學 OR 学校', '國 家'];

/** The first page of each query's answer: totals, hits in order with their scores; not the time it took. */
export function answers(index: LoadedIndex, queries: readonly string[] = QUERIES): unknown[] {
  const searcher = createSearcher(index);
  return queries.map((query) => {
    const { total, relaxed, hits } = searcher.search(query, { limit: 10, offset: 0 });
    return { query, total, relaxed, hits: hits.map(({ id, score, title }) => ({ id, score, title })) };
  });
}

/** The index's documents, texts, BM25 lengths, counts and a few terms' postings. */
export function indexView(index: LoadedIndex): Record<string, unknown> {
  return {
    documents: index.documents,
    counts: index.manifest.counts,
    texts: allTexts(index),
    lengths: Array.from(index.paragraphLength),
    paragraphDocument: Array.from(index.paragraphDocument),
    common: index.terms.charactersInAtLeast(3),
    counted: ['的', '研', '研究', '国', '\u0002研究'].map((term) => [index.terms.count(term), Array.from(index.terms.postings(term))]),
    titles: ['梵', '文'].map((term) => [index.titles.count(term), Array.from(index.titles.postings(term))]),
  };
}
