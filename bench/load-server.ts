// The server of `npm run load`, run as a child process with an IPC channel: the same app as `npm start` (JSON API
// and pages, request logs at info level, written to /dev/null unless a file is given, the result cache of the size
// given, and the query workers given (none unless a count is given, as `npm start`), reporting its port once it
// listens and is warm, and its process.memoryUsage() when asked.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { createApp } from '../server/app.js';
import { limitHeapGrowth } from '../server/heap-growth-limit.js';
import { parseQueryWorkers } from '../server/config.js';
import { openIndexHolder } from '../server/index-holder.js';
import { pagesRouter } from '../server/pages.js';

export type LoadServerMessage =
  | { readonly type: 'ready'; readonly port: number; readonly paragraphs: number; readonly warmSeconds: number; readonly memory: NodeJS.MemoryUsage }
  | { readonly type: 'memory'; readonly memory: NodeJS.MemoryUsage };

async function main(): Promise<void> {
  limitHeapGrowth(); // as npm start
  const [indexDir, resultCache, logFile = '/dev/null', workers] = process.argv.slice(2);
  if (indexDir === undefined || resultCache === undefined || process.send === undefined) throw new Error('sou: load-server is started by bench/load.ts');
  const logger = pino({ level: 'info' }, pino.destination({ dest: logFile, sync: false }));
  const holder = await openIndexHolder(indexDir, logger, { resultCacheEntries: Number(resultCache), queryWorkers: parseQueryWorkers(workers, 'the query workers argument') });
  const server = createServer(createApp({ holder, logger, pages: pagesRouter(holder) }));
  server.keepAliveTimeout = 5_000;
  const started = performance.now();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The load begins once the server is warm, as a load balancer sends traffic once /readyz answers 200: the
  // memory target then compares a warm server with itself, not with one still folding texts and building its
  // vocabulary.
  while (holder.warmth() === 'warming') await sleep(100);
  if (holder.warmth() === 'failed') throw new Error('sou: the load server failed to warm up');
  const { port } = server.address() as AddressInfo;
  const paragraphs = holder.searcher().index.manifest.counts.paragraphs;
  const warmSeconds = (performance.now() - started) / 1000;
  process.send!({ type: 'ready', port, paragraphs, warmSeconds, memory: process.memoryUsage() } satisfies LoadServerMessage);
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'memory') process.send!({ type: 'memory', memory: process.memoryUsage() } satisfies LoadServerMessage);
  });
  // The parent is done: write out the buffered log lines, then stop.
  process.on('disconnect', () => logger.flush(() => process.exit(0)));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
