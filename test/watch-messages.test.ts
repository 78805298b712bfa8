// The indexer child's IPC messages (indexer/watch/messages.ts): what the server accepts, and what it refuses.
import { describe, expect, it } from 'vitest';
import { readIndexerMessage } from '../indexer/watch/messages.js';

describe('readIndexerMessage', () => {
  const built = { type: 'built', status: 'built', builtAt: '2026-01-01T00:00:00.000Z', documents: 2, paragraphs: 3, seconds: 0.1, problemCount: 1, problems: ['skipped a.pdf'] };

  it('accepts each message the child sends', () => {
    expect(readIndexerMessage({ type: 'building' })).toEqual({ type: 'building' });
    expect(readIndexerMessage(built)).toEqual(built);
    expect(readIndexerMessage({ ...built, status: 'up-to-date' })).toMatchObject({ status: 'up-to-date' });
    expect(readIndexerMessage({ type: 'failed', error: 'sou: corpus path not found: x' })).toEqual({ type: 'failed', error: 'sou: corpus path not found: x' });
    expect(readIndexerMessage({ type: 'watch-error', error: 'ENOSPC' })).toEqual({ type: 'watch-error', error: 'ENOSPC' });
  });

  it('refuses anything else', () => {
    for (const value of [null, 'built', 42, {}, { type: 'nope' }, { ...built, status: 'maybe' }, { ...built, documents: '2' }, { ...built, problems: [1] }, { type: 'failed' }]) {
      expect(readIndexerMessage(value), JSON.stringify(value)).toBeNull();
    }
  });
});
