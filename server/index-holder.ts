// Holds the index being served and swaps in a new build without failing a request: requests read the current
// searcher once and keep it; a reload builds a complete new searcher first and swaps the reference only when
// it loaded. A build that does not load leaves the old index serving, and the reason is logged.
import { readFile } from 'node:fs/promises';
import { watchFile, unwatchFile } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher, type Searcher } from './search/engine.js';

export interface Logger {
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface IndexHolder {
  current(): Searcher;
  /** Loads the index folder again; resolves true when a new index is now served. */
  reload(reason: string): Promise<boolean>;
  /** Reloads whenever the manifest file changes (a finished build renames a new one into place). */
  watch(intervalMs: number): void;
  close(): void;
}

async function manifestText(dir: string): Promise<string | null> {
  return readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => null);
}

export async function openIndexHolder(dir: string, logger: Logger): Promise<IndexHolder> {
  let searcher = createSearcher(await loadIndex(dir));
  let servedManifest = await manifestText(dir);
  let reloading: Promise<boolean> | null = null;
  const manifestPath = join(dir, MANIFEST_FILE);

  async function reloadNow(reason: string): Promise<boolean> {
    const text = await manifestText(dir);
    if (text !== null && text === servedManifest) return false;
    try {
      const next = createSearcher(await loadIndex(dir));
      searcher = next;
      servedManifest = text;
      const { counts, builtAt } = next.index.manifest;
      logger.info({ reason, documents: counts.documents, paragraphs: counts.paragraphs, builtAt }, 'index reloaded');
      return true;
    } catch (error) {
      // Remember the failed manifest so a watcher does not retry the same broken build every second.
      servedManifest = text;
      logger.error({ reason, error: error instanceof Error ? error.message : String(error) }, 'new index not loaded; still serving the previous one');
      return false;
    }
  }

  const holder: IndexHolder = {
    current: () => searcher,
    reload(reason) {
      // One reload at a time; a signal during a reload waits for it and then checks again.
      const run = (reloading ?? Promise.resolve(false)).then(() => reloadNow(reason));
      reloading = run.finally(() => {
        if (reloading === run) reloading = null;
      });
      return run;
    },
    watch(intervalMs) {
      watchFile(manifestPath, { interval: intervalMs }, (now, before) => {
        if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) void holder.reload('manifest changed');
      });
    },
    close() {
      unwatchFile(manifestPath);
    },
  };
  return holder;
}
