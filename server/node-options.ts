// How Node runs the server: `npm start` passes these options, bench/serve.ts and bench/load.ts start the server
// with them, and `npm run bench` and `npm run eval` measure in-process times under them (a test checks that
// package.json says the same). V8 does its background work (collection, compilation) on one thread:
// with its default several on a machine of two cores, they took the main thread's core for milliseconds at a
// time, and the tail latencies of short queries grew with them (docs/design.md).
export const SERVER_NODE_OPTIONS: readonly string[] = Object.freeze(['--v8-pool-size=1']);
