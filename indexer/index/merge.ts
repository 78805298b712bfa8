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

export interface MergePolicy {
  /** More segments than this: the smallest are merged. */
  readonly maxSegments: number;
  /** More deleted paragraphs than this share of all the segments hold: every segment is merged into one. */
  readonly maxDeletedShare: number;
}

export const DEFAULT_MERGE_POLICY: MergePolicy = Object.freeze({ maxSegments: 8, maxDeletedShare: 0.25 });

/**
 * The segments (numbers in the manifest's list) to merge after this commit, or none. Many deleted paragraphs:
 * all of them (every query reads past the deleted ones, and counts are checked in the segments that have some).
 * Too many segments: the smallest, enough to get back to half the limit; merging segments of like size keeps
 * each document's number of merges logarithmic, as in Lucene's tiered policy.
 */
export function choosePolicyMerge(manifest: Manifest, order: CorpusOrder, liveParagraphCounts: readonly number[], policy: MergePolicy): number[] {
  const { segments } = manifest;
  const liveParagraphs = segments.map(() => 0);
  for (let p = 0; p < order.length; p += 2) liveParagraphs[order[p]!]! += liveParagraphCounts[p / 2]!;
  const stored = segments.reduce((sum, segment) => sum + segment.paragraphs, 0);
  const alive = liveParagraphs.reduce((sum, count) => sum + count, 0);
  if (stored > 0 && (stored - alive) / stored > policy.maxDeletedShare) return segments.map((_, s) => s);
  if (segments.length <= policy.maxSegments) return [];
  const smallestFirst = segments.map((_, s) => s).sort((a, b) => liveParagraphs[a]! - liveParagraphs[b]! || a - b);
  return smallestFirst.slice(0, segments.length - Math.max(1, Math.floor(policy.maxSegments / 2)) + 1).sort((a, b) => a - b);
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
