// The vocabulary: the index's words, each with the number of paragraphs it is in and its pinyin read in
// context, and the lookups the query side needs to turn pinyin into words: by exact reading, by initials, and
// completions of a prefix typed in either script, in pinyin or in initials, most frequent first.
// It is kept as plain data (words, counts, syllables in typed arrays); the lookup maps and FlexSearch's
// prefix indexes are rebuilt from that data when it is loaded.
import { foldString } from '../analyzer/fold.js';
import { characterReadings, initialsOf, wordReading } from '../analyzer/pinyin.js';
import { latinLetters, matchesPattern, patternInitials, type ReadingPattern } from '../analyzer/pinyin-input.js';
import { sortKeys } from './sorted-keys.js';

export const VOCABULARY_FORMAT = 'sou-vocabulary';
export const VOCABULARY_VERSION = 1;

/** The vocabulary as data: ids are positions, most frequent word first (ties in code point order). */
export interface VocabularyData {
  readonly words: readonly string[];
  readonly counts: Uint32Array;
  /** The distinct syllables that readings refer to by position. */
  readonly syllables: readonly string[];
  /** Word i's syllables are readingSyllables[readingStarts[i], readingStarts[i + 1]); none when it has no reading. */
  readonly readingStarts: Uint32Array;
  readonly readingSyllables: Uint16Array;
}

export interface VocabularyEntry {
  readonly word: string;
  readonly count: number;
}

export interface Vocabulary {
  readonly size: number;
  entry(id: number): VocabularyEntry;
  idOf(word: string): number | undefined;
  /** The word's toneless syllables, or null for a word that is not all Chinese characters (cto, 3d打印). */
  reading(id: number): readonly string[] | null;
  characters(id: number): readonly string[];
  /** Ids of the words read exactly so (xi an → 西安), most frequent first. */
  withReading(syllables: readonly string[]): readonly number[];
  /** Ids of the words whose syllables start with these letters (zfb → 支付宝), most frequent first. */
  withInitials(initials: string): readonly number[];
  /** Ids of the words that read as the pattern (`completion`: whose start does), most frequent first. */
  matching(pattern: ReadingPattern, limit: number, completion?: boolean): number[];
  /** Words starting with the prefix in either script (支付 or 支付), most frequent first. */
  completeScript(prefix: string, limit: number): VocabularyEntry[];
  /** Words whose pinyin starts with the typed letters (zhifub, zhi fu b), most frequent first. */
  completePinyin(typed: string, limit: number): VocabularyEntry[];
  /** Words whose initials start with the typed letters (zf → 支付宝), most frequent first. */
  completeInitials(typed: string, limit: number): VocabularyEntry[];
}

/**
 * The vocabulary of (word, paragraph count) pairs: the index's words, folded as the index stores them. Words
 * that find nothing (count 0) are left out; a repeated word or a count that is not a whole number is an error.
 */
export function buildVocabularyData(entries: Iterable<readonly [word: string, count: number]>): VocabularyData {
  const counted = new Map<string, number>();
  for (const [word, count] of entries) {
    if (typeof word !== 'string' || word === '') throw new Error(`vocabulary: a word must be a non-empty string, got ${JSON.stringify(word)}`);
    if (!Number.isSafeInteger(count) || count < 0 || count > 0xffffffff) throw new Error(`vocabulary: the count of ${JSON.stringify(word)} is not a paragraph count: ${count}`);
    if (counted.has(word)) throw new Error(`vocabulary: the word ${JSON.stringify(word)} is given twice`);
    if (count > 0) counted.set(word, count);
  }
  const words = [...counted.keys()].sort((a, b) => counted.get(b)! - counted.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const counts = Uint32Array.from(words, (word) => counted.get(word)!);
  const syllableIds = new Map<string, number>();
  const syllables: string[] = [];
  const readingStarts = new Uint32Array(words.length + 1);
  const readingIds: number[] = [];
  words.forEach((word, id) => {
    readingStarts[id] = readingIds.length;
    for (const syllable of wordReading(word) ?? []) {
      let syllableId = syllableIds.get(syllable);
      if (syllableId === undefined) {
        syllableId = syllables.length;
        syllableIds.set(syllable, syllableId);
        syllables.push(syllable);
      }
      readingIds.push(syllableId);
    }
  });
  readingStarts[words.length] = readingIds.length;
  return { words, counts, syllables, readingStarts, readingSyllables: Uint16Array.from(readingIds) };
}

/** The data as JSON text (typed arrays as number arrays), for the index folder. */
export function vocabularyToJson(data: VocabularyData): string {
  return JSON.stringify({
    format: VOCABULARY_FORMAT,
    version: VOCABULARY_VERSION,
    words: data.words,
    counts: [...data.counts],
    syllables: data.syllables,
    readingStarts: [...data.readingStarts],
    readingSyllables: [...data.readingSyllables],
  });
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isWholeArray = (value: unknown, max: number): value is number[] =>
  Array.isArray(value) && value.every((item) => Number.isSafeInteger(item) && (item as number) >= 0 && (item as number) <= max);

/** Reads vocabularyToJson's text back, checking every part: damaged data is an error, never a wrong answer. */
export function vocabularyFromJson(text: string): VocabularyData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`vocabulary: not JSON (${(error as Error).message})`);
  }
  const fail = (what: string): never => {
    throw new Error(`vocabulary: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('not an object');
  const data = raw as Record<string, unknown>;
  if (data.format !== VOCABULARY_FORMAT) fail(`format is ${JSON.stringify(data.format)}, expected ${VOCABULARY_FORMAT}`);
  if (data.version !== VOCABULARY_VERSION) fail(`version ${JSON.stringify(data.version)} is not ${VOCABULARY_VERSION}`);
  const { words, counts, syllables, readingStarts, readingSyllables } = data;
  if (!isStringArray(words)) return fail('words must be strings');
  if (!isWholeArray(counts, 0xffffffff) || counts.length !== words.length) return fail('counts must be one whole number per word');
  if (!isStringArray(syllables) || syllables.length > 0xffff) return fail('syllables must be strings');
  if (!isWholeArray(readingSyllables, syllables.length - 1)) return fail('reading syllables must refer to the syllables');
  if (!isWholeArray(readingStarts, readingSyllables.length) || readingStarts.length !== words.length + 1) return fail('reading starts must be one per word and one more');
  for (let i = 0; i < words.length; i++) {
    if (readingStarts[i]! > readingStarts[i + 1]!) fail(`reading starts go backwards at word ${i}`);
    if (i > 0 && counts[i]! > counts[i - 1]!) fail(`words are not most frequent first at word ${i}`);
  }
  if (readingStarts[0] !== 0 || readingStarts[words.length] !== readingSyllables.length) fail('reading starts do not cover the syllables');
  return {
    words,
    counts: Uint32Array.from(counts),
    syllables,
    readingStarts: Uint32Array.from(readingStarts),
    readingSyllables: Uint16Array.from(readingSyllables),
  };
}

const NO_CHARACTERS: readonly string[] = [];

/** The most words a pattern's completion looks at (the most frequent of its initials). */
export const COMPLETION_SCAN_LIMIT = 2048;

/**
 * The lookups over the data: the words sorted by their text, their pinyin and their initials (sorted-keys.ts),
 * each sort handing out a prefix's words most frequent first. Readings stay in the data's typed arrays: the
 * per-word objects of a map or prefix index took about a kilobyte a word.
 */
export function loadVocabulary(data: VocabularyData): Vocabulary {
  const { words, counts, syllables, readingStarts, readingSyllables } = data;
  const ids = new Map<string, number>();
  for (let id = 0; id < words.length; id++) ids.set(words[id]!, id);
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
  }
  pinyinStarts[words.length] = pinyinLength;
  const pinyinText = pinyinParts.join('');
  const initialsText = initialParts.join('');
  const hasReading = (id: number): boolean => readingStarts[id + 1]! > readingStarts[id]!;
  const pinyinKey = (id: number): string => pinyinText.slice(pinyinStarts[id], pinyinStarts[id + 1]);
  const initialsKey = (id: number): string => initialsText.slice(readingStarts[id], readingStarts[id + 1]);
  const byScript = sortKeys(words.length, (id) => words[id]!);
  const byPinyin = sortKeys(words.length, (id) => (hasReading(id) ? pinyinKey(id) : null));
  const byInitials = sortKeys(words.length, (id) => (hasReading(id) ? initialsKey(id) : null));

  const reading = (id: number): readonly string[] | null => {
    if (!hasReading(id)) return null;
    return Array.from(readingSyllables.subarray(readingStarts[id]!, readingStarts[id + 1]!), (syllableId) => syllables[syllableId]!);
  };
  const entry = (id: number): VocabularyEntry => ({ word: words[id]!, count: counts[id]! });
  const characters = (id: number): readonly string[] => [...words[id]!];

  /** Ids from `found` (ascending) that `accept` keeps, at most `limit`, after looking at `scanLimit` at most. */
  const collect = (found: Iterable<number>, limit: number, accept: (id: number) => boolean, scanLimit = Infinity): number[] => {
    const kept: number[] = [];
    let looked = 0;
    if (limit <= 0) return kept;
    for (const id of found) {
      if (accept(id)) kept.push(id);
      if (kept.length >= limit || ++looked >= scanLimit) break;
    }
    return kept;
  };
  const all = (): boolean => true;

  return {
    size: words.length,
    entry,
    idOf: (word) => ids.get(word),
    reading,
    characters,
    withReading(wanted) {
      const joined = wanted.join('');
      // Words of the same letters split otherwise (xian, xi an) share the pinyin key: compare syllables.
      return [...byPinyin.equalTo(joined)].filter((id) => {
        const read = reading(id)!;
        return read.length === wanted.length && read.every((syllable, i) => syllable === wanted[i]);
      });
    },
    withInitials: (initials) => [...byInitials.equalTo(initials)],
    matching(pattern, limit, completion = false) {
      const found = new Set<number>();
      // Only hanzi units compare characters: the others need no array of them.
      const compareCharacters = pattern.units.some((unit) => unit.kind === 'hanzi');
      for (const key of patternInitials(pattern, characterReadings)) {
        const accept = (id: number): boolean => !found.has(id) && matchesPattern(compareCharacters ? characters(id) : NO_CHARACTERS, reading(id)!, pattern, completion);
        const candidates = completion
          ? collect(byInitials.startingWith(key), limit, accept, COMPLETION_SCAN_LIMIT)
          : collect(byInitials.equalTo(key), Infinity, accept);
        for (const id of candidates) found.add(id);
      }
      return [...found].sort((a, b) => a - b).slice(0, limit);
    },
    completeScript(prefix, limit) {
      return collect(byScript.startingWith(foldString(prefix)), limit, all).map(entry);
    },
    completePinyin(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      // A boundary the user typed (xi'an) must fall between two of the word's syllables.
      const accept = (id: number): boolean => letters.breaks.every((at) => syllableBoundaries(reading(id)!).has(at));
      return collect(byPinyin.startingWith(letters.letters), limit, accept).map(entry);
    },
    completeInitials(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      return collect(byInitials.startingWith(letters.letters), limit, all).map(entry);
    },
  };
}

function syllableBoundaries(syllables: readonly string[]): Set<number> {
  const boundaries = new Set<number>();
  let at = 0;
  for (const syllable of syllables) boundaries.add((at += syllable.length));
  return boundaries;
}
