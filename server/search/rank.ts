// Relevance: BM25 over the query's characters, character pairs and whole words, plus a title bonus and a
// proximity bonus (the share of the query found in the paragraph's best single sentence). Parameters were
// tuned on the DRCD/CMRC dev questions (BENCHMARKS.md). The index stores postings only, so term frequencies
// are counted in the candidates' folded text.
import { hasWordTerm, indexableRuns, wordTerm } from '../../indexer/analyzer/index.js';
import { indexedExactly } from './match.js';
import { bitmapIds, hasId, indexOf, type IdBitmap, type IdList } from './sets.js';

export const RANKING = Object.freeze({
  k1: 0.7,
  b: 0.75,
  unigram: 1,
  bigram: 1,
  word: 1,
  title: 1,
  proximity: 1.5,
  /** How many candidates get the full (exact) features; the rest keep the cheap first-pass order. */
  exactCandidates: 50,
  /**
   * In a question (the relaxed fallback), pairs (and characters: the share below) in more than this share of
   * paragraphs are left out of the first pass: their weight barely moves the order, and walking their postings was most
   * of a question's time at 311k (mean 13.7 → 9.1 ms, p99 37.6 → 24.0 ms over 397 dev questions; the same
   * top hit for 99.2% of them, 98.2% of the top 10 shared; eval MRR unchanged). The exact pass still scores them.
   */
  firstPassMaxShare: 0.1,
  /**
   * The same for single characters, stricter: with 10%, characters in 1–10% of paragraphs were nearly all of the
   * 81,000 postings a question's first pass read at 311k (5,900 with 1%), and the pairs and words tell the
   * paragraphs apart as well (eval MRR@10 0.9606 / 0.9897 → 0.9607 / 0.9897; BENCHMARKS.md).
   */
  firstPassCharacterMaxShare: 0.01,
});

/** Interrogatives carry no topic: in a question ("哪一年…？", "誰…") they only match noise. */
const QUESTION_CHARACTERS = /[哪谁什吗呢]/;

/** Title postings longer than this many times the candidates are not read: each candidate's title is (see addTitlePresence). */
const TITLE_LOOKUP_RATIO = 4;

/** What ranking reads from the loaded index. */
export interface RankingSource {
  readonly paragraphCount: number;
  readonly averageLength: number;
  folded(id: number): string;
  /** Indexable characters of the paragraph (its length for BM25). */
  length(id: number): number;
  /** BM25's saturation for a term found once, per paragraph (see oneOccurrenceWeights): the first pass's weight. */
  readonly oneOccurrence: Float32Array;
  foldedTitle(id: number): string;
  postings(term: string): IdList;
  /** postings(term).length, without decoding n-gram postings. */
  documentFrequency(term: string): number;
  /** How many documents' titles contain the term (a character or pair; 0 for anything else), without decoding. */
  titleDocumentCount(term: string): number;
  /** The documents whose title contains the term (a character or pair), ascending. */
  titleDocuments(term: string): IdList;
  /** Where each document's paragraphs start, and one more entry: the paragraph count. */
  readonly documentStart: Uint32Array;
}

interface RankTerm {
  readonly text: string;
  /** Index term whose postings give document frequency and presence (words: whole-word occurrences). */
  readonly indexTerm: string;
  readonly weight: number;
  readonly idf: number;
  /** Whether the first pass reads the term's postings (see RANKING.firstPassMaxShare). */
  readonly firstPass: boolean;
}

export interface RankQuery {
  readonly terms: readonly RankTerm[];
  /** Index terms that every candidate contains (strict matches: match.ts termsInEveryMatch). */
  readonly inEveryCandidate: ReadonlySet<string>;
  /** Whole folded runs that, found verbatim, put a paragraph ahead of the rest. */
  readonly verbatim: readonly string[];
}

function idf(documentFrequency: number, total: number): number {
  return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Ranking terms of the positive parts of a query (folded) and its required words. `question` drops
 * interrogatives (used for the relaxed fallback, where the query is read as a natural-language question).
 */
export function rankQuery(
  source: RankingSource,
  foldedParts: readonly string[],
  words: readonly string[],
  verbatim: readonly string[],
  question: boolean,
  inEveryCandidate: ReadonlySet<string> = new Set(),
): RankQuery {
  const terms = new Map<string, RankTerm>();
  // maxShare: the share of paragraphs above which a question's first pass leaves the term out (words: none).
  const add = (text: string, indexTerm: string, weight: number, maxShare: number): void => {
    if (terms.has(indexTerm) || (question && QUESTION_CHARACTERS.test(text))) return;
    const df = source.documentFrequency(indexTerm);
    const firstPass = !question || df <= maxShare * source.paragraphCount;
    terms.set(indexTerm, { text, indexTerm, weight, idf: idf(df, source.paragraphCount), firstPass });
  };
  for (const part of foldedParts) {
    for (const run of indexableRuns(part)) {
      run.forEach((ch, i) => {
        add(ch, ch, RANKING.unigram, RANKING.firstPassCharacterMaxShare);
        if (i + 1 < run.length) add(ch + run[i + 1]!, ch + run[i + 1]!, RANKING.bigram, RANKING.firstPassMaxShare);
      });
    }
  }
  for (const word of words) if (hasWordTerm(word)) add(word, wordTerm(word), RANKING.word, Infinity);
  return { terms: [...terms.values()], verbatim, inEveryCandidate };
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

function saturate(tf: number, length: number, averageLength: number): number {
  return (tf * (RANKING.k1 + 1)) / (tf + RANKING.k1 * (1 - RANKING.b + (RANKING.b * length) / averageLength));
}

/** saturate(1, length) for every paragraph, computed once per index: the first pass reads it per posting. */
export function oneOccurrenceWeights(lengths: Uint32Array, averageLength: number): Float32Array {
  return Float32Array.from(lengths, (length) => saturate(1, length, averageLength));
}

const SENTENCE_END = /[。！？；!?;\n]+/;

/**
 * Per term (of at most 31), the bits of the terms whose text lies inside its own, itself included; 0 for a term
 * with a sentence end in it. A paragraph whose terms found all lie inside one of them has them all in the
 * sentence that holds that one, so its best sentence needs no splitting: every candidate of a one-character
 * query, and of a two-character word wherever the pair is found.
 */
function termsInside(terms: readonly RankTerm[]): Uint32Array {
  const inside = new Uint32Array(terms.length);
  if (terms.length > 31) return inside;
  for (let i = 0; i < terms.length; i++) {
    if (SENTENCE_END.test(terms[i]!.text)) continue;
    for (let j = 0; j < terms.length; j++) if (terms[i]!.text.includes(terms[j]!.text)) inside[i]! |= 1 << j;
  }
  return inside;
}

/** Whether one of the terms found (the bits) has all the others inside its text. */
function oneHoldsAll(inside: Uint32Array, presentBits: number): boolean {
  for (let k = 0; k < inside.length; k++) if ((presentBits >>> k) & 1 && (inside[k]! & presentBits) === presentBits) return true;
  return false;
}

/** How the exact pass tells whether a paragraph has a term. */
const IN_TEXT = 0;
const IN_EVERY_CANDIDATE = 1;
const AS_WHOLE_WORD = 2;

/**
 * What the exact pass reads of the query, worked out once per query rather than per candidate: which test
 * each term takes (no set or map lookup per candidate), its products, and the query's whole mass.
 */
interface ExactPlan {
  readonly texts: readonly string[];
  readonly test: Uint8Array;
  /** Whole-word postings, by term position (AS_WHOLE_WORD terms only). */
  readonly words: readonly (IdList | undefined)[];
  /** term.weight × term.idf: what BM25 multiplies by the saturation, and the term's share of the query. */
  readonly weightIdf: Float64Array;
  /** RANKING.title × term.weight × term.idf. */
  readonly titleBonus: Float64Array;
  readonly queryMass: number;
  /** termsInside of the terms. */
  readonly inside: Uint32Array;
  /** Per term, 1 when the candidate being scored has it (scratch space of exactFeatures). */
  readonly present: Uint8Array;
}

function exactPlan(query: RankQuery, wholeWords: ReadonlyMap<string, IdList>): ExactPlan {
  const n = query.terms.length;
  const test = new Uint8Array(n);
  const words: (IdList | undefined)[] = [];
  const weightIdf = new Float64Array(n);
  const titleBonus = new Float64Array(n);
  let queryMass = 0;
  query.terms.forEach((term, k) => {
    const list = wholeWords.get(term.indexTerm);
    // Words count only where the paragraph's own segmentation has them whole; terms of every candidate are there.
    test[k] = query.inEveryCandidate.has(term.indexTerm) ? IN_EVERY_CANDIDATE : list === undefined ? IN_TEXT : AS_WHOLE_WORD;
    words.push(list);
    weightIdf[k] = term.weight * term.idf;
    titleBonus[k] = RANKING.title * term.weight * term.idf;
    queryMass += weightIdf[k]!;
  });
  const texts = query.terms.map((term) => term.text);
  return { texts, test, words, weightIdf, titleBonus, queryMass, inside: termsInside(query.terms), present: new Uint8Array(n) };
}

/**
 * Exact BM25 + title score of one paragraph; the share of the query in its best sentence goes to
 * `proximity[at]`. Numbers only, no tuple: arrays of a Smi and a double changed shape from query to query and
 * kept the ranking's optimized code from staying optimized.
 */
function exactFeatures(source: RankingSource, plan: ExactPlan, id: number, proximity: Float64Array, at: number): number {
  const text = source.folded(id);
  const title = source.foldedTitle(id);
  const { texts, test, weightIdf, present } = plan;
  let score = 0;
  let presentBits = 0;
  let presentCount = 0;
  for (let k = 0; k < texts.length; k++) {
    const termText = texts[k]!;
    // Counted once: a term in the text at all is one counted at least once.
    const count = countOccurrences(text, termText);
    const mode = test[k]!;
    const found = mode === IN_EVERY_CANDIDATE || (mode === IN_TEXT ? count > 0 : indexOf(plan.words[k]!, id, 0) >= 0);
    present[k] = found ? 1 : 0;
    if (found) {
      score += weightIdf[k]! * saturate(count, source.length(id), source.averageLength);
      presentBits |= 1 << k;
      presentCount++;
    }
    if (title.includes(termText)) score += plan.titleBonus[k]!;
  }
  proximity[at] = 0;
  if (presentCount === 0 || plan.queryMass === 0) return score;
  proximity[at] = bestSentenceMass(text, plan, presentBits) / plan.queryMass;
  return score;
}

/** The query mass of the present terms (plan.present) found together in the text's best sentence. */
function bestSentenceMass(text: string, plan: ExactPlan, presentBits: number): number {
  const { texts, weightIdf, present } = plan;
  let best = 0;
  if (oneHoldsAll(plan.inside, presentBits)) {
    for (let k = 0; k < texts.length; k++) if (present[k] === 1) best += weightIdf[k]!;
    return best;
  }
  for (const sentence of text.split(SENTENCE_END)) {
    let sentenceMass = 0;
    for (let k = 0; k < texts.length; k++) if (present[k] === 1 && sentence.includes(texts[k]!)) sentenceMass += weightIdf[k]!;
    if (sentenceMass > best) best = sentenceMass;
  }
  return best;
}

export interface Ranked {
  readonly id: number;
  readonly score: number;
}

/** 0, 1, …, n − 1 as a plain array (Array.from({ length: n }, …) took 2.3 µs for 50, a loop 0.1). */
function positionsBelow(n: number): number[] {
  const positions = new Array<number>(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  return positions;
}

/** Positions (into `keys` and `ids`) of the `count` largest keys, largest first; ties go to the lower id. */
function topPositions(keys: Float64Array, ids: IdList, count: number): number[] {
  const byKey = (a: number, b: number): number => keys[b]! - keys[a]! || ids[a]! - ids[b]!;
  // Sorting wins for a few keys; the heap from twice `count` on (50 of 200 random keys: 29 µs sorted, 15 heaped).
  if (keys.length <= count * 2) return positionsBelow(keys.length).sort(byKey).slice(0, count);
  // A min-heap of the best `count` so far: O(n log count) instead of sorting every match.
  const heap: number[] = [];
  const worse = (a: number, b: number): boolean => keys[a]! < keys[b]! || (keys[a] === keys[b] && ids[a]! > ids[b]!);
  const down = (at: number): void => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let m = at;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === at) return;
      [heap[at], heap[m]] = [heap[m]!, heap[at]!];
      at = m;
    }
  };
  for (let i = 0; i < keys.length; i++) {
    // Most keys lose to the heap's worst at once; a tie takes the test below (`ids` need not ascend: sparseHead).
    if (heap.length === count && keys[i]! < keys[heap[0]!]!) continue;
    if (heap.length < count) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort(byKey);
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

/** Adds one to `counts` at every candidate in `list`. */
function countPresence(counts: Uint16Array, position: Int32Array, list: IdList): void {
  for (let k = 0; k < list.length; k++) {
    const i = position[list[k]!]!;
    if (i >= 0) counts[i]!++;
  }
}

/** Counts the verbatim runs in each candidate and lifts the first-pass keys by them (see rankCandidates). */
function addVerbatim(source: RankingSource, firstPass: Float64Array, verbatim: Uint16Array, position: Int32Array, ids: IdList, runs: readonly string[]): void {
  const ceiling = firstPass.reduce((max, value) => Math.max(max, value), 0) + 1;
  const textRuns: string[] = [];
  for (const run of runs) {
    // A run that is one index term (two words of a character each, 間一) is in exactly the paragraphs of its
    // postings: reading them beat looking for it in every candidate's text (11,226 candidates at 311k).
    if (indexedExactly(run) && source.documentFrequency(run) <= 8 * ids.length) countPresence(verbatim, position, source.postings(run));
    else textRuns.push(run);
  }
  for (let i = 0; i < ids.length; i++) {
    if (textRuns.length > 0) {
      const text = source.folded(ids[i]!);
      for (const run of textRuns) if (text.includes(run)) verbatim[i]!++;
    }
    firstPass[i]! += verbatim[i]! * ceiling;
  }
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

/**
 * The best `needed` (at least) of `ids` (matching paragraph ids), best first. Paragraphs with more verbatim
 * runs come first; within a group a cheap first pass (term presence from the postings, BM25 with tf = 1)
 * picks the candidates that get exact scores. Candidates are scored exactly in blocks of `exactCandidates` in
 * first-pass order, as many blocks as cover `needed`, each block sorted on its own: the order of any position
 * never depends on `needed`, so pages requested with different offsets join up without duplicates or gaps.
 */
export function rank(source: RankingSource, query: RankQuery, ids: IdList, needed: number): Ranked[] {
  const position = positionsOf(ids, source.paragraphCount);
  try {
    return rankCandidates(source, query, ids, needed, firstPass(source, query, ids, position));
  } finally {
    releasePositions(ids);
  }
}

/** rank() over a head (firstPassHead) of the query it was made for, with the first-pass keys it kept. */
export function rankHead(source: RankingSource, query: RankQuery, head: FirstPassHead, needed: number): Ranked[] {
  // A head is made for one character: no verbatim runs and no word terms, so nothing else of a first pass is read.
  return rankCandidates(source, query, head.ids, needed, { keys: head.keys, verbatim: new Uint16Array(head.ids.length), wholeWords: new Map() });
}

/**
 * rank() over candidates given as a bitmap (the relaxed fallback of a question: tens of thousands of them). The
 * same answers as rank() over their ids, without a step per candidate: the first pass keys only the candidates
 * that its terms' postings (and titles) touch, and every other candidate's key is 0, as in rank(), so they come
 * after, lowest id first. A query with verbatim runs or terms in every candidate takes rank() over the ids.
 */
export function rankBitmap(source: RankingSource, query: RankQuery, candidates: IdBitmap, needed: number): Ranked[] {
  if (query.verbatim.length > 0 || query.inEveryCandidate.size > 0) return rank(source, query, bitmapIds(candidates), needed);
  const head = sparseHead(source, query, candidates, exactCountFor(needed));
  return rankCandidates(source, query, head.ids, needed, { keys: head.keys, verbatim: new Uint16Array(head.ids.length), wholeWords: head.wholeWords });
}

// The first-pass key of each paragraph a sparse first pass touches (0: untouched), by paragraph id, and the ids
// it touched: buffers for every query, like `positions`, zeroed after each use.
let keyById = new Float64Array(0);
let touchedIds = new Uint32Array(0);

/** Adds `weight × oneOccurrence[id]` to the key of every candidate in `list`; returns the touched count. */
function keyPresence(words: Uint32Array, list: IdList, weight: number, oneOccurrence: Float32Array, touched: number): number {
  // The buffers as locals: read from the module's bindings at every posting, the loop took half as long again.
  const keys = keyById;
  const touchedList = touchedIds;
  for (let k = 0; k < list.length; k++) {
    const id = list[k]!;
    if (!hasId(words, id)) continue;
    const key = keys[id]!;
    if (key === 0) touchedList[touched++] = id; // every weight is above 0
    keys[id] = key + weight * oneOccurrence[id]!;
  }
  return touched;
}

/** Adds `weight` to the key of every candidate among the paragraphs of `documents`; returns the touched count. */
function keyTitlePresence(words: Uint32Array, documents: IdList, documentStart: Uint32Array, weight: number, touched: number): number {
  const keys = keyById;
  const touchedList = touchedIds;
  for (let k = 0; k < documents.length; k++) {
    const end = documentStart[documents[k]! + 1]!;
    for (let id = documentStart[documents[k]!]!; id < end; id++) {
      if (!hasId(words, id)) continue;
      const key = keys[id]!;
      if (key === 0) touchedList[touched++] = id;
      keys[id] = key + weight;
    }
  }
  return touched;
}

/**
 * The `count` candidates with the best first-pass keys (ties: the lower id), ascending, with their keys and the
 * whole-word postings read. Each candidate's key is the sum firstPass() makes, added in the same order.
 */
function sparseHead(source: RankingSource, query: RankQuery, candidates: IdBitmap, count: number): FirstPassHead & { readonly wholeWords: Map<string, IdList> } {
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
    touched = keyPresence(words, list, term.weight * term.idf, source.oneOccurrence, touched);
    if (source.titleDocumentCount(term.text) === 0) continue;
    touched = keyTitlePresence(words, source.titleDocuments(term.text), source.documentStart, RANKING.title * term.weight * term.idf, touched);
  }
  const ids = touchedIds.subarray(0, touched);
  const keys = new Float64Array(touched);
  for (let i = 0; i < touched; i++) keys[i] = keyById[ids[i]!]!;
  const head = topPositions(keys, ids, count).map((i) => ids[i]!);
  // Fewer touched than wanted: the untouched candidates follow, lowest id first (their keys are 0).
  for (let w = 0; w < words.length && head.length < count; w++) {
    for (let bits = words[w]!; bits !== 0 && head.length < count; bits &= bits - 1) {
      const id = (w << 5) | (31 - Math.clz32(bits & -bits));
      if (keyById[id] === 0) head.push(id);
    }
  }
  head.sort((a, b) => a - b);
  const headKeys = Float64Array.from(head, (id) => keyById[id]!);
  for (let i = 0; i < touched; i++) keyById[ids[i]!] = 0;
  return { ids: Uint32Array.from(head), keys: headKeys, wholeWords };
}

/** What the first pass leaves for the exact pass: the keys, verbatim counts and whole-word postings read. */
interface FirstPass {
  readonly keys: Float64Array;
  readonly verbatim: Uint16Array;
  readonly wholeWords: Map<string, IdList>;
}

function firstPass(source: RankingSource, query: RankQuery, ids: IdList, position: Int32Array): FirstPass {
  // The loops over every candidate live in functions of their own, and the rest keeps to typed arrays: code
  // that stays optimized whatever the query (a tuple and objects of changing shape here made V8 drop this
  // function's optimized code again and again, and a common character's first search took 4–12 ms, not 1).
  const keys = new Float64Array(ids.length);
  const wholeWords = new Map<string, IdList>();
  for (const term of query.terms) {
    if (!term.firstPass) continue;
    const weight = term.weight * term.idf;
    if (query.inEveryCandidate.has(term.indexTerm)) {
      // Present in every candidate: the same sum as walking its postings, without reading them.
      addEverywhere(keys, ids, weight, source.oneOccurrence);
    } else {
      const list = source.postings(term.indexTerm);
      if (term.indexTerm !== term.text) wholeWords.set(term.indexTerm, list);
      addPresence(keys, position, ids, list, weight, source.oneOccurrence);
    }
    addTitlePresence(source, keys, position, ids, term.text, RANKING.title * term.weight * term.idf);
  }
  // Verbatim runs dominate the first-pass key: every paragraph with more of them sorts ahead.
  const verbatim = new Uint16Array(ids.length);
  if (query.verbatim.length > 0) addVerbatim(source, keys, verbatim, position, ids, query.verbatim);
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

/** The first pass's key of each of `ids` (matching paragraph ids, ascending): the order the exact pass follows. */
export function firstPassKeys(source: RankingSource, query: RankQuery, ids: IdList): Float64Array {
  const position = positionsOf(ids, source.paragraphCount);
  try {
    return firstPass(source, query, ids, position).keys;
  } finally {
    releasePositions(ids);
  }
}

/** How many candidates get exact scores for the first `needed` hits: whole blocks of RANKING.exactCandidates. */
function exactCountFor(needed: number): number {
  return Math.max(1, Math.ceil(needed / RANKING.exactCandidates)) * RANKING.exactCandidates;
}

function rankCandidates(source: RankingSource, query: RankQuery, ids: IdList, needed: number, first: FirstPass): Ranked[] {
  const { keys: firstPassKeys, verbatim, wholeWords } = first;
  const block = RANKING.exactCandidates;
  const exactCount = exactCountFor(needed);
  // Scored in first-pass order: entry k is candidate order[k], in block ⌊k / block⌋.
  const order = topPositions(firstPassKeys, ids, exactCount);
  const proximity = new Float64Array(order.length);
  const exact = new Float64Array(order.length);
  const plan = exactPlan(query, wholeWords);
  for (let k = 0; k < order.length; k++) exact[k] = exactFeatures(source, plan, ids[order[k]!]!, proximity, k);
  // Normalized by the first block's best, so a score does not depend on how many blocks were scored.
  let top = Number.MIN_VALUE;
  for (let k = 0; k < Math.min(block, order.length); k++) if (exact[k]! > top) top = exact[k]!;
  for (let k = 0; k < order.length; k++) exact[k] = exact[k]! / top + RANKING.proximity * proximity[k]!;
  const blockOf = (k: number): number => Math.floor(k / block);
  const sorted = positionsBelow(order.length).sort(
    (a, b) => blockOf(a) - blockOf(b) || verbatim[order[b]!]! - verbatim[order[a]!]! || exact[b]! - exact[a]! || order[a]! - order[b]!,
  );
  // A block's scores stay below the end of the block before it, so the list reads as one order.
  const scores = new Float64Array(sorted.length);
  for (let r = 0; r < sorted.length; r++) scores[r] = exact[sorted[r]!]!;
  for (let r = block; r < scores.length; r++) {
    const previousEnd = scores[Math.floor(r / block) * block - 1]!;
    scores[r] = Math.min(scores[r]!, previousEnd - ((r % block) + 1) * 1e-6);
  }
  return sorted.map((k, r) => ({ id: ids[order[k]!]!, score: Math.round(scores[r]! * 10000) / 10000 }));
}
