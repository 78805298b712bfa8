// Sou's query times in `npm run bench`: the built index loaded in process from dist (loadIndex + createSearcher),
// warmed with `searcher.warm()` (texts folded, common characters' champion lists ranked), then every query of each class
// as top 10 with snippets; the time is the response's own `tookMs`.
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import type { QueryClass, QueryClassName } from './queries.js';

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
  readonly classes: ReadonlyMap<QueryClassName, SouClassRun>;
}

export async function runSou(indexDir: string, classes: readonly QueryClass[], warmup: readonly QueryClass[]): Promise<SouRun> {
  const started = performance.now();
  const searcher = createSearcher(await loadIndex(indexDir));
  const loaded = performance.now();
  await searcher.warm();
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
  return { loadSeconds: (loaded - started) / 1000, warmSeconds, classes: runs };
}
