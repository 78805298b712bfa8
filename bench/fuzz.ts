// `npm run fuzz -- [--requests N] [--index DIR] [--seed S] [--concurrency C]`: starts the app in-process on an
// index, sends N generated hostile requests over real HTTP (bench/fuzz-cases.ts) and checks every answer: no 5xx,
// no crash, no unescaped input in HTML, valid highlight ranges in JSON. Exits 1 when anything failed.
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runBuild } from '../indexer/build-command.js';
import { DEFAULT_CORPUS, DEFAULT_INDEX } from '../indexer/defaults.js';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { createReporter } from '../indexer/progress.js';
import { createApp } from '../server/app.js';
import { openIndexHolder } from '../server/index-holder.js';
import { pagesRouter } from '../server/pages.js';
import { collectingLogger, formatReport, runFuzz, sampleWords } from './fuzz-run.js';
import { exitWith } from './process.js';

const USAGE = 'usage: npm run fuzz -- [--requests N] [--index DIR] [--seed S] [--concurrency C]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { requests: { type: 'string' }, index: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const number = (text: string | undefined, fallback: number, name: string): number => {
    if (text === undefined) return fallback;
    if (!/^\d+$/.test(text)) throw new Error(`sou: --${name} must be a whole number, not "${text}"`);
    return Number(text);
  };
  const requests = number(values.requests, 10_000, 'requests');
  const seed = number(values.seed, Math.floor(Math.random() * 2 ** 31), 'seed');
  const concurrency = Math.max(1, number(values.concurrency, 16, 'concurrency'));
  const indexDir = values.index ?? DEFAULT_INDEX;
  if (values.index === undefined && !existsSync(join(indexDir, MANIFEST_FILE))) {
    await runBuild({ corpus: [DEFAULT_CORPUS], out: indexDir, userDict: null, force: false }, createReporter(process.stderr));
  }

  // Anything that escapes the app's error handling would take a real server down: count it as a failure.
  const crashes: string[] = [];
  process.on('uncaughtException', (error) => crashes.push(`uncaught exception: ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) => crashes.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));

  const logger = collectingLogger();
  // With the server's result cache, so queries asked again come from it, as they do when served.
  const holder = await openIndexHolder(indexDir, logger, { resultCacheEntries: 1000 });
  const server = createServer(createApp({ holder, logger, pages: pagesRouter(holder) })).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  const index = holder.searcher().index;
  process.stderr.write(`fuzzing ${indexDir} (${index.manifest.counts.paragraphs} paragraphs) with ${requests} requests, seed ${seed}\n`);

  const report = await runFuzz({
    host: '127.0.0.1',
    port,
    requests,
    seed,
    concurrency,
    docIds: index.documents.map((d) => d.id),
    words: sampleWords(index, seed),
    onProgress: (done) => {
      if (done % 1000 === 0) process.stderr.write(`  ${done}/${requests}\n`);
    },
  });
  // Still alive and answering?
  const health = await fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.status,
    (e: Error) => e.message,
  );
  server.close();
  server.closeAllConnections();

  process.stdout.write(`seed ${seed}\n${formatReport(report)}\n`);
  process.stdout.write(`healthz after the run: ${health}\n`);
  const serverErrors = logger.errors.filter((line) => line.startsWith('error'));
  process.stdout.write(`server error logs: ${serverErrors.length}\n`);
  for (const line of serverErrors.slice(0, 10)) process.stdout.write(`  ${line.slice(0, 600)}\n`);
  process.stdout.write(`crashes: ${crashes.length}\n`);
  for (const crash of crashes.slice(0, 10)) process.stdout.write(`  ${crash}\n`);
  const ok = report.failures.length === 0 && crashes.length === 0 && serverErrors.length === 0 && health === 200;
  process.stdout.write(ok ? 'fuzz: OK\n' : 'fuzz: FAILED\n');
  return ok ? 0 : 1;
}

exitWith(main());
