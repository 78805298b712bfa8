// Work written as a generator that yields between small steps, run at once (tests, the eval) or between
// requests (the server's vocabulary, built after it starts answering): one body of code for both.

const SLICE_MS = 4;

/** Runs the steps to the end and returns their result. */
export function runSteps<T>(steps: Generator<unknown, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
  }
}

/** Runs the steps a slice of a few milliseconds at a time, yielding to the event loop between slices. */
export async function runStepsInSlices<T>(steps: Generator<unknown, T>): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const next = steps.next();
    if (next.done === true) return next.value;
    if (performance.now() - sliceStart < SLICE_MS) continue;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
}

const CHUNK = 1024;

/** Sorts `items` in place by `compare` (stable), yielding every thousand or so comparisons. */
export function* sortInSteps(items: Uint32Array, compare: (a: number, b: number) => number): Generator<void, void> {
  const n = items.length;
  for (let start = 0; start < n; start += CHUNK) {
    items.subarray(start, Math.min(n, start + CHUNK)).sort(compare);
    yield;
  }
  let from: Uint32Array = items;
  let to: Uint32Array = new Uint32Array(n);
  for (let width = CHUNK; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        to[k] = i < mid && (j >= hi || compare(from[i]!, from[j]!) <= 0) ? from[i++]! : from[j++]!;
        if ((k & (CHUNK - 1)) === 0) yield;
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) items.set(from);
}
