// The ranking's first pass: a cheap key for every candidate (term presence from the postings, BM25 with a term
// count of 1, the title bonus, verbatim runs first) that picks the candidates the exact pass scores (rank.ts).
// Over a list of ids with a table of their positions, or, for a question's matches kept as a bitmap, sparsely:
// only the candidates its terms touch are keyed.
import { indexedExactly } from './match.js';
import { RANKING, termWeight, titleBonus, type RankingSource, type RankQuery } from './rank-query.js';
import { hasId, indexOf, lowestId, type IdBitmap, type IdList } from './sets.js';

/** Title postings longer than this many times the candidates are not read: each candidate's title is (see addTitlePresence). */
const TITLE_LOOKUP_RATIO = 4;

/** 0, 1, …, n − 1 as a plain array (Array.from({ length: n }, …) took 2.3 µs for 50, a loop 0.1). */
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

function alikeAndAscending(keys: Float64Array, ids: IdList): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i] !== keys[0] || ids[i]! < ids[i - 1]!) return false;
  return true;
}

/** Positions (into `keys` and `ids`) of the `count` largest keys, largest first; ties go to the lower id. */
export function topPositions(keys: Float64Array, ids: IdList, count: number): number[] {
  // Keys all alike (an unkeyed first pass: all 0) and ids ascending: the order is the positions'. No sort.
  if (alikeAndAscending(keys, ids)) return positionsBelow(Math.min(count, keys.length));
  const byKey = (a: number, b: number): number => keys[b]! - keys[a]! || ids[a]! - ids[b]!;
  // Sorting wins for a few keys; the heap from twice `count` on (50 of 200 random keys: 29 µs sorted, 15 heaped).
  if (keys.length <= count * 2) return positionsBelow(keys.length).sort(byKey).slice(0, count);
  // A min-heap of the best `count` so far in a typed array, O(n log count); most keys lose to its root at once.
  // (A plain array, closures and a sort at the end took 1.6 times as long: 1,500 keys of a question, 50 kept.)
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

// Where each candidate sits in `ids`, by paragraph id (−1: not a candidate). One buffer for every query, grown
// when an index has more paragraphs and reset after each use: allocating and filling it per query cost more
// than the lookups. Searching is synchronous, so no two queries share it at once.
let positions = new Int32Array(0);

function positionsOf(ids: IdList, paragraphCount: number): Int32Array {
  if (positions.length < paragraphCount) positions = new Int32Array(paragraphCount).fill(-1);
  for (let i = 0; i < ids.length; i++) positions[ids[i]!] = i;
  return positions;
}

function releasePositions(ids: IdList): void {
  for (let i = 0; i < ids.length; i++) positions[ids[i]!] = -1;
}

/** Adds `weight × oneOccurrence[id]` to the first-pass key of every candidate in `list`. */
function addPresence(firstPass: Float64Array, position: Int32Array, ids: IdList, list: IdList, weight: number, oneOccurrence: Float32Array): void {
  if (list.length > 8 * ids.length) {
    // A long list against few candidates: look each candidate up (galloping) instead of walking the list.
    let at = 0;
    for (let i = 0; i < ids.length && at < list.length; i++) {
      const found = indexOf(list, ids[i]!, at);
      if (found >= 0) {
        firstPass[i]! += weight * oneOccurrence[ids[i]!]!;
        at = found + 1;
      } else at = -found - 1;
    }
    return;
  }
  for (let k = 0; k < list.length; k++) {
    const id = list[k]!;
    const i = position[id]!;
    if (i >= 0) firstPass[i]! += weight * oneOccurrence[id]!;
  }
}

/** Adds `weight × oneOccurrence[id]` to the first-pass key of every candidate (a term they all contain). */
function addEverywhere(firstPass: Float64Array, ids: IdList, weight: number, oneOccurrence: Float32Array): void {
  for (let i = 0; i < ids.length; i++) firstPass[i]! += weight * oneOccurrence[ids[i]!]!;
}

/** addPresence with the term's postings as a bitmap: the same sums, a bit tested per candidate. */
function addPresenceByBit(firstPass: Float64Array, ids: IdList, bitmap: Uint32Array, weight: number, oneOccurrence: Float32Array): void {
  for (let i = 0; i < ids.length; i++) if (hasId(bitmap, ids[i]!)) firstPass[i]! += weight * oneOccurrence[ids[i]!]!;
}

/** Adds one to `counts` at every candidate in `list`. */
function countPresence(counts: Uint16Array, position: Int32Array, list: IdList): void {
  for (let k = 0; k < list.length; k++) {
    const i = position[list[k]!]!;
    if (i >= 0) counts[i]!++;
  }
}

/** Counts the verbatim runs in each candidate (see rankCandidates). */
function countVerbatim(source: RankingSource, verbatim: Uint16Array, position: Int32Array, ids: IdList, runs: readonly string[]): void {
  const textRuns: string[] = [];
  for (const run of runs) {
    // A run that is one index term (two words of a character each, 間一) is in exactly the paragraphs of its
    // postings: reading them beat looking for it in every candidate's text (11,226 candidates at 311k).
    if (indexedExactly(run) && source.documentFrequency(run) <= 8 * ids.length) countPresence(verbatim, position, source.postings(run));
    else textRuns.push(run);
  }
  if (textRuns.length === 0) return;
  for (let i = 0; i < ids.length; i++) {
    const text = source.folded(ids[i]!);
    for (const run of textRuns) if (text.includes(run)) verbatim[i]!++;
  }
}

/** Lifts each first-pass key by its candidate's verbatim runs: every paragraph with more of them sorts ahead. */
function liftByVerbatim(firstPass: Float64Array, verbatim: Uint16Array): void {
  const ceiling = firstPass.reduce((max, value) => Math.max(max, value), 0) + 1;
  for (let i = 0; i < firstPass.length; i++) firstPass[i]! += verbatim[i]! * ceiling;
}

/** Adds `weight` to the first-pass key of every candidate whose document title contains `text`. */
function addTitlePresence(source: RankingSource, firstPass: Float64Array, position: Int32Array, ids: IdList, text: string, weight: number): void {
  const titles = source.titleDocumentCount(text);
  if (titles === 0) return;
  if (titles > TITLE_LOOKUP_RATIO * ids.length) {
    // A character in many titles against few candidates (an AND query at 311k): reading each candidate's
    // title is cheaper than decoding the title postings and visiting every paragraph of their documents.
    // The same test as the postings: the title grams are the folded title's characters and pairs.
    for (let i = 0; i < ids.length; i++) if (source.foldedTitle(ids[i]!).includes(text)) firstPass[i]! += weight;
    return;
  }
  const documents = source.titleDocuments(text);
  const start = source.documentStart;
  for (let k = 0; k < documents.length; k++) {
    const document = documents[k]!;
    for (let id = start[document]!; id < start[document + 1]!; id++) {
      const i = position[id]!;
      if (i >= 0) firstPass[i]! += weight;
    }
  }
}

// The first-pass key of each paragraph a sparse first pass touches (0: untouched), by paragraph id, and the ids
// it touched: buffers for every query, like `positions`, zeroed after each use.
let keyById = new Float64Array(0);
let touchedIds = new Uint32Array(0);

/** Adds `weight` to the key of `id`, listing it when first touched; returns the touched count. */
function addKey(keys: Float64Array, touchedList: Uint32Array, id: number, weight: number, touched: number): number {
  const key = keys[id]!;
  if (key === 0) touchedList[touched++] = id; // every weight is above 0
  keys[id] = key + weight;
  return touched;
}

// The buffers are passed in as locals below: read from the module's bindings at every posting, the loops took
// half as long again.

/** Adds `weight × oneOccurrence[id]` to the key of every candidate in `list`; returns the touched count. */
function keyPresence(words: Uint32Array, list: IdList, weight: number, oneOccurrence: Float32Array, touched: number): number {
  const keys = keyById;
  const touchedList = touchedIds;
  for (let k = 0; k < list.length; k++) {
    const id = list[k]!;
    if (hasId(words, id)) touched = addKey(keys, touchedList, id, weight * oneOccurrence[id]!, touched);
  }
  return touched;
}

/** Adds `weight` to the key of every candidate among the paragraphs of `documents`; returns the touched count. */
function keyTitlePresence(words: Uint32Array, documents: IdList, documentStart: Uint32Array, weight: number, touched: number): number {
  const keys = keyById;
  const touchedList = touchedIds;
  for (let k = 0; k < documents.length; k++) {
    const end = documentStart[documents[k]! + 1]!;
    for (let id = documentStart[documents[k]!]!; id < end; id++) if (hasId(words, id)) touched = addKey(keys, touchedList, id, weight, touched);
  }
  return touched;
}

/**
 * The `count` candidates with the best first-pass keys (ties: the lower id), ascending, and the first pass over
 * them (no verbatim runs: a query with any takes firstPassOf). Each candidate's key is the sum firstPass()
 * makes, added in the same order.
 */
export function sparseHead(source: RankingSource, query: RankQuery, candidates: IdBitmap, count: number): FirstPassHead & FirstPass {
  if (keyById.length < source.paragraphCount) {
    keyById = new Float64Array(source.paragraphCount);
    touchedIds = new Uint32Array(source.paragraphCount);
  }
  const { words } = candidates;
  const wholeWords = new Map<string, IdList>();
  let touched = 0;
  for (const term of query.terms) {
    if (!term.firstPass) continue;
    const list = source.postings(term.indexTerm);
    if (term.indexTerm !== term.text) wholeWords.set(term.indexTerm, list);
    touched = keyPresence(words, list, termWeight(term), source.oneOccurrence, touched);
    if (source.titleDocumentCount(term.text) === 0) continue;
    touched = keyTitlePresence(words, source.titleDocuments(term.text), source.documentStart, titleBonus(term), touched);
  }
  const ids = touchedIds.subarray(0, touched);
  const keys = new Float64Array(touched);
  for (let i = 0; i < touched; i++) keys[i] = keyById[ids[i]!]!;
  const head = topPositions(keys, ids, count).map((i) => ids[i]!);
  // Fewer touched than wanted: the untouched candidates follow, lowest id first (their keys are 0).
  for (let w = 0; w < words.length && head.length < count; w++) {
    for (let bits = words[w]!; bits !== 0 && head.length < count; bits &= bits - 1) {
      const id = lowestId(w, bits);
      if (keyById[id] === 0) head.push(id);
    }
  }
  head.sort((a, b) => a - b);
  const headKeys = Float64Array.from(head, (id) => keyById[id]!);
  for (let i = 0; i < touched; i++) keyById[ids[i]!] = 0;
  return { ids: Uint32Array.from(head), keys: headKeys, verbatim: new Uint16Array(head.length), wholeWords };
}

/** What the first pass leaves for the exact pass: the keys, verbatim counts and whole-word postings read. */
export interface FirstPass {
  readonly keys: Float64Array;
  readonly verbatim: Uint16Array;
  readonly wholeWords: Map<string, IdList>;
}

function firstPass(source: RankingSource, query: RankQuery, ids: IdList, position: Int32Array, keyed: boolean): FirstPass {
  // The loops over every candidate live in functions of their own, and the rest keeps to typed arrays: code
  // that stays optimized whatever the query (a tuple and objects of changing shape here made V8 drop this
  // function's optimized code again and again, and a common character's first search took 4–12 ms, not 1).
  const keys = new Float64Array(ids.length);
  const wholeWords = new Map<string, IdList>();
  for (const term of query.terms) {
    if (!term.firstPass) continue;
    // Present in every candidate: the same sum as walking its postings, without reading them.
    const everywhere = query.inEveryCandidate.has(term.indexTerm);
    // The exact pass tests a word against its whole-word postings, keyed or not.
    if (!everywhere && term.indexTerm !== term.text) wholeWords.set(term.indexTerm, source.postings(term.indexTerm));
    if (!keyed) continue;
    const weight = termWeight(term);
    const bitmap = everywhere ? undefined : source.presenceBitmap?.(term.indexTerm);
    if (everywhere) addEverywhere(keys, ids, weight, source.oneOccurrence);
    else if (bitmap !== undefined) addPresenceByBit(keys, ids, bitmap, weight, source.oneOccurrence);
    else addPresence(keys, position, ids, source.postings(term.indexTerm), weight, source.oneOccurrence);
    addTitlePresence(source, keys, position, ids, term.text, titleBonus(term));
  }
  const verbatim = new Uint16Array(ids.length);
  if (query.verbatim.length > 0) {
    countVerbatim(source, verbatim, position, ids, query.verbatim);
    if (keyed) liftByVerbatim(keys, verbatim);
  }
  return { keys, verbatim, wholeWords };
}

/** The candidates a first pass puts ahead, ascending, and their keys. */
export interface FirstPassHead {
  readonly ids: IdList;
  readonly keys: Float64Array;
}

/**
 * The RANKING.exactCandidates candidates that the first pass puts ahead, ascending, with their first-pass keys.
 * rank() over just these gives the same first block (up to `needed` = exactCandidates) as over all of `ids`: a
 * candidate's first-pass key depends on nothing but the candidate, and ties go to the lower id either way. A
 * common character's head, ranked (rankHead) and kept, spares its query its postings and both passes.
 */
export function firstPassHead(source: RankingSource, query: RankQuery, ids: IdList): FirstPassHead {
  const keys = firstPassKeys(source, query, ids);
  const top = topPositions(keys, ids, RANKING.exactCandidates).sort((a, b) => a - b);
  return { ids: Uint32Array.from(top, (i) => ids[i]!), keys: Float64Array.from(top, (i) => keys[i]!) };
}

/**
 * The first pass over `ids` (matching paragraph ids, ascending). Unkeyed (`keyed` false), its keys are all 0 and
 * only the verbatim counts and whole-word postings are read: for candidates that all get exact scores in one block.
 */
export function firstPassOf(source: RankingSource, query: RankQuery, ids: IdList, keyed = true): FirstPass {
  const position = positionsOf(ids, source.paragraphCount);
  try {
    return firstPass(source, query, ids, position, keyed);
  } finally {
    releasePositions(ids);
  }
}

/** The first pass's key of each of `ids` (matching paragraph ids, ascending): the order the exact pass follows. */
export function firstPassKeys(source: RankingSource, query: RankQuery, ids: IdList): Float64Array {
  return firstPassOf(source, query, ids).keys;
}

