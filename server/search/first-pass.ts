// The ranking's first pass: a cheap key for every candidate (term presence from the postings, BM25 with a term
// count of 1, the title bonus, verbatim runs first) that picks the candidates the exact pass scores (rank.ts).
// Over a list of ids with a table of their positions, or, for a question's matches kept as a bitmap, sparsely:
// only the candidates its terms touch are keyed.
import { indexedExactly } from './match.js';
import { RANKING, termWeight, titleBonus, type RankingSource, type RankQuery } from './rank-query.js';
import { bitmapIds, hasId, indexOf, lowestId, type IdBitmap, type IdList } from './sets.js';
import { topPositions } from './top-k.js';

/** Title postings longer than this many times the candidates are not read: each candidate's title is (see addTitlePresence). */
const TITLE_LOOKUP_RATIO = 4;

/** What the first pass orders: a list of matching paragraph ids (ascending), or a question's matches as a bitmap. */
export type FirstPassCandidates = { readonly kind: 'ids'; readonly ids: IdList } | { readonly kind: 'bitmap'; readonly bitmap: IdBitmap };

/**
 * What the first pass leaves for the exact pass: the candidates it keeps (ascending), their keys, their verbatim
 * counts, and the whole-word postings it read.
 */
export interface FirstPass {
  readonly ids: IdList;
  readonly keys: Float64Array;
  readonly verbatim: Uint16Array;
  readonly wholeWords: Map<string, IdList>;
}

/**
 * The first pass over the candidates, keeping at least the `count` that its keys put ahead. A list is kept whole
 * (the exact pass picks from its keys); by default it is keyed only when it has more candidates than one block
 * of exact scores, which would be sorted by those scores alone (unkeyed, its keys stay 0 and only its verbatim
 * runs and whole words are read). A bitmap (without verbatim runs or terms in every candidate) is keyed sparsely,
 * and only its best `count` are kept: the same keys and order as its ids'.
 */
export function firstPass(source: RankingSource, query: RankQuery, candidates: FirstPassCandidates, count: number, keyed?: boolean): FirstPass {
  if (candidates.kind === 'bitmap' && query.verbatim.length === 0 && query.inEveryCandidate.size === 0) return sparseHead(source, query, candidates.bitmap, count);
  const ids = candidates.kind === 'ids' ? candidates.ids : bitmapIds(candidates.bitmap);
  const positions = source.scratch.positions;
  // Filled when first asked for: a query whose terms are in every candidate (one character) may read none.
  let filled = false;
  const position: PositionTable = () => {
    if (!filled) {
      for (let i = 0; i < ids.length; i++) positions[ids[i]!] = i;
      filled = true;
    }
    return positions;
  };
  try {
    return { ids, ...listPass(source, query, ids, position, keyed ?? ids.length > RANKING.exactCandidates) };
  } finally {
    if (filled) for (let i = 0; i < ids.length; i++) positions[ids[i]!] = -1;
  }
}

/** Each candidate's place in the list, by paragraph id (−1: none), filled on first use. */
type PositionTable = () => Int32Array;

/** Adds `weight × oneOccurrence[id]` to the first-pass key of every candidate in `list`. */
function addPresence(firstPass: Float64Array, positionTable: PositionTable, ids: IdList, list: IdList, weight: number, oneOccurrence: Float32Array): void {
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
  const position = positionTable();
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
function countVerbatim(source: RankingSource, verbatim: Uint16Array, position: PositionTable, ids: IdList, runs: readonly string[]): void {
  const textRuns: string[] = [];
  for (const run of runs) {
    // A run that is one index term (two words of a character each, 間一) is in exactly the paragraphs of its
    // postings: reading them beats looking for it in every candidate's text when the candidates are many.
    if (indexedExactly(run) && source.documentFrequency(run) <= 8 * ids.length) countPresence(verbatim, position(), source.postings(run));
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
function addTitlePresence(source: RankingSource, firstPass: Float64Array, ids: IdList, text: string, weight: number): void {
  const titles = source.titleDocumentCount(text);
  if (titles === 0) return;
  if (titles > TITLE_LOOKUP_RATIO * ids.length) {
    // A character in many titles against few candidates (an AND query on a large index): reading each candidate's
    // title is cheaper than decoding the title postings and visiting every paragraph of their documents.
    // The same test as the postings: the title grams are the folded title's characters and pairs.
    for (let i = 0; i < ids.length; i++) if (source.foldedTitle(ids[i]!).includes(text)) firstPass[i]! += weight;
    return;
  }
  // A document's candidates are consecutive in the ascending ids: found by galloping from the last document's.
  const documents = source.titleDocuments(text);
  const start = source.documentStart;
  let at = 0;
  for (let k = 0; k < documents.length && at < ids.length; k++) {
    const document = documents[k]!;
    const from = indexOf(ids, start[document]!, at);
    at = from >= 0 ? from : -from - 1;
    const end = start[document + 1]!;
    for (; at < ids.length && ids[at]! < end; at++) firstPass[at]! += weight;
  }
}

/** Adds `weight` to the key of `id`, listing it when first touched; returns the touched count. */
function addKey(keys: Float64Array, touchedList: Uint32Array, id: number, weight: number, touched: number): number {
  const key = keys[id]!;
  if (key === 0) touchedList[touched++] = id; // every weight is above 0
  keys[id] = key + weight;
  return touched;
}

/** Adds `weight × oneOccurrence[id]` to the key of every candidate in `list`; returns the touched count. */
function keyPresence(keys: Float64Array, touchedList: Uint32Array, words: Uint32Array, list: IdList, weight: number, oneOccurrence: Float32Array, touched: number): number {
  for (let k = 0; k < list.length; k++) {
    const id = list[k]!;
    if (hasId(words, id)) touched = addKey(keys, touchedList, id, weight * oneOccurrence[id]!, touched);
  }
  return touched;
}

/** Adds `weight` to the key of every candidate among the paragraphs of `documents`; returns the touched count. */
function keyTitlePresence(keys: Float64Array, touchedList: Uint32Array, words: Uint32Array, documents: IdList, documentStart: Uint32Array, weight: number, touched: number): number {
  for (let k = 0; k < documents.length; k++) {
    const end = documentStart[documents[k]! + 1]!;
    for (let id = documentStart[documents[k]!]!; id < end; id++) if (hasId(words, id)) touched = addKey(keys, touchedList, id, weight, touched);
  }
  return touched;
}

/** Keys every candidate of `words` that the query's first-pass terms touch (keyById, touchedIds); returns how many. */
function keyTouched(source: RankingSource, query: RankQuery, words: Uint32Array, wholeWords: Map<string, IdList>): number {
  const { keyById, touchedIds } = source.scratch;
  let touched = 0;
  for (const term of query.terms) {
    if (!term.firstPass) continue;
    const list = source.postings(term.indexTerm);
    if (term.indexTerm !== term.text) wholeWords.set(term.indexTerm, list);
    touched = keyPresence(keyById, touchedIds, words, list, termWeight(term), source.oneOccurrence, touched);
    if (source.titleDocumentCount(term.text) === 0) continue;
    touched = keyTitlePresence(keyById, touchedIds, words, source.titleDocuments(term.text), source.documentStart, titleBonus(term), touched);
  }
  return touched;
}

/**
 * The `count` candidates of a bitmap with the best first-pass keys (ties: the lower id), ascending, and the first
 * pass over them: only the candidates its terms' postings (and titles) touch are keyed, every other one's key is
 * 0 and they follow, lowest id first. Each key is the sum listPass makes, added in the same order.
 */
function sparseHead(source: RankingSource, query: RankQuery, candidates: IdBitmap, count: number): FirstPass {
  const { keyById, touchedIds, arrays } = source.scratch;
  const { words } = candidates;
  const wholeWords = new Map<string, IdList>();
  let touched: number;
  try {
    touched = keyTouched(source, query, words, wholeWords);
  } catch (error) {
    keyById.fill(0); // a source that throws leaves no key behind for the next query
    throw error;
  }
  const ids = touchedIds.subarray(0, touched);
  const keys = arrays.float64('first.touchedKeys', touched);
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

/** The first pass over a list of ids, each at `position()[id]`. */
function listPass(source: RankingSource, query: RankQuery, ids: IdList, position: PositionTable, keyed: boolean): Omit<FirstPass, 'ids'> {
  // The loops over every candidate live in functions of their own, and the rest keeps to typed arrays: code
  // that stays optimized whatever the query (objects of changing shape here made V8 drop it again and again).
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
    addTitlePresence(source, keys, ids, term.text, titleBonus(term));
  }
  const verbatim = new Uint16Array(ids.length);
  if (query.verbatim.length > 0) {
    countVerbatim(source, verbatim, position, ids, query.verbatim);
    if (keyed) liftByVerbatim(keys, verbatim);
  }
  return { keys, verbatim, wholeWords };
}
