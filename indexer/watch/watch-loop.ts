// Runs coalesce.ts's decisions with a real clock: one timer, one build at a time.
import { decide, initialState, step, type ChangeKind, type CoalescePolicy, type CoalesceState } from './coalesce.js';

export interface WatchLoopOptions {
  readonly policy: CoalescePolicy;
  /** Runs one build; resolves whether it succeeded. A rejection counts as a failure. */
  readonly build: () => Promise<boolean>;
  readonly now?: () => number;
}

export interface WatchLoop {
  /** Something under the watched paths changed. */
  changed(what: ChangeKind): void;
  /** Stops scheduling builds; resolves once the build in flight (if any) has finished. */
  close(): Promise<void>;
}

/** Starts at once with a build (the reconciling one), then builds as the changes reported ask. */
export function startWatchLoop({ policy, build, now = Date.now }: WatchLoopOptions): WatchLoop {
  let state: CoalesceState = initialState(now());
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const pump = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (closed) return;
    const decision = decide(state, now(), policy);
    if (decision.kind === 'wait') {
      timer = setTimeout(pump, Math.max(0, decision.until - now()));
    } else if (decision.kind === 'build') {
      state = step(state, { kind: 'build-started', at: now() }, policy);
      running = build()
        .catch(() => false)
        .then((ok) => {
          state = step(state, { kind: 'build-finished', at: now(), ok }, policy);
          pump();
        });
    }
  };
  pump();
  return {
    changed(what) {
      if (closed) return;
      state = step(state, { kind: 'change', at: now(), what }, policy);
      pump();
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
