// A search answer as the engine returns it, for tests of what renders one (views, npm run search's text).
import type { SearchResponse } from '../../server/search/types.js';

/** An answer for `zhifubao` read as 支付宝, with no hits; `overrides` replace any field. */
export const searchResponse = (overrides: Partial<SearchResponse>): SearchResponse => ({
  query: 'zhifubao',
  terms: ['支付宝'],
  total: 58,
  relaxed: false,
  offset: 0,
  limit: 10,
  rewrite: null,
  suggestion: null,
  vocabularyReady: true,
  tookMs: 1,
  hits: [],
  ...overrides,
});
