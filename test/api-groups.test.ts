// The JSON endpoint's filters, grouping, sorting and facets (docs/contract.md "Filters, groups, facets, sorting")
// through the real app, on the grouped-corpus fixture.
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGroupedCorpus } from './support/grouped-corpus.js';
import { appWithDocuments, type PagesApp } from './support/pages-app.js';

let served: PagesApp;
let app: RequestListener;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'sou-api-groups-'));
  const { documents } = await readGroupedCorpus(dir);
  served = await appWithDocuments(documents);
  app = served.app;
}, 60_000);
afterAll(() => {
  served?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface Hit {
  id: string;
  docId: string;
  snippet: string;
}
interface Group {
  docId: string;
  title: string;
  format: string | null;
  date: string | null;
  score: number;
  total: number;
  hits: Hit[];
}

const search = (query: Record<string, string | string[]>) => request(app).get('/api/search').query(query);

describe('GET /api/search: filters, groups, facets, sorting', () => {
  it('keeps today\'s answer by default: paragraph hits, no new fields', async () => {
    const response = await search({ q: '支付' });
    expect(response.status).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(['hits', 'limit', 'offset', 'query', 'relaxed', 'rewrite', 'suggestion', 'terms', 'tookMs', 'total', 'vocabularyReady']);
  });

  it('group=doc answers documents, paged over documents, with both totals and wire hits', async () => {
    const first = await search({ q: '支付', group: 'doc', limit: '2' });
    expect(first.status).toBe(200);
    const body = first.body as { total: number; documents: number; hits: unknown[]; groups: Group[]; group: string; limit: number };
    expect(body.group).toBe('doc');
    expect(body.hits).toEqual([]);
    expect(body.groups).toHaveLength(2);
    expect(Object.keys(body.groups[0]!).sort()).toEqual(['date', 'docId', 'format', 'hits', 'score', 'title', 'total']);
    expect(typeof body.groups[0]!.hits[0]!.snippet).toBe('string'); // markup, as in paragraph hits
    expect(body.groups[0]!.hits[0]!.snippet).toContain('<mark>');
    const seen: string[] = [];
    for (let offset = 0; offset < body.documents; offset += 2) {
      const page = await search({ q: '支付', group: 'doc', limit: '2', offset: String(offset) });
      seen.push(...(page.body as { groups: Group[] }).groups.map((g) => g.docId));
    }
    expect(seen).toHaveLength(body.documents);
    expect(new Set(seen).size).toBe(body.documents);
    expect((body.groups as Group[]).reduce((sum, g) => sum + g.total, 0)).toBeLessThanOrEqual(body.total);
  });

  it('filter parameters combine with the query\'s own, repeated ones as either', async () => {
    const byParams = await search({ q: '支付', in: ['报告/2023', '新闻'], type: 'md', group: 'doc' });
    const bySyntax = await search({ q: '支付 in:报告/2023 in:新闻 type:md', group: 'doc' });
    const ids = (body: { groups: Group[] }): string[] => body.groups.map((g) => g.docId).sort();
    expect(ids(byParams.body)).toEqual(['报告/2023/预算.md', '新闻/金融.md']);
    expect(ids(bySyntax.body)).toEqual(ids(byParams.body));
    expect(byParams.body.filters).toEqual({ in: ['报告/2023', '新闻'], type: ['md'], title: [], year: [], after: null, before: null, doc: null });
    const mixed = await search({ q: '支付 type:md', in: '新闻' });
    expect(new Set((mixed.body as { hits: Hit[] }).hits.map((h) => h.docId))).toEqual(new Set(['新闻/金融.md']));
    const dated = await search({ q: '支付', after: '2024-01-01', before: '2024-12-31', title: '报告' });
    expect(new Set((dated.body as { hits: Hit[] }).hits.map((h) => h.docId))).toEqual(new Set(['报告/2024/年度 报告.md']));
    expect(dated.body.filters).toMatchObject({ after: '2024-01-01', before: '2024-12-31', title: ['报告'] });
    const one = await search({ q: '支付', doc: '报告/2024/年度 报告.md', offset: '3' });
    expect(one.body.total).toBe(9);
    expect((one.body as { hits: Hit[] }).hits).toHaveLength(6);
  });

  it('facets=folder,type,year counts documents, disjunctive within a facet', async () => {
    const response = await search({ q: '支付', facets: 'folder,type,year', in: '新闻' });
    const facets = response.body.facets as Record<string, { value: string; count: number; selected: boolean }[]>;
    expect(Object.keys(facets).sort()).toEqual(['folder', 'type', 'year']);
    expect(facets.folder!.find((v) => v.value === '新闻')).toEqual({ value: '新闻', count: 2, selected: true });
    expect(facets.folder!.find((v) => v.value === '报告')).toEqual({ value: '报告', count: 3, selected: false });
    expect(facets.type!.find((v) => v.value === 'html')).toEqual({ value: 'html', count: 1, selected: false });
    expect(facets.year!.map((v) => v.value)).toEqual(['2024', '2023']);
    expect(response.body.documents).toBe(2);
  });

  it('sort=newest|oldest|document orders documents', async () => {
    const dates = async (sort: string): Promise<(string | null)[]> => ((await search({ q: '支付', group: 'doc', sort, limit: '100' })).body as { groups: Group[] }).groups.map((g) => g.date);
    const newest = await dates('newest');
    expect(newest.filter((d) => d !== null)).toEqual(newest.filter((d) => d !== null).sort().reverse());
    expect(newest.at(-1)).toBeNull();
    const oldest = await dates('oldest');
    expect(oldest.filter((d) => d !== null)).toEqual(oldest.filter((d) => d !== null).sort());
    expect((await search({ q: '支付', sort: 'document' })).body.sort).toBe('document');
  });

  it.each([
    [{ q: '支付', after: '2024-13-01' }, 'bad_filter', /after:2024-13-01 is not a date/],
    [{ q: '支付 type:xls' }, 'bad_filter', /type:xls is not a file type/],
    [{ q: '支付', year: '24' }, 'bad_filter', /year:24/],
    [{ q: '支付', group: 'folder' }, 'bad_group', /group must be one of doc, none/],
    [{ q: '支付', sort: 'random' }, 'bad_sort', /sort must be one of relevance, newest, oldest, document/],
    [{ q: '支付', facets: 'folder,colour' }, 'bad_facets', /facets must be one of folder, type, year/],
    [{ q: '支付', doc: ['a', 'b'] }, 'bad_doc', /doc must be given once/],
  ])('a bad value is a 400 that names it: %j', async (query, code, message) => {
    const response = await search(query as Record<string, string | string[]>);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toMatch(message);
  });
});
