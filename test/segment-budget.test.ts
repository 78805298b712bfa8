// Bounded build memory (issue 25, item 3): a build writes a segment each time the documents it analyzes reach
// the size budget, and the merge policy never makes a segment of more live characters than the cap; the answers
// stay those of one segment.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild, type BuildOptions, type BuildReporter } from '../indexer/build-command.js';
import { countCodePoints } from '../indexer/index/build.js';
import type { SegmentRecord } from '../indexer/index/format.js';
import { loadedSegments, loadIndex, type LoadedIndex } from '../indexer/index/load.js';
import { choosePolicyMerge, type MergePolicy } from '../indexer/index/merge.js';
import { seededRandom } from '../server/search/seeded-random.js';
import { answers, indexView } from './support/index-answers.js';
import { SAMPLE_CORPUS } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('segment-budget');
const quiet: BuildReporter = { step() {}, progress() {}, problem() {} };
const LINES = readFileSync(SAMPLE_CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '');

/** Each loaded segment's stored characters, and those of its last document. */
function segmentSizes(index: LoadedIndex): { characters: number; last: number }[] {
  return loadedSegments(index).map((segment) => {
    const size = (document: { paragraphs: readonly string[] }): number => document.paragraphs.reduce((sum, text) => sum + countCodePoints(text), 0);
    return { characters: segment.documents.reduce((sum, document) => sum + size(document), 0), last: size(segment.documents.at(-1)!) };
  });
}

function expectSameIndex(a: LoadedIndex, b: LoadedIndex, where: string): void {
  const [viewA, viewB] = [indexView(a), indexView(b)];
  for (const key of Object.keys(viewB)) expect(viewA[key], `${where}: ${key}`).toEqual(viewB[key]);
  expect(answers(a), where).toEqual(answers(b));
}

describe('the segment size budget', () => {
  it('a build with a tiny budget writes several segments, each closed by the document that reached the budget, and answers as one segment', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'notes');
    const jsonl = path.join(dir, 'lines.jsonl');
    mkdirSync(folder);
    for (let i = 0; i < 20; i++) writeFileSync(path.join(folder, `${String(i).padStart(2, '0')}.txt`), (JSON.parse(LINES[i]!) as { text: string }).text);
    writeFileSync(jsonl, LINES.slice(20, 140).join('\n') + '\n');
    const budget = 3000;
    const options = (out: string, segmentCharacters: number, force = true): BuildOptions => ({
      corpus: [folder, jsonl],
      out: path.join(dir, out),
      userDict: null,
      force,
      segmentCharacters,
      mergePolicy: { maxSegments: 8, maxDeletedShare: 0.25, maxSegmentCharacters: segmentCharacters },
    });
    const one = await runBuild(options('one', 10_000_000), quiet);
    const many = await runBuild(options('many', budget), quiet);
    expect(one.manifest.segments).toHaveLength(1);
    expect(many.manifest.segments.length).toBeGreaterThan(5);
    expect(many.status === 'built' && many.update.merged).toBe(false); // every segment but the last is full: none to merge
    const [oneIndex, manyIndex] = [await loadIndex(path.join(dir, 'one')), await loadIndex(path.join(dir, 'many'))];
    const sizes = segmentSizes(manyIndex);
    sizes.forEach(({ characters, last }, n) => {
      if (n < sizes.length - 1) expect(characters, `segment ${n}`).toBeGreaterThanOrEqual(budget);
      expect(characters - last, `segment ${n}`).toBeLessThan(budget);
    });
    expectSameIndex(manyIndex, oneIndex, 'a full build');

    // An update of many documents with the same budget: new segments of the budget, the answers a full build's.
    writeFileSync(jsonl, LINES.slice(20, 140).map((line, n) => (n % 2 === 0 ? line.replace('"text": "', '"text": "改') : line)).join('\n') + '\n');
    const updated = await runBuild(options('many', budget, false), quiet);
    expect(updated.status).toBe('built');
    if (updated.status !== 'built') return;
    expect(updated.update.full).toBe(false);
    expect(updated.update.analyzed).toBe(60);
    await runBuild(options('one', 10_000_000), quiet);
    expectSameIndex(await loadIndex(path.join(dir, 'many')), await loadIndex(path.join(dir, 'one')), 'after an update');
  }, 120_000);
});

/** A manifest's segments and a corpus order for segments of live documents of these sizes, and deleted ones. */
function layout(segments: readonly { readonly live: readonly number[]; readonly deleted: number }[]) {
  const records: SegmentRecord[] = segments.map(({ live, deleted }, s) => ({ name: `seg-${s}`, documents: live.length + deleted, paragraphs: live.length + deleted, roots: [] }));
  const order: number[] = [];
  const characters: number[] = [];
  segments.forEach(({ live }, s) =>
    live.forEach((size, d) => {
      order.push(s, d);
      characters.push(size);
    }),
  );
  return { manifest: { segments: records }, order: Uint32Array.from(order), live: { paragraphs: characters.map(() => 1), characters } };
}

const sum = (numbers: readonly number[]): number => numbers.reduce((total, n) => total + n, 0);

describe('the merge cap', () => {
  const policy = (maxSegments: number, maxSegmentCharacters: number): MergePolicy => ({ maxSegments, maxDeletedShare: 0.25, maxSegmentCharacters });
  const small = (count: number, size: number) => Array.from({ length: count }, () => ({ live: [size], deleted: 0 }));

  it('merges the smallest segments, enough to get back to half the limit, never more characters than the cap', () => {
    const ten = layout(small(10, 100));
    expect(choosePolicyMerge(ten.manifest, ten.order, ten.live, policy(4, 1000))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(choosePolicyMerge(ten.manifest, ten.order, ten.live, policy(4, 500))).toEqual([0, 1, 2, 3, 4]);
    expect(choosePolicyMerge(ten.manifest, ten.order, ten.live, policy(10, 500))).toEqual([]);
  });

  it('never merges full segments (half the cap or more) for their number, only for their deletions', () => {
    const full = layout([...small(10, 600), { live: [300], deleted: 0 }]);
    expect(choosePolicyMerge(full.manifest, full.order, full.live, policy(1, 1000))).toEqual([]);
    const worn = layout([...small(3, 600), { live: [200, 200], deleted: 2 }, ...small(2, 100)]);
    // The worn one (half its paragraphs deleted) alone; with too many small ones, those that fit beside it.
    expect(choosePolicyMerge(worn.manifest, worn.order, worn.live, policy(8, 500))).toEqual([3]);
    expect(choosePolicyMerge(worn.manifest, worn.order, worn.live, policy(1, 500))).toEqual([3, 4]);
    // A lone small segment is not rewritten.
    const lone = layout(small(1, 10));
    expect(choosePolicyMerge(lone.manifest, lone.order, lone.live, policy(0, 1000))).toEqual([]);
  });

  it('asked again after each merge, ends with no group over the cap, no worn segment and few small ones', () => {
    const random = seededRandom(25);
    for (let run = 0; run < 200; run++) {
      const cap = 200 + Math.floor(random() * 2000);
      const rules = policy(1 + Math.floor(random() * 6), cap);
      let segments = Array.from({ length: 1 + Math.floor(random() * 30) }, () => ({
        live: Array.from({ length: 1 + Math.floor(random() * 8) }, () => 1 + Math.floor(random() * (cap / 3))),
        deleted: random() < 0.3 ? Math.floor(random() * 8) : 0,
      }));
      let merges = 0;
      for (;;) {
        const { manifest, order, live } = layout(segments);
        const chosen = choosePolicyMerge(manifest, order, live, rules);
        if (chosen.length === 0) break;
        expect(++merges, `run ${run}`).toBeLessThan(100);
        const group = chosen.map((s) => segments[s]!);
        const alone = group.length === 1;
        const characters = sum(group.flatMap((segment) => segment.live));
        // Over the cap only a lone segment rewritten for its deletions, never bigger than it was.
        if (!alone) expect(characters, `run ${run}`).toBeLessThanOrEqual(cap);
        else expect(group[0]!.deleted, `run ${run}`).toBeGreaterThan(0);
        segments = [...segments.filter((_, s) => !chosen.includes(s)), { live: group.flatMap((segment) => segment.live), deleted: 0 }];
      }
      const isWorn = ({ live, deleted }: { live: readonly number[]; deleted: number }): boolean => deleted / (live.length + deleted) > rules.maxDeletedShare;
      expect(segments.filter(isWorn), `run ${run}`).toEqual([]);
      expect(segments.filter(({ live }) => 2 * sum(live) < cap).length, `run ${run}`).toBeLessThanOrEqual(rules.maxSegments);
    }
  });
});
