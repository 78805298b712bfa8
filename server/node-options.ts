// How Node runs the server: `npm start` passes these options, bench/serve.ts and bench/load.ts start the server
// with them, and `npm run bench` and `npm run eval` measure in-process times under them (a test checks that
// package.json says the same). V8 does its background work (collection, compilation) on one thread: with its
// default four on a machine of two cores, they took the main thread's core for about 4 ms at a time: the p99 of
// the bench's one-character and 2–4 character queries at 100k poems was 2.4–4.8 ms with four, 0.3–1.1 with one.
export const SERVER_NODE_OPTIONS: readonly string[] = Object.freeze(['--v8-pool-size=1']);
