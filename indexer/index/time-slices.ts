// Work done between requests: a long loop split into slices of a few milliseconds, yielding to the event loop
// after each, so a request that arrives meanwhile waits one slice at most. The loaded index's warm-up (folding
// every text) and the server's (common characters' champion lists and bitmaps, warm-up queries) all go through it.

const SLICE_MS = 4;

/** Calls `visit(i)` for i = 0 … count − 1, yielding to the event loop whenever SLICE_MS have passed since the last yield. */
export async function inTimeSlices(count: number, visit: (i: number) => unknown): Promise<void> {
  let sliceStart = performance.now();
  for (let i = 0; i < count; i++) {
    visit(i);
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}
