// bench/http.ts renderSides: the A/B table of `npm run bench -- --pool`, each run and the medians' ratios.
import { describe, expect, it } from 'vitest';
import { renderSides, type SideRuns } from '../bench/http.js';

const run = (requestsPerSecond: number, p99Ms: number, rssMb: number): SideRuns['runs'][number] => ({
  connections: 100,
  seconds: 20,
  distinctRequests: 1000,
  requests: requestsPerSecond * 20,
  requestsPerSecond,
  p50Ms: 10,
  p99Ms,
  maxMs: 2 * p99Ms,
  errors: 0,
  timeouts: 0,
  non2xx: 0,
  rssBytes: rssMb * 1_048_576,
  peakRssBytes: rssMb * 1_048_576,
  loadAverage: 1.25,
});

describe('renderSides', () => {
  it('lists every run and gives each side’s medians against the first side’s', () => {
    const text = renderSides(
      [
        { label: 'one', runs: [run(1000, 40, 400), run(1200, 60, 420), run(1100, 50, 410)] },
        { label: 'pool', runs: [run(2000, 20, 500), run(2300, 30, 520), run(2200, 25, 510)] },
      ],
      100,
    );
    expect(text.split('\n').filter((line) => line.startsWith('| one |') || line.startsWith('| pool |'))).toHaveLength(6);
    expect(text).toContain('| pool | 2 | 2300 | 10 | 30 | 60 | 0 | 520 MB | 520 MB | 1.3 |');
    expect(text).toContain('Medians, pool / one, 100 connections: req/s 2.00×, p99 0.50×, RSS after warm-up 1.24×, peak RSS 1.24×.');
  });
});
