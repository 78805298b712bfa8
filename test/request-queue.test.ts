// createRequestQueue: queued requests run in arrival order, in short event-loop turns, and answered or abandoned ones
// are skipped.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createRequestQueue } from '../server/request-queue.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakeRequest(state: { answered?: boolean; gone?: boolean } = {}): [IncomingMessage, ServerResponse] {
  const request = { socket: { get destroyed() { return state.gone ?? false; } } } as unknown as IncomingMessage;
  const response = { get headersSent() { return state.answered ?? false; } } as unknown as ServerResponse;
  return [request, response];
}

describe('createRequestQueue', () => {
  it('runs queued requests in arrival order, one per event-loop turn with a slice of 0', async () => {
    const gate = createRequestQueue({ sliceMs: 0 });
    const ran: number[] = [];
    for (const n of [1, 2, 3]) gate(...fakeRequest(), (() => ran.push(n)));
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual([1]);
    await nextTurn();
    expect(ran).toEqual([1, 2]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
    // An idle gate starts again on the next request.
    await nextTurn();
    gate(...fakeRequest(), (() => ran.push(4)));
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('takes requests in one turn while its slice lasts, at least one, then yields to the event loop', async () => {
    let clock = 0;
    const gate = createRequestQueue({ sliceMs: 2.5, now: () => clock++ }); // each reading of the clock is 1 ms later
    const ran: number[] = [];
    for (let n = 1; n <= 7; n++) gate(...fakeRequest(), () => ran.push(n));
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]); // read at 0 (until 2.5), then 1 and 2 go on, 3 stops
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(gate.pending()).toBe(0);
    const slow = createRequestQueue({ sliceMs: 2, now: () => (clock += 10) }); // one request outlasts the slice
    slow(...fakeRequest(), () => ran.push(8));
    slow(...fakeRequest(), () => ran.push(9));
    await nextTurn();
    expect(ran.slice(7)).toEqual([8]);
    await nextTurn();
    expect(ran.slice(7)).toEqual([8, 9]);
  });

  it('skips requests already answered (the handler timeout) or whose client went away', async () => {
    const gate = createRequestQueue();
    const ran: string[] = [];
    gate(...fakeRequest({ answered: true }), (() => ran.push('answered')));
    gate(...fakeRequest({ gone: true }), (() => ran.push('gone')));
    gate(...fakeRequest(), (() => ran.push('live')));
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(ran).toEqual(['live']);
  });

  it('keeps going after a handler throws: the requests behind it get the next turn', async () => {
    const gate = createRequestQueue();
    const ran: string[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown): void => void errors.push(error);
    process.on('uncaughtException', onError);
    try {
      gate(...fakeRequest(), (() => {
        throw new Error('boom');
      }));
      gate(...fakeRequest(), (() => ran.push('after')));
      for (let i = 0; i < 3; i++) await nextTurn();
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toHaveLength(1);
    expect(ran).toEqual(['after']);
  });
});

describe('createRequestQueue under steady load (regression)', () => {
  it('does not keep requests it has run when the queue never empties', async () => {
    // The first version only reset its array when it drained, so a busy server held every request forever.
    const gate = createRequestQueue({ sliceMs: 0 });
    let ran = 0;
    for (let i = 0; i < 10; i++) gate(...fakeRequest(), (() => ran++));
    for (let turn = 0; turn < 5000; turn++) {
      gate(...fakeRequest(), (() => ran++));
      await nextTurn();
    }
    expect(gate.pending()).toBe(10);
    expect(gate.capacity()).toBeLessThan(3000);
    expect(ran).toBe(5000);
  });
});
