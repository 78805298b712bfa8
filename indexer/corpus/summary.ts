import type { FileOutcome, SkipReason } from './types.js';

/** One line of the build summary: the files of one type, indexed and skipped by reason. */
export interface FileTypeSummary {
  readonly type: string;
  readonly indexed: number;
  readonly skipped: Readonly<Partial<Record<SkipReason, number>>>;
  /** Total read and parse time of the type's files, in seconds, summed over the threads that read them. */
  readonly seconds: number;
}

/** Counts the outcomes by type, types in order of first appearance in the listing. */
export function summarizeFiles(outcomes: readonly FileOutcome[]): FileTypeSummary[] {
  const byType = new Map<string, { indexed: number; skipped: Partial<Record<SkipReason, number>>; ms: number }>();
  for (const outcome of outcomes) {
    const row = byType.get(outcome.type) ?? { indexed: 0, skipped: {}, ms: 0 };
    byType.set(outcome.type, row);
    row.ms += outcome.ms;
    if (outcome.skipped === undefined) row.indexed++;
    else row.skipped[outcome.skipped] = (row.skipped[outcome.skipped] ?? 0) + 1;
  }
  return [...byType].map(([type, row]) => ({ type, indexed: row.indexed, skipped: row.skipped, seconds: row.ms / 1000 }));
}
