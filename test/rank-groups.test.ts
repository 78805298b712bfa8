// Ranking by group (server/search/rank-groups.ts) against the plain oracle: rank's whole list over every
// candidate, the other groups' paragraphs taken out, groups in the order of their first paragraph there, each
// with its first paragraphs there. Many blocks of 50, ties in the first-pass keys, title bonuses that lift a whole
// group, groups of one paragraph and of many, verbatim runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstPass } from '../server/search/first-pass.js';
import { rank, firstPassRanks, type Ranked } from '../server/search/rank.js';
import { candidateRuns, firstOfRuns, rankGroups, rankKeptRuns } from '../server/search/rank-groups.js';
import { RANKING, rankQuery, type RankQuery } from '../server/search/rank-query.js';
import { seededRandom } from '../server/search/seeded-random.js';
import { textRankingSource, type TextRankingSource } from './support/ranking-source.js';

const PER_GROUP = 3;

interface Corpus {
  readonly source: TextRankingSource;
  readonly documentOf: Uint32Array;
  readonly documents: number;
}

/** `count` texts in documents of 1 to `maxSize` paragraphs; every third document's title has 支. */
function corpus(count: number, maxSize: number, seed: number): Corpus {
  const random = seededRandom(seed);
  const documentOf: number[] = [];
  for (let d = 0; documentOf.length < count; d++) {
    const size = 1 + Math.floor(random() * maxSize);
    for (let k = 0; k < size && documentOf.length < count; k++) documentOf.push(d);
  }
  const documents = documentOf[documentOf.length - 1]! + 1;
  // One to three 支, sometimes 付 right after (a verbatim 支付), lengths from a few values: ties in the keys.
  const texts = documentOf.map((_, i) => `${'支'.repeat(1 + (i % 3))}${random() < 0.3 ? '付' : '的'}${'文'.repeat(Math.floor(random() * 6) * 2)}`);
  const titles = Array.from({ length: documents }, (_, d) => (d % 3 === 0 ? '支出' : '收入'));
  return { source: textRankingSource(texts, { titles, documentOf }), documentOf: Uint32Array.from(documentOf), documents };
}

const QUERIES: readonly [name: string, make: (c: Corpus) => RankQuery][] = [
  ['one character, in every candidate', (c) => rankQuery(c.source, ['支'], ['支'], [], false, new Set(['支']))],
  ['two characters', (c) => rankQuery(c.source, ['支付'], ['支', '付'], [], false)],
  ['a verbatim run', (c) => rankQuery(c.source, ['支付'], ['支付'], ['支付'], false)],
];

/** The oracle: rank's whole list, only the kept groups, grouped in order of first appearance. */
function oracle(whole: readonly Ranked[], documentOf: Uint32Array, kept: ReadonlySet<number>): { order: number[]; firsts: Map<number, number[]> } {
  const order: number[] = [];
  const firsts = new Map<number, number[]>();
  for (const { id } of whole) {
    const d = documentOf[id]!;
    if (!kept.has(d)) continue;
    let list = firsts.get(d);
    if (list === undefined) firsts.set(d, (list = [])), order.push(d);
    if (list.length < PER_GROUP) list.push(id);
  }
  return { order, firsts };
}

describe('firstPassRanks', () => {
  it('counts the candidates ahead of each position in the first-pass order, as sorting every key does', () => {
    const random = seededRandom(5);
    for (const n of [1, 7, 300]) {
      const keys = Float64Array.from({ length: n }, () => Math.floor(random() * 8) / 2);
      const sortedAll = [...keys.keys()].sort((a, b) => keys[b]! - keys[a]! || a - b);
      const picked = sortedAll.filter(() => random() < 0.2);
      const ranks = firstPassRanks(keys, picked);
      expect([...ranks]).toEqual(picked.map((p) => sortedAll.indexOf(p)));
    }
  });
});

describe('rankGroups, firstOfRuns and rankKeptRuns', () => {
  describe.each(QUERIES)('%s', (_name, makeQuery) => {
    it.each([
      [600, 40, 1],
      [600, 3, 2],
      [40, 10, 3], // under one block: an unkeyed first pass
      [400, 120, 4],
    ])('equal the oracle for any kept groups, offset and limit (%i paragraphs, documents of up to %i)', (count, maxSize, seed) => {
      const c = corpus(count, maxSize, seed);
      const query = makeQuery(c);
      const ids = Uint32Array.from({ length: count }, (_, i) => i).filter((id) => c.source.folded(id).includes('支'));
      const candidates = { kind: 'ids', ids } as const;
      const whole = rank(c.source, query, candidates, ids.length);
      const runs = candidateRuns(ids, c.documentOf);
      const first = firstPass(c.source, query, candidates, RANKING.exactCandidates);
      const firstBlockScores = new Map(whole.slice(0, RANKING.exactCandidates).map((hit) => [hit.id, hit.score]));
      fc.assert(
        fc.property(fc.double({ min: 0.02, max: 1, noNaN: true }), fc.nat(40), fc.integer({ min: 1, max: 12 }), fc.nat(), (share, offset, limit, pick) => {
          const pickRandom = seededRandom(pick);
          const keptRuns = [...runs.group.keys()].filter(() => pickRandom() < share);
          const kept = new Set(keptRuns.map((run) => runs.group[run]!));
          const expected = oracle(whole, c.documentOf, kept);
          const page = rankGroups(c.source, query, first, runs, keptRuns, { offset, limit, perGroup: PER_GROUP });
          const documents = page.map(({ run }) => runs.group[run]!);
          expect(documents).toEqual(expected.order.slice(offset, offset + limit));
          for (const { run, hits } of page) {
            expect(hits.map((hit) => hit.id)).toEqual(expected.firsts.get(runs.group[run]!));
            for (const hit of hits) if (firstBlockScores.has(hit.id)) expect(hit.score).toBe(firstBlockScores.get(hit.id));
          }
          // The kept paragraphs alone (a filtered page of hits), at least as many as asked.
          const keptHits = whole.filter((hit) => kept.has(c.documentOf[hit.id]!)).map((hit) => hit.id);
          const paragraphs = rankKeptRuns(c.source, query, first, runs, keptRuns, offset + limit);
          expect(paragraphs.length).toBeGreaterThanOrEqual(Math.min(offset + limit, keptHits.length));
          expect(paragraphs.map((hit) => hit.id)).toEqual(keptHits.slice(0, paragraphs.length));
          for (const hit of paragraphs) if (firstBlockScores.has(hit.id)) expect(hit.score).toBe(firstBlockScores.get(hit.id));
          // A card's paragraphs for any runs asked (a sort other than relevance): the same firsts.
          const asked = keptRuns.slice(0, limit);
          const cards = firstOfRuns(c.source, query, first, runs, asked, PER_GROUP);
          for (const run of asked) expect(cards.get(run)!.map((hit) => hit.id)).toEqual(oracle(whole, c.documentOf, new Set([runs.group[run]!])).firsts.get(runs.group[run]!));
        }),
        { seed, numRuns: 60 },
      );
    });
  });

  it('candidateRuns: one run per document with matches, of its consecutive candidates', () => {
    const documentOf = Uint32Array.of(0, 0, 0, 1, 2, 2, 3, 3, 3);
    const runs = candidateRuns(Uint32Array.of(1, 2, 4, 5, 8), documentOf);
    expect([...runs.group]).toEqual([0, 2, 3]);
    expect([...runs.start]).toEqual([0, 2, 4, 5]);
    expect([...candidateRuns(new Uint32Array(0), documentOf).start]).toEqual([0]);
    // Runs of any length (galloping past powers of two), against walking every id.
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 30 }), fc.double({ min: 0.05, max: 1, noNaN: true }), fc.nat(), (sizes, share, pick) => {
        const of = Uint32Array.from(sizes.flatMap((size, d) => Array.from({ length: size }, () => d)));
        const random = seededRandom(pick);
        const ids = Uint32Array.from(of.keys()).filter(() => random() < share);
        const groups: number[] = [];
        const starts: number[] = [];
        ids.forEach((id, j) => {
          if (j === 0 || of[id] !== of[ids[j - 1]!]) groups.push(of[id]!), starts.push(j);
        });
        const runs = candidateRuns(ids, of);
        expect([...runs.group]).toEqual(groups);
        expect([...runs.start]).toEqual([...starts, ids.length]);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});
