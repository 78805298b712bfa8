// Watch mode's build decisions (indexer/watch/coalesce.ts), driven by a simulated clock: bursts become one build,
// a change during a build brings exactly one more, the rescan, retries and settling checks come when due, and
// (a property over random changes and build times) no change is ever left without a build that started after it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide, initialState, step, type ChangeKind, type CoalescePolicy } from '../indexer/watch/coalesce.js';

const POLICY: CoalescePolicy = { quietMs: 150, maxDelayMs: 1000, rescanMs: null, retryMs: 10_000, settleMs: 500 };

interface Change {
  readonly at: number;
  readonly what?: ChangeKind;
}

interface Build {
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
}

/**
 * Runs the decisions against a clock until `horizon`: changes arrive at their times (a change at the moment a
 * decision is made comes first, as the driver pumps on every change), builds take `durations` in turn and fail
 * where `failures` says.
 */
function simulate(changes: readonly Change[], policy: CoalescePolicy, horizon: number, durations: readonly number[] = [100], failures: readonly boolean[] = [false]): Build[] {
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  let state = initialState(0);
  const builds: Build[] = [];
  let next = 0;
  let runningEnd: number | null = null;
  let t = 0;
  for (let guard = 0; guard < 100_000; guard++) {
    if (runningEnd !== null && runningEnd <= t) {
      state = step(state, { kind: 'build-finished', at: runningEnd, ok: !failures[(builds.length - 1) % failures.length] }, policy);
      runningEnd = null;
    }
    while (next < sorted.length && sorted[next]!.at <= t) {
      state = step(state, { kind: 'change', at: sorted[next]!.at, what: sorted[next]!.what ?? 'file' }, policy);
      next++;
    }
    const decision = decide(state, t, policy);
    if (decision.kind === 'build') {
      state = step(state, { kind: 'build-started', at: t }, policy);
      const end = t + durations[builds.length % durations.length]!;
      builds.push({ start: t, end, ok: !failures[builds.length % failures.length] });
      runningEnd = end;
      continue;
    }
    const wake = Math.min(decision.kind === 'wait' ? decision.until : Infinity, runningEnd ?? Infinity, sorted[next]?.at ?? Infinity);
    if (wake === Infinity || wake > horizon) return builds;
    t = wake;
  }
  throw new Error('simulation did not settle');
}

const starts = (builds: readonly Build[]): number[] => builds.map((build) => build.start);

describe('coalesce: when watch mode builds', () => {
  it('builds once at start, reconciling with the folder, and then only when something changes', () => {
    expect(starts(simulate([], POLICY, 600_000))).toEqual([0]);
  });

  it('makes one build of a burst of saves, once they have been quiet for quietMs', () => {
    const burst = Array.from({ length: 10 }, (_, i) => ({ at: 5000 + i * 20 }));
    expect(starts(simulate(burst, POLICY, 600_000))).toEqual([0, 5180 + POLICY.quietMs]);
  });

  it('makes exactly one more build after a build during which changes came, however many', () => {
    const during = Array.from({ length: 50 }, (_, i) => ({ at: 5200 + i }));
    const builds = simulate([{ at: 5000 }, ...during], POLICY, 600_000, [2000]);
    expect(starts(builds)).toEqual([0, 5000 + POLICY.quietMs, 5150 + 2000]);
  });

  it('builds at least every maxDelayMs while a long copy goes on, and once more after its last file', () => {
    const copy = Array.from({ length: 500 }, (_, i) => ({ at: 10_000 + i * 10 }));
    const builds = simulate(copy, POLICY, 600_000, [50]);
    const during = builds.filter((build) => build.start > 10_000);
    expect(during[0]!.start).toBe(10_000 + POLICY.maxDelayMs);
    for (const [i, build] of during.entries()) if (i > 0) expect(build.start - during[i - 1]!.start).toBeLessThanOrEqual(POLICY.maxDelayMs);
    expect(during.at(-1)!.start).toBeGreaterThanOrEqual(14_990);
  });

  it('rescans rescanMs after each build, and never with rescanMs null', () => {
    expect(starts(simulate([], { ...POLICY, rescanMs: 60_000 }, 200_000))).toEqual([0, 60_100, 120_200, 180_300]);
    expect(starts(simulate([], POLICY, 200_000))).toEqual([0]);
  });

  it('retries retryMs after a failed build, sooner when a change comes', () => {
    expect(starts(simulate([], POLICY, 25_000, [100], [true, false]))).toEqual([0, 10_100]);
    expect(starts(simulate([{ at: 3000 }], POLICY, 25_000, [100], [true, false]))).toEqual([0, 3000 + POLICY.quietMs]);
  });

  it('checks again settleMs after a build that followed a new folder (its files may have no events)', () => {
    expect(starts(simulate([{ at: 5000, what: 'folder' }], POLICY, 600_000))).toEqual([0, 5150, 5150 + 100 + POLICY.settleMs]);
  });

  it('checks again settleMs after a build that maxDelayMs started while changes were still coming', () => {
    // The watcher drops a file's second change within a short window; one just after such a build's start would be lost.
    const stream = Array.from({ length: 101 }, (_, i) => ({ at: 5000 + i * 10 }));
    const builds = simulate(stream, POLICY, 600_000, [10]);
    expect(starts(builds)).toEqual([0, 6000, 6010 + POLICY.settleMs]);
  });

  it('never leaves a change without a build that started after it, builds one at a time, and waits at most max(maxDelayMs, longest build)', () => {
    const changes = fc.array(fc.record({ at: fc.integer({ min: 0, max: 30_000 }), what: fc.constantFrom<ChangeKind>('file', 'file', 'file', 'folder') }), { maxLength: 200 });
    const durations = fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 10 });
    const failures = fc.array(fc.boolean(), { minLength: 1, maxLength: 10 });
    const policies = fc.record({
      quietMs: fc.integer({ min: 60, max: 500 }),
      maxDelayMs: fc.integer({ min: 500, max: 3000 }),
      rescanMs: fc.option(fc.integer({ min: 5000, max: 60_000 })),
      retryMs: fc.integer({ min: 1000, max: 20_000 }),
      settleMs: fc.integer({ min: 100, max: 2000 }),
    });
    fc.assert(
      fc.property(changes, durations, failures, policies, (changeList, durationList, failureList, policy) => {
        const builds = simulate(changeList, policy, 200_000, durationList, failureList);
        for (const [i, build] of builds.entries()) if (i > 0) expect(build.start).toBeGreaterThanOrEqual(builds[i - 1]!.end);
        const wait = Math.max(policy.maxDelayMs, ...durationList);
        for (const change of changeList) {
          const covering = builds.find((build) => build.start >= change.at);
          expect(covering, `change at ${change.at}`).toBeDefined();
          expect(covering!.start - change.at).toBeLessThanOrEqual(wait);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('starts no build without a reason: a change since the last start, or a check due after the last', () => {
    const changes = fc.array(fc.integer({ min: 0, max: 30_000 }), { maxLength: 100 });
    fc.assert(
      fc.property(changes, fc.integer({ min: 1, max: 3000 }), (times, duration) => {
        const builds = simulate(
          times.map((at) => ({ at })),
          POLICY,
          200_000,
          [duration],
        );
        for (const [i, build] of builds.entries()) {
          if (i === 0) continue;
          const previous = builds[i - 1]!;
          const changed = times.some((at) => at > previous.start && at <= build.start) || times.includes(previous.start);
          const unsettled = times.some((at) => at <= previous.start && previous.start - at < POLICY.quietMs);
          expect(changed || unsettled, `build at ${build.start}`).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
