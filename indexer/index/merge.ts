// Merging segments: the live documents of some segments become one new segment, their postings decoded,
// mapped to the new segment's ids and encoded again (no analysis), and the deleted documents are left behind.
// The build merges after its commit when the policy asks, so the number of segments and the share of deleted
// paragraphs stay bounded (docs/design.md §6).
import type { StoredDocument, Manifest, SegmentRecord } from './format.js';
import { GRAMS_FILE, LENGTHS_FILE, STORE_FILE, TITLES_FILE, WORDS_FILE } from './format.js';
import { encodeGramTerms, type GramIndex } from './grams.js';
import { loadSegment, type LoadedSegment } from './load.js';
import type { CorpusOrder } from './order.js';
import { encodeStore } from './store.js';
import { encodeWordPostings } from './word-postings.js';
import { newSegmentName, type Commit } from './write.js';

/**
 * A segment's size for flushing and merging, in characters (code points) of its live paragraphs: what a build's
 * memory grows with (docs/design.md §6.2).
 */
export const DEFAULT_SEGMENT_CHARACTERS = 8_000_000;

export interface MergePolicy {
  /** More small segments (under half the cap) than this: the smallest are merged. */
  readonly maxSegments: number;
  /** A segment with more of its paragraphs deleted than this share is rewritten without them. */
  readonly maxDeletedShare: number;
  /**
   * The cap: no merge makes a segment of more live characters than this (DEFAULT_SEGMENT_CHARACTERS when
   * absent), so a merge's memory stays bounded whatever the corpus; a segment of half as many or more is
   * full, merged only when its deletions ask for it.
   */
  readonly maxSegmentCharacters?: number;
}

export const DEFAULT_MERGE_POLICY: MergePolicy = Object.freeze({ maxSegments: 8, maxDeletedShare: 0.25, maxSegmentCharacters: DEFAULT_SEGMENT_CHARACTERS });

/** Paragraph and character counts of the live documents in corpus order (parallel to the order's entries). */
export interface LiveCounts {
  readonly paragraphs: readonly number[];
  readonly characters: readonly number[];
}

/**
 * The segments (numbers in the manifest's list) to merge into one after this commit, or none; the build asks
 * again after each merge. First the segments with too many deleted paragraphs (every query reads past the
 * deleted ones, and counts are checked in the segments that have some), most worn first; then, when there are
 * more small segments than the limit, the smallest, enough to get back to half the limit. Merging segments of
 * like size keeps each document's number of merges logarithmic, as in Lucene's tiered policy, and no group
 * holds more than the cap, as Lucene's maximum merged segment size: a full build's segments are never merged
 * again, and every merge returns a segment without deletions or fewer segments, so asking again ends.
 */
export function choosePolicyMerge(manifest: Pick<Manifest, 'segments'>, order: CorpusOrder, live: LiveCounts, policy: MergePolicy): number[] {
  const { segments } = manifest;
  const cap = policy.maxSegmentCharacters ?? DEFAULT_SEGMENT_CHARACTERS;
  const liveParagraphs = segments.map(() => 0);
  const liveCharacters = segments.map(() => 0);
  for (let p = 0; p < order.length; p += 2) {
    liveParagraphs[order[p]!]! += live.paragraphs[p / 2]!;
    liveCharacters[order[p]!]! += live.characters[p / 2]!;
  }
  const deletedShare = (s: number): number => (segments[s]!.paragraphs === 0 ? 0 : 1 - liveParagraphs[s]! / segments[s]!.paragraphs);
  const numbers = segments.map((_, s) => s);
  const worn = numbers.filter((s) => deletedShare(s) > policy.maxDeletedShare).sort((a, b) => deletedShare(b) - deletedShare(a) || a - b);
  const group: number[] = [];
  let total = 0;
  const take = (s: number): boolean => {
    if (group.length > 0 && total + liveCharacters[s]! > cap) return false;
    group.push(s);
    total += liveCharacters[s]!;
    return true;
  };
  for (const s of worn) take(s);
  const small = numbers.filter((s) => 2 * liveCharacters[s]! < cap && !group.includes(s)).sort((a, b) => liveCharacters[a]! - liveCharacters[b]! || a - b);
  if (small.length > policy.maxSegments) {
    let wanted = small.length - Math.max(1, Math.floor(policy.maxSegments / 2)) + 1;
    for (const s of small) if (wanted > 0 && take(s)) wanted--;
  }
  // A lone segment is rewritten for its deletions only (a small one alone would come back the same).
  if (group.length === 1 && deletedShare(group[0]!) <= policy.maxDeletedShare) return [];
  return group.sort((a, b) => a - b);
}

/** Postings of some segments' terms of one kind merged by key: keys ascending, ids mapped and merged. */
function mergeGramIndexes(indexes: readonly GramIndex[], toMerged: readonly Int32Array[]): Uint8Array {
  const keys: number[] = [];
  const offsets: number[] = [0];
  let postings = new Uint32Array(1 << 16);
  let length = 0;
  const next = indexes.map(() => 0);
  for (;;) {
    let key = Infinity;
    indexes.forEach((index, s) => {
      if (next[s]! < index.termCount) key = Math.min(key, index.keyAt(next[s]!));
    });
    if (key === Infinity) break;
    const start = length;
    indexes.forEach((index, s) => {
      if (next[s]! >= index.termCount || index.keyAt(next[s]!) !== key) return;
      const ids = index.postingsAt(next[s]!++);
      if (length + ids.length > postings.length) {
        const grown = new Uint32Array(Math.max(2 * postings.length, length + ids.length));
        grown.set(postings.subarray(0, length));
        postings = grown;
      }
      const map = toMerged[s]!;
      for (let i = 0; i < ids.length; i++) {
        const id = map[ids[i]!]!;
        if (id >= 0) postings[length++] = id;
      }
    });
    if (length === start) continue; // every paragraph with it was deleted
    postings.subarray(start, length).sort(); // each segment's share ascends; together they interleave
    keys.push(key);
    offsets.push(length);
  }
  return encodeGramTerms(Float64Array.from(keys), Uint32Array.from(offsets), postings.subarray(0, length));
}

function mergeWords(segments: readonly LoadedSegment[], toMerged: readonly Int32Array[]): Uint8Array {
  const lists = new Map<string, number[]>();
  segments.forEach((segment, s) => {
    const map = toMerged[s]!;
    for (let n = 0; n < segment.words.size; n++) {
      const ids = segment.words.postingsAt(n);
      let list: number[] | undefined;
      for (let i = 0; i < ids.length; i++) {
        const id = map[ids[i]!]!;
        if (id < 0) continue;
        if (list === undefined) {
          const word = segment.words.wordAt(n);
          list = lists.get(word);
          if (list === undefined) lists.set(word, (list = []));
        }
        list.push(id);
      }
    }
  });
  const words = [...lists.keys()];
  return encodeWordPostings(
    words,
    words.map((word) => Uint32Array.from(lists.get(word)!).sort()),
  );
}

/**
 * The commit that replaces the `chosen` segments of `manifest` by one segment of their live documents, in corpus
 * order; the other segments and the corpus order are kept (the order's entries renumbered).
 */
export async function mergeSegments(dir: string, manifest: Manifest, order: CorpusOrder, chosen: readonly number[]): Promise<Omit<Commit, 'sources' | 'previous'>> {
  const chosenSet = new Set(chosen);
  const loaded = new Map<number, LoadedSegment>();
  for (const s of chosen) loaded.set(s, await loadSegment(dir, manifest, manifest.segments[s]!));
  const sources = chosen.map((s) => loaded.get(s)!);
  const toMerged = sources.map((segment) => new Int32Array(segment.texts.length).fill(-1));
  const documentToMerged = sources.map((segment) => new Int32Array(segment.documents.length).fill(-1));
  const roots: string[] = [];
  const documents: StoredDocument[] = [];
  const lengths: number[] = [];
  let paragraphs = 0;
  for (let p = 0; p < order.length; p += 2) {
    if (!chosenSet.has(order[p]!)) continue;
    const c = chosen.indexOf(order[p]!);
    const segment = sources[c]!;
    const d = order[p + 1]!;
    const document = segment.documents[d]!;
    documentToMerged[c]![d] = documents.length;
    let root: number | undefined;
    if (document.root !== undefined) {
      const path = segment.roots[document.root]!;
      root = roots.indexOf(path);
      if (root < 0) root = roots.push(path) - 1;
    }
    const { root: _old, ...rest } = document;
    documents.push(root === undefined ? rest : { ...rest, root });
    for (let i = segment.firstParagraph[d]!; i < segment.firstParagraph[d + 1]!; i++) {
      toMerged[c]![i] = paragraphs++;
      lengths.push(segment.lengths[i]!);
    }
  }
  const files = new Map<string, Uint8Array>([
    [STORE_FILE, encodeStore(documents)],
    [
      GRAMS_FILE,
      mergeGramIndexes(
        sources.map((segment) => segment.grams),
        toMerged,
      ),
    ],
    [
      TITLES_FILE,
      mergeGramIndexes(
        sources.map((segment) => segment.titles),
        documentToMerged,
      ),
    ],
    [WORDS_FILE, mergeWords(sources, toMerged)],
    [LENGTHS_FILE, new Uint8Array(Uint32Array.from(lengths).buffer)],
  ]);
  const record: SegmentRecord = { name: newSegmentName(), documents: documents.length, paragraphs, roots };
  const keptNumbers = manifest.segments.flatMap((_, s) => (chosenSet.has(s) ? [] : [s]));
  const renumber = new Map(keptNumbers.map((s, n) => [s, n]));
  const segments = [...keptNumbers.map((s) => manifest.segments[s]!), record];
  const merged = new Uint32Array(order.length);
  for (let p = 0; p < order.length; p += 2) {
    const s = order[p]!;
    if (chosenSet.has(s)) {
      const c = chosen.indexOf(s);
      merged[p] = segments.length - 1;
      merged[p + 1] = documentToMerged[c]![order[p + 1]!]!;
    } else {
      merged[p] = renumber.get(s)!;
      merged[p + 1] = order[p + 1]!;
    }
  }
  return { segments, newSegments: [{ record, files }], order: merged };
}
