// Work done between requests: a long loop split into slices of a few milliseconds, yielding to the event loop
// after each, so a request that arrives meanwhile waits one slice at most.

const SLICE_MS = 4;

/** Calls `visit` on every item, yielding to the event loop whenever SLICE_MS have passed since the last yield. */
export async function visitInTimeSlices<T>(items: Iterable<T>, visit: (item: T) => unknown): Promise<void> {
  let sliceStart = performance.now();
  for (const item of items) {
    visit(item);
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}
