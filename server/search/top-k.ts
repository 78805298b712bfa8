// The best k of a list of scored candidates: the one place the engine picks "the top k" (the first pass's
// candidates for the exact pass, a question's sparse head). A candidate is a position into parallel arrays of
// keys and ids; a larger key ranks higher, and equal keys go to the lower id, so the order is total and the
// same whatever k is.
import type { IdList } from './sets.js';

/** 0, 1, …, n − 1. */
export function positionsBelow(n: number): number[] {
  const positions = new Array<number>(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  return positions;
}

/** Whether position a ranks below position b: a smaller key, or the same key and a higher id. */
function ranksBelow(keys: Float64Array, ids: IdList, a: number, b: number): boolean {
  return keys[a]! < keys[b]! || (keys[a] === keys[b] && ids[a]! > ids[b]!);
}

/** Moves heap[at] down a min-heap (by ranksBelow) of `size` positions to where it belongs. */
function siftDown(heap: Int32Array, size: number, at: number, keys: Float64Array, ids: IdList): void {
  const moving = heap[at]!;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= size) break;
    const lower = left + 1 < size && ranksBelow(keys, ids, heap[left + 1]!, heap[left]!) ? left + 1 : left;
    if (!ranksBelow(keys, ids, heap[lower]!, moving)) break;
    heap[at] = heap[lower]!;
    at = lower;
  }
  heap[at] = moving;
}

/** Whether every key is the same and the ids ascend: the order is then the positions' own. */
function alikeAndAscending(keys: Float64Array, ids: IdList): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[0] || ids[i]! < ids[i - 1]!) return false;
  return true;
}

/** Positions (into `keys` and `ids`) of the `count` largest keys, largest first; ties go to the lower id. */
export function topPositions(keys: Float64Array, ids: IdList, count: number): number[] {
  // An unkeyed first pass leaves every key 0, over ascending ids: nothing to sort.
  if (alikeAndAscending(keys, ids)) return positionsBelow(Math.min(count, keys.length));
  const byKey = (a: number, b: number): number => keys[b]! - keys[a]! || ids[a]! - ids[b]!;
  // Keeping most of the keys: sort them all. Keeping few of many: a heap of the best so far, O(n log count),
  // which most keys lose to at its root.
  if (keys.length <= count * 2) return positionsBelow(keys.length).sort(byKey).slice(0, count);
  const heap = new Int32Array(count);
  let size = 0;
  for (let i = 0; i < keys.length; i++) {
    if (size < count) {
      let at = size++;
      for (let parent = (at - 1) >> 1; at > 0 && ranksBelow(keys, ids, i, heap[parent]!); parent = (at - 1) >> 1) {
        heap[at] = heap[parent]!;
        at = parent;
      }
      heap[at] = i;
    } else if (ranksBelow(keys, ids, heap[0]!, i)) {
      heap[0] = i;
      siftDown(heap, size, 0, keys, ids);
    }
  }
  // Heap sort: the root (the lowest kept) goes last, again and again.
  const top = new Array<number>(size);
  for (let last = size - 1; last >= 0; last--) {
    top[last] = heap[0]!;
    heap[0] = heap[last]!;
    siftDown(heap, last, 0, keys, ids);
  }
  return top;
}
