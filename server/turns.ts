// One request's work per event-loop turn. Searching is synchronous, so while every connection has a request
// waiting, Node runs them all back to back in one turn, and a connection that has just arrived waits for the
// next turn to be accepted: under 100 busy connections new ones were accepted one per turn, seconds apart, and
// some first requests waited over 10 s (BENCHMARKS.md, the load run). Handing the work out one request per turn
// keeps turns short, so accepting and reading stay fair; throughput is the same.
import type { NextFunction, Request, RequestHandler, Response } from 'express';

interface Turn {
  readonly request: Request;
  readonly response: Response;
  readonly next: NextFunction;
}

export interface RequestTurns extends RequestHandler {
  /** Requests waiting for their turn. */
  pending(): number;
  /** Slots the queue holds, taken ones included (a test checks it stays bounded under steady load). */
  capacity(): number;
}

/** Runs the rest of the chain for queued requests in arrival order, one per turn (setImmediate). */
export function oneRequestPerTurn(): RequestTurns {
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
  const runOne = (): void => {
    const turn = take();
    try {
      // A request already answered (the handler timeout) or whose client left is not worth the work.
      if (turn && !turn.response.headersSent && !turn.request.socket.destroyed) turn.next();
    } finally {
      scheduled = head < queue.length;
      if (scheduled) setImmediate(runOne);
    }
  };
  const pending = (): number => queue.length - head;
  const gate: RequestHandler = (request, response, next) => {
    queue.push({ request, response, next });
    if (!scheduled) {
      scheduled = true;
      setImmediate(runOne);
    }
  };
  return Object.assign(gate, { pending, capacity: () => queue.length });
}
