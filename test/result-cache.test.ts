// createResultCache: least recently used entries go first, capacity 0 keeps nothing, bad capacities are refused.
import { describe, expect, it } from 'vitest';
import { createResultCache } from '../server/search/result-cache.js';

describe('createResultCache', () => {
  it('keeps at most `capacity` entries and drops the least recently used', () => {
    const cache = createResultCache<number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recently used
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('replaces the value of a key set again without growing', () => {
    const cache = createResultCache<string>(3);
    cache.set('q', 'old');
    cache.set('q', 'new');
    expect(cache.get('q')).toBe('new');
    expect(cache.size).toBe(1);
  });

  it('keeps nothing with capacity 0', () => {
    const cache = createResultCache<number>(0);
    cache.set('a', 1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('refuses a negative or fractional capacity with a prefixed error', () => {
    expect(() => createResultCache(-1)).toThrow(/^sou: /);
    expect(() => createResultCache(1.5)).toThrow(/^sou: /);
  });
});
