// Watch mode's settings, shared by `npm run index -- --watch` and the server that starts it (which must not load
// the watcher itself).
import type { CoalescePolicy } from './coalesce.js';

export interface WatchSettings {
  /** How often the whole corpus is checked whatever the watcher said, in milliseconds (null: never). */
  readonly rescanMs: number | null;
}

export const DEFAULT_RESCAN_SECONDS = 60;

/** `--rescan`'s seconds (unset: the default) as settings; 0 turns the rescan off. Throws on anything else. */
export function parseRescanSeconds(text: string | undefined, source: string): WatchSettings {
  if (text === undefined) return { rescanMs: DEFAULT_RESCAN_SECONDS * 1000 };
  const seconds = Number(text);
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0) throw new Error(`${source} must be a number of seconds ≥ 0, not "${text}"`);
  return { rescanMs: seconds === 0 ? null : Math.round(seconds * 1000) };
}

/** The timings of coalesce.ts for watch mode, with the rescan interval asked for. */
export function watchPolicy({ rescanMs }: WatchSettings): CoalescePolicy {
  // quietMs is above the window in which the watcher drops a file's repeated changes (watcher.ts), so a build
  // started by quiet has seen every write; maxDelayMs keeps a save findable within the 2 s asked of watch mode
  // while a bulk copy goes on.
  return { quietMs: 150, maxDelayMs: 1000, rescanMs, retryMs: 10_000, settleMs: 500 };
}
