// Ranking by group (group.ts): the groups (documents) of a list of matches in the order of their first paragraph
// in rank's list over every match (rank.ts), and each group's first paragraphs in that list, without putting
// every match in order.
//
// - A group's matches are a run of the ascending candidates (a document's paragraphs have consecutive ids).
// - rank's list is blocks of RANKING.exactCandidates in first-pass order, each sorted by verbatim runs and exact
//   score. A group's first paragraph is in the block of its best first-pass key, so the groups' order by block
//   is the order of their best keys; only the groups in the page's blocks need exact scores, to be ordered
//   within a block.
// - A paragraph's block is its rank in the first-pass order over 50: the ranks of the few dozen paragraphs that
//   matter are counted in one pass over the keys (rank.ts firstPassRanks), not by sorting every key.
// - A group's first `perGroup` paragraphs lie in the blocks up to that of its perGroup-th best key: those are
//   scored, and no more.
import type { FirstPass } from './first-pass.js';
import { clampedByBlock, exactScores, firstPassRanks, type Ranked } from './rank.js';
import { RANKING, type RankingSource, type RankQuery } from './rank-query.js';
import type { IdList } from './sets.js';
import { topPositions } from './top-k.js';

/** Ascending candidates in runs of one group each: run r is positions start[r] to start[r + 1] − 1, of group[r]. */
export interface CandidateRuns {
  readonly group: Uint32Array;
  /** One entry more than the runs: the candidates' count. */
  readonly start: Uint32Array;
}

/** The runs of `ids` (ascending) by group (`groupOf`: each id's group, never lower than an earlier id's). */
export function candidateRuns(ids: IdList, groupOf: ArrayLike<number>): CandidateRuns {
  const groups: number[] = [];
  const starts: number[] = [];
  const n = ids.length;
  for (let j = 0; j < n; ) {
    const group = groupOf[ids[j]!]!;
    groups.push(group);
    starts.push(j);
    // The run's end, galloping then halving: a run costs the log of its length, not its length. Groups never
    // go down, so every position from j to `known` is in the run, and `known + step` (or the end) is not.
    let known = j;
    let step = 1;
    while (known + step < n && groupOf[ids[known + step]!]! === group) {
      known += step;
      step *= 2;
    }
    let lo = known + 1;
    let hi = Math.min(n, known + step);
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (groupOf[ids[mid]!]! === group) lo = mid + 1;
      else hi = mid;
    }
    j = lo;
  }
  starts.push(n);
  return { group: Uint32Array.from(groups), start: Uint32Array.from(starts) };
}

/** A group (by its run) with its first paragraphs in rank's list, best first. */
export interface RankedGroup {
  readonly run: number;
  readonly hits: readonly Ranked[];
}

/** Where some runs' best paragraphs by first-pass key stand: each run's listed tops, and every top's block. */
interface Placed {
  readonly tops: ReadonlyMap<number, readonly number[]>;
  readonly block: ReadonlyMap<number, number>;
}

/** The run's best `count` positions in first-pass order (larger key first, ties to the lower position). */
function topsOf(first: FirstPass, runs: CandidateRuns, run: number, count: number): number[] {
  const start = runs.start[run]!;
  const end = runs.start[run + 1]!;
  return topPositions(first.keys.subarray(start, end), first.ids.subarray(start, end), count).map((i) => i + start);
}

/** The first-pass order of positions: larger key first, ties to the lower position (the lower id). */
const byFirstPass =
  (keys: Float64Array) =>
  (a: number, b: number): number =>
    keys[b]! - keys[a]! || a - b;

/** Lists `counts.get(run)` tops of every run of `counts` and counts their blocks. */
function place(first: FirstPass, runs: CandidateRuns, counts: ReadonlyMap<number, number>, cache: Map<number, number[]>): Placed {
  const tops = new Map<number, number[]>();
  const all: number[] = [];
  for (const [run, count] of counts) {
    let listed = cache.get(run);
    if (listed === undefined || listed.length < Math.min(count, runs.start[run + 1]! - runs.start[run]!)) cache.set(run, (listed = topsOf(first, runs, run, count)));
    tops.set(run, listed);
    all.push(...listed);
  }
  all.sort(byFirstPass(first.keys));
  const ranks = firstPassRanks(first.keys, all);
  const block = new Map<number, number>();
  all.forEach((p, q) => block.set(p, Math.floor(ranks[q]! / RANKING.exactCandidates)));
  return { tops, block };
}

/** The index in a run's tops of the paragraph whose block bounds its first `wanted` (its wanted-th, or its last). */
const boundIndex = (tops: readonly number[], wanted: number): number => Math.min(wanted, tops.length) - 1;

/**
 * Whether a run's listed tops hold every paragraph of it in the blocks up to that of its wanted-th best key:
 * all of the run, or a last top already in a later block (blocks follow the first-pass order).
 */
function holdsEnough(placed: Placed, runs: CandidateRuns, run: number, wanted: number): boolean {
  const tops = placed.tops.get(run)!;
  if (tops.length === runs.start[run + 1]! - runs.start[run]!) return true;
  return placed.block.get(tops[tops.length - 1]!)! > placed.block.get(tops[boundIndex(tops, wanted)]!)!;
}

/** Positions in rank's order, their ranked hits, and that order. */
interface Ordered {
  readonly hit: (position: number) => Ranked;
  readonly compare: (a: number, b: number) => number;
  /** The positions given, sorted. */
  readonly sorted: readonly number[];
}

/**
 * `positions` (each with its block) in rank's order, scored as rank scores them: the whole first block
 * (`firstBlock`: the best RANKING.exactCandidates keys) is scored too, its best normalizing every score, and a
 * block's scores stay below the end of the one before.
 */
function orderPositions(
  source: RankingSource,
  query: RankQuery,
  first: FirstPass,
  firstBlock: readonly number[],
  block: ReadonlyMap<number, number>,
  positions: readonly number[],
): Ordered {
  const { ids, verbatim } = first;
  const inFirst = new Set(firstBlock);
  const order = [...firstBlock];
  for (const p of positions) if (!inFirst.has(p)) order.push(p);
  const exact = exactScores(source, query, first, order, null);
  const exactOf = new Map(order.map((p, k) => [p, exact[k]!]));
  const blockOf = (p: number): number => block.get(p)!;
  // As rank sorts: by block, then verbatim runs, then exact score, then position.
  const compare = (a: number, b: number): number => blockOf(a) - blockOf(b) || verbatim[b]! - verbatim[a]! || exactOf.get(b)! - exactOf.get(a)! || a - b;
  const sorted = [...positions].sort(compare);
  const ranked = clampedByBlock(
    sorted.map((p) => ids[p]!),
    sorted.map(blockOf),
    sorted.map((p) => exactOf.get(p)!),
  );
  const rankedOf = new Map(sorted.map((p, k) => [p, ranked[k]!]));
  return { hit: (p) => rankedOf.get(p)!, compare, sorted };
}

/** Runs' chosen paragraphs in rank's order, by run, with their hits. */
interface OrderedRuns extends Ordered {
  readonly positions: ReadonlyMap<number, readonly number[]>;
}

/** The best RANKING.exactCandidates keys of the first pass: rank's first block, whose best normalizes every score. */
const firstBlockOf = (first: FirstPass): number[] => topPositions(first.keys, first.ids, RANKING.exactCandidates);

/**
 * Each of `runList`'s paragraphs in the blocks up to that of its wanted(run)-th best key, in rank's order, with the
 * scores rank's list gives.
 */
function orderRuns(
  source: RankingSource,
  query: RankQuery,
  first: FirstPass,
  firstBlock: readonly number[],
  placed: Placed,
  runList: readonly number[],
  wanted: (run: number) => number,
): OrderedRuns {
  const chosen = new Map<number, number[]>();
  for (const run of runList) {
    const tops = placed.tops.get(run)!;
    const bound = placed.block.get(tops[boundIndex(tops, wanted(run))]!)!;
    chosen.set(
      run,
      tops.filter((p) => placed.block.get(p)! <= bound),
    );
  }
  const ordered = orderPositions(source, query, first, firstBlock, placed.block, [...chosen.values()].flat());
  for (const positions of chosen.values()) positions.sort(ordered.compare);
  return { ...ordered, positions: chosen };
}

/** A run's first `perGroup` hits of its ordered paragraphs. */
const firstHits = (ordered: OrderedRuns, run: number, perGroup: number): Ranked[] => ordered.positions.get(run)!.slice(0, perGroup).map(ordered.hit);

/**
 * Of the runs in `kept` (ascending), those at `offset` to `offset + limit − 1` in the order of their first
 * paragraph in rank's list over every candidate, each with its first `perGroup` paragraphs in that list: what
 * rankKept with `firstOfEachGroup` and a ranking of each group's paragraphs give, from a list's whole first pass.
 */
export function rankGroups(
  source: RankingSource,
  query: RankQuery,
  first: FirstPass,
  runs: CandidateRuns,
  kept: readonly number[],
  { offset, limit, perGroup }: { readonly offset: number; readonly limit: number; readonly perGroup: number },
): RankedGroup[] {
  const count = kept.length;
  if (offset >= count || limit <= 0) return [];
  const needed = Math.min(count, offset + limit);
  const { keys } = first;
  // Each kept run's head: its best first-pass key (ties to its lowest position).
  const headKeys = new Float64Array(count);
  const headPositions = new Uint32Array(count);
  for (let i = 0; i < count; i++) {
    const run = kept[i]!;
    const end = runs.start[run + 1]!;
    let best = runs.start[run]!;
    let bestKey = keys[best]!;
    for (let p = best + 1; p < end; p++) {
      const key = keys[p]!;
      if (key > bestKey) {
        bestKey = key;
        best = p;
      }
    }
    headKeys[i] = bestKey;
    headPositions[i] = best;
  }
  // A block holds RANKING.exactCandidates paragraphs: fewer than that many heads follow the needed-th in its
  // block, so listing that many more lists every run whose head shares a block with the page's.
  const listed = Math.min(count, needed + RANKING.exactCandidates - 1);
  const order = topPositions(headKeys, headPositions, listed).map((i) => kept[i]!);
  // The runs at the page's places are on it whatever the order within their blocks: their best perGroup and one
  // more; any other listed run its best two (its head's block, and whether the block holds more of it). One pass
  // over the keys places them all, most times.
  const onPage = new Set(order.slice(offset, needed));
  const wanted = (run: number): number => (onPage.has(run) ? perGroup : 1);
  const counts = new Map(order.map((run) => [run, wanted(run) + 1]));
  const cache = new Map<number, number[]>();
  const firstBlock = firstBlockOf(first);
  for (;;) {
    const placed = place(first, runs, counts, cache);
    const headBlock = (i: number): number => placed.block.get(placed.tops.get(order[i]!)![0]!)!;
    const low = headBlock(offset);
    const high = headBlock(needed - 1);
    // The runs of the page's blocks: those before come first, those after come after, these are ordered.
    let from = offset;
    while (from > 0 && headBlock(from - 1) === low) from--;
    let to = needed;
    while (to < listed && headBlock(to) === high) to++;
    const range = order.slice(from, to);
    const short = range.filter((run) => !holdsEnough(placed, runs, run, wanted(run)));
    if (short.length > 0) {
      for (const run of short) counts.set(run, 4 * counts.get(run)!);
      continue;
    }
    const ordered = orderRuns(source, query, first, firstBlock, placed, range, wanted);
    // A run's first paragraph is in its head's block: the runs in the order of their first paragraphs.
    const firstOf = (run: number): number => ordered.positions.get(run)![0]!;
    const page = [...range].sort((a, b) => ordered.compare(firstOf(a), firstOf(b))).slice(offset - from, offset - from + limit);
    // A run of the page's first or last block that came onto it: its cards need its best perGroup too.
    const late = page.filter((run) => !onPage.has(run));
    if (late.length === 0) return page.map((run) => ({ run, hits: firstHits(ordered, run, perGroup) }));
    for (const run of late) {
      onPage.add(run);
      counts.set(run, Math.max(counts.get(run)!, perGroup + 1));
    }
  }
}

/**
 * Each run of `runList` with its first `perGroup` paragraphs in rank's list over every candidate (a card's
 * paragraphs under a sort other than relevance).
 */
export function firstOfRuns(source: RankingSource, query: RankQuery, first: FirstPass, runs: CandidateRuns, runList: readonly number[], perGroup: number): Map<number, Ranked[]> {
  const counts = new Map(runList.map((run) => [run, perGroup + 1]));
  const cache = new Map<number, number[]>();
  for (;;) {
    const placed = place(first, runs, counts, cache);
    const short = runList.filter((run) => !holdsEnough(placed, runs, run, perGroup));
    if (short.length === 0) {
      const ordered = orderRuns(source, query, first, firstBlockOf(first), placed, runList, () => perGroup);
      return new Map(runList.map((run) => [run, firstHits(ordered, run, perGroup)]));
    }
    for (const run of short) counts.set(run, 4 * counts.get(run)!);
  }
}

/**
 * The first `needed` (at least, when there are) candidates of the runs in `kept` in rank's list over every
 * candidate, best first: the kept candidates' best keys are picked by a heap, their ranks counted, and those in
 * the blocks up to the needed-th's scored and sorted.
 */
export function rankKeptRuns(source: RankingSource, query: RankQuery, first: FirstPass, runs: CandidateRuns, kept: readonly number[], needed: number): Ranked[] {
  let total = 0;
  for (const run of kept) total += runs.start[run + 1]! - runs.start[run]!;
  if (total === 0 || needed <= 0) return [];
  const keptKeys = new Float64Array(total);
  const keptPositions = new Uint32Array(total);
  let at = 0;
  for (const run of kept) {
    for (let p = runs.start[run]!; p < runs.start[run + 1]!; p++) {
      keptKeys[at] = first.keys[p]!;
      keptPositions[at++] = p;
    }
  }
  const wanted = Math.min(total, needed);
  // A block holds RANKING.exactCandidates candidates: fewer than that many kept ones follow the needed-th in its
  // block, so listing that many more lists every kept candidate of the blocks up to its.
  const listed = Math.min(total, wanted + RANKING.exactCandidates - 1);
  const order = topPositions(keptKeys, keptPositions, listed).map((i) => keptPositions[i]!);
  const ranks = firstPassRanks(first.keys, order);
  const blockAt = (q: number): number => Math.floor(ranks[q]! / RANKING.exactCandidates);
  const bound = blockAt(wanted - 1);
  const block = new Map<number, number>();
  const chosen: number[] = [];
  order.forEach((p, q) => {
    if (blockAt(q) > bound) return;
    block.set(p, blockAt(q));
    chosen.push(p);
  });
  const ordered = orderPositions(source, query, first, firstBlockOf(first), block, chosen);
  return ordered.sorted.map(ordered.hit);
}
