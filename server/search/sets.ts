// Sorted id lists (ascending, no duplicates) and the set operations the matcher needs. Every list is a
// Uint32Array: one element kind keeps the hot loops monomorphic, and big lists live outside the JS heap, so a
// busy server does not grow its old generation with arrays of tens of thousands of numbers (BENCHMARKS.md).

export type IdList = Uint32Array;

/** Where a set operation gets the array it fills (an IdArena, or fresh arrays). */
export type Allocate = (length: number) => IdList;
export const freshIds: Allocate = (length) => new Uint32Array(length);

/**
 * Id lists for one search, carved out of one reused buffer. A question at 311k paragraphs decodes and combines
 * tens of megabytes of ids; the arena keeps that from being allocated and freed again on every query, which
 * is garbage-collector work and memory churn on a busy server. `reset()` starts the next search at the
 * beginning of the buffer, so no list of a previous search may be kept.
 */
export interface IdArena {
  readonly allocate: Allocate;
  reset(): void;
}

export function createIdArena(maxIds = 1 << 23): IdArena {
  let buffer = new Uint32Array(1 << 16);
  let used = 0;
  return {
    allocate(length) {
      if (used + length > buffer.length) {
        const size = Math.max(2 * buffer.length, length);
        if (size > maxIds) return new Uint32Array(length); // larger than the arena may grow: a list of its own
        buffer = new Uint32Array(size); // lists already handed out keep the old buffer
        used = 0;
      }
      const list = buffer.subarray(used, used + length);
      used += length;
      return list;
    },
    reset() {
      used = 0;
    },
  };
}

/** Postings as a sorted Uint32Array. FlexSearch returns them in insertion order, which is ascending; a cheap check keeps that an assumption we verify. */
export function ascending(ids: ArrayLike<number>, allocate: Allocate = freshIds): IdList {
  let list: IdList;
  if (ids instanceof Uint32Array) list = ids;
  else {
    list = allocate(ids.length);
    for (let i = 0; i < ids.length; i++) list[i] = ids[i]!;
  }
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) return Uint32Array.from(new Set(list)).sort();
  return list;
}

/** 0, 1, …, count − 1. */
export function allIds(count: number, allocate: Allocate = freshIds): IdList {
  const ids = allocate(count);
  for (let id = 0; id < count; id++) ids[id] = id;
  return ids;
}

/** Galloping search: the position of `id` in `list` at or after `from`, or −(insertion point) − 1. */
export function indexOf(list: IdList, id: number, from: number): number {
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

/** Intersection of several lists, smallest first. The result may be one of the inputs: treat it as read-only. */
export function intersectAll(lists: readonly IdList[], allocate: Allocate = freshIds): IdList {
  if (lists.length === 0) return new Uint32Array(0);
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = sorted[0]!;
  for (let k = 1; k < sorted.length && result.length > 0; k++) {
    const other = sorted[k]!;
    const next = allocate(result.length);
    let size = 0;
    let at = 0;
    for (let i = 0; i < result.length; i++) {
      const id = result[i]!;
      const found = indexOf(other, id, at);
      if (found >= 0) {
        next[size++] = id;
        at = found + 1;
      } else at = -found - 1;
      if (at >= other.length) break;
    }
    result = next.subarray(0, size);
  }
  return result;
}

/** Union of several lists. The result may be one of the inputs: treat it as read-only. */
// Marks for unionAll, one byte per paragraph id, reused and cleared after each union.
let marks = new Uint8Array(0);

/** Union of several lists. The result may be one of the inputs: treat it as read-only. */
export function unionAll(lists: readonly IdList[], allocate: Allocate = freshIds): IdList {
  if (lists.length === 0) return new Uint32Array(0);
  if (lists.length === 1) return lists[0]!;
  // Marks in a bitmap as wide as the largest id: linear, and no Set of tens of thousands of numbers.
  let max = -1;
  let total = 0;
  for (const list of lists) {
    if (list.length > 0) max = Math.max(max, list[list.length - 1]!);
    total += list.length;
  }
  if (marks.length <= max) marks = new Uint8Array(Math.max(max + 1, 2 * marks.length));
  for (const list of lists) for (let i = 0; i < list.length; i++) marks[list[i]!] = 1;
  const union = allocate(Math.min(total, max + 1));
  let size = 0;
  for (let id = 0; id <= max; id++) {
    if (marks[id] === 1) {
      union[size++] = id;
      marks[id] = 0;
    }
  }
  return union.subarray(0, size);
}

/** The ids of `list` for which `keep` holds, in a new list. */
export function filterIds(list: IdList, keep: (id: number) => boolean, allocate: Allocate = freshIds): IdList {
  const out = allocate(list.length);
  let size = 0;
  for (let i = 0; i < list.length; i++) if (keep(list[i]!)) out[size++] = list[i]!;
  return out.subarray(0, size);
}
