// Highlight ranges: where the folded needles occur in the folded paragraph, mapped back to UTF-16 offsets of
// the ORIGINAL text (a Simplified query marks the Traditional characters it matched), sorted and merged.
import { foldKeepsOffsets, foldWithOffsets, originalRange, originalRanges } from '../../indexer/analyzer/index.js';
import type { Range } from './types.js';

export type { Range };

/** Sorted, non-overlapping ranges; overlapping or touching ranges are merged into one. */
export function mergeRanges(ranges: readonly Range[]): Range[] {
  // One needle's occurrences come in order: copied and sorted only when out of order (several needles).
  const sorted = inOrder(ranges) ? ranges : sortRanges(ranges);
  const merged: [number, number][] = [];
  for (let i = 0; i < sorted.length; i++) {
    const range = sorted[i]!;
    const last = merged[merged.length - 1];
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Whether a range ranks before another: the earlier start, then the earlier end. */
const before = (a: Range, b: Range): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

function inOrder(ranges: readonly Range[]): boolean {
  for (let i = 1; i < ranges.length; i++) if (before(ranges[i]!, ranges[i - 1]!)) return false;
  return true;
}

/** A sorted copy: the earlier start, then the earlier end. */
function sortRanges(ranges: readonly Range[]): Range[] {
  return [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Where the needles occur in a folded text, as folded [from, to) ranges handed to `range`. */
function occurrences(folded: string, needles: readonly string[], range: (from: number, to: number) => Range): Range[] {
  const ranges: Range[] = [];
  for (let n = 0; n < needles.length; n++) {
    const needle = needles[n]!;
    // A needle given twice is looked for once (a Set per hit cost more than this for a query's few needles).
    if (needle === '' || needles.indexOf(needle) < n) continue;
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
