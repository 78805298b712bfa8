// Highlight ranges: where the folded needles occur in the folded paragraph, mapped back to UTF-16 offsets of
// the ORIGINAL text (a Simplified query marks the Traditional characters it matched), sorted and merged.
import { foldWithOffsets, originalRange } from '../../indexer/analyzer/index.js';

export type Range = readonly [number, number];

/** Sorted, non-overlapping ranges; overlapping or touching ranges are merged into one. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/** Ranges of `original` whose folded text is one of the (folded, non-empty) needles. */
export function highlightRanges(original: string, needles: readonly string[]): Range[] {
  const folded = foldWithOffsets(original);
  const ranges: Range[] = [];
  for (const needle of new Set(needles)) {
    if (needle === '') continue;
    for (let at = folded.folded.indexOf(needle); at >= 0; at = folded.folded.indexOf(needle, at + needle.length)) {
      ranges.push(originalRange(folded, at, at + needle.length));
    }
  }
  return mergeRanges(ranges);
}
