// Keeps the served index in step with its corpus folder: runs `npm run index -- --watch` (indexer/cli.js) as a
// child process, reloads the index the moment the child reports a new build, and keeps what /healthz says about
// the updates. The builds run in the child so that their memory, their jieba and their CPU-bound work stay out
// of the server's heap and event loop (docs/design.md, "Watch mode"); a child that dies is started again.
import { fork, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { readIndexerMessage, type IndexerMessage } from '../indexer/watch/messages.js';
import type { WatchSettings } from '../indexer/watch/settings.js';
import type { Logger } from './logger.js';

/** What /healthz says of the updates. */
export interface UpdatesStatus {
  /** A build is running now. */
  readonly building: boolean;
  /** When a build last found the index in step with the folder (built it, or found it up to date); null: not yet. */
  readonly checkedAt: string | null;
  /** When the last build failed, if it was the last to finish; null otherwise. */
  readonly failedAt: string | null;
}

export interface UpdatesOptions {
  /** The corpus inputs, as `npm run index -- --corpus` takes them. */
  readonly corpus: readonly string[];
  readonly indexDir: string;
  readonly userDict: string | null;
  readonly settings: WatchSettings;
  readonly logger: Logger;
  /** Called when the child has written a new index (not when it found the old one up to date). */
  readonly onBuilt: () => void;
  /** The indexer CLI to run (default: the compiled one beside this module). */
  readonly cliPath?: string;
}

export interface IndexUpdates {
  /** The first build's report: it reconciles the index with the folder before the server loads it. */
  readonly firstBuild: Promise<IndexerMessage>;
  status(): UpdatesStatus;
  /** Stops the child (a build it is running leaves the index as it was or whole, never half-written). */
  close(): void;
}

const DEFAULT_CLI = fileURLToPath(new URL('../indexer/cli.js', import.meta.url));
/** A child that exits by itself is started again after this long, doubling up to RESTART_MAX_MS while it keeps dying. */
const RESTART_FIRST_MS = 1000;
const RESTART_MAX_MS = 60_000;

function childArgs({ corpus, indexDir, userDict, settings }: UpdatesOptions): string[] {
  const args = corpus.flatMap((input) => ['--corpus', input]);
  args.push('--out', indexDir, '--watch', '--rescan', String(settings.rescanMs === null ? 0 : settings.rescanMs / 1000));
  if (userDict !== null) args.push('--dict', userDict);
  return args;
}

export function startIndexUpdates(options: UpdatesOptions): IndexUpdates {
  const { logger, onBuilt } = options;
  const args = childArgs(options);
  let status: UpdatesStatus = { building: false, checkedAt: null, failedAt: null };
  let child: ChildProcess | undefined;
  let closed = false;
  let restartMs = RESTART_FIRST_MS;
  let restartTimer: NodeJS.Timeout | undefined;
  let resolveFirst: ((message: IndexerMessage) => void) | undefined;
  const firstBuild = new Promise<IndexerMessage>((resolve) => (resolveFirst = resolve));
  const settleFirst = (message: IndexerMessage): void => {
    resolveFirst?.(message);
    resolveFirst = undefined;
  };

  const receive = (message: IndexerMessage): void => {
    const now = new Date().toISOString();
    switch (message.type) {
      case 'building':
        status = { ...status, building: true };
        return;
      case 'built':
        status = { building: false, checkedAt: now, failedAt: null };
        restartMs = RESTART_FIRST_MS;
        if (message.status === 'built') {
          const { documents, paragraphs, seconds, builtAt, problemCount } = message;
          logger.info({ documents, paragraphs, seconds, builtAt, skipped: problemCount }, 'index updated');
          if (problemCount > 0) logger.warn({ skipped: problemCount, problems: message.problems }, 'inputs skipped by the update');
          onBuilt();
        }
        break;
      case 'failed':
        status = { ...status, building: false, failedAt: now };
        logger.error({ error: message.error }, 'index update failed; still serving the previous index');
        break;
      case 'watch-error':
        logger.warn({ error: message.error }, 'corpus watcher error; changes are still found at each rescan');
        return;
    }
    settleFirst(message);
  };

  const start = (): void => {
    restartTimer = undefined;
    if (closed) return;
    // No execArgv: the server's own Node options (its V8 pool size) are for serving, not for building. Detached:
    // a Ctrl-C at the terminal is the server's to handle (it stops the child); a server that dies without doing
    // so closes the IPC channel, and the child stops on that.
    const started = fork(options.cliPath ?? DEFAULT_CLI, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [], detached: true });
    child = started;
    started.on('message', (value: unknown) => {
      const message = readIndexerMessage(value);
      if (message === null) logger.warn({ message: value }, 'unexpected message from the indexer process');
      else receive(message);
    });
    // A healthy indexer writes nothing to stderr when it reports over IPC: whatever comes is worth the log.
    createInterface({ input: started.stderr! }).on('line', (line) => logger.error({ line }, 'indexer process stderr'));
    started.on('error', (error) => logger.error({ error: error.message }, 'indexer process error'));
    started.on('exit', (code, signal) => {
      if (child === started) child = undefined;
      status = { ...status, building: false };
      if (closed) return;
      const error = `the indexer process exited (${signal ?? `code ${code}`})`;
      logger.error({ code, signal, restartInMs: restartMs }, 'indexer process exited; starting it again');
      settleFirst({ type: 'failed', error });
      status = { ...status, failedAt: new Date().toISOString() };
      restartTimer = setTimeout(start, restartMs);
      restartMs = Math.min(RESTART_MAX_MS, restartMs * 2);
    });
  };
  start();

  return {
    firstBuild,
    status: () => status,
    close() {
      closed = true;
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      child?.kill('SIGTERM');
      settleFirst({ type: 'failed', error: 'stopped' });
    },
  };
}
