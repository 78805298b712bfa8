// answerJson / answerText: the JSON text of a search answer, cut around tookMs, is exactly JSON.stringify's of
// the answer on the wire (each hit's snippet as markup, views/snippet.ts).
import { describe, expect, it } from 'vitest';
import { answerJson, answerText, wireHit } from '../server/answer-json.js';
import type { SearchResponse } from '../server/search/types.js';
import { snippetMarkup } from '../views/snippet.js';

const HOSTILE = '"tookMs":1,"hits":[]} </script><b>&amp;\u2028\\"';

const response = (tookMs: number, query: string, hitText: string): SearchResponse => ({
  query,
  terms: [query],
  total: 1,
  relaxed: false,
  offset: 0,
  limit: 10,
  rewrite: { runs: [{ typed: HOSTILE, word: '支付宝', readAs: 'zhi fu bao', kind: 'pinyin', others: [] }] },
  suggestion: { q: HOSTILE, replaced: '支付包', word: '支付宝', kind: 'homophone', total: 40 },
  vocabularyReady: true,
  tookMs,
  hits: [
    {
      id: 'a.txt#0',
      docId: 'a.txt',
      paragraph: 0,
      title: query,
      score: 1.5,
      text: hitText,
      highlights: hitText.length >= 2 ? [[0, 2]] : [],
      snippet: { start: 0, end: hitText.length, highlights: hitText.length >= 2 ? [[0, 2]] : [] },
      location: { page: 3, headings: [hitText] },
    },
  ],
});

/** What JSON.stringify of the answer on the wire gives. */
const wire = (answer: SearchResponse): string => JSON.stringify({ ...answer, hits: answer.hits.map(wireHit) });

describe('wireHit', () => {
  it('keeps the engine’s fields in their order and sends the snippet as escaped markup, the location last', () => {
    const hit = response(1, 'q', '<b>支付</b>').hits[0]!;
    const sent = wireHit(hit);
    expect(Object.keys(sent)).toEqual(['id', 'docId', 'paragraph', 'title', 'score', 'text', 'highlights', 'snippet', 'location']);
    expect(sent.location).toEqual({ page: 3, headings: ['<b>支付</b>'] });
    expect(wireHit({ ...hit, location: null }).location).toBeNull();
    expect(sent.snippet).toBe('<mark>&lt;b</mark>&gt;支付&lt;/b&gt;');
    expect(sent.snippet).toBe(snippetMarkup(hit).value);
  });
});

describe('answerText', () => {
  it('equals JSON.stringify of the answer with the given tookMs, whatever the strings hold', () => {
    for (const [query, text] of [['支付寶', '支付寶的系統'], [HOSTILE, HOSTILE], ['', '']]) {
      const json = answerJson(response(3.25, query!, text!));
      for (const tookMs of [0, 0.01, 3.25, 12, 1234.56]) {
        expect(answerText(json, tookMs)).toBe(wire(response(tookMs, query!, text!)));
      }
    }
  });

  it('keeps the key order of the answer, tookMs before the hits', () => {
    const parsed = JSON.parse(answerText(answerJson(response(1, 'q', 't')), 7)) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['query', 'terms', 'total', 'relaxed', 'offset', 'limit', 'rewrite', 'suggestion', 'vocabularyReady', 'tookMs', 'hits']);
    expect(parsed.tookMs).toBe(7);
  });

  it('answers no hits as an empty list', () => {
    const empty: SearchResponse = { ...response(0, 'q', 't'), total: 0, hits: [] };
    expect(answerText(answerJson(empty), 0.5)).toBe(wire({ ...empty, tookMs: 0.5 }));
  });
});
