// The pinyin eval on the committed sample (test/fixtures/pinyin-eval, made by bench/make-pinyin-eval.ts from
// CC-CEDICT over test/fixtures/eval-sample/corpus.jsonl): quality, not timing, so its minimums are asserted.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { PINYIN_EVAL_TARGETS, readEvalSets, runPinyinEval, scoreThroughEngine, type PinyinEvalScores } from '../bench/pinyin-eval.js';
import { createSearcher } from '../server/search/engine.js';
import { loadSeedAndSampleIndex } from './support/search-index.js';

const CORPUS = fileURLToPath(new URL('fixtures/eval-sample/corpus.jsonl', import.meta.url));
const SETS = fileURLToPath(new URL('fixtures/pinyin-eval', import.meta.url));
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

  // Below the 95%: toneless pinyin cannot tell homophones apart beyond their counts (feiji: 斐济 in 3
  // paragraphs before 飞机 in 2), and no ranking by the corpus's counts does better on these sets than
  // 190 of 200 (docs/design.md §11.8). This floor keeps what the counts and their tie-break reach.
  it('stays at what toneless readings reach for full pinyin at top 1', () => {
    expect(scores.fullTop1).toBeGreaterThanOrEqual(0.945);
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
