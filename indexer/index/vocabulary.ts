// The vocabulary: the index's words, each with the number of paragraphs it is in and its pinyin read in
// context, and the lookups the query side needs to turn pinyin into words: by exact reading, by initials, and
// completions of a prefix typed in either script, in pinyin or in initials, most frequent first.
// It is kept as plain data (words, counts, syllables in typed arrays); the lookup maps and FlexSearch's
// prefix indexes are rebuilt from that data when it is loaded.
import { foldString } from '../analyzer/fold.js';
import { characterReadings, initialsOf, wordReading } from '../analyzer/pinyin.js';
import { latinLetters, matchesPattern, patternInitials, type ReadingPattern } from '../analyzer/pinyin-input.js';
import { createPrefixIndex, type PrefixIndex } from './flex.js';

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

/**
 * How deep each prefix index goes (code points of a word, letters of its pinyin or initials). FlexSearch spends
 * a map entry on every distinct prefix, most of them long and held by one word; a longer prefix is looked up
 * by its head and the words found are checked against the whole key (few words share a head that long).
 */
export const INDEXED_DEPTH = { script: 2, pinyin: 6, initials: 4 } as const;

/** The first `depth` code points of a key. */
function head(key: string, depth: number): string {
  let end = 0;
  for (let count = 0; count < depth && end < key.length; count++) end += key.codePointAt(end)! > 0xffff ? 2 : 1;
  return key.slice(0, end);
}

/** The most words a pattern's completion looks at (the most frequent of its initials). */
export const COMPLETION_SCAN_LIMIT = 2048;

const pushTo = <K>(map: Map<K, number[]>, key: K, id: number): void => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else list.push(id);
};

/** The lookups over the data: maps and FlexSearch prefix indexes, filled in id order (most frequent first). */
export function loadVocabulary(data: VocabularyData): Vocabulary {
  const { words, counts } = data;
  const ids = new Map<string, number>();
  const readings: (readonly string[] | null)[] = [];
  const byReading = new Map<string, number[]>();
  const byInitials = new Map<string, number[]>();
  const scriptIndex = createPrefixIndex();
  const pinyinIndex = createPrefixIndex();
  const initialsIndex = createPrefixIndex();
  // The whole keys, for the prefixes longer than the indexed depth.
  const pinyinKeys: string[] = [];
  const initialsKeys: string[] = [];
  for (let id = 0; id < words.length; id++) {
    const word = words[id]!;
    ids.set(word, id);
    scriptIndex.add(id, head(word, INDEXED_DEPTH.script));
    const start = data.readingStarts[id]!;
    const end = data.readingStarts[id + 1]!;
    if (end === start) {
      readings.push(null);
      pinyinKeys.push('');
      initialsKeys.push('');
      continue;
    }
    const syllables = Array.from(data.readingSyllables.subarray(start, end), (syllableId) => data.syllables[syllableId]!);
    readings.push(syllables);
    pushTo(byReading, syllables.join(' '), id);
    const initials = initialsOf(syllables);
    pushTo(byInitials, initials, id);
    pinyinKeys.push(syllables.join(''));
    initialsKeys.push(initials);
    pinyinIndex.add(id, head(pinyinKeys[id]!, INDEXED_DEPTH.pinyin));
    initialsIndex.add(id, head(initials, INDEXED_DEPTH.initials));
  }

  const entry = (id: number): VocabularyEntry => ({ word: words[id]!, count: counts[id]! });
  const characters = (id: number): readonly string[] => [...words[id]!];

  /**
   * Ids from a prefix index that `accept` keeps, most frequent first: asks for more while too few are kept, up
   * to `scanLimit` ids looked at (a completion is answered in a bounded time, from the most frequent words).
   */
  const collect = (index: PrefixIndex, prefix: string, limit: number, accept: (id: number) => boolean, scanLimit = Infinity): number[] => {
    let asked = Math.min(Math.max(limit * 4, 32), scanLimit);
    for (;;) {
      const found = index.startingWith(prefix, asked);
      const kept: number[] = [];
      for (const id of found) {
        if (accept(id)) kept.push(id);
        if (kept.length >= limit) return kept;
      }
      if (found.length < asked || asked >= scanLimit) return kept;
      asked = Math.min(asked * 4, scanLimit);
    }
  };

  return {
    size: words.length,
    entry,
    idOf: (word) => ids.get(word),
    reading: (id) => readings[id] ?? null,
    characters,
    withReading: (syllables) => byReading.get(syllables.join(' ')) ?? [],
    withInitials: (initials) => byInitials.get(initials) ?? [],
    matching(pattern, limit, completion = false) {
      const found = new Set<number>();
      // Only hanzi units compare characters: the others need no array of them.
      const compareCharacters = pattern.units.some((unit) => unit.kind === 'hanzi');
      for (const key of patternInitials(pattern, characterReadings)) {
        const accept = (id: number): boolean =>
          !found.has(id) &&
          (!completion || initialsKeys[id]!.startsWith(key)) &&
          matchesPattern(compareCharacters ? characters(id) : NO_CHARACTERS, readings[id]!, pattern, completion);
        const candidates = completion
          ? collect(initialsIndex, head(key, INDEXED_DEPTH.initials), limit, accept, COMPLETION_SCAN_LIMIT)
          : (byInitials.get(key) ?? []).filter(accept);
        for (const id of candidates) found.add(id);
      }
      return [...found].sort((a, b) => a - b).slice(0, limit);
    },
    completeScript(prefix, limit) {
      const folded = foldString(prefix);
      return collect(scriptIndex, head(folded, INDEXED_DEPTH.script), limit, (id) => words[id]!.startsWith(folded)).map(entry);
    },
    completePinyin(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      // A boundary the user typed (xi'an) must fall between two of the word's syllables.
      const accept = (id: number): boolean =>
        pinyinKeys[id]!.startsWith(letters.letters) && letters.breaks.every((at) => syllableBoundaries(readings[id]!).has(at));
      return collect(pinyinIndex, head(letters.letters, INDEXED_DEPTH.pinyin), limit, accept).map(entry);
    },
    completeInitials(typed, limit) {
      const letters = latinLetters(typed);
      if (letters === null) return [];
      return collect(initialsIndex, head(letters.letters, INDEXED_DEPTH.initials), limit, (id) => initialsKeys[id]!.startsWith(letters.letters)).map(entry);
    },
  };
}

function syllableBoundaries(syllables: readonly string[]): Set<number> {
  const boundaries = new Set<number>();
  let at = 0;
  for (const syllable of syllables) boundaries.add((at += syllable.length));
  return boundaries;
}
