// Reading ahead: a query's candidates lie anywhere in tens of megabytes of heap (their texts, titles and
// documents), mostly not cached. Read where they are used, each waits for memory in turn; a loop that does
// nothing but read one value of each lets the processor fetch several at once, and the work that follows finds
// them cached. Measured in one process, both builds alternating (BENCHMARKS.md): 2–4 character queries at 100k
// poems about 3 µs faster with their candidates and hits read ahead.

/** Where the reads' sum goes, so that the compiler cannot drop them. */
let sink = 0;

/** Calls `read(i)` for i = 0 … count − 1 (each reading from one candidate's data and returning a number). */
export function readAhead(count: number, read: (i: number) => number): void {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += read(i);
  sink += sum;
}
