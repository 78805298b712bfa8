// How far V8 lets the heap grow past what survived the last full collection. By default it picks a large factor
// under a high allocation rate, and a server holding a large index let its old generation swell to several times
// that between collections under load. Capping the growth keeps the heap near what is live, for more frequent
// (concurrent) collections, at a throughput cost within the measurement's noise (docs/design.md). The flag is
// read at each collection, so setting it at start works.
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(percent: number = HEAP_GROWING_PERCENT): void {
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
