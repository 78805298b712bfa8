import { describe, expect, it } from 'vitest';
import { readAhead } from '../server/search/read-ahead.js';

describe('readAhead', () => {
  it('reads each of the first `count` positions once, in order, and nothing for none', () => {
    const read: number[] = [];
    readAhead(4, (i) => (read.push(i), i * 10));
    expect(read).toEqual([0, 1, 2, 3]);
    readAhead(0, (i) => (read.push(i), 0));
    expect(read).toHaveLength(4);
  });
});
