// The pinyin eval on the committed sample (test/fixtures/pinyin-eval-sample, made by bench/make-pinyin-eval.ts from
// CC-CEDICT over test/fixtures/eval-sample/corpus.jsonl, the corpus whose vocabulary answers them here):
// quality, not timing, so its minimums are asserted. The sets `npm run eval` scores (test/fixtures/pinyin-eval)
// are drawn from the whole eval corpus, which is not in the repo.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullPinyinBound, makePinyinEval } from '../bench/make-pinyin-eval.js';
import { PINYIN_EVAL_TARGETS, readEvalSets, runPinyinEval, scoreThroughEngine, type PinyinEvalScores } from '../bench/pinyin-eval.js';
import { createSearcher } from '../server/search/engine.js';
import { loadSeedAndSampleIndex } from './support/search-index.js';

const CORPUS = fileURLToPath(new URL('fixtures/eval-sample/corpus.jsonl', import.meta.url));
const SETS = fileURLToPath(new URL('fixtures/pinyin-eval-sample', import.meta.url));
let scores: PinyinEvalScores;

beforeAll(async () => {
  scores = await runPinyinEval(CORPUS, SETS);
});

describe('pinyin eval on the committed sample', () => {
  it('has every set filled', () => {
    for (const count of Object.values(scores.counts)) expect(count).toBeGreaterThanOrEqual(100);
  });

  it('meets the targets of issue 23', () => {
    expect(scores.fullTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.fullTop5);
    expect(scores.polyphonesRead).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.polyphonesRead);
    expect(scores.initialsTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.initialsTop5);
    expect(scores.homophoneTop1).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.homophoneTop1);
    expect(scores.nearTop1).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.nearTop1);
    expect(scores.correctOffered).toBe(PINYIN_EVAL_TARGETS.correctOffered);
  });

  // Drawn from the corpus whose vocabulary answers them (every occurrence of a word alike), the sample's sets
  // meet the 95% too; what no ranking can reach is bounded by homophones (docs/design.md §11.8).
  it('finds the word meant at top 1 for full pinyin', () => {
    expect(scores.fullTop1).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.fullTop1);
  });
});

describe('the same sets through the engine (what /api/search answers), on the seed and sample index', () => {
  it('searches the word meant, offers corrections, and corrects no query whose string occurs', async () => {
    const { index } = await loadSeedAndSampleIndex();
    const searcher = createSearcher(index);
    await searcher.prepareVocabulary();
    const engine = scoreThroughEngine(await readEvalSets(SETS), searcher);
    expect(engine.correctOffered).toBe(0);
    expect(engine.fullTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.fullTop5);
    expect(engine.initialsTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.initialsTop5);
    // Offered under the ten-times rule, which a slip of a word in few paragraphs cannot always pass.
    expect(engine.homophoneOffered).toBeGreaterThanOrEqual(0.9);
    expect(engine.nearOffered).toBeGreaterThanOrEqual(0.8);
    expect(engine.fullTop1).toBeGreaterThanOrEqual(0.92);
    expect(engine.suggestFullTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.fullTop5);
    expect(engine.suggestInitialsTop5).toBeGreaterThanOrEqual(PINYIN_EVAL_TARGETS.initialsTop5);
  });
});

describe('how the sets are drawn (make-pinyin-eval.ts)', () => {
  // 北京 occurs nine times in one paragraph, 上海 once in another: drawn by paragraphs they would come alike;
  // drawn as a search of the corpus meets them (every occurrence alike), 北京 comes about nine times in ten.
  it('draws a word in proportion to its occurrences over the whole corpus, with replacement', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pinyin eval 拼音 '));
    try {
      const corpus = join(dir, 'corpus.jsonl');
      const lines = [
        { id: 'a', title: 'a', text: Array.from({ length: 9 }, () => '北京').join('，') + '。' },
        { id: 'b', title: 'b', text: '上海。' },
      ];
      await writeFile(corpus, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      await makePinyinEval(corpus, join(dir, 'sets'), 7, 400);
      const sets = await readEvalSets(join(dir, 'sets'));
      expect(sets.full).toHaveLength(400);
      expect(new Set(sets.full.map(({ query, word }) => `${query} ${word}`))).toEqual(new Set(['beijing 北京', 'shanghai 上海']));
      const share = sets.full.filter(({ word }) => word === '北京').length / sets.full.length;
      expect(share).toBeGreaterThan(0.85);
      expect(share).toBeLessThan(0.95);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('bounds full pinyin at top 1 by the homophones a typed string cannot tell apart', () => {
    const readings = new Map([
      ['成为', ['cheng', 'wei']],
      ['称为', ['cheng', 'wei']],
      ['北京', ['bei', 'jing']],
    ]);
    // chengwei answered 成为 at best: 称为's one occurrence of five is lost, whatever the ranking.
    expect(fullPinyinBound(readings, new Map([['成为', 3], ['称为', 1], ['北京', 1]]))).toBeCloseTo(4 / 5);
    expect(fullPinyinBound(readings, new Map([['成为', 1], ['称为', 3], ['北京', 1]]))).toBeCloseTo(4 / 5);
    expect(fullPinyinBound(new Map(), new Map())).toBe(1);
  });
});
