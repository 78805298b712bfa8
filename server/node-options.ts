// How Node runs the server: `npm start` passes these options and environment, bench/serve.ts and bench/load.ts
// start the server with them, and `npm run bench` and `npm run eval` measure in-process times under them (a test
// checks that package.json says the same). V8 does its background work (collection, compilation) on one thread:
// with its default several on a machine of two cores, they took the main thread's core for milliseconds at a
// time, and the tail latencies of short queries grew with them (docs/design.md). V8 allocates no object in the old
// generation on an allocation site's record: it had put each query's ranking objects there, and the collections
// of the old generation they filled were the tail latencies under load (design.md §11.6).
export const SERVER_NODE_OPTIONS: readonly string[] = Object.freeze(['--v8-pool-size=1', '--no-allocation-site-pretenuring']);

/**
 * The environment the server runs in, set where it is started (npm start, the bench, deploy/sou@.service). glibc's
 * malloc raises the size from which a block gets a mapping of its own each time it frees such a block (up to 32
 * MB): after the transient buffers of the load and the warm-up, reads and decoded postings came from its heap,
 * whose freed pieces stayed in the process's memory. A fixed threshold (glibc's default) returns each large
 * block when it is freed (docs/design.md §7.1).
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '131072' });

/** SERVER_ENVIRONMENT as a shell's assignments before a command (package.json's start script). */
export const serverEnvironmentPrefix = (): string =>
  Object.entries(SERVER_ENVIRONMENT)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
