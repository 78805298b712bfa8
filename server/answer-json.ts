// A search answer as GET /api/search sends it (docs/contract.md "JSON endpoint"): the engine's data with each
// hit's snippet as escaped HTML with <mark> (views/snippet.ts). The text comes in two parts, before and after the
// value of tookMs, so that a cached answer is sent with the time of its own lookup without serializing its hits
// again.
import { snippetMarkup } from '../views/snippet.js';
import type { SearchHit, SearchResponse } from './search/types.js';

export interface AnswerJson {
  /** `{"query":…,"limit":…,"tookMs":` */
  readonly beforeTook: string;
  /** `,"hits":[…]}` */
  readonly afterTook: string;
}

/** A hit on the wire: the engine's fields in their order, the snippet as markup, the location last (added later: clients that read fields by position keep theirs). */
export interface WireHit extends Omit<SearchHit, 'snippet'> {
  readonly snippet: string;
}

export function wireHit(hit: SearchHit): WireHit {
  const { id, docId, paragraph, title, score, text, highlights, location } = hit;
  return { id, docId, paragraph, title, score, text, highlights, snippet: snippetMarkup(hit).value, location };
}

export function answerJson(response: SearchResponse): AnswerJson {
  return { beforeTook: beforeTook(response), afterTook: afterTook(response) };
}

// The same key order as JSON.stringify of the whole answer: tookMs and hits are the last two fields of SearchResponse
// but for a grouped answer's groups (whose hits are wire hits too). The two halves are made apart: a query worker
// (query-pool.ts) writes the hits, the HTTP thread the head, which holds the correction it adds.

/** `{"query":…,"limit":…,"tookMs":`: everything before tookMs. */
export function beforeTook(response: SearchResponse): string {
  const { tookMs: _tookMs, hits: _hits, groups: _groups, ...head } = response;
  return `${JSON.stringify(head).slice(0, -1)},"tookMs":`;
}

/** `,"hits":[…]}`: everything after tookMs. */
export function afterTook({ hits, groups }: Pick<SearchResponse, 'hits' | 'groups'>): string {
  const groupsText = groups === undefined ? '' : `,"groups":${JSON.stringify(groups.map((group) => ({ ...group, hits: group.hits.map(wireHit) })))}`;
  return `,"hits":${JSON.stringify(hits.map(wireHit))}${groupsText}}`;
}

/** The whole JSON text with this `tookMs` (a finite number, as JSON.stringify writes it). */
export const answerText = (json: AnswerJson, tookMs: number): string => `${json.beforeTook}${JSON.stringify(tookMs)}${json.afterTook}`;
