// Sorted id lists (ascending, no duplicates) and the set operations the matcher needs. Every list is a
// Uint32Array: one element kind keeps the hot loops monomorphic (docs/design.md).

export type IdList = Uint32Array;

/** Postings as a sorted Uint32Array: a plain array (a test's source) is checked and sorted if it is not. */
export function ascending(ids: ArrayLike<number>): IdList {
  const list = ids instanceof Uint32Array ? ids : copyOf(ids);
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) return Uint32Array.from(new Set(list)).sort();
  return list;
}

/** A copy as a Uint32Array. */
function copyOf(ids: ArrayLike<number>): Uint32Array {
  const list = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) list[i] = ids[i]!;
  return list;
}

/** 0, 1, …, count − 1. */
export function allIds(count: number): IdList {
  const ids = new Uint32Array(count);
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

/** Ids of `small` also in `large`, walking both: quicker than galloping when their lengths are alike. */
function mergeIntersect(small: IdList, large: IdList): IdList {
  const next = new Uint32Array(small.length);
  let size = 0;
  for (let i = 0, j = 0; i < small.length && j < large.length; ) {
    const a = small[i]!;
    const b = large[j]!;
    if (a === b) {
      next[size++] = a;
      i++;
      j++;
    } else if (a < b) i++;
    else j++;
  }
  return next.subarray(0, size);
}

/** Ids of `small` also in `large`, galloping through `large`: quicker when it is much the longer. */
function gallopIntersect(small: IdList, large: IdList): IdList {
  const next = new Uint32Array(small.length);
  let size = 0;
  let at = 0;
  for (let i = 0; i < small.length; i++) {
    const id = small[i]!;
    const found = indexOf(large, id, at);
    if (found >= 0) {
      next[size++] = id;
      at = found + 1;
    } else at = -found - 1;
    if (at >= large.length) break;
  }
  return next.subarray(0, size);
}

/** Above this ratio of lengths, galloping beats walking both lists (as measured; docs/design.md). */
const GALLOP_RATIO = 8;

/** Intersection of several lists, smallest first. The result may be one of the inputs: treat it as read-only. */
export function intersectAll(lists: readonly IdList[]): IdList {
  if (lists.length === 0) return new Uint32Array(0);
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  let result = sorted[0]!;
  for (let k = 1; k < sorted.length && result.length > 0; k++) {
    const other = sorted[k]!;
    result = other.length > GALLOP_RATIO * result.length ? gallopIntersect(result, other) : mergeIntersect(result, other);
  }
  return result;
}

/** Sets the bits of `list`'s ids in `words` (32 ids a word), wide enough for its largest id. */
function markIds(words: Uint32Array, list: IdList): void {
  for (let i = 0; i < list.length; i++) words[list[i]! >>> 5]! |= 1 << (list[i]! & 31);
}

/**
 * The id of the lowest set bit of `bits`, bits of word `w`. Walking a word lowest bit first (`bits &= bits - 1`)
 * gives its ids ascending; the lowest bit alone is `bits & -bits`, and its position 31 − clz32 of that.
 */
export function lowestId(w: number, bits: number): number {
  return (w << 5) | (31 - Math.clz32(bits & -bits));
}

/** The ids whose bits are set in `words`, ascending; `capacity` is at least how many are set. */
function idsOf(words: Uint32Array, capacity: number): IdList {
  const ids = new Uint32Array(capacity);
  let size = 0;
  for (let w = 0; w < words.length; w++) for (let bits = words[w]!; bits !== 0; bits &= bits - 1) ids[size++] = lowestId(w, bits);
  return ids.subarray(0, size);
}

/** Union of several lists. The result may be one of the inputs: treat it as read-only. */
export function unionAll(lists: readonly IdList[]): IdList {
  if (lists.length === 0) return new Uint32Array(0);
  if (lists.length === 1) return lists[0]!;
  // Marks in a bitmap as wide as the largest id, 32 ids a word: linear, no Set of tens of thousands of numbers,
  // and read back a word at a time rather than a byte per id, scanned id by id.
  let max = -1;
  let total = 0;
  for (const list of lists) {
    if (list.length > 0) max = Math.max(max, list[list.length - 1]!);
    total += list.length;
  }
  if (max < 0) return new Uint32Array(0); // (−1 >>> 5 would ask for 2^27 words)
  const words = new Uint32Array((max >>> 5) + 1);
  for (const list of lists) markIds(words, list);
  return idsOf(words, Math.min(total, max + 1));
}

/** A set of ids below some bound as bits, 32 ids a word (word id >>> 5, bit id & 31), and how many there are. */
export interface IdBitmap {
  readonly words: Uint32Array;
  readonly count: number;
}

/** Whether `id` is in the bitmap's words. */
export function hasId(words: Uint32Array, id: number): boolean {
  return ((words[id >>> 5]! >>> (id & 31)) & 1) === 1;
}

/** The bits of the ids of `list`, all below `bound`. */
export function bitmapWords(list: IdList, bound: number): Uint32Array {
  const words = new Uint32Array((bound + 31) >>> 5);
  markIds(words, list);
  return words;
}

/** Set bits in a 32-bit word. */
function bitCount(word: number): number {
  const pairs = word - ((word >>> 1) & 0x55555555);
  const nibbles = (pairs & 0x33333333) + ((pairs >>> 2) & 0x33333333);
  return Math.imul((nibbles + (nibbles >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * Union of lists and of bitmaps' words (as bitmapWords makes them), every id below `bound`. A common term's
 * bitmap is OR-ed a word at a time: a word of 32 ids for what marking its list took an id at a time.
 */
export function unionBitmap(lists: readonly IdList[], bitmaps: readonly Uint32Array[], bound: number): IdBitmap {
  const words = new Uint32Array((bound + 31) >>> 5);
  for (const bitmap of bitmaps) for (let w = 0; w < words.length; w++) words[w]! |= bitmap[w]!;
  for (const list of lists) markIds(words, list);
  let count = 0;
  for (let w = 0; w < words.length; w++) count += bitCount(words[w]!);
  return { words, count };
}

/** The bitmap's ids for which `keep` holds. */
export function filterBitmap(bitmap: IdBitmap, keep: (id: number) => boolean): IdBitmap {
  const words = bitmap.words.slice();
  let count = bitmap.count;
  for (let w = 0; w < words.length; w++) {
    for (let bits = words[w]!; bits !== 0; bits &= bits - 1) {
      if (!keep(lowestId(w, bits))) {
        words[w]! &= ~(bits & -bits);
        count--;
      }
    }
  }
  return { words, count };
}

/** The bitmap's ids, ascending. */
export function bitmapIds(bitmap: IdBitmap): IdList {
  return idsOf(bitmap.words, bitmap.count);
}

/** The ids of `list` for which `keep` holds, in a new list. */
export function filterIds(list: IdList, keep: (id: number) => boolean): IdList {
  const out = new Uint32Array(list.length);
  let size = 0;
  for (let i = 0; i < list.length; i++) if (keep(list[i]!)) out[size++] = list[i]!;
  return out.subarray(0, size);
}
