// Sorted id lists (ascending, no duplicates) and the set operations the matcher needs.

/** A plain array or a typed-array view: postings come as either. */
export type IdList = ArrayLike<number> & Iterable<number>;

/** FlexSearch returns postings in insertion order, which is ascending; a cheap check keeps that an assumption we verify. */
export function ascending(ids: IdList): IdList {
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) return [...new Set(ids)].sort((a, b) => a - b);
  return ids;
}

function contains(list: IdList, id: number, from: number): number {
  // Galloping search: the position of id in list at or after from, or -(insertion point) - 1.
  let step = 1;
  let hi = from;
  while (hi < list.length && list[hi]! < id) {
    from = hi + 1;
    hi += step;
    step *= 2;
  }
  let lo = from;
  hi = Math.min(hi, list.length - 1);
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = list[mid]!;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Intersection of several lists, smallest first. */
export function intersectAll(lists: readonly IdList[]): number[] {
  if (lists.length === 0) return [];
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = Array.from(sorted[0]!);
  for (let k = 1; k < sorted.length && result.length > 0; k++) {
    const other = sorted[k]!;
    const next: number[] = [];
    let at = 0;
    for (const id of result) {
      const found = contains(other, id, at);
      if (found >= 0) {
        next.push(id);
        at = found + 1;
      } else at = -found - 1;
      if (at >= other.length) break;
    }
    result = next;
  }
  return result;
}

export function unionAll(lists: readonly IdList[]): number[] {
  if (lists.length === 1) return Array.from(lists[0]!);
  // Marks in a bitmap as wide as the largest id: linear, and no Set of tens of thousands of numbers.
  let max = -1;
  for (const list of lists) if (list.length > 0) max = Math.max(max, list[list.length - 1]!);
  const marks = new Uint8Array(max + 1);
  for (const list of lists) for (const id of list) marks[id] = 1;
  const union: number[] = [];
  for (let id = 0; id <= max; id++) if (marks[id] === 1) union.push(id);
  return union;
}
