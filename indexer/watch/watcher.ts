// The file-system watcher: the one module that imports chokidar. Node's own recursive fs.watch has known races
// on Linux; chokidar sets up one watch per folder, follows new folders, and reports add/change/unlink.
import { watch } from 'chokidar';
import type { ChangeKind } from './coalesce.js';
import type { WatchPlan } from './watch-paths.js';

export interface FolderWatcher {
  /** Resolves once the watcher has looked at everything there and watches it: a change from then on is reported. */
  readonly ready: Promise<void>;
  /** Stops watching (resolves once every watch is closed). */
  close(): Promise<void>;
}

export interface WatcherListeners {
  /** A change that matters to the index (watch-paths.ts), as the watcher reported it. */
  readonly onChange: (path: string, what: ChangeKind) => void;
  /** The watcher could not watch something (e.g. the system's limit of watches); the rescan still covers it. */
  readonly onError: (error: Error) => void;
}

export function watchFolders(plan: WatchPlan, { onChange, onError }: WatcherListeners): FolderWatcher {
  const watcher = watch([...plan.roots], {
    // What is there now is the reconciling build's business; only changes from now on are events.
    ignoreInitial: true,
    // The listing follows symlinked folders (visiting each once), so the watcher does too.
    followSymlinks: true,
    ignored: (path: string) => !plan.isWatched(path),
    // A file removed and added again within this window is one change (editors' write-then-rename saves).
    atomic: true,
    // No waiting for writes to finish: a build that reads a half-written file is followed by another, as the
    // rest of the write is a change of its own (coalesce.ts).
    awaitWriteFinish: false,
    // An unreadable folder is the listing's problem to report, not a reason to stop watching the rest.
    ignorePermissionErrors: true,
  });
  const report = (what: ChangeKind) => (path: string) => {
    if (plan.matters(path, what)) onChange(path, what);
  };
  watcher.on('add', report('file'));
  watcher.on('change', report('file'));
  watcher.on('unlink', report('file'));
  watcher.on('addDir', report('folder'));
  watcher.on('unlinkDir', report('folder'));
  watcher.on('error', (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return { ready, close: () => watcher.close() };
}
