// Sou's query times in `npm run bench`: the built index loaded in process from dist (loadIndex + createSearcher),
// warmed with `searcher.warm()` (texts folded, common characters' champion lists ranked), then every query of each class
// as top 10 with snippets; the time is the response's own `tookMs`.
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import { wordReading } from '../indexer/analyzer/pinyin.js';
import { MAX_SUGGESTIONS, suggest } from '../server/suggest.js';
import type { QueryClass, QueryClassName } from './queries.js';
import { timeEach } from './stats.js';

export interface SouClassRun {
  readonly tookMs: readonly number[];
  /** The response's `total` for each query. */
  readonly totals: readonly number[];
  /** Queries answered with the relaxed fallback. */
  readonly relaxed: number;
}

export interface SouRun {
  /** loadIndex + createSearcher, then warm(), in this process. */
  readonly loadSeconds: number;
  readonly warmSeconds: number;
  /** Wall time of each GET /api/suggest answer (server/suggest.ts suggest), for typed prefixes (suggestPrefixes). */
  readonly suggestMs: readonly number[];
  readonly classes: ReadonlyMap<QueryClassName, SouClassRun>;
}

export async function runSou(indexDir: string, classes: readonly QueryClass[], warmup: readonly QueryClass[]): Promise<SouRun> {
  const started = performance.now();
  const searcher = createSearcher(await loadIndex(indexDir));
  const loaded = performance.now();
  await searcher.warm(); // the vocabulary too (suggestions)
  const warmSeconds = (performance.now() - loaded) / 1000;
  const search = (query: string) => searcher.search(query, { limit: 10, offset: 0 });
  // Queries of another seed first, so the timed ones do not pay for the JIT.
  for (const { queries } of warmup) for (const query of queries) search(query);
  const runs = new Map<QueryClassName, SouClassRun>();
  for (const { name, queries } of classes) {
    const tookMs: number[] = [];
    const totals: number[] = [];
    let relaxed = 0;
    for (const query of queries) {
      const response = search(query);
      tookMs.push(response.tookMs);
      totals.push(response.total);
      if (response.relaxed) relaxed++;
    }
    runs.set(name, { tookMs, totals, relaxed });
  }
  const prefixes = suggestPrefixes(classes.flatMap((c) => c.queries));
  const answer = (q: string) => suggest(searcher, { q, limit: MAX_SUGGESTIONS });
  for (const q of suggestPrefixes(warmup.flatMap((c) => c.queries))) answer(q);
  const suggestMs = timeEach(prefixes, answer);
  return { loadSeconds: (loaded - started) / 1000, warmSeconds, suggestMs, classes: runs };
}

/**
 * What a visitor types on the way to the class queries: for each query's first run of Chinese characters, its
 * first one and two characters, and its pinyin and initials typed so far (zh, zhif, zf).
 */
export function suggestPrefixes(queries: readonly string[]): string[] {
  const out: string[] = [];
  for (const query of queries) {
    const run = /\p{Script=Han}{2,}/u.exec(query)?.[0];
    if (run === undefined) continue;
    const characters = [...run].slice(0, 3);
    const syllables = wordReading(characters.join('')) ?? [];
    const pinyin = syllables.join('');
    out.push(characters[0]!, characters.slice(0, 2).join(''));
    if (pinyin.length >= 2) out.push(pinyin.slice(0, 2), pinyin.slice(0, Math.max(3, pinyin.length - 2)));
    if (syllables.length >= 2) out.push(syllables.map((s) => s[0]).join(''));
  }
  return out;
}
