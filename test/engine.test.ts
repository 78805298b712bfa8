// The search engine on a real index (seed corpus + eval sample): folding, syntax, ranking, the relaxed fallback,
// pagination and the hits' highlights and snippets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldString, wordTerm } from '../indexer/analyzer/index.js';
import { createSearcher, type SearchHit, type SearchResponse, type Searcher } from '../server/search/engine.js';
import { matchQuery, positiveWords, strictMatches, termsInEveryMatch } from '../server/search/match.js';
import { parseQuery } from '../server/search/query.js';
import { firstPass } from '../server/search/first-pass.js';
import { rank } from '../server/search/rank.js';
import { RANKING, rankQuery, type RankingSource } from '../server/search/rank-query.js';
import { bitmapWords, type IdBitmap, type IdList } from '../server/search/sets.js';
import { warmUpQueries } from '../server/search/warm-up-queries.js';
import { SNIPPET } from '../server/search/snippet.js';
import { textRankingSource, type TextRankingSource } from './support/ranking-source.js';
import { readCorpus } from '../indexer/corpus/index.js';
import { documentFixture } from './support/document-text.js';
import { buildLocatedCorpus, type LocatedCorpus } from './support/located-corpus.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { loadSeedAndSampleIndex, buildTestIndex, globalParagraphIds, onCodePointBoundaries, sampleQueries, type TestIndex } from './support/search-index.js';
import { allTexts } from './support/texts.js';

/** The candidates as a list of ids, and their first pass's keys (keyed whatever their number). */
const listed = (ids: IdList) => ({ kind: 'ids', ids }) as const;
const firstPassKeys = (source: RankingSource, query: ReturnType<typeof rankQuery>, ids: IdList): Float64Array =>
  firstPass(source, query, listed(ids), RANKING.exactCandidates, true).keys;

let built: TestIndex;
let searcher: Searcher;
let globalId: Map<string, number>;

beforeAll(async () => {
  built = await loadSeedAndSampleIndex();
  searcher = createSearcher(built.index);
  globalId = globalParagraphIds(built.index);
});
afterAll(() => built?.cleanup());

const search = (q: string, limit = 100, offset = 0): SearchResponse => searcher.search(q, { limit, offset });
const folded = (hit: SearchHit): string => built.index.foldedParagraph(globalId.get(hit.id)!);
const ids = (response: SearchResponse): string[] => hitList(response.hits);
const hitList = (hits: readonly SearchHit[]): string[] => hits.map((hit) => hit.id);

/** Every hit of a query, paging with `limit`. */
function allHits(q: string, limit: number): SearchHit[] {
  const hits: SearchHit[] = [];
  for (let offset = 0; ; offset += limit) {
    const page = search(q, limit, offset);
    hits.push(...page.hits);
    if (offset + limit >= page.total) return hits;
  }
}

/** Global ids of the paragraphs whose folded text satisfies `test`. */
function scan(test: (text: string) => boolean): number[] {
  return allTexts(built.index).map((_, id) => built.index.foldedParagraph(id)).flatMap((text, id) => (test(text) ? [id] : []));
}
const hitIds = (hits: readonly SearchHit[]): number[] => hits.map((hit) => globalId.get(hit.id)!).sort((a, b) => a - b);

/** Highlights are UTF-16 ranges into the hit's text, sorted, disjoint, each folding to text with a query needle. */
function checkHighlights(hit: SearchHit, needles: readonly string[]): void {
  let previousEnd = -1;
  for (const [start, end] of hit.highlights) {
    expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
    expect(start).toBeGreaterThan(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(hit.text.length);
    expect(onCodePointBoundaries(hit.text, start, end)).toBe(true);
    const slice = foldString(hit.text.slice(start, end));
    expect(needles.some((needle) => slice.includes(needle)), `${hit.id} ${start}-${end} ${slice}`).toBe(true);
    previousEnd = end;
  }
}

/** The folded words and whole runs a query asks for: what a highlight may mark. */
function queryNeedles(q: string): string[] {
  const parsed = parseQuery(q);
  const runs = parsed.clauses.filter((c) => !c.negated).flatMap((c) => c.alternatives.map((alt) => alt.folded));
  return [...positiveWords(parsed), ...runs];
}

describe('folding', () => {
  it('gives the same results for 支付寶 and 支付宝, showing the original text', () => {
    const traditional = search('支付寶');
    const simplified = search('支付宝');
    expect(traditional.total).toBeGreaterThan(10);
    expect(simplified.total).toBe(traditional.total);
    expect(simplified.hits).toEqual(traditional.hits);
    expect(simplified.terms).toEqual(['支付宝']);
    expect(traditional.hits.some((hit) => hit.text.includes('支付寶'))).toBe(true);
    for (const hit of traditional.hits) expect(hit.text).toBe(built.index.paragraphText(globalId.get(hit.id)!));
  });

  it('treats ＣＴＯ, cto and CTO alike', () => {
    const upper = search('CTO');
    expect(upper.total).toBeGreaterThan(0);
    for (const q of ['cto', 'ＣＴＯ', 'Cto', 'ｃｔｏ']) {
      const response = search(q);
      expect(response.hits, q).toEqual(upper.hits);
      expect(response.terms).toEqual(['cto']);
    }
    expect(upper.total).toBe(scan((text) => text.includes('cto')).length);
  });

  it('finds mixed Chinese, English words and numbers: 雙11, iPad, 2135, 64K', () => {
    for (const [q, verbatim] of [['雙11', '双11'], ['双11', '双11'], ['iPad', 'ipad'], ['2135', '2135'], ['64K', '64k'], ['６４ｋ', '64k']] as const) {
      const response = search(q);
      expect(response.total, q).toBeGreaterThan(0);
      expect(folded(response.hits[0]!), q).toContain(verbatim);
      expect(response.relaxed).toBe(false);
    }
  });
});

describe('syntax', () => {
  it('ranks paragraphs containing the verbatim run first, then those with the words apart', () => {
    for (const q of ['支付寶系統', '螞蟻金服CTO', '支付寶用戶']) {
      const run = foldString(q);
      const hits = allHits(q, 100);
      const words = parseQuery(q).clauses[0]!.alternatives[0]!.required;
      expect(words.length, q).toBeGreaterThan(1);
      const verbatim = hits.filter((hit) => folded(hit).includes(run)).length;
      expect(verbatim, q).toBeGreaterThan(0);
      expect(hits.length, `${q}: also paragraphs with the words apart`).toBeGreaterThan(verbatim);
      hits.forEach((hit, i) => expect(folded(hit).includes(run), `${q} #${i} ${hit.id}`).toBe(i < verbatim));
      // And every hit has every word.
      for (const hit of hits) for (const word of words) expect(folded(hit)).toContain(word);
    }
  });

  it('gives only paragraphs containing a quoted phrase, exactly as a scan finds them', () => {
    for (const q of ['"支付寶系統"', '"系統能"', '"淘寶 "', '"了一"']) {
      const phrase = foldString(q.slice(1, -1)).trim();
      const hits = allHits(q, 50);
      expect(hits.length, q).toBeGreaterThan(0);
      for (const hit of hits) expect(folded(hit)).toContain(phrase);
      expect(hitIds(hits)).toEqual(scan((text) => text.includes(phrase)));
    }
  });

  it('excludes paragraphs with a -term', () => {
    const all = search('支付寶');
    const without = allHits('支付寶 -淘寶', 100);
    expect(without.length).toBeGreaterThan(0);
    expect(without.length).toBeLessThan(all.total);
    for (const hit of without) expect(folded(hit)).not.toContain('淘宝');
    expect(hitIds(without)).toEqual(scan((text) => text.includes('支付宝') && !text.includes('淘宝')));
    expect(search('支付寶 －淘寶').total).toBe(without.length);
    expect(search('支付寶 -"淘 寶"').total).toBe(all.total);
  });

  it('accepts either side of OR', () => {
    const hits = allHits('淘寶 OR 微信', 100);
    const expected = scan((text) => text.includes('淘宝') || text.includes('微信'));
    expect(hitIds(hits)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(search('淘寶').total);
    expect(expected.length).toBeGreaterThan(search('微信').total);
    expect(search('淘寶 OR 微信').terms).toEqual(['淘宝 OR 微信']);
    // OR binds two terms; the rest is still AND.
    expect(hitIds(allHits('淘寶 OR 微信 紅包', 100))).toEqual(
      scan((text) => (text.includes('淘宝') || text.includes('微信')) && text.includes('红包')),
    );
  });

  it('answers an empty, operator-only or exclusion-only query with no hits, without failing', () => {
    for (const q of ['', '   ', '-', 'OR', '""', '"', 'OR OR', '-淘寶', '\u200b']) {
      const response = search(q, 10, 0);
      expect(response.total, JSON.stringify(q)).toBe(0);
      expect(response.hits).toEqual([]);
      expect(response.relaxed).toBe(false);
    }
  });
});

describe('relaxed fallback for natural-language questions', () => {
  it('answers a question no paragraph fully contains with relaxed: true and partial matches', () => {
    const q = '支付寶的CTO是誰恐龍';
    const response = search(q, 10);
    expect(response.relaxed).toBe(true);
    expect(response.total).toBeGreaterThan(0);
    const words = positiveWords(parseQuery(q));
    for (const hit of response.hits) expect(words.some((word) => folded(hit).includes(word))).toBe(true);
    expect(scan((text) => words.every((word) => text.includes(word)))).toEqual([]);
  });

  it('is left out of the strict matches, which a correction or a pinyin reading counts', () => {
    const source = { ...textRankingSource(['支付宝的系统', '恐龙的化石', '天猫']), commonBitmap: () => undefined };
    const question = parseQuery('支付宝 恐龙');
    const relaxed = matchQuery(source, question);
    expect(relaxed.relaxed).toBe(true);
    expect(relaxed.relaxed && relaxed.bitmap.count).toBe(2);
    expect([...strictMatches(source, question)]).toEqual([]);
    expect([...strictMatches(source, parseQuery('支付宝 系统'))]).toEqual([0]);
    expect([...strictMatches(source, parseQuery('-天猫'))]).toEqual([]);
  });

  it('ranks the gold paragraph of the sample questions high: MRR@10 ≥ 0.9 and in the top 10 for ≥ 95%', () => {
    const results: Record<string, { mrr: number; top10: number; relaxed: number; count: number }> = {};
    for (const set of ['drcd', 'cmrc'] as const) {
      let reciprocal = 0;
      let top10 = 0;
      let relaxed = 0;
      const queries = sampleQueries(set);
      for (const query of queries) {
        const response = search(query.query, 10);
        if (response.relaxed) {
          relaxed++;
          // Relaxed only when no paragraph has every word.
          const words = positiveWords(parseQuery(query.query));
          expect(allTexts(built.index).map((_, id) => built.index.foldedParagraph(id)).some((text) => words.every((word) => text.includes(word))), query.qid).toBe(false);
        }
        const rank = response.hits.findIndex((hit) => query.gold.includes(hit.docId));
        if (rank >= 0) {
          reciprocal += 1 / (rank + 1);
          top10++;
        }
      }
      results[set] = { mrr: reciprocal / queries.length, top10: top10 / queries.length, relaxed, count: queries.length };
    }
    console.log(`sample questions: ${JSON.stringify(results)}`);
    for (const [set, { mrr, top10, relaxed, count }] of Object.entries(results)) {
      expect(count, set).toBeGreaterThanOrEqual(100);
      expect(mrr, set).toBeGreaterThanOrEqual(0.9);
      expect(top10, set).toBeGreaterThanOrEqual(0.95);
      expect(relaxed, `${set}: natural-language questions fall back`).toBeGreaterThan(count / 2);
    }
  });
});

describe('pagination', () => {
  it('joins pages of any size into one list without duplicates, with an exact total', () => {
    for (const q of ['支付寶', '的', '系統', '年']) {
      const reference = allHits(q, 100);
      const total = search(q, 1).total;
      expect(reference.length, q).toBe(total);
      expect(new Set(reference.map((hit) => hit.id)).size).toBe(total);
      for (const limit of [1, 7, 33]) {
        const paged = allHits(q, limit).slice(0, 250);
        expect(hitList(paged), `${q} limit ${limit}`).toEqual(hitList(reference.slice(0, 250)));
      }
    }
  });

  it('regression: the same position holds the same hit whatever page is asked for, also past the first exactly scored block', () => {
    const q = '的';
    const total = search(q, 1).total;
    expect(total).toBeGreaterThan(RANKING.exactCandidates + 50);
    const first = search(q, 100, RANKING.exactCandidates - 50).hits; // crosses the block boundary
    const pieces = [...search(q, 50, RANKING.exactCandidates - 50).hits, ...search(q, 50, RANKING.exactCandidates).hits];
    expect(hitList(pieces)).toEqual(hitList(first));
    const firstPage = search(q, 10, 0);
    const deepFirstPage = search(q, 100, 0).hits.slice(0, 10);
    expect(firstPage.hits).toEqual(deepFirstPage);
    // Asking for a deep page does not change the scores of the first page.
    search(q, 100, total - 1);
    expect(search(q, 10, 0).hits).toEqual(firstPage.hits);
  });

  it('returns an empty page past the end, with the total and echoing offset and limit', () => {
    const response = search('支付寶', 10, 10_000);
    expect(response.hits).toEqual([]);
    expect(response.total).toBe(search('支付寶', 1).total);
    expect(response.offset).toBe(10_000);
    expect(response.limit).toBe(10);
    const last = search('支付寶', 10, response.total - 3);
    expect(last.hits).toHaveLength(3);
  });

  it('regression: scores never rise down the list of a single-word query, across exactly scored blocks too', () => {
    for (const q of ['的', '年', '支付寶', '系統']) {
      for (const limit of [100, 37]) {
        const hits = allHits(q, limit);
        for (let i = 1; i < hits.length; i++) expect(hits[i]!.score, `${q} #${i}`).toBeLessThanOrEqual(hits[i - 1]!.score);
      }
    }
    expect(search('的', 1).total).toBeGreaterThan(2 * RANKING.exactCandidates);
  });
});

describe('hits', () => {
  const QUERIES = ['支付寶系統', '"支付寶"', 'CTO', '雙11', '支付寶 -淘寶', '淘寶 OR 微信', '梵語', '𫖮', '……', '程立 "系統"', '哪一年成立的支付寶'];

  it('carry ids, document, paragraph number, title, score, original text', () => {
    for (const q of QUERIES) {
      for (const hit of search(q, 20).hits) {
        const id = globalId.get(hit.id);
        expect(id, hit.id).toBeDefined();
        const document = built.index.documents[built.index.paragraphDocument[id!]!]!;
        expect(hit.docId).toBe(document.id);
        expect(hit.paragraph).toBe(id! - document.firstParagraph);
        expect(hit.id).toBe(`${hit.docId}#${hit.paragraph}`);
        expect(hit.title).toBe(document.title);
        expect(Number.isFinite(hit.score)).toBe(true);
        expect(hit.text).toBe(built.index.paragraphText(id!));
      }
    }
  });

  it('have highlights that are valid UTF-16 ranges into text, sorted, disjoint, each containing a query term', () => {
    let checked = 0;
    for (const q of QUERIES) {
      const response = search(q, 50);
      const needles = queryNeedles(q);
      for (const hit of response.hits) {
        checkHighlights(hit, needles);
        if (!response.relaxed) expect(hit.highlights.length, `${q} ${hit.id}`).toBeGreaterThan(0);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('mark the Traditional original of a Simplified query', () => {
    const hit = search('支付宝系统', 1).hits[0]!;
    const marked = hit.highlights.map(([s, e]) => hit.text.slice(s, e));
    expect(marked).toContain('支付寶系統');
    expect(hit.snippet.highlights.map(([s, e]) => hit.text.slice(s, e))).toContain('支付寶系統');
  });

  it('have snippets as data: a window of the text at most SNIPPET.max long, holding the hit’s highlights inside it', () => {
    for (const q of QUERIES) {
      for (const hit of search(q, 20).hits) {
        const { start, end, highlights } = hit.snippet;
        expect(0 <= start && start <= end && end <= hit.text.length, `${q} ${hit.id}`).toBe(true);
        expect(end - start).toBeLessThanOrEqual(SNIPPET.max);
        const inside = hit.highlights.filter(([s, e]) => e > start && s < end).map(([s, e]) => [Math.max(s, start), Math.min(e, end)]);
        expect(highlights).toEqual(inside);
      }
    }
  });

  it('needles(q) gives what the document page marks: the words and the whole run', () => {
    expect(searcher.needles('支付寶系統 -淘寶')).toEqual(['支付宝', '系统', '支付宝系统']);
    expect(searcher.needles('"支付寶"')).toEqual(['支付宝']);
    expect(searcher.needles('')).toEqual([]);
  });
});

describe('title matches count', () => {
  let tiny: TestIndex;
  beforeAll(async () => {
    tiny = await buildTestIndex([
      // The same paragraph twice; the first document comes first in every tie.
      { id: 'a.txt', title: '一些筆記', paragraphs: ['今天用支付寶付款，很方便。'] },
      { id: 'b.txt', title: '支付寶的故事', paragraphs: ['今天用支付寶付款，很方便。'] },
      { id: 'c.txt', title: '其他', paragraphs: ['沒有相關的內容。'] },
    ]);
  });
  afterAll(() => tiny?.cleanup());

  it('ranks a paragraph whose document title matches above an otherwise identical one', () => {
    const tinySearcher = createSearcher(tiny.index);
    for (const q of ['支付寶', '支付宝', '支付寶 付款', '故事 OR 付款']) {
      const response = tinySearcher.search(q, { limit: 10, offset: 0 });
      expect(ids(response), q).toEqual(['b.txt#0', 'a.txt#0']);
      expect(response.hits[0]!.score, q).toBeGreaterThan(response.hits[1]!.score);
    }
    // Without a title match the tie keeps corpus order.
    const neutral = tinySearcher.search('方便', { limit: 10, offset: 0 });
    expect(ids(neutral)).toEqual(['a.txt#0', 'b.txt#0']);
  });
});

describe('first pass of questions', () => {
  it('leaves common characters and pairs out of a question’s first pass only, single characters from a lower share', () => {
    const paragraphCount = 1000;
    // 长 and 长城 are in 5% of paragraphs: above the characters' share, below the pairs'.
    const frequency: Record<string, number> = { 的: 900, 是: 400, 长: 50, 城: 8, 长城: 50, 城的: 120 };
    expect(RANKING.firstPassCharacterMaxShare * paragraphCount).toBeLessThan(frequency['长']!);
    expect(RANKING.firstPassMaxShare * paragraphCount).toBeGreaterThan(frequency['长城']!);
    expect(RANKING.firstPassMaxShare * paragraphCount).toBeLessThan(frequency['城的']!);
    // rankQuery reads only these two members.
    const source = { paragraphCount, documentFrequency: (term: string) => frequency[term] ?? 1 } as unknown as RankingSource;
    const firstPass = (question: boolean): Record<string, boolean> =>
      Object.fromEntries(rankQuery(source, ['长城的'], ['长城', '的'], [], question).terms.map((t) => [t.indexTerm, t.firstPass]));
    const asQuestion = firstPass(true);
    expect(asQuestion).toEqual({ 长: false, 城: true, 的: false, 长城: true, 城的: false, [wordTerm('长城')]: true });
    expect(Object.values(firstPass(false)).every(Boolean)).toBe(true);
    // Every term still takes part in the exact scores: it stays in the query, with its idf.
    expect(rankQuery(source, ['长城的'], ['长城', '的'], [], true).terms.map((t) => t.text)).toEqual(expect.arrayContaining(['的', '长']));
  });
});

describe('terms in every match', () => {
  it('are all terms of the required words of clauses without OR, and none from OR clauses or exclusions', () => {
    const terms = termsInEveryMatch(parseQuery('支付寶 系統 微信 OR 淘寶 -天貓'));
    expect([...terms].sort()).toEqual(['付', '付宝', '宝', '支', '支付', '系', '系统', '统'].sort());
    expect([...termsInEveryMatch(parseQuery('"白日依山"'))].sort()).toEqual(['山', '依', '依山', '日', '日依', '白', '白日'].sort());
  });

  it('give the same ranking as reading their postings, without reading them', () => {
    const source = textRankingSource(['支付宝的系统', '支付宝和淘宝，支付宝', '系统里的支付宝支付', '天猫']);
    const ids = Uint32Array.from([0, 1, 2]); // the paragraphs containing 支付宝
    const plain = rank(source, rankQuery(source, ['支付宝'], ['支付宝'], [], false), listed(ids), 10);
    source.reads.length = 0;
    const shortcut = rank(source, rankQuery(source, ['支付宝'], ['支付宝'], [], false, termsInEveryMatch(parseQuery('支付宝'))), listed(ids), 10);
    expect(shortcut).toEqual(plain);
    expect(source.reads.filter((term) => !term.startsWith('\u0002'))).toEqual([]);
    // The first pass's keys too, exactly (three candidates are all scored exactly, whatever their keys).
    const keys = (inEvery?: Set<string>): Float64Array => firstPassKeys(source, rankQuery(source, ['支付宝'], ['支付宝'], [], false, inEvery), ids);
    expect(keys(termsInEveryMatch(parseQuery('支付宝')))).toEqual(keys());
  });
});

describe('the warm-up queries', () => {
  it('are searched by warm() (their postings read) and change no answer', async () => {
    const reads: string[] = [];
    const recording = { ...built.index, terms: { ...built.index.terms, postings: (term: string) => (reads.push(term), built.index.terms.postings(term)) } };
    // 500, well within the warm-up's time budget on a slow machine; the server asks WARM_UP_QUERIES.
    const warmed = createSearcher(recording, { warmUpQueries: 500 });
    await warmed.warm();
    const queries = warmUpQueries(allTexts(built.index), 500);
    expect(queries).toHaveLength(500);
    // Each warm-up query is searched: a few characters' postings are read unless a champion list or bitmap answers.
    const pairs = new Set(queries.flatMap((q) => (/^[^\s"「-]{2,4}$/u.test(q) ? [foldString(q).slice(0, 2)] : [])));
    expect([...pairs].filter((pair) => reads.includes(pair)).length).toBeGreaterThan(pairs.size / 2);
    const page = { limit: 10, offset: 0 };
    const unwarmed = createSearcher(built.index, { warmUpQueries: 0 });
    await unwarmed.warm();
    for (const q of [...queries.slice(0, 300), ...sampleQueries('drcd').slice(0, 50).map((sample) => sample.query)]) {
      expect({ ...warmed.search(q, page), tookMs: 0 }, q).toEqual({ ...unwarmed.search(q, page), tookMs: 0 });
    }
  });
});

describe('common characters’ champion lists', () => {
  /** The index with its paragraph postings' reads recorded, and its title reads (folded titles too). */
  function recordingIndex(reads: string[], titleReads: string[] = []): TestIndex['index'] {
    const { terms, titles, foldedTitle } = built.index;
    return {
      ...built.index,
      terms: { ...terms, postings: (term) => (reads.push(term), terms.postings(term)) },
      titles: { ...titles, count: (term) => (titleReads.push(term), titles.count(term)), postings: (term) => (titleReads.push(term), titles.postings(term)) },
      foldedTitle: (document) => (titleReads.push(`title ${document}`), foldedTitle(document)),
    };
  }
  const strip = (response: SearchResponse): SearchResponse => ({ ...response, tookMs: 0 });

  it('give every character query the answer of walking its postings, on every page, with the exact total', async () => {
    const withLists = createSearcher(built.index, { championListMinimum: 2 });
    await withLists.warm();
    const walking = createSearcher(built.index, { championListMinimum: Infinity });
    await walking.prepareVocabulary();
    const characters = built.index.terms.charactersInAtLeast(2);
    expect(characters.length).toBeGreaterThan(500);
    expect(built.index.terms.count(characters.find((c) => built.index.terms.count(c) > RANKING.exactCandidates)!)).toBeGreaterThan(RANKING.exactCandidates);
    for (const character of characters) {
      for (const [offset, limit] of [[0, 10], [40, 10], [0, RANKING.exactCandidates], [45, 10], [60, 5]] as const) {
        const options = { offset, limit };
        expect(strip(withLists.search(character, options)), `${character} ${offset} ${limit}`).toEqual(strip(walking.search(character, options)));
      }
    }
  });

  it('spare a common character’s query its postings and both passes once warm, and are not used past the first exactly scored block', async () => {
    const reads: string[] = [];
    const titleReads: string[] = [];
    const searcher = createSearcher(recordingIndex(reads, titleReads), { championListMinimum: 2 });
    await searcher.warm();
    const common = built.index.terms.charactersInAtLeast(RANKING.exactCandidates + 1)[0]!;
    reads.length = 0;
    titleReads.length = 0;
    const first = searcher.search(common, { offset: 0, limit: 10 });
    expect(first.total).toBe(built.index.terms.count(common));
    expect(reads).not.toContain(common);
    expect(titleReads).toEqual([]); // the list was ranked, title bonus included: no title read, not even folded ones
    searcher.search(common, { offset: RANKING.exactCandidates, limit: 10 });
    expect(reads).toContain(common);
  });
});

describe('ties', () => {
  it('go to the lower id among far more candidates than are scored exactly, whatever the pass', () => {
    // 600 candidates (enough for the first pass's heap) of one length, whose first-pass keys (presence of 宝) are
    // all equal: each block of 50 scored exactly is the next 50 ids, and within a block the paragraphs with 宝
    // twice come first, in id order.
    const texts = Array.from({ length: 600 }, (_, id) => (id % 3 === 0 ? '支付宝宝来' : '支付宝来了'));
    const source = textRankingSource(texts);
    const query = rankQuery(source, ['宝'], ['宝'], [], false);
    const ids = (list: readonly { id: number }[]): number[] => list.map((hit) => hit.id);
    const ranked = rank(source, query, listed(Uint32Array.from(texts.keys())), 60);
    expect(ids(ranked.slice(0, 10))).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
    expect(ids(ranked.slice(15, 20))).toEqual([45, 48, 1, 2, 4]);
    expect(ids(ranked.slice(50, 55))).toEqual([51, 54, 57, 60, 63]);
    const twice = rank(source, query, listed(Uint32Array.from(texts.keys()).filter((id) => id % 3 === 0)), 10);
    expect(ids(twice.slice(0, 10))).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  });
});

describe('a question’s candidates as a bitmap', () => {
  const bitmap = (ids: Uint32Array, bound: number): IdBitmap => ({ words: bitmapWords(ids, bound), count: ids.length });
  // Documents of one to three paragraphs with titles; characters of every frequency, so that a question's first
  // pass leaves the common ones out and touches fewer candidates than some pages need.
  const paragraphsOf = Array.from({ length: 200 }, (_, d) =>
    Array.from({ length: 1 + (d % 3) }, (_, p) => `${'的'.repeat((d + p) % 5)}${d % 7 === 0 ? '长城' : '城'}${d % 11 === 0 ? '在北京' : '在'}${'支付宝'.slice(0, (d * 3 + p) % 4)}${d % 23 === 0 ? '恐龙' : ''}`),
  );
  const texts = paragraphsOf.flat();
  const documentOf = paragraphsOf.flatMap((paragraphs, d) => paragraphs.map(() => d));
  const titles = paragraphsOf.map((_, d) => `${d % 13 === 0 ? '长城' : ''}${d % 9 === 0 ? '北京' : ''}记`);
  const source = textRankingSource(texts, { titles, documentOf });
  const all = Uint32Array.from(texts.keys());

  it('rank a question as rank() over the ids, on every page, whichever candidates its first pass touches', () => {
    const questions: [string, string[]][] = [
      ['长城在北京吗', ['长城', '在', '北京']],
      ['恐龙在哪', ['恐龙', '在']],
      ['支付宝的城', ['支付宝', '的', '城']],
    ];
    let filled = 0;
    for (const [text, words] of questions) {
      const query = rankQuery(source, [text], words, [], true);
      for (const candidates of [all, all.filter((id) => id % 3 !== 1)]) {
        const touched = new Set(query.terms.filter((t) => t.firstPass).flatMap((t) => [...source.postings(t.indexTerm)]));
        if ([...candidates].filter((id) => touched.has(id)).length < 60) filled++;
        for (const needed of [10, 60, 110]) {
          expect(rank(source, query, { kind: 'bitmap', bitmap: bitmap(candidates, texts.length) }, needed), `${text} ${candidates.length} ${needed}`).toEqual(rank(source, query, listed(candidates), needed));
        }
      }
    }
    expect(filled).toBeGreaterThan(0); // some pages came partly from candidates no first-pass term touched
  });

  it('rank a query with verbatim runs and terms in every candidate as rank() does (over the listed ids)', () => {
    const candidates = all.filter((id) => texts[id]!.includes('城'));
    const query = rankQuery(source, ['长城'], ['长城'], ['长城'], false, termsInEveryMatch(parseQuery('长城')));
    for (const needed of [10, 60]) expect(rank(source, query, { kind: 'bitmap', bitmap: bitmap(candidates, texts.length) }, needed)).toEqual(rank(source, query, listed(candidates), needed));
  });

  it('give ties to the lower id, whatever order the terms touched the candidates in', () => {
    // 乙 (ids 100–199) is walked before 甲 (ids 0–99): equal keys, and the lower ids come first all the same.
    const tied = Array.from({ length: 200 }, (_, id) => (id < 100 ? '甲来' : '乙来'));
    const plain = textRankingSource(tied);
    const query = rankQuery(plain, ['乙甲'], ['乙', '甲'], [], false);
    const candidates = Uint32Array.from(tied.keys());
    const ranked = rank(plain, query, { kind: 'bitmap', bitmap: bitmap(candidates, tied.length) }, 10);
    expect(ranked).toEqual(rank(plain, query, listed(candidates), 10));
    expect(ranked.map((hit) => hit.id)).toEqual([...candidates.subarray(0, RANKING.exactCandidates)]); // the first block, all scored
  });

  it('count exactly the paragraphs with any of the words and no excluded one, common characters kept as bitmaps', () => {
    const reads: string[] = [];
    const recording = createSearcher({ ...built.index, terms: { ...built.index.terms, postings: (term) => (reads.push(term), built.index.terms.postings(term)) } });
    const common = '的';
    expect(built.index.terms.count(common)).toBeGreaterThan(built.index.paragraphCount / 32);
    for (const q of ['支付寶的CTO是誰恐龍', '長城在哪的恐龍 -支付', '天貓的恐龍 -的']) {
      const words = positiveWords(parseQuery(q));
      const negatives = parseQuery(q).clauses.filter((c) => c.negated).map((c) => c.alternatives[0]!.folded);
      const expected = scan((text) => words.some((word) => text.includes(word)) && !negatives.some((n) => text.includes(n)));
      for (let round = 0; round < 2; round++) {
        reads.length = 0;
        const response = recording.search(q, { limit: 60, offset: 0 });
        expect(response.relaxed, q).toBe(true);
        expect(response.total, q).toBe(expected.length);
        expect(response.hits.every((hit) => expected.includes(globalId.get(hit.id)!)), q).toBe(true);
        // The common character's postings were decoded once, for its bitmap, and never again.
        if (round === 1) expect(reads, q).not.toContain(common);
      }
    }
  });
});

describe('strict matches with a common character', () => {
  it('are narrowed by its bitmap once warm: every match a scan finds, its postings and other texts unread', async () => {
    const reads: string[] = [];
    const textReads = new Set<number>();
    const { terms, foldedParagraph } = built.index;
    const searcher = createSearcher({
      ...built.index,
      terms: { ...terms, postings: (term) => (reads.push(term), terms.postings(term)) },
      foldedParagraph: (id) => (textReads.add(id), foldedParagraph(id)),
    });
    await searcher.warm();
    const common = '的';
    expect(terms.count(common)).toBeGreaterThan(built.index.paragraphCount / 32);
    // Words in paragraphs with the common character and without it (those a text check would have read).
    const words = ['支付', '系统', '淘宝', '用户', '公司', '中国'].filter(
      (word) => scan((text) => text.includes(word) && !text.includes(common)).length > 0 && scan((text) => text.includes(word) && text.includes(common)).length > 0,
    );
    expect(words.length).toBeGreaterThanOrEqual(2);
    for (const word of words) {
      const q = `${word} ${common}`;
      const expected = scan((text) => text.includes(word) && text.includes(common));
      reads.length = 0;
      textReads.clear();
      const response = searcher.search(q, { limit: 1000, offset: 0 });
      expect(response.relaxed, q).toBe(false);
      expect(hitIds(response.hits), q).toEqual(expected);
      expect(reads, q).not.toContain(common);
      expect([...textReads].every((id) => expected.includes(id)), q).toBe(true);
    }
  });
});

describe('proximity', () => {
  it('is whole for a one-character query’s hits, which hold the query in one sentence: the top score is 1 + its weight', () => {
    for (const character of ['的', '支', '宝', '年']) {
      const { hits } = search(character, 20);
      expect(hits[0]!.score, character).toBe(1 + RANKING.proximity);
      for (const hit of hits) expect(hit.score, `${character} ${hit.id}`).toBeGreaterThan(RANKING.proximity);
    }
  });

  it('counts the query terms found in one sentence only: 支，付 above 支。付, though both have 支 and 付 alone', () => {
    const source = textRankingSource(['支。付', '支，付', '支付', '天猫']);
    const ranked = rank(source, rankQuery(source, ['支付'], ['支付'], [], false), listed(Uint32Array.from([0, 1, 2])), 10);
    const score = (id: number): number => ranked.find((hit) => hit.id === id)!.score;
    expect(ranked[0]!.id).toBe(2);
    expect(score(1)).toBeGreaterThan(score(0));
  });
});

describe('verbatim runs in the first pass', () => {
  // Two words of a character each (支 / 付): candidates have both, some of them side by side (支付, the run) in
  // long paragraphs; the others are short and titled 支付, which without the run would rank them first.
  const texts = Array.from({ length: 120 }, (_, id) => (id % 3 === 0 ? `支付${'的'.repeat(40 + (id % 7))}` : `付${'的'.repeat(id % 2)}支`));
  const titles = texts.map((text) => (text.includes('支付') ? '' : '支付'));
  const containing = (term: string): Uint32Array => Uint32Array.from(texts.flatMap((t, id) => (t.includes(term) ? [id] : [])));

  /** A source reporting `frequencyScale` times the real document frequency of the run (large: too many postings to read). */
  function source(frequencyScale: number): TextRankingSource {
    const plain = textRankingSource(texts, { titles });
    return { ...plain, documentFrequency: (term) => plain.documentFrequency(term) * (term === '支付' ? frequencyScale : 1) };
  }
  const candidates = containing('支');
  // The query's weights from the true frequencies; only ranking sees the scaled one.
  const ranked = (s: RankingSource, verbatim: readonly string[]): ReturnType<typeof rank> =>
    rank(s, rankQuery(source(1), ['支付'], ['支', '付'], verbatim, false, termsInEveryMatch(parseQuery('支 付'))), listed(candidates), 60);

  it('count a run that is one index term from its postings, as from the texts', () => {
    const fromPostings = source(1);
    const fromTexts = source(1000);
    expect(ranked(fromPostings, ['支付'])).toEqual(ranked(fromTexts, ['支付']));
    // The pair's postings are read for its weight either way, and once more for the run only from postings.
    const pairReads = (s: { reads: string[] }): number => s.reads.filter((term) => term === '支付').length;
    expect(pairReads(fromPostings)).toBe(pairReads(fromTexts) + 1);
    // The run moves the order, so the comparison means something: every paragraph with it comes first.
    const withRun = containing('支付').length;
    expect(ranked(fromPostings, ['支付']).slice(0, withRun).every((hit) => texts[hit.id]!.includes('支付'))).toBe(true);
    expect(ranked(source(1), []).slice(0, withRun).some((hit) => !texts[hit.id]!.includes('支付'))).toBe(true);
  });
});

describe('common terms in the first pass', () => {
  it('key the candidates by their bitmaps exactly as by their postings, without reading the postings', () => {
    // Lengths vary, so each candidate's one-occurrence weight does too.
    const kinds = ['支付宝的系统', '支付宝和淘宝', '系统里的支付'];
    const texts = Array.from({ length: 400 }, (_, i) => kinds[i % 3]! + '。'.repeat(i % 7));
    const byPostings = textRankingSource(texts);
    const byBits = textRankingSource(texts);
    const bitmaps = new Map(['的', '支', '宝'].map((term) => [term, bitmapWords(byPostings.postings(term), texts.length)]));
    const withBits: RankingSource = { ...byBits, presenceBitmap: (term) => bitmaps.get(term) };
    const ids = Uint32Array.from(texts.flatMap((_, id) => (id % 3 !== 1 ? [id] : []))); // more than one block
    const query = (source: RankingSource) => rankQuery(source, ['支付的'], ['支付', '的'], [], false);
    byPostings.reads.length = 0;
    expect(firstPassKeys(withBits, query(withBits), ids)).toEqual(firstPassKeys(byPostings, query(byPostings), ids));
    expect(byBits.reads.filter((term) => bitmaps.has(term))).toEqual([]);
    expect(byPostings.reads).toEqual(expect.arrayContaining(['的', '支']));
  });
});

describe('candidates within one exactly scored block', () => {
  it('skip the first-pass keys (rank() scores them all and sorts by those scores), still counting runs and reading whole words', () => {
    const texts = ['支付宝的系统', '支付宝和淘宝，支付宝', '系统里的支付宝支付', '支付，宝', '天猫'];
    const source = textRankingSource(texts, { titles: ['系统', '', '支付宝', '', ''] });
    const query = rankQuery(source, ['支付宝', '系统'], ['支付宝', '系统'], ['支付宝'], false, termsInEveryMatch(parseQuery('支付 宝')));
    const ids = Uint32Array.from([0, 1, 2, 3]); // the paragraphs with 支付 and 宝
    const keyed = firstPass(source, query, listed(ids), RANKING.exactCandidates, true);
    const keyedReads = [...source.reads];
    source.reads.length = 0;
    source.titleReads.length = 0;
    const unkeyed = firstPass(source, query, listed(ids), RANKING.exactCandidates);
    expect([...unkeyed.keys]).toEqual([0, 0, 0, 0]);
    expect([...keyed.keys].every((key) => key > 0)).toBe(true);
    expect([...unkeyed.verbatim]).toEqual([1, 1, 1, 0]);
    expect([...unkeyed.verbatim]).toEqual([...keyed.verbatim]);
    expect([...unkeyed.wholeWords.keys()].sort()).toEqual([wordTerm('支付宝'), wordTerm('系统')].sort());
    expect([...unkeyed.wholeWords].map(([term, list]) => [term, [...list]])).toEqual([...keyed.wholeWords].map(([term, list]) => [term, [...list]]));
    // Only the words' postings are read: no character's or pair's, and no title's.
    expect(source.reads.sort()).toEqual([wordTerm('支付宝'), wordTerm('系统')].sort());
    expect(keyedReads).toEqual(expect.arrayContaining(['系', '统', '系统']));
    expect(source.titleReads).toEqual([]);
  });
});

describe('title presence in the first pass', () => {
  // More candidates than RANKING.exactCandidates, so the first pass decides which are scored exactly; documents
  // of one to three paragraphs, and the query's characters in some titles.
  const paragraphsOf = Array.from({ length: 90 }, (_, d) =>
    Array.from({ length: 1 + (d % 3) }, (_, p) => `支付${(d + p) % 2 ? '宝' : ''}${'的'.repeat((d * 7 + p) % 9)}${d % 4 === 0 ? '系统' : ''}`),
  );
  const titles = paragraphsOf.map((_, d) => `${d % 3 === 0 ? '支' : ''}${d % 5 === 0 ? '宝付' : ''}记${d}`);
  const texts = paragraphsOf.flat();
  const documentOf = paragraphsOf.flatMap((paragraphs, d) => paragraphs.map(() => d));

  /** A source whose title counts are scaled by `countScale`: large enough, and ranking reads titles instead of postings. */
  function source(countScale: number, withTitles = true): TextRankingSource {
    const plain = textRankingSource(texts, { titles: withTitles ? titles : [], documentOf });
    return { ...plain, titleDocumentCount: (term) => plain.titleDocumentCount(term) * countScale };
  }
  const candidates = Uint32Array.from(texts.flatMap((t, id) => (t.includes('支付') ? [id] : [])));
  const ranked = (s: RankingSource): ReturnType<typeof rank> => rank(s, rankQuery(s, ['支付宝'], ['支付宝'], [], false), listed(candidates), 10);

  it('gives the same ranking whether it reads the title postings or each candidate’s title', () => {
    const fromPostings = source(1);
    const fromTitles = source(1000);
    expect(ranked(fromTitles)).toEqual(ranked(fromPostings));
    const keys = (s: RankingSource): Float64Array => firstPassKeys(s, rankQuery(s, ['支付宝'], ['支付宝'], [], false), candidates);
    expect(keys(fromTitles)).toEqual(keys(fromPostings));
    expect(fromPostings.titleReads.length).toBeGreaterThan(0);
    expect(fromTitles.titleReads).toEqual([]);
    // Titles do move the order, so the comparison means something.
    expect(candidates.length).toBeGreaterThan(RANKING.exactCandidates);
    expect(ranked(source(1, false)).map((r) => r.id)).not.toEqual(ranked(fromPostings).map((r) => r.id));
  });
});

describe('hit locations', () => {
  const tempDir = tempDirFactory('engine-locations');
  let located: LocatedCorpus;
  let locatedSearcher: Searcher;
  beforeAll(async () => {
    located = await buildLocatedCorpus(tempDir());
    locatedSearcher = createSearcher(located.index);
  }, 120_000);
  const hitsOf = (q: string, docId: string): SearchHit[] => locatedSearcher.search(q, { limit: 100, offset: 0 }).hits.filter((hit) => hit.docId === docId);

  it('gives each hit the location its reader found: a PDF’s page, an EPUB’s chapter', async () => {
    // The oracle: what the corpus reader gives for the same files, paragraph by paragraph.
    const read = await readCorpus([documentFixture('seed', 'alipay.pdf'), documentFixture('seed', 'alipay.epub')]);
    for (const docId of ['alipay.pdf', 'alipay.epub']) {
      const locations = read.documents.find((d) => d.id === docId)!.locations!;
      const hits = hitsOf('程立', docId);
      expect(hits.length, docId).toBeGreaterThan(5);
      for (const hit of hits) expect(hit.location, hit.id).toEqual(locations[hit.paragraph]);
    }
    const pages = new Set(hitsOf('程立', 'alipay.pdf').map((hit) => hit.location?.page));
    expect(pages.size).toBeGreaterThan(2); // the hits are on several pages, not all given the first one
    expect(hitsOf('程立', 'alipay.pdf').find((hit) => hit.paragraph === 12)?.location).toEqual({ page: 2 });
    expect(hitsOf('程立', 'alipay.epub')[0]!.location?.chapter).toBe('支付寶十五年');
  });

  it('gives a Word hit its heading path, outermost first', () => {
    const hit = hitsOf('九省通衢', 'sub/traditional.docx')[0]!;
    expect(hit.location).toEqual({ headings: ['第一章 長江', '沿岸城市'] });
  });

  it('gives null to hits of formats without places', () => {
    expect(hitsOf('纯文本', 'plain.txt')[0]!.location).toBeNull();
    expect(locatedSearcher.search('笔记', { limit: 10, offset: 0 }).hits.find((hit) => hit.title === '笔记')!.location).toBeNull();
  });
});
