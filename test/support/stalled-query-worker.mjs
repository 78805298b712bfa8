// A query worker (server/query-pool.ts's protocol) that loads and warms any index at once but never answers a
// search: query-pool.test.ts ends it with requests in flight, which a real worker might answer first.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (message) => {
  if (message.type === 'load') parentPort.postMessage({ type: 'loaded', generation: message.index.generation });
  if (message.type === 'warm-up') parentPort.postMessage({ type: 'warm', generation: message.generation });
});
