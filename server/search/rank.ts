// Relevance: BM25 over the query's characters, character pairs and whole words (rank-query.ts), plus a title
// bonus and a proximity bonus (the share of the query found in the paragraph's best single sentence). A cheap
// first pass (first-pass.ts) orders the candidates; the best RANKING.exactCandidates of them get exact scores
// here. The index stores postings only, so term frequencies are counted in the candidates' folded text.
import { firstPass, type FirstPass, type FirstPassCandidates } from './first-pass.js';
import { RANKING, saturate, termWeight, titleBonus, type RankingSource, type RankQuery } from './rank-query.js';
import { indexOf, type IdList } from './sets.js';
import { scanText, withTermScanner, type TermScanner } from './term-scan.js';
import type { ReusedArrays } from './reused-arrays.js';
import { positionsBelow, topPositions } from './top-k.js';

/** How the exact pass tells whether a paragraph has a term. */
const IN_TEXT = 0;
const IN_EVERY_CANDIDATE = 1;
const AS_WHOLE_WORD = 2;

/**
 * What the exact pass reads of the query, worked out once per query rather than per candidate: which test
 * each term takes (no set or map lookup per candidate), its products, the query's whole mass, and the
 * automaton that counts the terms in a text (term-scan.ts).
 */
interface ExactPlan {
  readonly test: Uint8Array;
  /** Whole-word postings, by term position (AS_WHOLE_WORD terms only). */
  readonly words: readonly (IdList | undefined)[];
  /** termWeight of each term (rank-query.ts). */
  readonly weightIdf: Float64Array;
  /** titleBonus of each term (rank-query.ts). */
  readonly titleBonus: Float64Array;
  readonly queryMass: number;
  readonly scanner: TermScanner;
  /** Scratch space of exactFeatures, per term: occurrences in the text and in the title, and presence. */
  readonly counts: Uint32Array;
  readonly titleCounts: Uint32Array;
  readonly present: Uint8Array;
  /** All zero: a title's scan counts and credits no sentence. */
  readonly noneEligible: Uint8Array;
}

function exactPlan(query: RankQuery, wholeWords: ReadonlyMap<string, IdList>, scanner: TermScanner, arrays: ReusedArrays): ExactPlan {
  const n = query.terms.length;
  const test = arrays.uint8('plan.test', n);
  const words: (IdList | undefined)[] = [];
  const weightIdf = arrays.float64('plan.weightIdf', n);
  const titleBonuses = arrays.float64('plan.titleBonus', n);
  let queryMass = 0;
  query.terms.forEach((term, k) => {
    const list = wholeWords.get(term.indexTerm);
    // Words count only where the paragraph's own segmentation has them whole; terms of every candidate are there.
    test[k] = query.inEveryCandidate.has(term.indexTerm) ? IN_EVERY_CANDIDATE : list === undefined ? IN_TEXT : AS_WHOLE_WORD;
    words.push(list);
    weightIdf[k] = termWeight(term);
    titleBonuses[k] = titleBonus(term);
    queryMass += weightIdf[k]!;
  });
  return {
    test,
    words,
    weightIdf,
    titleBonus: titleBonuses,
    queryMass,
    scanner,
    counts: arrays.uint32('plan.counts', n),
    titleCounts: arrays.uint32('plan.titleCounts', n),
    present: arrays.uint8('plan.present', n),
    noneEligible: arrays.uint8('plan.noneEligible', n),
  };
}

/**
 * Exact BM25 + title score of one paragraph; the share of the query in its best sentence goes to
 * `proximity[at]`. Numbers only, no tuple: arrays of a Smi and a double changed shape from query to query and
 * kept the ranking's optimized code from staying optimized.
 */
function exactFeatures(source: RankingSource, plan: ExactPlan, id: number, proximity: Float64Array, at: number): number {
  const { test, weightIdf, counts, titleCounts, present } = plan;
  // A term is in the best sentence's mass when present: in the text (any occurrence is one), in every
  // candidate, or a whole word of this paragraph.
  for (let k = 0; k < test.length; k++) present[k] = test[k] === AS_WHOLE_WORD ? (indexOf(plan.words[k]!, id, 0) >= 0 ? 1 : 0) : 1;
  const bestSentence = scanText(plan.scanner, source.folded(id), counts, weightIdf, present);
  scanText(plan.scanner, source.foldedTitle(id), titleCounts, weightIdf, plan.noneEligible);
  let score = 0;
  let presentCount = 0;
  for (let k = 0; k < test.length; k++) {
    const mode = test[k]!;
    const count = counts[k]!;
    if (mode === IN_EVERY_CANDIDATE || (mode === IN_TEXT ? count > 0 : present[k] === 1)) {
      score += weightIdf[k]! * saturate(count, source.length(id), source.averageLength);
      presentCount++;
    }
    if (titleCounts[k]! > 0) score += plan.titleBonus[k]!;
  }
  proximity[at] = presentCount === 0 || plan.queryMass === 0 ? 0 : bestSentence / plan.queryMass;
  return score;
}

export interface Ranked {
  readonly id: number;
  readonly score: number;
}

/**
 * What a query ranks: a list of matching paragraph ids, a question's matches as a bitmap (tens of thousands of
 * them, never listed unless needed), or a common character's champion list (champion-lists.ts), ranked already.
 */
export type Candidates = FirstPassCandidates | { readonly kind: 'champions'; readonly ranked: readonly Ranked[] };

/**
 * The best `needed` (at least) of the candidates, best first. Paragraphs with more verbatim runs come first;
 * within a group a cheap first pass (term presence from the postings, BM25 with tf = 1) picks the candidates
 * that get exact scores. Candidates are scored exactly in blocks of `exactCandidates` in first-pass order, as
 * many blocks as cover `needed`, each block sorted on its own: the order of any position never depends on
 * `needed`, so pages requested with different offsets join up without duplicates or gaps. A bitmap's answers
 * are those of its ids; a champion list is the first block of its character's ranking.
 */
export function rank(source: RankingSource, query: RankQuery, candidates: Candidates, needed: number): readonly Ranked[] {
  if (candidates.kind === 'champions') return candidates.ranked;
  const exactCount = exactCountFor(needed);
  return rankCandidates(source, query, exactCount, firstPass(source, query, candidates, exactCount));
}

/** How many candidates get exact scores for the first `needed` hits: whole blocks of RANKING.exactCandidates. */
function exactCountFor(needed: number): number {
  return Math.max(1, Math.ceil(needed / RANKING.exactCandidates)) * RANKING.exactCandidates;
}

/**
 * The exact scores of the candidates at `positions` of `order` (every position when null; the first block always
 * among them), by position, normalized by the first block's best, so a score does not depend on how many blocks
 * were scored.
 */
export function exactScores(source: RankingSource, query: RankQuery, first: FirstPass, order: readonly number[], positions: readonly number[] | null): Float64Array {
  const { ids, wholeWords } = first;
  const { codeUnits, arrays } = source.scratch;
  const proximity = arrays.float64('rank.proximity', order.length);
  const exact = new Float64Array(order.length); // returned: not one of the reused arrays
  withTermScanner(
    codeUnits,
    arrays,
    query.terms.map((term) => term.text),
    (scanner) => {
      const plan = exactPlan(query, wholeWords, scanner, arrays);
      if (positions === null) for (let k = 0; k < order.length; k++) exact[k] = exactFeatures(source, plan, ids[order[k]!]!, proximity, k);
      else for (const k of positions) exact[k] = exactFeatures(source, plan, ids[order[k]!]!, proximity, k);
    },
  );
  let top = Number.MIN_VALUE;
  for (let k = 0; k < Math.min(RANKING.exactCandidates, order.length); k++) if (exact[k]! > top) top = exact[k]!;
  if (positions === null) for (let k = 0; k < order.length; k++) exact[k] = exact[k]! / top + RANKING.proximity * proximity[k]!;
  else for (const k of positions) exact[k] = exact[k]! / top + RANKING.proximity * proximity[k]!;
  return exact;
}

function rankCandidates(source: RankingSource, query: RankQuery, exactCount: number, first: FirstPass): Ranked[] {
  const { ids, keys: firstPassKeys, verbatim } = first;
  const block = RANKING.exactCandidates;
  // Scored in first-pass order: entry k is candidate order[k], in block ⌊k / block⌋.
  const order = topPositions(firstPassKeys, ids, exactCount);
  const exact = exactScores(source, query, first, order, null);
  const blockOf = (k: number): number => Math.floor(k / block);
  const sorted = positionsBelow(order.length).sort(
    (a, b) => blockOf(a) - blockOf(b) || verbatim[order[b]!]! - verbatim[order[a]!]! || exact[b]! - exact[a]! || order[a]! - order[b]!,
  );
  // A block's scores stay below the end of the block before it, so the list reads as one order.
  const scores = source.scratch.arrays.float64('rank.scores', sorted.length);
  for (let r = 0; r < sorted.length; r++) scores[r] = exact[sorted[r]!]!;
  for (let r = block; r < scores.length; r++) {
    const previousEnd = scores[Math.floor(r / block) * block - 1]!;
    scores[r] = Math.min(scores[r]!, previousEnd - ((r % block) + 1) * 1e-6);
  }
  return sorted.map((k, r) => ({ id: ids[order[k]!]!, score: Math.round(scores[r]! * 10000) / 10000 }));
}

/** How deep rankKept goes: at least `from` candidates in first-pass order (whole blocks), until `enough` holds. */
export interface KeptRanking {
  readonly keep: (id: number) => boolean;
  /** Whether the kept hits so far (best first) are enough; asked after each deeper pass. */
  readonly enough: (kept: readonly Ranked[]) => boolean;
  readonly from?: number;
  /**
   * The group (document) of each id: a candidate whose group was kept in an earlier block is left out, neither
   * scored nor kept. Each group's first kept paragraphs (its best) stay where they were, and the groups' order
   * with them, while a long document's later paragraphs cost nothing.
   */
  readonly firstOfEachGroup?: ArrayLike<number>;
}

/**
 * rank's order of the candidates with only those `keep` holds: exactly rank's list over all of them, the others
 * taken out (a filter must not change the order of what it keeps). Blocks are those of the whole first-pass
 * order, and scores are normalized by its first block's best, so that block is scored whole; of the blocks after
 * it only the kept candidates are. Deepens fourfold until `enough` or every candidate is in order; `depth` says
 * how far it went, for a later call that wants more of the same order (`from`).
 */
export function rankKept(
  source: RankingSource,
  query: RankQuery,
  candidates: FirstPassCandidates,
  { keep, enough, from = 0, firstOfEachGroup }: KeptRanking,
): { ranked: Ranked[]; depth: number } {
  const total = candidates.kind === 'ids' ? candidates.ids.length : candidates.bitmap.count;
  let depth = exactCountFor(Math.max(1, from));
  // A list is keyed whole whatever the depth (firstPass keeps it whole): once is enough. A bitmap's sparse head
  // keeps only `depth` of its candidates and is made again deeper.
  let first = candidates.kind === 'ids' ? firstPass(source, query, candidates, depth) : undefined;
  for (;;) {
    const pass = first ?? firstPass(source, query, candidates, depth);
    const ranked = rankCandidatesKept(source, query, depth, pass, keep, firstOfEachGroup);
    if (depth >= total || enough(ranked)) return { ranked, depth };
    depth *= 4;
    if (candidates.kind === 'bitmap') first = undefined;
  }
}

function rankCandidatesKept(
  source: RankingSource,
  query: RankQuery,
  exactCount: number,
  first: FirstPass,
  keep: (id: number) => boolean,
  groupOf: ArrayLike<number> | undefined,
): Ranked[] {
  const { ids, keys: firstPassKeys, verbatim } = first;
  const block = RANKING.exactCandidates;
  const order = topPositions(firstPassKeys, ids, exactCount);
  const scored: number[] = [];
  const kept: number[] = [];
  // Groups kept in the blocks before this one, and in this one (groupOf only).
  const earlier = new Set<number>();
  const current: number[] = [];
  for (let k = 0; k < order.length; k++) {
    const id = ids[order[k]!]!;
    if (groupOf !== undefined && k % block === 0) for (const group of current.splice(0)) earlier.add(group);
    const isKept = keep(id) && (groupOf === undefined || !earlier.has(groupOf[id]!));
    if (isKept) {
      kept.push(k);
      if (groupOf !== undefined) current.push(groupOf[id]!);
    }
    if (k < block || isKept) scored.push(k);
  }
  // The same scores as rankCandidates gives these positions: its first block is scored whole.
  const exact = exactScores(source, query, first, order, scored);
  const blockOf = (k: number): number => Math.floor(k / block);
  kept.sort((a, b) => blockOf(a) - blockOf(b) || verbatim[order[b]!]! - verbatim[order[a]!]! || exact[b]! - exact[a]! || order[a]! - order[b]!);
  return clampedByBlock(
    kept.map((k) => ids[order[k]!]!),
    kept.map(blockOf),
    kept.map((k) => exact[k]!),
  );
}

/**
 * Ranked hits of ids in their order, with each one's block and exact score: as rankCandidates, a block's scores
 * stay below the end of the block before it.
 */
export function clampedByBlock(ids: readonly number[], blocks: readonly number[], exact: readonly number[]): Ranked[] {
  const scores = [...exact];
  let previousEnd = Number.POSITIVE_INFINITY;
  let inBlock = 0;
  for (let r = 0; r < scores.length; r++) {
    if (r > 0 && blocks[r] !== blocks[r - 1]) {
      previousEnd = scores[r - 1]!;
      inBlock = 0;
    }
    inBlock++;
    if (blocks[r]! > 0) scores[r] = Math.min(scores[r]!, previousEnd - inBlock * 1e-6);
  }
  return ids.map((id, r) => ({ id, score: Math.round(scores[r]! * 10000) / 10000 }));
}

/**
 * How many candidates come before each of `sorted` in the whole first-pass order (`sorted`: positions into the
 * first pass's keys, in that order: larger key first, ties to the lower position, which is the lower id). One
 * pass over the keys, in position order: a candidate counts once among those with a larger key than its (by its
 * place among `sorted`'s distinct keys, found through a table of key ranges), and, when its key is one of those,
 * once more among that key's earlier positions. A key behind `sorted`'s last costs one comparison. (A binary
 * search among `sorted` a candidate cost more than the rest of a grouped query: keys tie often, a one-character
 * query's by paragraph length, and each step mispredicted a branch.)
 */
export function firstPassRanks(keys: Float64Array, sorted: readonly number[]): Int32Array {
  const m = sorted.length;
  const ranks = new Int32Array(m);
  if (m === 0) return ranks;
  // `sorted`'s distinct keys, largest first, and each one's place among them.
  const values: number[] = [];
  const valueOf = new Int32Array(m);
  for (let q = 0; q < m; q++) {
    const key = keys[sorted[q]!]!;
    if (values.length === 0 || key !== values[values.length - 1]) values.push(key);
    valueOf[q] = values.length - 1;
  }
  const u = values.length;
  const distinct = Float64Array.from(values);
  const topKey = distinct[0]!;
  const lastKey = distinct[u - 1]!;
  // cellOf never increases with the key: a cell lower than a key's holds only larger values, a higher one only
  // smaller ones, so a key is compared only with the values of its own cell.
  const cells = Math.max(16, 4 * u);
  const scale = topKey > lastKey ? cells / (topKey - lastKey) : 0;
  // (A key from lastKey to topKey gives 0 to `cells`: `| 0` floors it.)
  const cellOf = (key: number): number => Math.min(cells - 1, ((topKey - key) * scale) | 0);
  const cellStart = new Int32Array(cells + 1).fill(u);
  for (let t = u - 1; t >= 0; t--) cellStart[cellOf(distinct[t]!)] = t;
  for (let c = cells - 1; c >= 0; c--) if (cellStart[c]! > cellStart[c + 1]!) cellStart[c] = cellStart[c + 1]!;
  // larger[t]: candidates whose key is between value t − 1 and value t (or above the first).
  const larger = new Int32Array(u + 1);
  // Candidates so far with each value as their key; what it was at each of `sorted` (its earlier ties).
  const tied = new Int32Array(u);
  const tiedBefore = new Int32Array(m);
  const byPosition = Int32Array.from(sorted.keys()).sort((a, b) => sorted[a]! - sorted[b]!);
  let next = 0;
  let nextPosition = sorted[byPosition[0]!]!;
  for (let j = 0; j < keys.length; j++) {
    const key = keys[j]!;
    if (key < lastKey) continue;
    if (key > topKey) {
      larger[0]!++;
      continue;
    }
    // t: the first value not above the key.
    const cell = cellOf(key);
    let t = cellStart[cell]!;
    const end = cellStart[cell + 1]!;
    while (t < end && distinct[t]! > key) t++;
    if (t < u && distinct[t] === key) {
      if (j === nextPosition) {
        tiedBefore[byPosition[next]!] = tied[t]!;
        nextPosition = ++next < m ? sorted[byPosition[next]!]! : -1;
      }
      tied[t]!++;
    } else larger[t]!++;
  }
  // Keys above value t: larger[0 … t], and the ties of every value before t.
  for (let q = 0, t = 0, above = 0; q < m; q++) {
    for (; t < valueOf[q]!; t++) above += larger[t]! + tied[t]!;
    ranks[q] = above + larger[t]! + tiedBefore[q]!;
  }
  return ranks;
}
