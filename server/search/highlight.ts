// Highlight ranges: where the folded needles occur in the folded paragraph, mapped back to UTF-16 offsets of
// the ORIGINAL text (a Simplified query marks the Traditional characters it matched), sorted and merged.
import { foldKeepsOffsets, foldWithOffsets, originalRange, originalRanges } from '../../indexer/analyzer/index.js';

export type Range = readonly [number, number];

/** Sorted, non-overlapping ranges; overlapping or touching ranges are merged into one. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  // One needle's occurrences come in order: copied and sorted only when out of order (several needles).
  const sorted = inOrder(ranges) ? ranges : [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

function inOrder(ranges: readonly Range[]): boolean {
  for (let i = 1; i < ranges.length; i++) {
    const [start, end] = ranges[i]!;
    const [previousStart, previousEnd] = ranges[i - 1]!;
    if (start < previousStart || (start === previousStart && end < previousEnd)) return false;
  }
  return true;
}

/** Where the needles occur in a folded text, as folded [from, to) ranges handed to `range`. */
function occurrences(folded: string, needles: readonly string[], range: (from: number, to: number) => Range): Range[] {
  const ranges: Range[] = [];
  for (const needle of needles.length > 1 ? new Set(needles) : needles) {
    if (needle === '') continue;
    for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) ranges.push(range(at, at + needle.length));
  }
  return ranges;
}

/**
 * Ranges of `original` whose folded text is one of the (folded, non-empty) needles. `folded`, when given, is
 * foldString(original), as the index keeps it: no offset map is built (building it was most of a hit's time),
 * and when folding moved offsets only the found ranges are mapped back (originalRanges). `keepsOffsets` is
 * foldKeepsOffsets(original), when the index knows it.
 */
export function highlightRanges(
  original: string,
  needles: readonly string[],
  folded?: string,
  keepsOffsets = folded !== undefined && foldKeepsOffsets(original),
): Range[] {
  if (folded !== undefined) {
    const ranges = occurrences(folded, needles, (from, to) => [from, to]);
    return mergeRanges(keepsOffsets || ranges.length === 0 ? ranges : originalRanges(original, ranges));
  }
  const text = foldWithOffsets(original);
  return mergeRanges(occurrences(text.folded, needles, (from, to) => originalRange(text, from, to)));
}
