// What `npm run index -- --watch` tells the process that started it (over Node's IPC channel, when it has one):
// the server reloads on 'built' at once instead of waiting for its manifest poll, and says in /healthz and its
// log how the updates go.

/** At most this many skipped-input lines go in one message (the rest are counted). */
export const MAX_PROBLEM_LINES = 20;

export type IndexerMessage =
  /** A build started (a change, the rescan, or the reconciling build at start). */
  | { readonly type: 'building' }
  /** A build finished: a new index was written (`built`) or the folder had not changed (`up-to-date`). */
  | {
      readonly type: 'built';
      readonly status: 'built' | 'up-to-date';
      /** The manifest's build time. */
      readonly builtAt: string;
      readonly documents: number;
      readonly paragraphs: number;
      readonly seconds: number;
      /** How many inputs were skipped, and the first MAX_PROBLEM_LINES of them as `problemLine`s. */
      readonly problemCount: number;
      readonly problems: readonly string[];
    }
  /** A build failed: the index on disk is the one before it. */
  | { readonly type: 'failed'; readonly error: string }
  /** The watcher reported an error (e.g. the system's limit of watches): changes may go unseen until the rescan. */
  | { readonly type: 'watch-error'; readonly error: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** The message, if `value` (as received over IPC) is one; anything else is null. */
export function readIndexerMessage(value: unknown): IndexerMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'building':
      return { type: 'building' };
    case 'built':
      if ((value.status !== 'built' && value.status !== 'up-to-date') || typeof value.builtAt !== 'string') return null;
      if (![value.documents, value.paragraphs, value.seconds, value.problemCount].every((n) => typeof n === 'number')) return null;
      if (!Array.isArray(value.problems) || !value.problems.every((line) => typeof line === 'string')) return null;
      return value as IndexerMessage;
    case 'failed':
    case 'watch-error':
      return typeof value.error === 'string' ? { type: value.type, error: value.error } : null;
    default:
      return null;
  }
}
