// Pinyin queries and "did you mean" through the engine, on the seed corpus and the eval sample: a Latin run is
// searched as the vocabulary word it reads as (highlights on the hanzi), a run that occurs as typed stays
// literal, a hanzi query is never read by sound, and a slip is offered its correction only on the counts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import type { SearchResponse } from '../server/search/types.js';
import { loadSeedAndSampleIndex, ROOT, type TestIndex } from './support/search-index.js';

let built: TestIndex;
let searcher: Searcher;
beforeAll(async () => {
  built = await loadSeedAndSampleIndex();
  searcher = createSearcher(built.index);
  await searcher.prepareVocabulary();
});
afterAll(() => built?.cleanup());

const page = { limit: 10, offset: 0 };
const search = (q: string): SearchResponse => searcher.search(q, page);
/** The highlighted strings of the first hits, folded. */
const marked = (response: SearchResponse): string[] => [
  ...new Set(response.hits.flatMap((hit) => hit.highlights.map(([start, end]) => foldString(hit.text.slice(start, end))))),
];

describe('pinyin queries', () => {
  it.each(['zhifubao', 'zhi fu bao', 'ZhiFuBao', 'zhīfùbǎo', 'zhi1fu4bao3', 'zfb', 'zhi付宝', '支fb'])('%s is searched as 支付宝', (q) => {
    const response = search(q);
    const asWord = search('支付宝');
    expect(response.terms).toEqual(['支付宝']);
    expect(response.rewrite?.runs).toHaveLength(1);
    expect(response.rewrite?.runs[0]).toMatchObject({ typed: q.trim(), word: '支付宝' });
    expect(response.total).toBe(asWord.total);
    expect(response.hits.map((hit) => hit.id)).toEqual(asWord.hits.map((hit) => hit.id));
    expect(marked(response)).toEqual(['支付宝']);
  });

  it('says how the run was read', () => {
    expect(search('zhifubao').rewrite?.runs[0]).toMatchObject({ readAs: 'zhi fu bao', kind: 'pinyin' });
    expect(search('zfb').rewrite?.runs[0]).toMatchObject({ readAs: 'z f b', kind: 'initials' });
    expect(search('zhi付宝').rewrite?.runs[0]).toMatchObject({ readAs: 'zhi 付 宝', kind: 'mixed' });
  });

  it('reads each run of a query of several, and keeps hanzi terms as they are', () => {
    const response = search('zhifubao 系统');
    expect(response.terms).toEqual(['支付宝', '系统']);
    expect(response.rewrite?.runs.map((run) => run.word)).toEqual(['支付宝']);
    expect(response.total).toBe(search('支付宝 系统').total);
  });

  it('searches a Latin word that occurs as itself literally (CTO), and reads nothing in a hanzi query', () => {
    for (const q of ['cto', 'CTO']) {
      const response = search(q);
      expect(response.rewrite).toBeNull();
      expect(response.terms).toEqual(['cto']);
      expect(response.total).toBeGreaterThan(0);
    }
    for (const q of ['支付宝', '支付包', '系统']) expect(search(q).rewrite, q).toBeNull();
  });

  it('reads letters that sound as several words as all of them (zhifubaoxitong: 支付宝 系统), and no English word as characters', () => {
    const response = search('zhifubaoxitong');
    const asWords = search('支付宝 系统');
    expect(response.terms).toEqual(['支付宝', '系统']);
    expect(response.rewrite?.runs).toEqual([{ typed: 'zhifubaoxitong', word: '支付宝 系统', readAs: 'zhi fu bao xi tong', kind: 'pinyin', others: [] }]);
    expect(response.total).toBe(asWords.total);
    expect(response.hits.map((hit) => hit.id)).toEqual(asWords.hits.map((hit) => hit.id));
    for (const q of ['banana', 'change']) expect(search(q).rewrite, q).toBeNull();
  });

  it('reads no quoted phrase and no excluded term', () => {
    expect(search('"zhifubao"')).toMatchObject({ rewrite: null, total: 0 });
    expect(search('支付宝 -zhifubao').rewrite).toBeNull();
  });

  it('takes the boundary the user typed (xi\'an: two syllables)', () => {
    const run = search("xi'an").rewrite?.runs[0];
    expect(run?.readAs).toBe('xi an');
    expect(search('xian').rewrite?.runs[0]?.word).toBe(run?.word);
  });

  it('regression: reads the first 8 Latin terms of a long query only (a hundred letters took 70 ms)', () => {
    const response = search(Array.from({ length: 20 }, () => 'zhifubao').join(' '));
    expect(response.rewrite?.runs).toHaveLength(8);
    expect(response.terms.filter((term) => term === 'zhifubao').length).toBeGreaterThan(0); // the rest as typed
  });

  it('marks the word on the document page too (needles)', () => {
    expect(searcher.needles('zhifubao')).toEqual(['支付宝']);
  });

  it('reads no pinyin before the vocabulary is built, and says so', () => {
    const cold = createSearcher(built.index);
    expect(cold.search('zhifubao', page)).toMatchObject({ rewrite: null, suggestion: null, vocabularyReady: false, total: 0 });
    expect(cold.complete('zhi', 8)).toBeNull();
    expect(search('zhifubao').vocabularyReady).toBe(true);
  });
});

describe('did you mean', () => {
  it('offers 支付宝 for the slips 支付包 and 支副宝, with what it finds', () => {
    for (const q of ['支付包', '支副宝']) {
      const { suggestion, total } = search(q);
      expect(suggestion, q).toMatchObject({ q: '支付宝', word: '支付宝', kind: 'homophone' });
      expect(suggestion!.total).toBe(search('支付宝').total);
      expect(suggestion!.total).toBeGreaterThanOrEqual(10 * total);
    }
  });

  it('keeps the rest of the query around the corrected term', () => {
    expect(search('支副宝 系统').suggestion?.q).toBe('支付宝 系统');
  });

  it('never corrects a query whose string occurs in the corpus', () => {
    const correct = readFileSync(path.join(ROOT, 'test', 'fixtures', 'pinyin-eval-sample', 'correct-queries.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (JSON.parse(line) as { query: string }).query);
    expect(correct.length).toBeGreaterThan(100);
    const corrected = correct.filter((q) => search(q).suggestion !== null);
    expect(corrected).toEqual([]);
    expect(search('支付宝').suggestion).toBeNull();
  });
});

describe('did you mean, whether a term occurs looked up in what the query found', () => {
  it('corrects as counting every term does (suggestionFor has no matches at hand and counts)', () => {
    const texts = built.index.documents.flatMap((document) => Array.from({ length: document.paragraphCount }, (_, p) => built.index.paragraphText(document.firstParagraph + p)));
    // Strings of one paragraph (they occur, often in its one match), slips of them, and pairs of both.
    const pieces = texts.slice(0, 60).flatMap((text, i) => {
      const han = [...text].filter((ch) => /\p{Script=Han}/u.test(ch));
      const piece = han.slice(i % 5, (i % 5) + 2 + (i % 3)).join('');
      return piece.length < 2 ? [] : [piece, `${piece.slice(0, -1)}包`];
    });
    const queries = [...pieces, ...pieces.slice(0, 40).map((piece, i) => `${piece} ${pieces[(i * 7 + 3) % pieces.length]!}`), '支付包', '支副宝 系统'];
    let offered = 0;
    for (const q of queries) {
      const response = search(q);
      expect(response.suggestion, q).toEqual(searcher.suggestionFor(searcher.analyze(q), response));
      if (response.suggestion !== null) offered++;
    }
    expect(offered).toBeGreaterThan(0);
  });
});

describe('completions', () => {
  it('complete in either script, in pinyin and in initials, each word with its paragraph count', () => {
    for (const typed of ['支付', 'zhifub', 'zf', '支f']) {
      const completions = searcher.complete(typed, 8)!;
      expect(completions.length, typed).toBeGreaterThan(0);
      expect(completions.length).toBeLessThanOrEqual(8);
      expect(completions.map((c) => c.word)).toContain('支付宝');
      for (const { word, count } of completions) expect(search(word).total, word).toBeGreaterThanOrEqual(count);
    }
  });
});
