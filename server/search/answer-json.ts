// A search answer as JSON text in two parts, before and after the value of tookMs: a cached answer is sent with
// the time of its own lookup without serializing its hits again.
import type { SearchResponse } from './engine.js';

export interface AnswerJson {
  /** `{"query":…,"limit":…,"tookMs":` */
  readonly beforeTook: string;
  /** `,"hits":[…]}` */
  readonly afterTook: string;
}

export function answerJson(response: SearchResponse): AnswerJson {
  const { tookMs: _tookMs, hits, ...head } = response;
  // The same key order as JSON.stringify(response): tookMs and hits are the last two fields of SearchResponse.
  const headText = JSON.stringify(head);
  return { beforeTook: `${headText.slice(0, -1)},"tookMs":`, afterTook: `,"hits":${JSON.stringify(hits)}}` };
}

/** The whole JSON text with this `tookMs` (a finite number, as JSON.stringify writes it). */
export const answerText = (json: AnswerJson, tookMs: number): string => `${json.beforeTook}${JSON.stringify(tookMs)}${json.afterTook}`;
