// A Latin or mixed run of a query read as pinyin, turned into the hanzi words of the index's own vocabulary
// that read that way, or letters that read as no one word into several (readPinyinWords). The charabia#285
// model: a hanzi query never matches by sound; only Latin input is read by sound. Ambiguous splits (xian: 西安
// or 先) are resolved by the corpus: words of the most literal reading first (full syllables, then a mix with
// initials, then initials only), then by reading weight (the paragraph count, weighed down for a word no
// dictionary has: vocabulary.ts). A run that is a vocabulary word as itself (cto, ipad) stays literal, ahead of
// any reading. Also completions of a run typed so far, for suggestions as you type.
import { foldString } from '../../indexer/analyzer/fold.js';
import { patternText, patternTier, readQueryRun, type ReadingPattern } from '../../indexer/analyzer/pinyin-input.js';
import type { Vocabulary, VocabularyEntry } from '../../indexer/index/vocabulary.js';

/** How a run was read: as full syllables, as initials only, or as a mix (with hanzi or initials). */
export type PinyinReadingKind = 'pinyin' | 'initials' | 'mixed';

export interface PinyinCandidate extends VocabularyEntry {
  /** The syllables (and characters) the run was read as, for people: "zhi fu bao", "z f b", "zhi 付 宝". */
  readonly readAs: string;
  readonly kind: PinyinReadingKind;
}

export interface PinyinQueryReading {
  /** The run as typed. */
  readonly run: string;
  /** The run as a vocabulary word of its own (cto, ipad): searched as itself first. */
  readonly literal: VocabularyEntry | null;
  /** The words the run reads as, best first. */
  readonly candidates: readonly PinyinCandidate[];
}

export interface PinyinQueryOptions {
  /** At most this many candidate words. */
  readonly limit?: number;
}

const kindOf = (pattern: ReadingPattern): PinyinReadingKind => {
  const tier = patternTier(pattern);
  const hasHanzi = pattern.units.some((unit) => unit.kind === 'hanzi');
  if (hasHanzi || tier === 1) return 'mixed';
  return tier === 0 ? 'pinyin' : 'initials';
};

/**
 * The words a run reads as. Null when the run is neither a vocabulary word nor readable as pinyin (then the
 * engine searches it as typed). "zhifubao" → 支付宝 (pinyin), "zfb" → 支付宝 (initials), "zhi付宝" → 支付宝.
 */
export function readPinyinRun(run: string, vocabulary: Vocabulary, options: PinyinQueryOptions = {}): PinyinQueryReading | null {
  const limit = options.limit ?? 20;
  const folded = foldString(run).trim();
  const literalId = vocabulary.idOf(folded);
  const literal = literalId === undefined ? null : vocabulary.entry(literalId);
  const best = new Map<number, { tier: number; pattern: ReadingPattern }>();
  for (const pattern of readQueryRun(folded)) {
    const tier = patternTier(pattern);
    // Patterns come tier by tier and a tier's words all rank before the next tier's: once `limit` words are
    // found, the less literal readings cannot enter.
    if (best.size >= limit && [...best.values()].every((seen) => seen.tier < tier)) break;
    for (const id of vocabulary.matching(pattern, limit)) {
      if (id === literalId) continue;
      const seen = best.get(id);
      if (seen === undefined || tier < seen.tier) best.set(id, { tier, pattern });
    }
  }
  if (literal === null && best.size === 0) return null;
  const candidates = [...best.entries()]
    .sort(([a, x], [b, y]) => x.tier - y.tier || vocabulary.readingWeight(b) - vocabulary.readingWeight(a) || a - b)
    .slice(0, limit)
    .map(([id, { pattern }]): PinyinCandidate => ({ ...vocabulary.entry(id), readAs: patternText(pattern), kind: kindOf(pattern) }));
  return { run, literal, candidates };
}

/** A run of letters read as several words, none of which reads as the whole run (mayijinfu: 蚂蚁 金服). */
export interface PinyinWordsReading {
  readonly words: readonly VocabularyEntry[];
  /** The syllables, for people: "ma yi jin fu". */
  readonly readAs: string;
}

/** Syllables a run split into words may have at most (a query of a sentence typed without spaces). */
const MAX_SPLIT_SYLLABLES = 16;
/** Syllables a word of a split has at most. */
const MAX_SPLIT_WORD_SYLLABLES = 6;
/** Words a run is split into at most. */
const MAX_SPLIT_WORDS = 4;
/** Syllables a word of a split has at least: one-syllable words would turn nearly any letters into characters. */
const MIN_SPLIT_WORD_SYLLABLES = 2;

/**
 * Letters typed as whole syllables without spaces that read as consecutive vocabulary words, each of two
 * syllables or more (zhifubaoxitong: 支付宝 系统), fewest words first, then the most likely (the product of the
 * words' reading weights). Only for what reads as no single word (readPinyinRun); every way the letters split
 * into syllables (xian: xi an, xian) is tried. Best first, at most `limit`.
 */
export function readPinyinWords(run: string, vocabulary: Vocabulary, limit = 4): PinyinWordsReading[] {
  interface Split {
    readonly words: readonly number[];
    /** The sum of the words' log reading weights. */
    readonly score: number;
  }
  const better = (a: Split, b: Split | undefined): boolean => b === undefined || a.words.length < b.words.length || (a.words.length === b.words.length && a.score > b.score);
  const found = new Map<string, Split & { readonly readAs: string }>();
  for (const pattern of readQueryRun(foldString(run).trim(), { syllablesOnly: true })) {
    // Hanzi typed among the letters (zhi付宝) are no syllables: such a run is read as one word or not at all.
    if (!pattern.units.every((unit) => unit.kind === 'syllable')) continue;
    const syllables = pattern.units.map((unit) => unit.text);
    if (syllables.length < 2 * MIN_SPLIT_WORD_SYLLABLES || syllables.length > MAX_SPLIT_SYLLABLES) continue;
    // best[i]: the best split of the first i syllables.
    const best: (Split | undefined)[] = [{ words: [], score: 0 }];
    for (let end = 1; end <= syllables.length; end++) {
      for (let start = Math.max(0, end - MAX_SPLIT_WORD_SYLLABLES); start <= end - MIN_SPLIT_WORD_SYLLABLES; start++) {
        const before = best[start];
        if (before === undefined || before.words.length >= MAX_SPLIT_WORDS) continue;
        const id = vocabulary.withReading(syllables.slice(start, end))[0];
        if (id === undefined) continue;
        const split = { words: [...before.words, id], score: before.score + Math.log1p(vocabulary.readingWeight(id)) };
        if (better(split, best[end])) best[end] = split;
      }
    }
    const whole = best[syllables.length];
    if (whole === undefined) continue;
    const key = whole.words.join(' ');
    if (!found.has(key)) found.set(key, { ...whole, readAs: syllables.join(' ') });
  }
  return [...found.values()]
    .sort((a, b) => a.words.length - b.words.length || b.score - a.score)
    .slice(0, limit)
    .map(({ words, readAs }) => ({ words: words.map((id) => vocabulary.entry(id)), readAs }));
}

export interface Completion extends VocabularyEntry {
  /** How the typed run reached the word: its start in script, its pinyin, its initials, or a mix. */
  readonly by: 'script' | 'pinyin' | 'initials' | 'mixed';
}

/**
 * Completions of a run typed so far, most likely first (the words that read exactly as syllables typed whole,
 * then by reading weight for Latin input, by count for input with hanzi), each with its paragraph count: by prefix in either script (支付 → 支付宝, 支付宝钱包), in pinyin
 * (zhifub → 支付宝), in initials (zf → 支付宝) or mixed (支f → 支付宝).
 * Every completion is a vocabulary word or phrase, each counted as its search counts, so every one finds something.
 */
export function completionsFor(run: string, vocabulary: Vocabulary, limit = 8): Completion[] {
  const folded = foldString(run).trim();
  if (folded === '' || limit <= 0) return [];
  const found = new Map<number, Completion['by']>();
  const add = (entries: readonly VocabularyEntry[], by: Completion['by']): void => {
    for (const { word } of entries) {
      const id = vocabulary.entryIdOf(word)!;
      if (!found.has(id)) found.set(id, by);
    }
  };
  add(vocabulary.completeScript(folded, limit), 'script');
  const patterns = readQueryRun(folded, { prefix: true, limit: 16 });
  const latinOnly = patterns.length > 0 && patterns.every((pattern) => pattern.units.every((unit) => unit.kind !== 'hanzi'));
  if (latinOnly) {
    add(vocabulary.completePinyin(folded, limit), 'pinyin');
    add(vocabulary.completeInitials(folded, limit), 'initials');
  }
  for (const pattern of patterns) {
    // Patterns of full syllables were answered by the pinyin prefix above; the others need the matcher.
    if (latinOnly && patternTier(pattern) !== 1) continue;
    add(vocabulary.matching(pattern, limit, true).map((id) => vocabulary.entry(id)), 'mixed');
  }
  // Letters typed as whole syllables (zhifu) put the words that read exactly so first (支付, then 支付宝), as an
  // input method does; a syllable still being typed (zhifub) or initials complete by reading weight (a word no
  // dictionary has weighed down, as for a pinyin query), and anything typed with hanzi by frequency alone.
  const exact = latinOnly ? (readPinyinRun(folded, vocabulary, { limit })?.candidates ?? []).filter((candidate) => candidate.kind === 'pinyin') : [];
  const exactIds = exact.map(({ word }) => vocabulary.idOf(word)!);
  const byWeight = (a: number, b: number): number => vocabulary.readingWeight(b) - vocabulary.readingWeight(a) || a - b;
  const rest = [...found.keys()].filter((id) => !exactIds.includes(id)).sort(latinOnly ? byWeight : (a, b) => a - b);
  return [...exactIds, ...rest].slice(0, limit).map((id) => ({ ...vocabulary.entry(id), by: found.get(id) ?? 'pinyin' }));
}
