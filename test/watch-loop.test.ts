// The driver of watch mode's decisions (indexer/watch/watch-loop.ts) on Vitest's fake clock: it runs the builds
// coalesce.ts asks for, one at a time, and close() waits for the one in flight.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoalescePolicy } from '../indexer/watch/coalesce.js';
import { startWatchLoop } from '../indexer/watch/watch-loop.js';

const POLICY: CoalescePolicy = { quietMs: 150, maxDelayMs: 1000, rescanMs: null, retryMs: 10_000, settleMs: 500 };

describe('startWatchLoop', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A build that takes `ms` of the fake clock and records when it started. */
  const timedBuild = (ms: number, starts: number[], ok = true) => () => {
    starts.push(Date.now());
    return new Promise<boolean>((resolve) => setTimeout(() => resolve(ok), ms));
  };

  it('builds at once, then once per settled burst, and once more after a build that changes came during', async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    const loop = startWatchLoop({ policy: POLICY, build: timedBuild(300, starts) });
    await vi.advanceTimersByTimeAsync(1000);
    for (let i = 0; i < 5; i++) {
      loop.changed('file');
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(200); // the burst's build starts and runs
    loop.changed('file'); // during that build
    await vi.advanceTimersByTimeAsync(5000);
    // The burst's last change at 1080 → its build at 1230, until 1530; the change at 1300 was due at 1450, during
    // that build, so the next starts the moment it ends.
    expect(starts.map((at) => at - t0)).toEqual([0, 1230, 1530]);
    await loop.close();
  });

  it('counts a rejected build as failed and retries it after retryMs', async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    let calls = 0;
    const loop = startWatchLoop({
      policy: POLICY,
      build: () => {
        starts.push(Date.now());
        return calls++ === 0 ? Promise.reject(new Error('disk full')) : Promise.resolve(true);
      },
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(starts.map((at) => at - t0)).toEqual([0, 10_000]);
    await loop.close();
  });

  it('close() waits for the build in flight and starts no more', async () => {
    const starts: number[] = [];
    const loop = startWatchLoop({ policy: POLICY, build: timedBuild(500, starts) });
    let closed = false;
    const closing = loop.close().then(() => (closed = true));
    loop.changed('file');
    await vi.advanceTimersByTimeAsync(100);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    await closing;
    expect(closed).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(starts).toHaveLength(1);
  });
});
