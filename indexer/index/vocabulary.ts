// The vocabulary: the index's words, each with the number of paragraphs it is in and its pinyin read in
// context, and the lookups the query side needs to turn pinyin into words: by exact reading, by initials, and
// completions of a prefix typed in either script, in pinyin or in initials, most frequent first. Completions
// also offer the corpus's frequent phrases (phrases.ts: 支付宝钱包), which pinyin queries and corrections never
// read: those are about words.
// It is derived from the loaded index's words (LoadedIndex.wordCounts) when a server starts, between requests,
// so it needs no file of its own: plain data (words, counts, syllables in typed arrays) and sorted keys.
import { foldString } from '../analyzer/fold.js';
import { dictionaryEntriesInSteps } from '../analyzer/jieba.js';
import { characterReadings, prepareWordReadingsInSteps, wordReading } from '../analyzer/pinyin.js';
import { latinLetters, matchesPattern, patternInitials, type ReadingPattern } from '../analyzer/pinyin-input.js';
import { createPrefixIndex } from './flex.js';
import { frequentPhrasesInSteps, type PhraseOptions, type PhraseSource } from './phrases.js';
import { sortKeysInSteps } from './sorted-keys.js';
import { runSteps, runStepsInSlices, sortInSteps } from '../steps.js';


/** The vocabulary as data: ids are positions, most frequent entry first (ties: the more common word in general first). */
export interface VocabularyData {
  /** The words and phrases. */
  readonly words: readonly string[];
  readonly counts: Uint32Array;
  /** 1 where the entry is a phrase of two words (completions only), 0 for a word. */
  readonly phrases: Uint8Array;
  /** The distinct syllables that readings refer to by position. */
  readonly syllables: readonly string[];
  /** Word i's syllables are readingSyllables[readingStarts[i], readingStarts[i + 1]); none when it has no reading. */
  readonly readingStarts: Uint32Array;
  readonly readingSyllables: Uint16Array;
  /** 1 where a dictionary has the word (jieba's own, or the user dictionary jieba is loaded with), 0 where none has it or for a phrase. */
  readonly known: Uint8Array;
  /** What an unknown word's count is multiplied by when words of one reading are ranked (readingWeight). */
  readonly unknownWordWeight: number;
}

export interface VocabularyEntry {
  readonly word: string;
  readonly count: number;
}

export interface Vocabulary {
  /** Words and phrases. */
  readonly size: number;
  entry(id: number): VocabularyEntry;
  /** The id of a word (never of a phrase). */
  idOf(word: string): number | undefined;
  /** The id of a word or a phrase (what completions hand out). */
  entryIdOf(text: string): number | undefined;
  isPhrase(id: number): boolean;
  /** The word's toneless syllables, or null for a word that is not all Chinese characters (cto, 3d打印). */
  reading(id: number): readonly string[] | null;
  characters(id: number): readonly string[];
  /**
   * How likely the word is the one meant among the words that read as it: its paragraph count, weighed down
   * (unknownWordWeight) when it is all Chinese characters and no dictionary has it (phrases and Latin words
   * keep their count). Pinyin queries and pinyin completions rank their words by this.
   */
  readingWeight(id: number): number;
  /** Ids of the words read exactly so (xi an → 西安), by readingWeight, highest first. Words only, here and in matching. */
  withReading(syllables: readonly string[]): readonly number[];
  /**
   * False when no word's reading starts with these syllables (wei shen: true; a sequence no word begins with:
   * false); true may be wrong (a filter), false never is. A correction walks its readings syllable by syllable
   * and leaves a prefix no word has.
   */
  mayStartReading(syllables: readonly string[]): boolean;
  /**
   * Whether some word has this character: a stretch of a query cannot turn into a word by changing fewer
   * characters than it has that no word has.
   */
  hasCharacter(character: string): boolean;
  /** Ids of the words whose syllables start with these letters (zfb → 支付宝), most frequent first. */
  withInitials(initials: string): readonly number[];
  /**
   * Ids of the words that read as the pattern, by readingWeight, highest first (`completion`: of words and
   * phrases whose start does, most frequent first).
   */
  matching(pattern: ReadingPattern, limit: number, completion?: boolean): number[];
  /** Words and phrases starting with the prefix in either script (支付 or 支付), most frequent first. */
  completeScript(prefix: string, limit: number): VocabularyEntry[];
  /** Words and phrases whose pinyin starts with the typed letters (zhifub, zhi fu b), by readingWeight. */
  completePinyin(typed: string, limit: number): VocabularyEntry[];
  /** Words and phrases whose initials start with the typed letters (zf → 支付宝), by readingWeight. */
  completeInitials(typed: string, limit: number): VocabularyEntry[];
}

/**
 * The most words a vocabulary holds: the most frequent ones. Every word costs reading its pinyin and a place
 * in three sorts; the words left out are those of one or two paragraphs in a large index.
 */
export const VOCABULARY_WORDS = 200_000;

export interface VocabularyOptions {
  /** The most words kept (VOCABULARY_WORDS). */
  readonly limit?: number;
  /** Where the frequent phrases come from (phrases.ts); none without it. */
  readonly phrases?: PhraseSource;
  readonly phraseOptions?: PhraseOptions;
  /** Words of the same count in general frequency order (jieba's dictionary), else in code point order. */
  readonly orderTies?: boolean;
  /** UNKNOWN_WORD_WEIGHT unless given (1: homophones ranked by their counts alone). */
  readonly unknownWordWeight?: number;
}

/**
 * What the paragraph count of a word no dictionary has is multiplied by when the words of one reading are
 * ranked for a pinyin query. Such words are mostly strings jieba's HMM joined (之称, 花为, 建城), seldom what
 * someone typing a reading means: huawei is 华为 even where 花为 is in more paragraphs. Chosen on eval sets of
 * other seeds than the committed one, against blends with the dictionary's frequency (docs/design.md §11.8).
 */
export const UNKNOWN_WORD_WEIGHT = 0.1;

/**
 * The vocabulary of (word, paragraph count) pairs: the index's words, folded as the index stores them, the
 * `limit` most frequent of them, and the frequent phrases of `options.phrases`. Words that find nothing (count
 * 0) are left out; a repeated word or a count that is not a whole number is an error.
 */
export function buildVocabularyData(entries: Iterable<readonly [word: string, count: number]>, options: VocabularyOptions | number = {}): VocabularyData {
  return runSteps(vocabularyDataInSteps(entries, typeof options === 'number' ? { limit: options } : options));
}

function* vocabularyDataInSteps(entries: Iterable<readonly [word: string, count: number]>, options: VocabularyOptions): Generator<void, VocabularyData> {
  const limit = options.limit ?? VOCABULARY_WORDS;
  const unknownWordWeight = options.unknownWordWeight ?? UNKNOWN_WORD_WEIGHT;
  if (!(unknownWordWeight > 0 && unknownWordWeight <= 1)) throw new Error(`vocabulary: unknownWordWeight must be in (0, 1], got ${unknownWordWeight}`);
  const counted = new Map<string, number>();
  for (const [word, count] of entries) {
    if (typeof word !== 'string' || word === '') throw new Error(`vocabulary: a word must be a non-empty string, got ${JSON.stringify(word)}`);
    if (!Number.isSafeInteger(count) || count < 0 || count > 0xffffffff) throw new Error(`vocabulary: the count of ${JSON.stringify(word)} is not a paragraph count: ${count}`);
    if (counted.has(word)) throw new Error(`vocabulary: the word ${JSON.stringify(word)} is given twice`);
    if (count > 0) counted.set(word, count);
    if ((counted.size & 4095) === 0) yield;
  }
  // Words of the same count, most common in general Chinese first (jieba's dictionary): a small corpus leaves
  // many homophones tied (feiji: 飞机 and 斐济 in one paragraph each), and the common word is the likelier one meant.
  const general = yield* dictionaryEntriesInSteps((word) => counted.has(word));
  const allWords = [...counted.keys()];
  const allCounts = Uint32Array.from(counted.values());
  const allGeneral = Uint32Array.from(allWords, (word) => (options.orderTies === false ? 0 : (general.get(word)?.frequency ?? 0)));
  counted.clear();
  yield;
  // Only the `limit` most frequent are sorted: the counts from the least that is kept (a histogram finds it).
  const least = leastCountKept(allCounts, limit);
  let keptCount = 0;
  for (const count of allCounts) if (count >= least) keptCount++;
  const order = new Uint32Array(keptCount);
  for (let i = 0, at = 0; i < allCounts.length; i++) if (allCounts[i]! >= least) order[at++] = i;
  yield;
  yield* sortInSteps(order, (a, b) => allCounts[b]! - allCounts[a]! || allGeneral[b]! - allGeneral[a]! || byCodePoint(allWords[a]!, allWords[b]!));
  const chosen = order.subarray(0, Math.min(limit, order.length));
  const keptWords = Array.from(chosen, (i) => allWords[i]!);
  const keptCounts = Uint32Array.from(chosen, (i) => allCounts[i]!);
  const keptGeneral = Uint32Array.from(chosen, (i) => allGeneral[i]!);
  allWords.length = 0;
  const kept = new Set(keptWords);
  // A phrase's halves are content words: 支付宝钱包, not 已经支付 (an adverb) nor 因为支付宝 (a conjunction).
  const isHalf = (word: string): boolean => kept.has(word) && !FUNCTION_TAGS.has(general.get(word)?.tag ?? '');
  const pairs = options.phrases === undefined ? [] : yield* frequentPhrasesInSteps(options.phrases, isHalf, options.phraseOptions);
  const found = pairs.filter(([phrase]) => !kept.has(phrase));
  kept.clear();
  const { words, counts, phrases } = mergeByCount(keptWords, keptCounts, keptGeneral, found);
  const known = Uint8Array.from(words, (word, id) => (phrases[id] === 0 && general.has(word) ? 1 : 0));
  general.clear();
  const syllableIds = new Map<string, number>();
  const syllables: string[] = [];
  const readingStarts = new Uint32Array(words.length + 1);
  const readingIds: number[] = [];
  // The dictionary of words with a polyphone, loaded in steps here rather than at once by the first such word.
  yield* prepareWordReadingsInSteps();
  for (let id = 0; id < words.length; id++) {
    readingStarts[id] = readingIds.length;
    for (const syllable of wordReading(words[id]!) ?? []) {
      let syllableId = syllableIds.get(syllable);
      if (syllableId === undefined) {
        syllableId = syllables.length;
        syllableIds.set(syllable, syllableId);
        syllables.push(syllable);
      }
      readingIds.push(syllableId);
    }
    yield;
  }
  readingStarts[words.length] = readingIds.length;
  return { words, counts, phrases, syllables, readingStarts, readingSyllables: Uint16Array.from(readingIds), known, unknownWordWeight };
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Words (sorted already: count, then general frequency, then code point) and phrases (general frequency 0) in
 * one list in that order.
 */
function mergeByCount(
  keptWords: readonly string[],
  keptCounts: Uint32Array,
  keptGeneral: Uint32Array,
  found: readonly [string, number][],
): Pick<VocabularyData, 'words' | 'counts' | 'phrases'> {
  const sorted = [...found].sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  const size = keptWords.length + sorted.length;
  const words: string[] = new Array(size);
  const counts = new Uint32Array(size);
  const phrases = new Uint8Array(size);
  for (let at = 0, w = 0, p = 0; at < size; at++) {
    const phrase = sorted[p];
    const takePhrase =
      phrase !== undefined &&
      (w >= keptWords.length || phrase[1] > keptCounts[w]! || (phrase[1] === keptCounts[w]! && keptGeneral[w] === 0 && phrase[0] < keptWords[w]!));
    if (takePhrase) {
      words[at] = phrase[0];
      counts[at] = phrase[1];
      phrases[at] = 1;
      p++;
    } else {
      words[at] = keptWords[w]!;
      counts[at] = keptCounts[w++]!;
    }
  }
  return { words, counts, phrases };
}

/** The smallest count among the `limit` largest counts (0 when there are no more than `limit`). */
function leastCountKept(counts: Uint32Array, limit: number): number {
  if (counts.length <= limit) return 0;
  const histogram = new Map<number, number>();
  for (const count of counts) histogram.set(count, (histogram.get(count) ?? 0) + 1);
  let taken = 0;
  for (const count of [...histogram.keys()].sort((a, b) => b - a)) {
    taken += histogram.get(count)!;
    if (taken >= limit) return count;
  }
  return 0;
}

/** The vocabulary of a loaded index's words (LoadedIndex.wordCounts) and its phrases, built between requests. */
export function buildVocabularyInSlices(entries: Iterable<readonly [word: string, count: number]>, options: VocabularyOptions = {}): Promise<Vocabulary> {
  return runStepsInSlices(
    (function* () {
      return yield* vocabularyInSteps(yield* vocabularyDataInSteps(entries, options));
    })(),
  );
}

const NO_CHARACTERS: readonly string[] = [];

/**
 * jieba's parts of speech of function words, kept out of phrases: adverbs, conjunctions, prepositions, pronouns,
 * auxiliaries, modal particles, interjections and time words (已经, 因为, 对于, 这样, 来说, 当时).
 */
const FUNCTION_TAGS: ReadonlySet<string> = new Set(['d', 'c', 'p', 'r', 'u', 'y', 'e', 't']);

/**
 * The fewest paragraphs of a word or phrase that FlexSearch indexes; rarer words are on sorted keys. FlexSearch
 * holds a few hundred bytes a word (an array per key), sorted keys a few bytes: the completions people are
 * offered first are the frequent words, and the rest cost serving memory (docs/design.md §11.8).
 */
export const FLEX_MINIMUM_COUNT = 10;

/**
 * The longest prefix FlexSearch stores of a word or phrase, in UTF-16 units: a longer typed prefix is checked
 * against the keys of its first units (flex.ts), and a phrase of eight characters stores half its prefixes.
 */
export const SCRIPT_PREFIX_LONGEST = 4;

/** The most words a pattern's completion looks at (the most frequent of its initials). */
export const COMPLETION_SCAN_LIMIT = 2048;

/**
 * To rank by reading weight, a pinyin or initials completion keeps this many times its limit of words at most.
 */
export const WEIGHED_SCAN_FACTOR = 4;

/**
 * The lookups over the data: the words sorted by their text, their pinyin and their initials (sorted-keys.ts),
 * each sort handing out a prefix's words most frequent first. Readings stay in the data's typed arrays: the
 * per-word objects of a map or prefix index took about a kilobyte a word.
 */
export function loadVocabulary(data: VocabularyData): Vocabulary {
  return runSteps(vocabularyInSteps(data));
}

function* vocabularyInSteps(data: VocabularyData): Generator<void, Vocabulary> {
  const { words, counts, phrases, syllables, readingStarts, readingSyllables, known, unknownWordWeight } = data;
  const ids = new Map<string, number>();
  for (let id = 0; id < words.length; id++) {
    ids.set(words[id]!, id);
    if ((id & 4095) === 0) yield;
  }
  const isPhrase = (id: number): boolean => phrases[id] === 1;
  const isWord = (id: number): boolean => phrases[id] !== 1;
  // Each word's pinyin (zhifubao) in one text, and its initials (zfb), one letter a syllable, in another.
  const pinyinStarts = new Uint32Array(words.length + 1);
  const pinyinParts: string[] = [];
  const initialParts: string[] = [];
  let pinyinLength = 0;
  for (let id = 0; id < words.length; id++) {
    pinyinStarts[id] = pinyinLength;
    for (let at = readingStarts[id]!; at < readingStarts[id + 1]!; at++) {
      const syllable = syllables[readingSyllables[at]!]!;
      pinyinParts.push(syllable);
      initialParts.push(syllable[0]!);
      pinyinLength += syllable.length;
    }
    if ((id & 4095) === 0) yield;
  }
  pinyinStarts[words.length] = pinyinLength;
  const pinyinText = pinyinParts.join('');
  const initialsText = initialParts.join('');
  const hasReading = (id: number): boolean => readingStarts[id + 1]! > readingStarts[id]!;
  const pinyinKey = (id: number): string => pinyinText.slice(pinyinStarts[id], pinyinStarts[id + 1]);
  const initialsKey = (id: number): string => initialsText.slice(readingStarts[id], readingStarts[id + 1]);
  yield;
  // A Bloom filter of the pinyin keys: a correction asks hundreds of readings per query, and most of them
  // read as no word at all, which this answers without a binary search.
  const readingBits = new Uint32Array(READING_FILTER_WORDS);
  for (let id = 0; id < words.length; id++) {
    if (hasReading(id) && isWord(id)) for (const bit of filterBits(pinyinKey(id))) readingBits[bit >>> 5]! |= 1 << (bit & 31);
    if ((id & 4095) === 0) yield;
  }
  const mayHaveReading = (joined: string): boolean => filterBits(joined).every((bit) => (readingBits[bit >>> 5]! & (1 << (bit & 31))) !== 0);
  // The same for every reading's first syllables (zhi, zhifu of zhi fu bao), each prefix of a word of two or more
  // syllables: a correction's walk through its windows' readings leaves a prefix that starts no word.
  const prefixBits = new Uint32Array(READING_FILTER_WORDS);
  const wordCharacters = new Set<string>();
  for (let id = 0; id < words.length; id++) {
    if (!isWord(id)) continue;
    for (const character of words[id]!) wordCharacters.add(character);
    if (hasReading(id)) {
      let prefix = '';
      for (let at = readingStarts[id]!; at + 1 < readingStarts[id + 1]!; at++) {
        prefix += syllables[readingSyllables[at]!]!;
        for (const bit of filterBits(prefix)) prefixBits[bit >>> 5]! |= 1 << (bit & 31);
      }
    }
    if ((id & 4095) === 0) yield;
  }
  const mayStartReading = (wanted: readonly string[]): boolean => {
    const joined = wanted.join('');
    return filterBits(joined).every((bit) => (prefixBits[bit >>> 5]! & (1 << (bit & 31))) !== 0) || mayHaveReading(joined);
  };
  // Completions in either script through FlexSearch's forward (prefix) tokenization: ids are added most frequent
  // first, so a prefix's ids come back in that order (flex.ts). The words of fewer than FLEX_MINIMUM_COUNT
  // paragraphs, the last ids and most of a large vocabulary, come after every other word of their prefix: they
  // are on sorted keys, which hold them in a few bytes each. Pinyin and initials, several keys a word and far
  // longer, stay on sorted keys too (docs/design.md §11.8 has the memory of each).
  let firstRare = words.length;
  while (firstRare > 0 && counts[firstRare - 1]! < FLEX_MINIMUM_COUNT) firstRare--;
  const byScript = createPrefixIndex((id) => words[id]!, { longestPrefix: SCRIPT_PREFIX_LONGEST });
  for (let id = 0; id < firstRare; id++) {
    byScript.add(id, words[id]!);
    if ((id & 1023) === 0) yield;
  }
  const rareByScript = yield* sortKeysInSteps(words.length, (id) => (id >= firstRare ? words[id]! : null));
  const byPinyin = yield* sortKeysInSteps(words.length, (id) => (hasReading(id) ? pinyinKey(id) : null));
  const byInitials = yield* sortKeysInSteps(words.length, (id) => (hasReading(id) ? initialsKey(id) : null));

  const reading = (id: number): readonly string[] | null => {
    if (!hasReading(id)) return null;
    return Array.from(readingSyllables.subarray(readingStarts[id]!, readingStarts[id + 1]!), (syllableId) => syllables[syllableId]!);
  };
  const entry = (id: number): VocabularyEntry => ({ word: words[id]!, count: counts[id]! });
  const characters = (id: number): readonly string[] => [...words[id]!];
  const weighedDown = (id: number): boolean => known[id] !== 1 && !isPhrase(id) && hasReading(id);
  const readingWeight = (id: number): number => (weighedDown(id) ? counts[id]! * unknownWordWeight : counts[id]!);
  const fullWeight = (id: number): boolean => !weighedDown(id);
  /**
   * The first `limit` ids of `found` (ascending) by reading weight: the ids up to the `limit`-th of full weight
   * hold them (any later id has no more paragraphs, so no more weight). Keeping WEIGHED_SCAN_FACTOR × limit
   * at most: a prefix crowded with weighed-down words (a poetry corpus has many) stays cheap to complete.
   */
  const byWeightAmong = (found: Iterable<number>, limit: number, accept: (id: number) => boolean): number[] =>
    collect(found, limit, accept, Infinity, fullWeight, WEIGHED_SCAN_FACTOR * limit).sort(byReadingWeight).slice(0, limit);
  const byReadingWeight = (a: number, b: number): number => readingWeight(b) - readingWeight(a) || a - b;

  /**
   * Ids from `found` (ascending) that `accept` keeps, until `limit` of them are ones that `counted` counts (all,
   * unless given) or `keptLimit` are kept, after looking at `scanLimit` at most.
   */
  const collect = (
    found: Iterable<number>,
    limit: number,
    accept: (id: number) => boolean,
    scanLimit = Infinity,
    counted?: (id: number) => boolean,
    keptLimit = Infinity,
  ): number[] => {
    const kept: number[] = [];
    let looked = 0;
    let taken = 0;
    if (limit <= 0) return kept;
    for (const id of found) {
      if (accept(id)) {
        kept.push(id);
        if (counted === undefined || counted(id)) taken++;
      }
      if (taken >= limit || kept.length >= keptLimit || ++looked >= scanLimit) break;
    }
    return kept;
  };
  const all = (): boolean => true;

  /** Ids of the words read exactly so, most frequent first. */
  const withReading = (wanted: readonly string[]): number[] => {
    const joined = wanted.join('');
    if (!mayHaveReading(joined)) return [];
    // Words of the same letters split otherwise (xian, xi an) share the pinyin key: compare syllables.
    return [...byPinyin.equalTo(joined)]
      .filter((id) => {
        const read = reading(id)!;
        return isWord(id) && read.length === wanted.length && read.every((syllable, i) => syllable === wanted[i]);
      })
      .sort(byReadingWeight);
  };

  return {
    size: words.length,
    entry,
    idOf(word) {
      const id = ids.get(word);
      return id === undefined || isPhrase(id) ? undefined : id;
    },
    entryIdOf: (text) => ids.get(text),
    isPhrase,
    reading,
    characters,
    readingWeight,
    withReading,
    mayStartReading,
    hasCharacter: (character) => wordCharacters.has(character),
    withInitials: (initials) => [...byInitials.equalTo(initials)].filter(isWord),
    matching(pattern, limit, completion = false) {
      // Whole syllables only (shou ji): the words of that pinyin key, not every word of its initials (sj).
      if (!completion && pattern.units.every((unit) => unit.kind === 'syllable')) return withReading(pattern.units.map((unit) => unit.text)).slice(0, limit);
      const found = new Set<number>();
      // Only hanzi units compare characters: the others need no array of them.
      const compareCharacters = pattern.units.some((unit) => unit.kind === 'hanzi');
      for (const key of patternInitials(pattern, characterReadings)) {
        const accept = (id: number): boolean => (completion || isWord(id)) && !found.has(id) && matchesPattern(compareCharacters ? characters(id) : NO_CHARACTERS, reading(id)!, pattern, completion);
        // Each key's ids come most frequent first, so its first `limit` accepted are all that can be kept (by
        // count; they are then ranked by reading weight: reading on past them, for the words of full weight that
        // weighed-down ones kept out, made a poetry corpus's readings far slower for no better ranking: docs/design.md §11.8).
        const candidates = completion
          ? collect(byInitials.startingWith(key), limit, accept, COMPLETION_SCAN_LIMIT)
          : collect(byInitials.equalTo(key), limit, accept);
        for (const id of candidates) found.add(id);
      }
      return [...found].sort(completion ? (a, b) => a - b : byReadingWeight).slice(0, limit);
    },
    completeScript(prefix, limit) {
      const folded = foldString(prefix);
      const found = byScript.startingWith(folded, limit);
      if (found.length < limit) found.push(...collect(rareByScript.startingWith(folded), limit - found.length, all));
      return found.map(entry);
    },
    completePinyin(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      // A boundary the user typed (xi'an) must fall between two of the word's syllables.
      const accept = (id: number): boolean => letters.breaks.every((at) => syllableBoundaries(reading(id)!).has(at));
      return byWeightAmong(byPinyin.startingWith(letters.letters), limit, accept).map(entry);
    },
    completeInitials(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      return byWeightAmong(byInitials.startingWith(letters.letters), limit, all).map(entry);
    },
  };
}

/** The filter's size in 32-bit words (two million bits: a few per cent false positives at the word limit). */
const READING_FILTER_WORDS = 1 << 16;

/** Two bit positions of a key (FNV-1a, and the same hash mixed again). */
function filterBits(key: string): [number, number] {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  const second = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d);
  const mask = READING_FILTER_WORDS * 32 - 1;
  return [(hash >>> 0) & mask, ((second ^ (second >>> 12)) >>> 0) & mask];
}

function syllableBoundaries(syllables: readonly string[]): Set<number> {
  const boundaries = new Set<number>();
  let at = 0;
  for (const syllable of syllables) boundaries.add((at += syllable.length));
  return boundaries;
}
