// `npm start -- [--index DIR] [--port N] [--host H] [--watch] [--corpus PATH]... [--no-watch]`: builds or
// refreshes the index (the default index of corpus/, or any index in watch mode) when needed, loads it and
// serves it; in watch mode keeps it in step with its corpus folder (index-updates.ts); reloads on SIGHUP or a new
// build; finishes requests on SIGTERM.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { runBuild } from '../indexer/build-command.js';
import { MANIFEST_FILE, type Manifest } from '../indexer/index/format.js';
import { IndexLoadError } from '../indexer/index/load.js';
import { createReporter, problemLine } from '../indexer/progress.js';
import { createApp } from './app.js';
import { limitHeapGrowth } from './heap-growth-limit.js';
import { ConfigError, parseServerConfig, type ServerConfig } from './config.js';
import { openIndexHolder } from './index-holder.js';
import { startIndexUpdates, type IndexUpdates } from './index-updates.js';
import type { Logger } from './logger.js';
import { pagesRouter } from './pages.js';
import { trackConnections } from './shutdown.js';

/** How long SIGTERM waits for requests in flight before it gives up on them (and exits 1). */
const SHUTDOWN_GRACE_MS = 10_000;
/** Node's own limits: the whole request, and its headers, must arrive within these. */
const REQUEST_TIMEOUT_MS = 30_000;
const HEADERS_TIMEOUT_MS = 15_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;

/** Without watch mode: the default index is built or refreshed in this process before serving. */
async function ensureDefaultIndex(config: ServerConfig): Promise<void> {
  if (!config.isDefaultIndex || config.updates !== null) return;
  const outcome = await runBuild({ corpus: [config.corpusDir], out: config.indexDir, userDict: null, force: false }, createReporter(process.stderr));
  if (outcome.status === 'built') {
    const { counts, seconds } = outcome;
    process.stderr.write(`built ${config.indexDir}: ${counts.documents} documents, ${counts.paragraphs} paragraphs in ${seconds.toFixed(1)} s\n`);
    for (const problem of outcome.problems) process.stderr.write(`${problemLine(problem)}\n`);
  }
}

async function readManifest(indexDir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(`${indexDir}/${MANIFEST_FILE}`, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

/**
 * Watch mode: starts the indexer child on the corpus given, or the one the index was built from, with the
 * dictionary the index was built with, and waits for its first build (which reconciles the index with the folder).
 */
async function startUpdates(config: ServerConfig, logger: Logger, onBuilt: () => void): Promise<IndexUpdates | null> {
  if (config.updates === null) return null;
  const manifest = await readManifest(config.indexDir);
  const corpus = config.updates.corpus ?? manifest?.corpus?.inputs ?? null;
  if (corpus === null) throw new Error(`sou: --watch needs --corpus PATH: ${config.indexDir} holds no index to take its corpus from`);
  const updates = startIndexUpdates({ corpus, indexDir: config.indexDir, userDict: manifest?.userDict ?? null, settings: config.updates.settings, logger, onBuilt });
  logger.info({ corpus, index: config.indexDir, rescanMs: config.updates.settings.rescanMs }, 'watching the corpus');
  // A failed first build has been logged; the index already there (if any) is served, else loading it fails below.
  await updates.firstBuild;
  return updates;
}

async function main(): Promise<void> {
  limitHeapGrowth();
  const config = parseServerConfig(process.argv.slice(2), process.env);
  const logger: Logger = pino({ level: config.logLevel });
  // The child's report of a new build reloads at once, without waiting for the manifest poll (before the index
  // is open there is nothing to reload: opening it reads the newest build).
  let onBuilt = (): void => {};
  const updates = await startUpdates(config, logger, () => onBuilt());
  await ensureDefaultIndex(config);
  const holder = await openIndexHolder(config.indexDir, logger, { resultCacheEntries: config.resultCacheEntries, queryWorkers: config.queryWorkers });
  onBuilt = () => void holder.reload('index updated', { warmAfter: true });
  // In watch mode the indexer's reports are the reloads: a manifest poll would see the same builds and reload each
  // one fully warmed first, ahead of the report in the reload queue, holding back every save behind it.
  if (config.watchIntervalMs > 0 && updates === null) holder.watch(config.watchIntervalMs);
  // `connections` is read only when a request comes, after it is set below.
  const app = createApp({ holder, logger, pages: pagesRouter(holder), draining: () => connections.closing, ...(updates === null ? {} : { updates: updates.status }) });
  const server = createServer(app);
  const connections = trackConnections(server);
  server.listen(config.port, config.host, () => {
    const { counts } = holder.searcher().index.manifest;
    // The port actually bound (--port 0 picks a free one).
    const { port } = server.address() as AddressInfo;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    logger.info({ index: config.indexDir, host: config.host, port, documents: counts.documents, paragraphs: counts.paragraphs }, 'ready');
    process.stdout.write(`Sou is serving ${config.indexDir} at http://${host}:${port}\n`);
  });
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`sou: cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}\n`);
    process.exit(1);
  });

  process.on('SIGHUP', () => void holder.reload('SIGHUP', { force: true }));
  const shutdown = (signal: string): void => {
    if (connections.closing) {
      logger.warn({ signal }, 'second signal; exiting without waiting');
      process.exit(1);
    }
    logger.info({ signal, drainMs: config.drainMs }, 'shutting down; finishing requests in flight');
    holder.close();
    updates?.close();
    void connections.shutdown(SHUTDOWN_GRACE_MS, config.drainMs).then(async (finished) => {
      // Every request has been answered (or given up on): the query workers can go.
      if (finished) await holder.stopWorkers();
      if (finished) logger.info({ signal }, 'stopped');
      else logger.error({ signal, graceMs: SHUTDOWN_GRACE_MS }, 'requests still in flight after the grace period; exiting');
      // pino flushes what it has buffered when the process exits.
      process.exit(finished ? 0 : 1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
