// Holds the index being served and swaps in a new build without failing a request: requests read the current
// searcher once and keep it; a reload builds a complete new searcher first and swaps the reference only when
// it loaded. A build that does not load leaves the old index serving, and the reason is logged. Each searcher
// comes with its own result cache (result-cache.ts), so a reload also drops the old index's answers. With query
// workers (query-pool.ts), every worker loads a generation before it is served, over the bytes this thread read;
// a request's search goes to a worker that holds its generation, or is answered here while none does or while
// each has its share of requests in flight.
import { readFile } from 'node:fs/promises';
import { watchFile, unwatchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import type { Logger } from './logger.js';
import { LIMITS } from './params.js';
import { createQueryPool, shareIndexFiles, SHARED_SEGMENT_FILES, type QueryPool, type SharedFiles } from './query-pool.js';
import { cacheAnswers, type AnswerSearch, type CachedSearcher } from './result-cache.js';
import { createSearcher, type AnalyzedQuery, type Searcher, type SearcherOptions } from './search/engine.js';
import type { SearchOptions } from './search/types.js';

export interface HolderOptions extends SearcherOptions {
  /** How many recent answers to keep for queries asked again (0, the default: none; the server sets it). */
  readonly resultCacheEntries?: number;
  /** Query worker threads (0, the default: queries are answered on this thread; the server sets it). */
  readonly queryWorkers?: number;
  /** The compiled query worker (tests, which run the TypeScript sources, pass it). */
  readonly queryWorkerFile?: string;
  /** Requests a query worker is given at a time (query-pool.ts WORKER_MAX_IN_FLIGHT; tests lower it). */
  readonly queryWorkerMaxInFlight?: number;
  /** How long watch mode's reloads must be quiet before the served index is warmed (UPDATE_WARM_QUIET_MS; tests shorten it). */
  readonly updateWarmQuietMs?: number;
}

/**
 * Watch mode's updates (ReloadOptions.warmAfter) are warmed once their reloads have been quiet this long (no reload
 * under way either), and one warm-up at a time, the served index's only. A warm-up ranks the champion lists and
 * builds the vocabulary of the whole index, seconds of this thread at 100k poems: one per update, with a save every
 * few seconds, kept the thread on warm-ups of indexes already replaced, and each save took longer to be found than
 * the one before (bench:watch). Meanwhile the new index gives the same answers: the segments it shares keep their
 * folded texts, and the replaced index's vocabulary stands in for its own.
 */
const UPDATE_WARM_QUIET_MS = 10_000;

export interface ReloadOptions {
  /** Load even when the manifest is the one served or the one that last failed (SIGHUP: the operator asks). */
  readonly force?: boolean;
  /**
   * Serve the new index as soon as it has loaded, and warm its data up once such reloads are quiet, without the
   * warm-up queries (the query code was warmed at start): watch mode's updates, which should be searchable within
   * moments of a save and may come every second (UPDATE_WARM_QUIET_MS).
   */
  readonly warmAfter?: boolean;
}

/** Where the served index's warm-up stands; a reload swaps in an index only once it is warm. */
export type Warmth = 'warming' | 'warm' | 'failed';

export interface IndexHolder {
  /** The searcher of the index served now. */
  searcher(): Searcher;
  /** Its warm-up: what the readiness answer (GET /readyz) reports. */
  warmth(): Warmth;
  /** Its answers through its result cache (what the endpoints and pages ask). */
  answers(): CachedSearcher;
  /** Loads the index folder again; resolves true when a new index is now served. Never rejects. */
  reload(reason: string, options?: ReloadOptions): Promise<boolean>;
  /** Reloads whenever the manifest file changes (a finished build renames a new one into place). */
  watch(intervalMs: number): void;
  /** Stops watching the manifest. */
  close(): void;
  /** Ends the query workers once their requests in flight are answered (shutdown, after the last request). */
  stopWorkers(): Promise<void>;
  /** The query workers, when there are any (tests end one as a crash would). */
  readonly pool: QueryPool | null;
}

async function manifestText(dir: string): Promise<string | null> {
  return readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => null);
}

const changed = (now: Stats, before: Stats): boolean =>
  now.mtimeMs !== before.mtimeMs || now.ino !== before.ino || now.size !== before.size || now.ctimeMs !== before.ctimeMs;

interface Served {
  readonly searcher: Searcher;
  readonly answers: CachedSearcher;
  warmth: Warmth;
  /** Numbered from 1 by this holder: what the query workers know the index by (query-pool.ts PoolIndex). */
  readonly serial: number;
  /** The index's files in shared memory, when there are query workers. */
  readonly files: SharedFiles | null;
  /** Every query worker has loaded it (at once without workers). */
  readonly loaded: Promise<void>;
  /** Its warm-up: this thread's (the vocabulary, and without workers the rest) and the workers'. */
  readonly warmUp: () => Promise<void>;
}

const tookSince = (started: number): number => Math.round((performance.now() - started) * 100) / 100;

/**
 * A title filter is tested by its jieba words (filters.ts), so a search with one stays on this thread: a worker
 * never loads jieba.
 */
const segmentsTitles = (analyzed: AnalyzedQuery, options: Pick<SearchOptions, 'filters'>): boolean =>
  (options.filters?.titles.length ?? 0) > 0 || analyzed.parsed.filters.some((filter) => filter.key === 'title');

/**
 * A search on the pool: analyzed here (jieba, the pinyin rewrite), searched by a worker holding the generation,
 * corrected here (did-you-mean needs the vocabulary and jieba); on this thread when no worker holds it. Without a
 * result cache (`cached` false) a JSON answer comes back as its text alone (query-pool.ts AnswerForm). Its tookMs
 * counts this thread's work and the worker's, not the wait between them.
 */
function pooledSearch(pool: QueryPool, searcher: Searcher, generation: number, cached: boolean): AnswerSearch {
  return async (query, options, asJson) => {
    const started = performance.now();
    const analyzed = searcher.analyze(query);
    const analyzedMs = performance.now() - started;
    const pending = segmentsTitles(analyzed, options) ? null : pool.search(generation, analyzed, options, asJson ? (cached ? 'data+json' : 'json') : false);
    if (pending === null) {
      // No worker holds the generation, or each has its share in flight: this thread searches.
      const response = searcher.searchAnalyzed(analyzed, options);
      const suggestion = searcher.suggestionFor(analyzed, response);
      return { response: { ...response, suggestion, tookMs: tookSince(started) } };
    }
    const { response, afterTook } = await pending;
    const correcting = performance.now();
    const suggestion = searcher.suggestionFor(analyzed, response);
    const tookMs = tookSince(correcting - analyzedMs - response.tookMs);
    return { response: { ...response, suggestion, tookMs }, ...(afterTook === undefined ? {} : { afterTook }) };
  };
}

/** `options` go to every searcher this holder creates, and its result cache's size. */
export async function openIndexHolder(dir: string, logger: Logger, options: HolderOptions = {}): Promise<IndexHolder> {
  const { resultCacheEntries = 0, queryWorkers = 0, queryWorkerFile, queryWorkerMaxInFlight, updateWarmQuietMs = UPDATE_WARM_QUIET_MS, ...searcherOptions } = options;
  const manifestPath = join(dir, MANIFEST_FILE);
  const pool =
    queryWorkers > 0
      ? createQueryPool({
          workers: queryWorkers,
          logger,
          ...(queryWorkerFile === undefined ? {} : { workerFile: queryWorkerFile }),
          ...(queryWorkerMaxInFlight === undefined ? {} : { maxInFlight: queryWorkerMaxInFlight }),
        })
      : null;
  let serials = 0;
  /**
   * `current`: the index served now, whose segments are reused rather than read again (load.ts). `quickWarm`: the
   * warm-up folds and ranks the new index's data but asks no warm-up queries (see warmAfter). With workers, the
   * promise resolves once every worker has loaded the index (not yet warmed it).
   */
  const serve = async (current?: Served, quickWarm = false): Promise<Served> => {
    const serial = ++serials;
    const shared = pool === null ? null : shareIndexFiles(dir);
    const index = await loadIndex(dir, current?.searcher.index, shared === null ? {} : { read: shared.read, wholeFiles: SHARED_SEGMENT_FILES });
    const options: SearcherOptions = { firstPageLimit: LIMITS.defaultLimit, ...searcherOptions, ...(quickWarm ? { warmUpQueries: 0 } : {}) };
    // This thread's searcher reads the served index's vocabulary until its own is built: a reload keeps pinyin and
    // suggestions working. (Not the workers': they read no vocabulary, and it is no data to send them.)
    const searcher = createSearcher(index, { ...options, interimVocabulary: current?.searcher.vocabularyNow() ?? null });
    if (pool === null || shared === null) {
      return { searcher, answers: cacheAnswers(searcher, resultCacheEntries), warmth: 'warming', serial, files: null, loaded: Promise.resolve(), warmUp: () => searcher.warm() };
    }
    const files = shared.complete(index.manifest, current?.files === null || current === undefined ? undefined : { manifest: current.searcher.index.manifest, files: current.files });
    const workers = pool.load({ generation: serial, dir, manifest: index.manifest, files, searcherOptions: options });
    return {
      searcher,
      answers: cacheAnswers(searcher, resultCacheEntries, pooledSearch(pool, searcher, serial, resultCacheEntries > 0)),
      warmth: 'warming',
      serial,
      files,
      loaded: workers.loaded,
      // The workers warm the data and the query code. This thread answers only while no worker holds the index:
      // it builds the vocabulary (one copy, here) and folds texts only as they are asked for.
      warmUp: async () => {
        pool.warmUp(serial, quickWarm ? [] : (await searcher.analyzedWarmUpQueries()).filter((query) => !segmentsTitles(query, {})));
        await Promise.all([searcher.prepareVocabulary(), workers.warm]);
      },
    };
  };
  // The manifest text read before the first load: if a build replaces it meanwhile, the watcher sees the change.
  let seenManifest = await manifestText(dir);
  let served = await serve();
  // Serve at once; the folded texts fill in between requests. A warm-up that fails (an index whose postings do
  // not add up though its checksums do: a bug, not damage) is logged, not left to end the process; queries that
  // need what it could not read fail on their own, with the same error.
  const warmInBackground = (next: Served): Promise<void> => {
    const { generation } = next.searcher.index.manifest;
    warmStarted.add(next);
    return next.warmUp().then(
      () => void (next.warmth = 'warm'),
      (error: unknown) => {
        next.warmth = 'failed';
        logger.error({ generation, error: error instanceof Error ? error.message : String(error) }, 'index warm-up failed; serving without it');
      },
    );
  };
  const warmStarted = new WeakSet<Served>();
  let warming: Promise<void> | null = warmInBackground(served).finally(() => (warming = null));
  let warmTimer: NodeJS.Timeout | undefined;
  /** Reloads asked for and not yet done. */
  let reloading = 0;
  /** The quiet time ran out during a reload: the warm-up waits for the reloads to end. */
  let warmDeferred = false;
  /** Warms the served index once reloads have been quiet for updateWarmQuietMs and no warm-up is running (UPDATE_WARM_QUIET_MS). */
  const warmServedWhenQuiet = (): void => {
    clearTimeout(warmTimer);
    warmTimer = setTimeout(() => {
      warmTimer = undefined;
      // A reload under way is not quiet: it may replace the served index, whose warm-up would then be for nothing.
      if (reloading > 0) {
        warmDeferred = true;
        return;
      }
      if (warmStarted.has(served)) return;
      if (warming !== null) {
        void warming.then(warmServedWhenQuiet);
        return;
      }
      warming = warmInBackground(served).finally(() => (warming = null));
    }, updateWarmQuietMs);
    warmTimer.unref();
  };
  /** Reloads run one at a time, in order; this is the last one asked for. */
  let queue: Promise<boolean> = Promise.resolve(false);
  let watching = false;

  async function reloadNow(reason: string, force: boolean, warmAfter: boolean): Promise<boolean> {
    // Read before loading: if the manifest changes during the load, the next check sees a difference and loads
    // again, so the newest build always wins in the end.
    const text = await manifestText(dir);
    if (!force && text !== null && text === seenManifest) return false;
    let next: Served | undefined;
    try {
      next = await serve(served, warmAfter);
      if (warmAfter) {
        // Every query worker holds it first, so that no search of it falls back to this thread.
        await next.loaded;
        // An update of a warm server: its query code is warm, so it stays ready while the new data warms.
        if (served.warmth === 'warm') next.warmth = 'warm';
      } else {
        warmStarted.add(next);
        await next.warmUp(); // the old index serves meanwhile, so the new one starts warm
        next.warmth = 'warm';
      }
      const previous = served;
      served = next;
      // Its requests in flight finish on it; then the workers let it go.
      pool?.retire(previous.serial);
      if (warmAfter) warmServedWhenQuiet();
      seenManifest = text;
      const { counts, builtAt, generation } = next.searcher.index.manifest;
      logger.info({ reason, generation, documents: counts.documents, paragraphs: counts.paragraphs, builtAt }, 'index reloaded');
      return true;
    } catch (error) {
      if (next !== undefined) pool?.retire(next.serial);
      // Remember the failed manifest so the watcher does not retry the same broken build every second.
      seenManifest = text;
      const { generation } = served.searcher.index.manifest;
      logger.error(
        { reason, error: error instanceof Error ? error.message : String(error), serving: generation },
        'new index not loaded; still serving the previous one',
      );
      return false;
    }
  }

  const holder: IndexHolder = {
    searcher: () => served.searcher,
    answers: () => served.answers,
    warmth: () => served.warmth,
    reload(reason, options = {}) {
      // One reload at a time: a signal or change during a reload waits for it, then checks again.
      reloading++;
      const run = queue
        .then(() => reloadNow(reason, options.force === true, options.warmAfter === true))
        .catch((error: unknown) => {
          logger.error({ reason, error: error instanceof Error ? error.message : String(error) }, 'index reload failed');
          return false;
        })
        .finally(() => {
          if (--reloading === 0 && warmDeferred) {
            warmDeferred = false;
            warmServedWhenQuiet();
          }
        });
      queue = run;
      return run;
    },
    watch(intervalMs) {
      if (watching) return;
      watching = true;
      // Polling (stat) rather than fs.watch: the manifest is replaced by rename, which inotify reports on the old
      // inode; a new inode, size or time of the path is a new build.
      watchFile(manifestPath, { interval: intervalMs, persistent: false }, (now, before) => {
        if (changed(now, before)) void holder.reload('manifest changed');
      });
    },
    close() {
      clearTimeout(warmTimer);
      if (watching) unwatchFile(manifestPath);
      watching = false;
    },
    async stopWorkers() {
      await pool?.close();
    },
    pool,
  };
  return holder;
}
