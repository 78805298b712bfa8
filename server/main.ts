// `npm start -- [--index DIR] [--port N] [--host H]`: builds or refreshes the default index of corpus/ when
// needed, loads the index and serves it; reloads on SIGHUP or a new build; finishes requests on SIGTERM.
import { pino } from 'pino';
import { runBuild } from '../indexer/build-command.js';
import { IndexLoadError } from '../indexer/index/load.js';
import { createReporter, problemLine } from '../indexer/progress.js';
import { createApp } from './app.js';
import { ConfigError, parseServerConfig, type ServerConfig } from './config.js';
import { openIndexHolder, type Logger } from './index-holder.js';
import { pagesRouter } from './pages.js';

const SHUTDOWN_GRACE_MS = 10_000;

async function ensureDefaultIndex(config: ServerConfig): Promise<void> {
  if (!config.isDefaultIndex) return;
  const outcome = await runBuild({ corpus: [config.corpusDir], out: config.indexDir, userDict: null, force: false }, createReporter(process.stderr));
  if (outcome.status === 'built') {
    const { counts, seconds } = outcome;
    process.stderr.write(`built ${config.indexDir}: ${counts.documents} documents, ${counts.paragraphs} paragraphs in ${seconds.toFixed(1)} s\n`);
    for (const problem of outcome.problems) process.stderr.write(`${problemLine(problem)}\n`);
  }
}

async function main(): Promise<void> {
  const config = parseServerConfig(process.argv.slice(2), process.env);
  const logger: Logger = pino({ level: config.logLevel });
  await ensureDefaultIndex(config);
  const holder = await openIndexHolder(config.indexDir, logger);
  holder.watch(config.watchIntervalMs);
  const app = createApp({ holder, logger, pages: pagesRouter(holder) });
  const server = app.listen(config.port, config.host, () => {
    const { counts } = holder.current().index.manifest;
    logger.info({ index: config.indexDir, documents: counts.documents, paragraphs: counts.paragraphs }, 'ready');
    process.stdout.write(`Sou is serving ${config.indexDir} at http://${config.host}:${config.port}\n`);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`sou: cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}\n`);
    process.exit(1);
  });
  process.on('SIGHUP', () => void holder.reload('SIGHUP'));
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down; finishing requests in flight');
    holder.close();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // Expected failures (bad arguments, an index that cannot be used) are one line; anything else keeps its stack.
  if (error instanceof ConfigError || error instanceof IndexLoadError || (error instanceof Error && error.message.startsWith('sou:'))) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`sou: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
});
