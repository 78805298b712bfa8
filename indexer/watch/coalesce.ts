// Watch mode's decisions as pure functions of the events and the clock: when to build. A burst of changes
// becomes one build once it settles (or once its oldest change has waited long enough, so a long copy is
// indexed as it goes); a change during a build means exactly one more build after it, since the running build
// may have listed the folder before the change; a periodic check catches what the watcher missed.
// watch-loop.ts feeds it events and time and does what it decides.

export interface CoalescePolicy {
  /** A build starts once no change has come for this long: a burst of saves becomes one build. */
  readonly quietMs: number;
  /** ...or once the oldest change not yet built is this old, even while changes keep coming (a bulk copy). */
  readonly maxDelayMs: number;
  /** A build that finds the folder unchanged is cheap: one runs this long after the last, whatever happened (null: never). */
  readonly rescanMs: number | null;
  /** After a failed build, the next starts this long after it (a change starts one sooner). */
  readonly retryMs: number;
  /**
   * After a build that may have missed a change with no event of its own, one more this long after it: one that
   * followed a folder change (files made in a new folder before the watcher watched it have none), or one that
   * started less than `quietMs` after a change (the watcher drops a file's second change within a short
   * window of its first, so a write just after the build started could go unreported).
   */
  readonly settleMs: number;
}

export interface CoalesceState {
  readonly building: boolean;
  /** The oldest and newest change that no started build has seen yet (null: none). */
  readonly firstChangeAt: number | null;
  readonly lastChangeAt: number | null;
  /** Among those changes, a folder appeared or went. */
  readonly folderChanged: boolean;
  /** The build running may have missed a change without an event (see `settleMs`). */
  readonly settling: boolean;
  /** When a build starts though nothing changed: the rescan, a retry or a settling check (null: none due). */
  readonly checkAt: number | null;
}

export type ChangeKind = 'file' | 'folder';

export type CoalesceEvent =
  | { readonly kind: 'change'; readonly at: number; readonly what: ChangeKind }
  | { readonly kind: 'build-started'; readonly at: number }
  | { readonly kind: 'build-finished'; readonly at: number; readonly ok: boolean };

export type Decision =
  /** Start a build now (then report 'build-started'). */
  | { readonly kind: 'build' }
  /** Nothing to do before `until`: ask again then, or when an event comes. */
  | { readonly kind: 'wait'; readonly until: number }
  /** Nothing to do until an event comes (a build is running, or nothing is due). */
  | { readonly kind: 'idle' };

/** The state at start: a build is due at once, which reconciles the index with the folder as it is now. */
export function initialState(now: number): CoalesceState {
  return { building: false, firstChangeAt: null, lastChangeAt: null, folderChanged: false, settling: false, checkAt: now };
}

export function step(state: CoalesceState, event: CoalesceEvent, policy: CoalescePolicy): CoalesceState {
  switch (event.kind) {
    case 'change':
      return {
        ...state,
        firstChangeAt: state.firstChangeAt ?? event.at,
        lastChangeAt: Math.max(state.lastChangeAt ?? event.at, event.at),
        folderChanged: state.folderChanged || event.what === 'folder',
      };
    case 'build-started': {
      // The build lists the folder from now on: it sees every change so far. Changes from now on wait for the next.
      const unsettled = state.lastChangeAt !== null && event.at - state.lastChangeAt < policy.quietMs;
      return { building: true, firstChangeAt: null, lastChangeAt: null, folderChanged: false, settling: state.folderChanged || unsettled, checkAt: null };
    }
    case 'build-finished': {
      const next = !event.ok ? event.at + policy.retryMs : state.settling ? event.at + policy.settleMs : policy.rescanMs === null ? null : event.at + policy.rescanMs;
      return { ...state, building: false, settling: false, checkAt: next };
    }
  }
}

/** The time a build is due (null: none), ignoring whether one is running. */
function dueAt(state: CoalesceState, policy: CoalescePolicy): number | null {
  let due = state.checkAt;
  if (state.firstChangeAt !== null && state.lastChangeAt !== null) {
    const settled = Math.min(state.lastChangeAt + policy.quietMs, state.firstChangeAt + policy.maxDelayMs);
    due = due === null ? settled : Math.min(due, settled);
  }
  return due;
}

export function decide(state: CoalesceState, now: number, policy: CoalescePolicy): Decision {
  if (state.building) return { kind: 'idle' };
  const due = dueAt(state, policy);
  if (due === null) return { kind: 'idle' };
  return now >= due ? { kind: 'build' } : { kind: 'wait', until: due };
}
