// Suggestions as you type (docs/contract.md "Suggestions"): GET /api/suggest answers JSON, GET /suggest the
// search page's listbox options (an htmx fragment). Both read the same parameters and the engine's completions
// of the vocabulary, so every suggestion is a word of the index and finds at least the paragraphs it counts.
import type { ServerResponse } from 'node:http';
import { Router, type Request, type Response } from 'express';
import { suggestionOptions } from '../views/suggestions.js';
import { sendJson, sendJsonError } from './http-hardening.js';
import type { IndexHolder } from './index-holder.js';
import { ParamError, parseQueryText } from './params.js';
import type { Searcher } from './search/engine.js';

export const SUGGEST_PATH = '/api/suggest';
export const SUGGEST_FRAGMENT_PATH = '/suggest';
/** The most suggestions an answer holds (and the default). */
export const MAX_SUGGESTIONS = 8;

export interface SuggestParams {
  readonly q: string;
  readonly limit: number;
}

export interface Suggestion {
  /** What to search: a word of the index. */
  readonly text: string;
  /** Paragraphs whose words include it: searching it finds at least these. */
  readonly count: number;
  /** How what was typed reached it: its start in either script, its pinyin, its initials, or a mix. */
  readonly by: 'script' | 'pinyin' | 'initials' | 'mixed';
}

export interface SuggestAnswer {
  readonly query: string;
  /** false while the vocabulary is still being built after a start or reload: no suggestions yet. */
  readonly vocabularyReady: boolean;
  readonly suggestions: readonly Suggestion[];
}

/** q as for a search (required, at most 256 units); limit 1–8, default 8. A parameter given twice is an error. */
export function parseSuggestParams(query: Record<string, unknown>): SuggestParams {
  const q = parseQueryText(query.q);
  const { limit } = query;
  if (limit === undefined || limit === '') return { q, limit: MAX_SUGGESTIONS };
  if (typeof limit !== 'string' || !/^\d+$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_SUGGESTIONS) {
    throw new ParamError('bad_limit', `limit must be an integer from 1 to ${MAX_SUGGESTIONS}`);
  }
  return { q, limit: Number(limit) };
}

export function suggest(searcher: Searcher, { q, limit }: SuggestParams): SuggestAnswer {
  const completions = searcher.complete(q, limit);
  if (completions === null) return { query: q, vocabularyReady: false, suggestions: [] };
  return { query: q, vocabularyReady: true, suggestions: completions.map(({ word, count, by }) => ({ text: word, count, by })) };
}

/** GET /api/suggest: 400 on bad parameters, else the answer as JSON. */
export function answerSuggest(holder: IndexHolder, query: Record<string, unknown>, response: ServerResponse): void {
  let params;
  try {
    params = parseSuggestParams(query);
  } catch (error) {
    if (error instanceof ParamError) return sendJsonError(response, 400, error.code, error.message);
    throw error;
  }
  sendJson(response, 200, JSON.stringify(suggest(holder.searcher(), params)));
}

/**
 * GET /suggest: the options of the search page's listbox. A blank or bad query has no suggestions (an empty
 * fragment, not an error page: the box is being typed in).
 */
export function suggestionsFragmentRouter(holder: IndexHolder): Router {
  const router = Router();
  router.get(SUGGEST_FRAGMENT_PATH, (request: Request, response: Response) => {
    let params: SuggestParams | null = null;
    try {
      params = parseSuggestParams(request.query as Record<string, unknown>);
    } catch (error) {
      if (!(error instanceof ParamError)) throw error;
    }
    const answer = params === null ? null : suggest(holder.searcher(), params);
    response.status(200).set('Cache-Control', 'no-cache').type('html').send(suggestionOptions(answer?.suggestions ?? []).value);
  });
  return router;
}
