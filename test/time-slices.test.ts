// inTimeSlices: the warm-ups' loop (the index's folding, the server's heads and bitmaps) visits every item in
// order and lets the event loop run between slices of a few milliseconds.
import { describe, expect, it } from 'vitest';
import { inTimeSlices } from '../indexer/index/time-slices.js';

const busy = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('inTimeSlices', () => {
  it('visits 0 … count − 1 once each, in order', async () => {
    const seen: number[] = [];
    await inTimeSlices(5000, (i) => seen.push(i));
    expect(seen).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    await inTimeSlices(0, () => seen.push(-1));
    expect(seen).toHaveLength(5000);
  });

  it('lets a callback queued meanwhile run between slices, not after the whole loop', async () => {
    const events: string[] = [];
    setImmediate(() => events.push('request'));
    // Ten visits of 2 ms each: a slice ends after the second or third, so the queued callback runs long before the last.
    await inTimeSlices(10, (i) => {
      busy(2);
      events.push(`visit ${i}`);
    });
    const at = events.indexOf('request');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(6);
  });
});
