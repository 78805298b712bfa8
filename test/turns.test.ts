// oneRequestPerTurn: queued requests run in arrival order, one per event-loop turn, and answered or abandoned
// ones are skipped.
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { oneRequestPerTurn } from '../server/turns.js';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function fakeRequest(state: { answered?: boolean; gone?: boolean } = {}): [Request, Response] {
  const request = { socket: { get destroyed() { return state.gone ?? false; } } } as unknown as Request;
  const response = { get headersSent() { return state.answered ?? false; } } as unknown as Response;
  return [request, response];
}

describe('oneRequestPerTurn', () => {
  it('runs queued requests in arrival order, at most one per event-loop turn', async () => {
    const gate = oneRequestPerTurn();
    const ran: number[] = [];
    for (const n of [1, 2, 3]) gate(...fakeRequest(), (() => ran.push(n)) as NextFunction);
    expect(ran).toEqual([]);
    await nextTurn();
    expect(ran).toEqual([1]);
    await nextTurn();
    expect(ran).toEqual([1, 2]);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3]);
    // An idle gate starts again on the next request.
    await nextTurn();
    gate(...fakeRequest(), (() => ran.push(4)) as NextFunction);
    await nextTurn();
    expect(ran).toEqual([1, 2, 3, 4]);
  });

  it('skips requests already answered (the handler timeout) or whose client went away', async () => {
    const gate = oneRequestPerTurn();
    const ran: string[] = [];
    gate(...fakeRequest({ answered: true }), (() => ran.push('answered')) as NextFunction);
    gate(...fakeRequest({ gone: true }), (() => ran.push('gone')) as NextFunction);
    gate(...fakeRequest(), (() => ran.push('live')) as NextFunction);
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(ran).toEqual(['live']);
  });

  it('keeps going after a handler throws', async () => {
    const gate = oneRequestPerTurn();
    const ran: string[] = [];
    const errors: unknown[] = [];
    const onError = (error: unknown): void => void errors.push(error);
    process.on('uncaughtException', onError);
    try {
      gate(...fakeRequest(), (() => {
        throw new Error('boom');
      }) as NextFunction);
      gate(...fakeRequest(), (() => ran.push('after')) as NextFunction);
      for (let i = 0; i < 3; i++) await nextTurn();
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toHaveLength(1);
    expect(ran).toEqual(['after']);
  });
});

describe('oneRequestPerTurn under steady load (regression)', () => {
  it('does not keep requests it has run when the queue never empties', async () => {
    // The first version only reset its array when it drained, so a busy server held every request forever.
    const gate = oneRequestPerTurn();
    let ran = 0;
    for (let i = 0; i < 10; i++) gate(...fakeRequest(), (() => ran++) as NextFunction);
    for (let turn = 0; turn < 5000; turn++) {
      gate(...fakeRequest(), (() => ran++) as NextFunction);
      await nextTurn();
    }
    expect(gate.pending()).toBe(10);
    expect(gate.capacity()).toBeLessThan(3000);
    expect(ran).toBe(5000);
  });
});
