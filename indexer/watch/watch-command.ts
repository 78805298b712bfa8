// `npm run index -- --watch`: builds once (which reconciles the index with the folder), then again whenever the
// corpus changes and at every rescan, until stopped. Each build is runBuild (build-command.ts): it finds what
// changed itself, so a build after a false alarm or a rescan of an unchanged folder only lists it.
// Started by the server (with an IPC channel), it reports to the server in messages instead of on the terminal.
import { stat } from 'node:fs/promises';
import { runBuild, type BuildOptions, type BuildOutcome, type BuildReporter } from '../build-command.js';
import { createReporter, problemLine } from '../progress.js';
import { MAX_PROBLEM_LINES, type IndexerMessage } from './messages.js';
import { watchPolicy, type WatchSettings } from './settings.js';
import { startWatchLoop, type WatchLoop } from './watch-loop.js';
import { watchPlan, type CorpusInput } from './watch-paths.js';
import { watchFolders } from './watcher.js';

/** Each input as a folder or a single file; one that does not exist is an error (there would be nothing to watch). */
async function corpusInputs(paths: readonly string[]): Promise<CorpusInput[]> {
  return Promise.all(
    paths.map(async (path) => {
      const stats = await stat(path).catch(() => {
        throw new Error(`sou: corpus path not found: ${path}`);
      });
      return { path, isFolder: stats.isDirectory() };
    }),
  );
}

const silentReporter: BuildReporter = { step() {}, progress() {}, problem() {} };

function builtMessage(outcome: BuildOutcome): IndexerMessage {
  const { counts, builtAt } = outcome.manifest;
  const problems = outcome.status === 'built' ? outcome.problems : [];
  return {
    type: 'built',
    status: outcome.status,
    builtAt,
    documents: counts.documents,
    paragraphs: counts.paragraphs,
    seconds: outcome.status === 'built' ? outcome.seconds : 0,
    problemCount: problems.length,
    problems: problems.slice(0, MAX_PROBLEM_LINES).map(problemLine),
  };
}

/** What a person at the terminal reads of each message; null: nothing (an unchanged folder at a rescan). */
function terminalLine(message: IndexerMessage, options: BuildOptions): string | null {
  switch (message.type) {
    case 'building':
      return null;
    case 'built':
      if (message.status === 'up-to-date') return null;
      return (
        `${message.builtAt} indexed ${message.documents.toLocaleString('en')} documents, ${message.paragraphs.toLocaleString('en')} paragraphs ` +
        `in ${message.seconds.toFixed(1)} s into ${options.out}${message.problemCount > 0 ? `; ${message.problemCount} input(s) skipped` : ''}`
      );
    case 'failed':
      return `sou: build failed, the index in ${options.out} is unchanged: ${message.error.replace(/^sou: /, '')}`;
    case 'watch-error':
      return `sou: watcher: ${message.error.replace(/^sou: /, '')}; changes are still found at each rescan`;
  }
}

/**
 * Watches until SIGINT or SIGTERM (or, started by a parent, until the parent goes); resolves the exit status.
 * A failed build is reported and the watching goes on: the next change or rescan tries again.
 */
export async function runWatch(options: BuildOptions, settings: WatchSettings): Promise<number> {
  const inputs = await corpusInputs(options.corpus);
  const toParent = process.send?.bind(process);
  const send = (message: IndexerMessage): void => {
    if (toParent !== undefined) {
      toParent(message);
      return;
    }
    const line = terminalLine(message, options);
    if (line !== null) (message.type === 'built' ? process.stdout : process.stderr).write(`${line}\n`);
  };
  const reporter = toParent === undefined ? createReporter(process.stderr) : silentReporter;
  // The watcher first, and the first build once it watches everything: a change after that build has listed the
  // corpus then always has an event. (The other order leaves a gap: a file made while the watcher is still looking
  // at the folder counts as already there, with no event.)
  let loop: WatchLoop | undefined;
  const watcher = watchFolders(watchPlan(inputs, options.out), {
    // Before the loop starts, the first build is still to list the corpus: it sees these changes anyway.
    onChange: (_path, what) => loop?.changed(what),
    onError: (error) => send({ type: 'watch-error', error: error.message }),
  });
  await watcher.ready;
  let first = true;
  loop = startWatchLoop({
    policy: watchPolicy(settings),
    build: async () => {
      send({ type: 'building' });
      // --force applies to the first build only; the later ones are about what changed.
      const buildOptions = first ? options : { ...options, force: false };
      const wasFirst = first;
      first = false;
      try {
        const outcome = await runBuild(buildOptions, reporter);
        send(builtMessage(outcome));
        if (wasFirst && outcome.status === 'up-to-date' && toParent === undefined) {
          process.stdout.write(`index ${options.out} is up to date with its corpus; watching for changes\n`);
        }
        return true;
      } catch (error) {
        send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
        return false;
      }
    },
  });
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      // A build in flight finishes first: its index is written whole or not at all either way, and waiting
      // leaves no half-written generation behind to clean up.
      void Promise.all([watcher.close(), loop?.close()]).then(() => {
        if (process.connected) process.disconnect(); // else the channel alone keeps this process alive
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (toParent !== undefined) process.once('disconnect', stop);
  });
}
