// npm run search's plain-text answer (server/search-text.ts): highlights, the hit's location, how the query was read.
import { describe, expect, it } from 'vitest';
import type { SearchHit, SearchResponse } from '../server/search/engine.js';
import { formatText } from '../server/search-text.js';
import { searchResponse } from './support/responses.js';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  id: 'report.pdf#3',
  docId: 'report.pdf',
  paragraph: 3,
  title: '年度报告',
  score: 1,
  text: '用支付宝付款',
  highlights: [[1, 4]],
  snippet: { start: 0, end: 6, highlights: [[1, 4]] },
  location: null,
  ...over,
});

const answer = (over: Partial<SearchResponse>): SearchResponse => searchResponse({ total: 1, tookMs: 0.2, hits: [hit({})], ...over });

describe('formatText', () => {
  it('marks the highlights in the text with 【】 off a terminal and bold on one', () => {
    expect(formatText(answer({}), false)).toContain('用【支付宝】付款');
    expect(formatText(answer({}), true)).toContain('用\x1b[1;33m支付宝\x1b[0m付款');
  });

  it("names the hit's location after its id (page, headings), and nothing when it has none", () => {
    const located = formatText(answer({ hits: [hit({ location: { page: 3, headings: ['第一章', '付款'] } })] }), false);
    expect(located).toContain('1. 年度报告 — report.pdf#3 · 第 3 页 · 第一章 › 付款 (score 1)');
    expect(formatText(answer({}), false)).toContain('1. 年度报告 — report.pdf#3 (score 1)');
  });

  it('says how a pinyin run was read and offers a correction, as the page does', () => {
    const read = formatText(answer({ rewrite: { runs: [{ typed: 'zhifubao', word: '支付宝', readAs: 'zhi fu bao', kind: 'pinyin', others: [] }] } }), false);
    expect(read.split('\n')[1]).toBe('按拼音 zhifubao 搜索：支付宝');
    const corrected = formatText(answer({ query: '支付包', total: 0, hits: [], suggestion: { q: '支付宝', replaced: '支付包', word: '支付宝', kind: 'homophone', total: 12 } }), false);
    expect(corrected.split('\n')[1]).toBe('你是不是要找：支付宝（12 paragraph(s)）');
  });
});
