// The request queue: queued requests' work in short event-loop turns. Searching is synchronous, so while every
// connection has a request waiting, Node would run them all back to back in one turn, and a connection that has
// just arrived would wait for the next turn to be accepted (BENCHMARKS.md, the load run). Handing the work out in
// turns of a couple of milliseconds keeps turns short, so accepting and reading stay fair; one request a turn did
// too, but a round of the event loop per request cost as much as a fast search (BENCHMARKS.md, "Performance work").
import type { IncomingMessage, ServerResponse } from 'node:http';

interface Turn {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly next: () => void;
}

/** Express's requests and responses are Node's, so one queue serves the searches answered before Express too. */
export interface RequestQueue {
  (request: IncomingMessage, response: ServerResponse, next: () => void): void;
  /** Requests waiting for their turn. */
  pending(): number;
  /** Slots the queue holds, taken ones included (a test checks it stays bounded under steady load). */
  capacity(): number;
}

/** How long one turn goes on taking queued requests before it yields to the event loop. */
export const TURN_SLICE_MS = 2;

export interface RequestQueueOptions {
  /** 0: one request a turn. */
  readonly sliceMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

/**
 * Runs `next` of queued requests in arrival order, in turns (setImmediate) that each take requests until
 * `sliceMs` has passed, at least one. A request already answered or whose client left is skipped.
 */
export function createRequestQueue({ sliceMs = TURN_SLICE_MS, now = () => performance.now() }: RequestQueueOptions = {}): RequestQueue {
  // A FIFO as an array and a head index. Under steady load the queue never empties, so taken slots are cleared
  // and the array compacted as it goes; otherwise it would keep every request it ever held (a regression test).
  let queue: (Turn | undefined)[] = [];
  let head = 0;
  let scheduled = false;
  const take = (): Turn | undefined => {
    const turn = queue[head];
    queue[head++] = undefined;
    if (head === queue.length) {
      queue = [];
      head = 0;
    } else if (head >= 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return turn;
  };
  const runTurn = (): void => {
    const until = now() + sliceMs;
    try {
      do {
        const turn = take();
        // A request already answered (the handler timeout) or whose client left is not worth the work.
        if (turn && !turn.response.headersSent && !turn.request.socket.destroyed) turn.next();
      } while (head < queue.length && now() < until);
    } finally {
      // Also after a throw: the requests behind it get their turn.
      scheduled = head < queue.length;
      if (scheduled) setImmediate(runTurn);
    }
  };
  const pending = (): number => queue.length - head;
  const gate = (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    queue.push({ request, response, next });
    if (!scheduled) {
      scheduled = true;
      setImmediate(runTurn);
    }
  };
  return Object.assign(gate, { pending, capacity: () => queue.length });
}
