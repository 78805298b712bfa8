// Holds the index being served and swaps in a new build without failing a request: requests read the current
// searcher once and keep it; a reload builds a complete new searcher first and swaps the reference only when
// it loaded. A build that does not load leaves the old index serving, and the reason is logged. Each searcher
// comes with its own result cache (result-cache.ts), so a reload also drops the old index's answers.
import { readFile } from 'node:fs/promises';
import { watchFile, unwatchFile, type Stats } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import type { Logger } from './logger.js';
import { LIMITS } from './params.js';
import { cacheAnswers, type CachedSearcher } from './result-cache.js';
import { createSearcher, type Searcher, type SearcherOptions } from './search/engine.js';

export interface HolderOptions extends SearcherOptions {
  /** How many recent answers to keep for queries asked again (0, the default: none; the server sets it). */
  readonly resultCacheEntries?: number;
}

export interface ReloadOptions {
  /** Load even when the manifest is the one served or the one that last failed (SIGHUP: the operator asks). */
  readonly force?: boolean;
  /**
   * Serve the new index as soon as it has loaded, and warm its data up after, without the warm-up queries (the
   * query code was warmed at start): watch mode's updates, which should be searchable within moments of a save
   * and may come every second, each warm-up queries' budget of CPU taken from the requests.
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
  close(): void;
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
}

/** `options` go to every searcher this holder creates, and its result cache's size. */
export async function openIndexHolder(dir: string, logger: Logger, options: HolderOptions = {}): Promise<IndexHolder> {
  const { resultCacheEntries = 0, ...searcherOptions } = options;
  const manifestPath = join(dir, MANIFEST_FILE);
  /**
   * `current`: the index served now, whose segments are reused rather than read again (load.ts). `quickWarm`: the
   * warm-up folds and ranks the new index's data but asks no warm-up queries (see warmAfter).
   */
  const serve = async (current?: Served, quickWarm = false): Promise<Served> => {
    const searcher = createSearcher(await loadIndex(dir, current?.searcher.index), { firstPageLimit: LIMITS.defaultLimit, ...searcherOptions, ...(quickWarm ? { warmUpQueries: 0 } : {}) });
    return { searcher, answers: cacheAnswers(searcher, resultCacheEntries), warmth: 'warming' };
  };
  // The manifest text read before the first load: if a build replaces it meanwhile, the watcher sees the change.
  let seenManifest = await manifestText(dir);
  let served = await serve();
  // Serve at once; the folded texts fill in between requests. A warm-up that fails (an index whose postings do
  // not add up though its checksums do: a bug, not damage) is logged, not left to end the process; queries that
  // need what it could not read fail on their own, with the same error.
  const warmInBackground = (next: Served): void => {
    const { generation } = next.searcher.index.manifest;
    next.searcher.warm().then(
      () => (next.warmth = 'warm'),
      (error: unknown) => {
        next.warmth = 'failed';
        logger.error({ generation, error: error instanceof Error ? error.message : String(error) }, 'index warm-up failed; serving without it');
      },
    );
  };
  warmInBackground(served);
  /** Reloads run one at a time, in order; this is the last one asked for. */
  let queue: Promise<boolean> = Promise.resolve(false);
  let watching = false;

  async function reloadNow(reason: string, force: boolean, warmAfter: boolean): Promise<boolean> {
    // Read before loading: if the manifest changes during the load, the next check sees a difference and loads
    // again, so the newest build always wins in the end.
    const text = await manifestText(dir);
    if (!force && text !== null && text === seenManifest) return false;
    try {
      const next = await serve(served, warmAfter);
      if (warmAfter) {
        // An update of a warm server: its query code is warm, so it stays ready while the new data warms.
        if (served.warmth === 'warm') next.warmth = 'warm';
      } else {
        await next.searcher.warm(); // the old index serves meanwhile, so the new one starts warm
        next.warmth = 'warm';
      }
      served = next;
      if (warmAfter) warmInBackground(next);
      seenManifest = text;
      const { counts, builtAt, generation } = next.searcher.index.manifest;
      logger.info({ reason, generation, documents: counts.documents, paragraphs: counts.paragraphs, builtAt }, 'index reloaded');
      return true;
    } catch (error) {
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
      const run = queue.then(() => reloadNow(reason, options.force === true, options.warmAfter === true)).catch((error: unknown) => {
        logger.error({ reason, error: error instanceof Error ? error.message : String(error) }, 'index reload failed');
        return false;
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
      if (watching) unwatchFile(manifestPath);
      watching = false;
    },
  };
  return holder;
}
