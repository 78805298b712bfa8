// Percentiles and per-class summaries of query times, for `npm run bench` (bench/bench.ts).

export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/**
 * The nearest-rank percentile of `values` (p in [0, 1]): the smallest value with at least p·n values at or below
 * it. p50 of [1, 2, 3, 4] is 2, p99 of 200 values is the 198th smallest, p1 of anything is the minimum. 0 for none.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { n: 0, p50: 0, p99: 0, max: 0, mean: 0 };
  return {
    n: values.length,
    p50: percentile(values, 0.5),
    p99: percentile(values, 0.99),
    max: Math.max(...values),
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
  };
}

/** Wall time of `run` on each query, in milliseconds; `record` sees each query's result. */
export function timeEach<T>(queries: readonly string[], run: (query: string) => T, record?: (query: string, result: T) => void): number[] {
  return queries.map((query) => {
    const started = performance.now();
    const result = run(query);
    const ms = performance.now() - started;
    record?.(query, result);
    return ms;
  });
}
