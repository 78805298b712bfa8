// Filters, grouping by document, facets and sorting (server/search/group.ts, filters.ts, facets.ts) against plain
// oracles: the unfiltered ranking with the other documents taken out, counts by brute force over the matching
// paragraphs, and documents in the order of their best paragraph. On the grouped-corpus fixture (folders, types,
// dates) and on the seed + eval-sample index (long documents, common characters, questions).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedIndex } from '../indexer/index/load.js';
import { createSearcher, type SearchHit, type SearchResponse, type Searcher } from '../server/search/engine.js';
import { FilterError, inFolder, markDocuments, NO_FILTERS, withFilterTerms, type Filters } from '../server/search/filters.js';
import { foldersOf } from '../server/search/facets.js';
import { GROUP_HITS } from '../server/search/group.js';
import type { FacetName, SortOrder } from '../server/search/types.js';
import type { SearchGroup } from '../server/search/types.js';
import { rank, rankKept } from '../server/search/rank.js';
import { rankQuery } from '../server/search/rank-query.js';
import { readGroupedCorpus } from './support/grouped-corpus.js';
import { textRankingSource } from './support/ranking-source.js';
import { buildTestIndex, loadSeedAndSampleIndex, type TestIndex } from './support/search-index.js';

let grouped: TestIndex;
let groupedSearcher: Searcher;
let seed: TestIndex;
let seedSearcher: Searcher;
let groupedDir: string;

beforeAll(async () => {
  groupedDir = mkdtempSync(path.join(tmpdir(), 'sou-grouped-'));
  const { documents } = await readGroupedCorpus(groupedDir);
  grouped = await buildTestIndex(documents);
  groupedSearcher = createSearcher(grouped.index);
  seed = await loadSeedAndSampleIndex();
  // Champion lists for characters in 20 paragraphs or more: the shortcut is taken on this small index too.
  seedSearcher = createSearcher(seed.index, { championListMinimum: 20 });
  await seedSearcher.warm();
}, 120_000);
afterAll(() => {
  grouped?.cleanup();
  if (groupedDir !== undefined) rmSync(groupedDir, { recursive: true, force: true });
});

const yearOf = (date: number | undefined): number => (date === undefined ? 0 : new Date(date).getUTCFullYear());

/** The filters' test, written out plainly (not filters.ts's marks). */
function passes(index: LoadedIndex, d: number, f: Filters, except?: FacetName): boolean {
  const doc = index.documents[d]!;
  if (except !== 'folder' && f.folders.length > 0 && !f.folders.some((folder) => doc.id === folder || doc.id.startsWith(`${folder}/`))) return false;
  if (except !== 'type' && f.types.length > 0 && !f.types.some((type) => type === doc.format)) return false;
  if (except !== 'year' && f.years.length > 0 && !f.years.includes(yearOf(doc.date))) return false;
  if (f.after !== null && !(doc.date !== undefined && doc.date >= f.after)) return false;
  if (f.before !== null && !(doc.date !== undefined && doc.date < f.before)) return false;
  if (f.document !== null && doc.id !== f.document) return false;
  return f.titles.every((title) => index.foldedTitle(d).includes(title));
}

const every = (searcher: Searcher, q: string): SearchResponse => searcher.search(q, { limit: 1_000_000, offset: 0 });
const hitIds = (hits: readonly SearchHit[]): string[] => hits.map((hit) => hit.id);
const positionOf = (index: LoadedIndex, hit: SearchHit): number => index.documentById.get(hit.docId)!;

/** The unfiltered ranking with the hits of documents that fail the filters taken out: the oracle. */
function oracle(searcher: Searcher, q: string, filters: Filters): SearchHit[] {
  return every(searcher, q).hits.filter((hit) => passes(searcher.index, positionOf(searcher.index, hit), filters));
}

/** Every grouped page of `size` documents, joined. */
function allGroups(searcher: Searcher, q: string, filters: Filters, size: number, sort?: SortOrder): SearchGroup[] {
  const groups: SearchGroup[] = [];
  for (let offset = 0; ; offset += size) {
    const page = searcher.search(q, { limit: size, offset, filters, group: 'doc', ...(sort === undefined ? {} : { sort }) });
    groups.push(...page.groups!);
    if (page.groups!.length < size) return groups;
  }
}

const filtersOf = (...terms: [key: 'in' | 'type' | 'title' | 'year' | 'after' | 'before', value: string][]): Filters =>
  withFilterTerms(NO_FILTERS, terms.map(([key, value]) => ({ key, value })));

describe('filters', () => {
  it('read the query syntax, quoted values with spaces and CJK included', () => {
    const response = groupedSearcher.search('支付 in:"报告/2024" type:md', { limit: 10, offset: 0 });
    expect(response.filters).toMatchObject({ in: ['报告/2024'], type: ['md'] });
    expect(response.hits.length).toBeGreaterThan(0);
    expect(new Set(response.hits.map((hit) => hit.docId))).toEqual(new Set(['报告/2024/年度 报告.md']));
    const spaced = groupedSearcher.search('城 in:"笔记/读书 札记"', { limit: 10, offset: 0 });
    expect(new Set(spaced.hits.map((hit) => hit.docId))).toEqual(new Set(['笔记/读书 札记/围城.txt']));
  });

  it('take whole path segments: in:报告/202 is no folder of 报告/2024', () => {
    expect(groupedSearcher.search('支付 in:报告/202', { limit: 10, offset: 0 }).total).toBe(0);
    expect(inFolder('报告/2024/a.md', '报告/2024')).toBe(true);
    expect(inFolder('报告/20245/a.md', '报告/2024')).toBe(false);
  });

  it('date filters: after is inclusive, before exclusive, whole days in UTC; a .jsonl date with a zone counts in UTC', () => {
    const days = (q: string): string[] => [...new Set(groupedSearcher.search(q, { limit: 100, offset: 0 }).hits.map((hit) => hit.docId))].sort();
    expect(days('支付 after:2022-06-15 before:2022-06-16')).toEqual(['档案/2022/会议纪要']);
    expect(days('支付 after:2022-06-16 before:2023')).toEqual(['档案/2022/年终总结']); // 2022-12-31T20:00+08:00 is 12:00 UTC
    expect(days('支付 year:2021')).toEqual(['档案/2021/草稿']);
  });

  it('a bad value is a FilterError that says what was expected', () => {
    expect(() => filtersOf(['after', '2024-13-01'])).toThrow(FilterError);
    expect(() => filtersOf(['type', 'xls'])).toThrow(/not a file type Sou reads/);
    expect(() => filtersOf(['year', '24'])).toThrow(/four digits/);
    expect(() => groupedSearcher.search('支付 before:昨天', { limit: 10, offset: 0 })).toThrow(FilterError);
  });

  it('an undated document (a bad .jsonl date) matches no date filter and is still found', () => {
    const all = every(groupedSearcher, '日期写错');
    expect(all.hits.map((hit) => hit.docId)).toEqual(['档案/坏日期']);
    expect(groupedSearcher.search('日期写错 after:1970', { limit: 10, offset: 0 }).total).toBe(0);
  });

  // The seed + eval sample: long documents and common characters (champion lists, blocks of exact scores,
  // a question's bitmap), every operator, with filters by type, title and document.
  const SEED_QUERIES = ['的', '支付', '支付 宝', '"支付宝"', '系统 -支付', '支付 OR 大学', '支付宝在哪一年推出了余额宝？', '年'];
  it.each(SEED_QUERIES)('keep the unfiltered order of what they keep, page after page: %s', (q) => {
    const titles = [...new Set(seed.index.documents.slice(0, 40).map((doc) => doc.title.slice(0, 1)))];
    const filterSets: Filters[] = [
      filtersOf(['type', 'txt']),
      filtersOf(['type', 'jsonl']),
      filtersOf(['title', titles[3]!]),
      filtersOf(['title', titles[5]!], ['type', 'jsonl']),
      { ...NO_FILTERS, document: seed.index.documents[0]!.id },
    ];
    for (const filters of filterSets) {
      const expected = oracle(seedSearcher, q, filters);
      for (const [offset, limit] of [
        [0, 10],
        [0, 60],
        [45, 20],
        [120, 10],
      ] as const) {
        const page = seedSearcher.search(q, { limit, offset, filters });
        expect(page.total).toBe(expected.length);
        expect(hitIds(page.hits)).toEqual(hitIds(expected.slice(offset, offset + limit)));
      }
    }
  });

  it('keep the unfiltered order for any mix of filters (property, grouped corpus)', () => {
    const index = grouped.index;
    const folders = [...new Set(index.documents.flatMap((doc) => foldersOf(doc.id)))];
    const filterArbitrary = fc.record({
      in: fc.subarray(folders, { maxLength: 2 }),
      type: fc.subarray(['md', 'txt', 'jsonl', 'html', 'pdf'], { maxLength: 2 }),
      year: fc.subarray(['2021', '2022', '2023', '2024'], { maxLength: 2 }),
      after: fc.option(fc.constantFrom('2021', '2022-06', '2023-07-19', '2024-03-02'), { nil: undefined }),
      before: fc.option(fc.constantFrom('2022', '2023-10-09', '2024-12-21'), { nil: undefined }),
      title: fc.option(fc.constantFrom('报告', '总结', '新闻'), { nil: undefined }),
    });
    const queries = ['支付', '的', '系统 OR 液冷', '支付 -跨境', '"支付系统"', '哪一年的支付最多？'];
    fc.assert(
      fc.property(filterArbitrary, fc.constantFrom(...queries), fc.nat(12), fc.integer({ min: 1, max: 8 }), (f, q, offset, limit) => {
        const terms = [
          ...f.in.map((v) => ({ key: 'in' as const, value: v })),
          ...f.type.map((v) => ({ key: 'type' as const, value: v })),
          ...f.year.map((v) => ({ key: 'year' as const, value: v })),
          ...(f.after === undefined ? [] : [{ key: 'after' as const, value: f.after }]),
          ...(f.before === undefined ? [] : [{ key: 'before' as const, value: f.before }]),
          ...(f.title === undefined ? [] : [{ key: 'title' as const, value: f.title }]),
        ];
        const filters = withFilterTerms(NO_FILTERS, terms);
        const expected = oracle(groupedSearcher, q, filters);
        const page = groupedSearcher.search(q, { limit, offset, filters });
        expect(page.total).toBe(expected.length);
        expect(page.documents).toBe(new Set(expected.map((hit) => hit.docId)).size);
        expect(hitIds(page.hits)).toEqual(hitIds(expected.slice(offset, offset + limit)));
        // The same filters written in the query text answer the same.
        const written = terms.map(({ key, value }) => `${key}:"${value}"`).join(' ');
        expect(hitIds(groupedSearcher.search(`${q} ${written}`, { limit, offset }).hits)).toEqual(hitIds(page.hits));
      }),
      { seed: 0x24, numRuns: 150 },
    );
  });
});

describe('markDocuments', () => {
  it('gives the same marks when the filters come again (its cache of recent filters) as when first asked', () => {
    const index = grouped.index;
    const sets = [filtersOf(['in', '报告']), filtersOf(['type', 'md']), filtersOf(['year', '2023'], ['in', '档案']), NO_FILTERS];
    // More distinct filters than the cache keeps, twice over: every answer still the plain test's.
    for (let round = 0; round < 2; round++) {
      for (let extra = 0; extra < 20; extra++) {
        for (const filters of [...sets, filtersOf(['after', `${2000 + extra}`])]) {
          const { fails } = markDocuments(index, filters);
          index.documents.forEach((_, d) => expect(fails[d] === 0, `${JSON.stringify(filters)} ${d}`).toBe(passes(index, d, filters)));
        }
      }
    }
  });
});

describe('rankKept', () => {
  it('gives rank\'s whole list with the others taken out, for any kept subset (property, many blocks)', () => {
    // 400 texts of one to three 支 and some 付: keys and exact scores vary, ties too; eight blocks of 50.
    const texts = Array.from({ length: 400 }, (_, i) => `${'支'.repeat(1 + (i % 3))}${i % 7 === 0 ? '付' : '的'}${'文'.repeat(i % 11)}`);
    const source = textRankingSource(texts);
    const query = rankQuery(source, ['支付'], ['支', '付'], [], false);
    const candidates = { kind: 'ids', ids: Uint32Array.from(texts.keys()) } as const;
    const whole = rank(source, query, candidates, texts.length);
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(texts.length - 1), { maxLength: 120 }), fc.integer({ min: 1, max: 60 }), (picked, needed) => {
        const keep = new Set(picked);
        const expected = whole.filter((hit) => keep.has(hit.id)).map((hit) => hit.id);
        const kept = rankKept(source, query, candidates, { keep: (id) => keep.has(id), enough: (hits) => hits.length >= needed });
        expect(kept.ranked.map((hit) => hit.id)).toEqual(expected.slice(0, kept.ranked.length));
        expect(kept.ranked.length).toBeGreaterThanOrEqual(Math.min(needed, expected.length));
        // The first block's scores are rank's own.
        const firstBlock = new Map(whole.slice(0, 50).map((hit) => [hit.id, hit.score]));
        for (const hit of kept.ranked) if (firstBlock.has(hit.id)) expect(hit.score).toBe(firstBlock.get(hit.id));
      }),
      { seed: 0x2424, numRuns: 100 },
    );
  });
});

describe('grouping by document', () => {
  const cases: [name: string, searcher: () => Searcher, q: string, filters: Filters][] = [
    ['grouped corpus', () => groupedSearcher, '支付', NO_FILTERS],
    ['grouped corpus, filtered', () => groupedSearcher, '支付', filtersOf(['in', '报告'], ['in', '档案'])],
    ['eval corpus', () => seedSearcher, '的', NO_FILTERS],
    ['eval corpus, a question', () => seedSearcher, '支付宝在哪一年推出了余额宝？', NO_FILTERS],
    ['eval corpus, filtered', () => seedSearcher, '年', filtersOf(['type', 'jsonl'])],
  ];

  it.each(cases)('orders documents by their best paragraph in the ungrouped ranking; cards and totals agree (%s)', (_name, searcher, q, filters) => {
    const s = searcher();
    const expected = oracle(s, q, filters);
    const order: string[] = [];
    const byDocument = new Map<string, SearchHit[]>();
    for (const hit of expected) {
      if (!byDocument.has(hit.docId)) order.push(hit.docId), byDocument.set(hit.docId, []);
      byDocument.get(hit.docId)!.push(hit);
    }
    // Pages of 3 documents, joined: no duplicate, no gap.
    const groups = allGroups(s, q, filters, 3);
    expect(groups.map((g) => g.docId)).toEqual(order);
    for (const group of groups) {
      const paragraphs = byDocument.get(group.docId)!;
      expect(group.total).toBe(paragraphs.length);
      expect(hitIds(group.hits)).toEqual(hitIds(paragraphs.slice(0, GROUP_HITS)));
      expect(group.score).toBe(group.hits[0]!.score);
      // "N more": the document alone, from where the card stops.
      if (paragraphs.length > GROUP_HITS) {
        const more = s.search(q, { limit: 100, offset: GROUP_HITS, filters: { ...filters, document: group.docId } });
        expect(hitIds(more.hits)).toEqual(hitIds(paragraphs.slice(GROUP_HITS, GROUP_HITS + 100)));
      }
    }
    const first = s.search(q, { limit: 3, offset: 0, filters, group: 'doc' });
    expect(first.total).toBe(expected.length);
    expect(first.documents).toBe(order.length);
    expect(first.hits).toEqual([]);
  });

  it('pages past the last document are empty, with the totals', () => {
    const response = groupedSearcher.search('支付', { limit: 5, offset: 500, group: 'doc' });
    expect(response.groups).toEqual([]);
    expect(response.documents).toBeGreaterThan(0);
  });
});

describe('facets', () => {
  const NAMES: FacetName[] = ['folder', 'type', 'year'];
  const check = (s: Searcher, q: string, filters: Filters): void => {
    const index = s.index;
    const matched = [...new Set(every(s, q).hits.map((hit) => positionOf(index, hit)))];
    const response = s.search(q, { limit: 1, offset: 0, filters, facets: NAMES, group: 'doc' });
    const expected = (name: FacetName, valuesOf: (d: number) => string[]): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const d of matched) if (passes(index, d, filters, name)) for (const value of valuesOf(d)) counts.set(value, (counts.get(value) ?? 0) + 1);
      return counts;
    };
    const got = (name: FacetName): Map<string, number> => new Map(response.facets![name]!.filter((v) => v.count > 0).map((v) => [v.value, v.count]));
    expect(got('folder')).toEqual(expected('folder', (d) => foldersOf(index.documents[d]!.id)));
    expect(got('type')).toEqual(expected('type', (d) => [index.documents[d]!.format ?? '']));
    expect(got('year')).toEqual(expected('year', (d) => (index.documents[d]!.date === undefined ? [] : [String(yearOf(index.documents[d]!.date))])));
    for (const v of response.facets!.folder!) expect(v.selected).toBe(filters.folders.includes(v.value));
    expect(response.documents).toBe(matched.filter((d) => passes(index, d, filters)).length);
  };

  it('count matching documents exactly, each facet without its own filter (disjunctive)', () => {
    check(groupedSearcher, '支付', NO_FILTERS);
    check(groupedSearcher, '支付', filtersOf(['in', '报告']));
    check(groupedSearcher, '支付', filtersOf(['in', '报告/2023'], ['type', 'md'], ['year', '2023']));
    check(groupedSearcher, '的', filtersOf(['after', '2022'], ['type', 'txt'], ['type', 'jsonl']));
    check(seedSearcher, '的', NO_FILTERS);
    check(seedSearcher, '年', filtersOf(['type', 'txt']));
  });

  it('choosing one folder still shows the others; a chosen value without matches stays listed at 0', () => {
    const response = groupedSearcher.search('支付 in:新闻', { limit: 1, offset: 0, facets: ['folder'] });
    const folders = response.facets!.folder!.map((v) => v.value);
    expect(folders).toContain('报告');
    expect(folders).toContain('档案');
    expect(response.facets!.folder!.find((v) => v.value === '新闻')!.selected).toBe(true);
    const none = groupedSearcher.search('围城 in:档案', { limit: 1, offset: 0, facets: ['folder'] });
    expect(none.facets!.folder!.find((v) => v.value === '档案')).toEqual({ value: '档案', count: 0, selected: true });
  });
});

describe('sorting', () => {
  it('newest and oldest order documents by date (undated last), document order by corpus position', () => {
    const index = grouped.index;
    const dateOf = (id: string): number => index.documents[index.documentById.get(id)!]!.date ?? Number.NaN;
    const newest = allGroups(groupedSearcher, '支付', NO_FILTERS, 4, 'newest').map((g) => g.docId);
    const oldest = allGroups(groupedSearcher, '支付', NO_FILTERS, 4, 'oldest').map((g) => g.docId);
    const relevance = allGroups(groupedSearcher, '支付', NO_FILTERS, 4).map((g) => g.docId);
    const dated = (ids: string[]): string[] => ids.filter((id) => !Number.isNaN(dateOf(id)));
    expect(dated(newest)).toEqual([...dated(relevance)].sort((a, b) => dateOf(b) - dateOf(a)));
    expect(dated(oldest)).toEqual([...dated(relevance)].sort((a, b) => dateOf(a) - dateOf(b)));
    expect(newest.at(-1)).toBe('档案/坏日期');
    expect(oldest.at(-1)).toBe('档案/坏日期');
    const byDocument = allGroups(groupedSearcher, '支付', NO_FILTERS, 4, 'document').map((g) => g.docId);
    expect(byDocument).toEqual([...relevance].sort((a, b) => index.documentById.get(a)! - index.documentById.get(b)!));
  });

  it.each(['newest', 'oldest', 'document'] as const)('ungrouped %s: documents in that order, paragraphs in reading order, pages joined', (sort) => {
    const all = groupedSearcher.search('支付', { limit: 1000, offset: 0, sort });
    const documents = allGroups(groupedSearcher, '支付', NO_FILTERS, 5, sort);
    expect(hitIds(all.hits)).toEqual(
      documents.flatMap((g) => every(groupedSearcher, '支付').hits.filter((hit) => hit.docId === g.docId).map((hit) => hit.id).sort((a, b) => Number(a.split('#')[1]) - Number(b.split('#')[1]))),
    );
    const paged: string[] = [];
    for (let offset = 0; offset < all.total; offset += 4) paged.push(...hitIds(groupedSearcher.search('支付', { limit: 4, offset, sort }).hits));
    expect(paged).toEqual(hitIds(all.hits));
  });

  it('document order shows a card’s paragraphs in reading order', () => {
    const [first] = groupedSearcher.search('支付', { limit: 1, offset: 0, sort: 'document', group: 'doc', filters: filtersOf(['in', '报告/2024']) }).groups!;
    const paragraphs = first!.hits.map((hit) => hit.paragraph);
    expect(paragraphs).toEqual([...paragraphs].sort((a, b) => a - b));
  });
});
