// The only module that imports pinyin-pro and its data (@pinyin-pro/data). Readings are toneless syllables with
// ü written `v` (what a keyboard types: lv, nv), one per code point of the FOLDED text: Traditional is folded
// to Simplified by the project's analyzer first, so 銀行 and 银行 read alike and a word reads the way the index
// stores it. A word with a polyphone is read as pinyin-pro's dictionary of jieba's words reads it
// (@pinyin-pro/data's complete.json: the words jieba cuts the text into, the Modern Chinese Dictionary's among
// them with its readings) when it has the word: 高句丽 gao gou li and 处长 chu zhang, which pinyin-pro alone reads
// by each character's common reading (gao ju li, chu chang), 五行 wu xing (pinyin-pro: wu hang). Else the word is
// read as a whole by pinyin-pro, whose phrase dictionary picks a polyphone's reading from its neighbours (重庆
// chong, 银行 hang, 了解 liao).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pinyin, polyphonic } from 'pinyin-pro';
import { runSteps } from '../steps.js';
import { foldString } from './fold.js';

export const PINYIN_VERSION = 'pinyin-pro@3.29 toneless, v for ü, read per folded word; words with a polyphone from @pinyin-pro/data@1.3 complete';

const TONELESS = { toneType: 'none', v: true, toneSandhi: false } as const;

/** Per code point of `folded`: its toneless syllable in context, or null where it is not a Chinese character. */
function readFolded(folded: string): (string | null)[] {
  if (folded === '') return [];
  const read = pinyin(folded, { ...TONELESS, type: 'all' });
  return read.map((entry) => (entry.isZh && entry.pinyin !== '' ? entry.pinyin.toLowerCase() : null));
}

/**
 * The syllables of a text read in context, one per code point of its folded form (null for a code point that
 * is not a Chinese character). The text is folded first (Traditional → Simplified, full-width, case).
 */
export function readText(text: string): (string | null)[] {
  return readFolded(foldString(text));
}

/** Per character: its one reading, POLYPHONE when it has several, null when it is not a Chinese character. */
const soleReadings = new Map<string, string | typeof POLYPHONE | null>();
const POLYPHONE = Symbol('polyphone');

function soleReading(character: string): string | typeof POLYPHONE | null {
  let sole = soleReadings.get(character);
  if (sole === undefined) {
    const readings = characterReadings(character);
    sole = readings.length === 0 ? null : readings.length === 1 ? readings[0]! : POLYPHONE;
    soleReadings.set(character, sole);
  }
  return sole;
}

/** The toneless syllables of a word whose every code point is a Chinese character, else null. */
export function wordReading(word: string): string[] | null {
  const folded = foldString(word);
  // A word of characters that each have one reading reads the same in any context: the vocabulary of a large
  // index is built from the characters' cached readings, and pinyin-pro reads in context only the words with
  // a polyphone.
  const syllables: string[] = [];
  for (const character of folded) {
    const sole = soleReading(character);
    if (sole === null) return null;
    if (sole === POLYPHONE) return readingInContext(folded);
    syllables.push(sole);
  }
  return syllables.length === 0 ? null : syllables;
}

/**
 * The toneless readings of the dictionary's words that have a polyphone (the others read the same from their
 * characters), sorted by word, loaded on first use. Kept as two strings and their offsets, a few bytes a word:
 * pinyin-pro's addDict of the dictionary, or a Map of its words, cost many times more heap (docs/design.md §11.8).
 */
interface DictionaryReadings {
  /** The words, in code-unit order, one after the other. */
  readonly words: string;
  /** Where word i starts in `words`, and its reading in `readings` (one past the last: their lengths). */
  readonly wordStarts: Uint32Array;
  readonly readings: string;
  readonly readingStarts: Uint32Array;
}

let dictionaryReadings: DictionaryReadings | undefined;

/** The dictionary's toneless reading of a folded word that has a polyphone, or null when it has not the word. */
function dictionaryReading(folded: string): string[] | null {
  dictionaryReadings ??= runSteps(dictionaryReadingsInSteps());
  const { words, wordStarts, readings, readingStarts } = dictionaryReadings;
  let low = 0;
  let high = wordStarts.length - 2;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const word = words.slice(wordStarts[middle]!, wordStarts[middle + 1]!);
    if (word === folded) return readings.slice(readingStarts[middle]!, readingStarts[middle + 1]!).split(' ');
    if (word < folded) low = middle + 1;
    else high = middle - 1;
  }
  return null;
}

/**
 * Loads the dictionary's readings (read by the first word with a polyphone otherwise) in steps, for a caller
 * that runs its work between requests (the server's vocabulary: indexer/steps.ts): loaded at once, the
 * dictionary would hold the event loop for one long turn.
 */
export function* prepareWordReadingsInSteps(): Generator<void, void> {
  if (dictionaryReadings === undefined) {
    const loaded = yield* dictionaryReadingsInSteps();
    dictionaryReadings ??= loaded;
  }
}

/** Entries read between two steps of the dictionary's load. */
const ENTRIES_A_STEP = 4096;

/**
 * complete.json's words with a polyphone and their toneless readings. Its entries are `"word": ["pīn yīn", rate]`
 * (or `"word": "pīn yīn"`), read with a pattern rather than JSON.parse, which would build every entry to keep a
 * third of them, in one step.
 */
function* dictionaryReadingsInSteps(): Generator<void, DictionaryReadings> {
  const path = createRequire(import.meta.url).resolve('@pinyin-pro/data/complete.json');
  const text = readFileSync(path, 'utf8');
  yield;
  const found = new Map<string, string>();
  let entries = 0;
  for (const [, word, marked] of text.matchAll(DICTIONARY_ENTRY) as IterableIterator<[string, string, string]>) {
    if (++entries % ENTRIES_A_STEP === 0) yield;
    let length = 0;
    let polyphone = false;
    for (const character of word) {
      length++;
      polyphone ||= soleReading(character) === POLYPHONE;
    }
    if (!polyphone) continue;
    const syllables = tonelessSyllables(marked);
    if (syllables !== null && syllables.length === length) found.set(word, syllables.join(' '));
  }
  // V8 keeps the subject of the last successful match (RegExp.input, the whole file): a match on an empty
  // string lets the file go.
  /^/.exec('');
  if (found.size < 1000) throw new Error(`pinyin: @pinyin-pro/data/complete.json gave ${found.size} words with a polyphone; has its format changed?`);
  yield;
  const sorted = [...found.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  yield;
  const wordStarts = new Uint32Array(sorted.length + 1);
  const readingStarts = new Uint32Array(sorted.length + 1);
  let wordAt = 0;
  let readingAt = 0;
  sorted.forEach((word, i) => {
    wordStarts[i] = wordAt;
    readingStarts[i] = readingAt;
    wordAt += word.length;
    readingAt += found.get(word)!.length;
  });
  wordStarts[sorted.length] = wordAt;
  readingStarts[sorted.length] = readingAt;
  const readings = sorted.map((word) => found.get(word)!).join('');
  return { words: sorted.join(''), wordStarts, readings, readingStarts };
}

const DICTIONARY_ENTRY = /"(\p{Script=Han}+)"\s*:\s*\[?\s*"([^"]*)"/gu;

/** "lǜ xíng" → ["lv", "xing"]; null for anything else than syllables of letters. */
function tonelessSyllables(marked: string): string[] | null {
  const syllables: string[] = [];
  for (const syllable of marked.trim().split(/\s+/)) {
    const toneless = tonelessSyllable(syllable);
    if (toneless === null) return null;
    syllables.push(toneless);
  }
  return syllables;
}

/** A dictionary has a few thousand distinct syllables with tones, and hundreds of thousands of words. */
const tonelessCache = new Map<string, string | null>();

function tonelessSyllable(marked: string): string | null {
  let toneless = tonelessCache.get(marked);
  if (toneless === undefined) {
    const letters = marked
      .normalize('NFD')
      .toLowerCase()
      .replace(/u\u0308/g, 'v')
      .replace(/[\u0300-\u036f]/g, '');
    toneless = /^[a-z]+$/.test(letters) ? letters : null;
    tonelessCache.set(marked, toneless);
  }
  return toneless;
}

function readingInContext(folded: string): string[] | null {
  const fromDictionary = dictionaryReading(folded);
  if (fromDictionary !== null) return fromDictionary;
  const read = readFolded(folded);
  if (read.length === 0) return null;
  const syllables: string[] = [];
  for (const syllable of read) {
    if (syllable === null) return null;
    syllables.push(syllable);
  }
  return syllables;
}

/** The first letters of a word's syllables (支付宝 → zfb), or null when the word has no full reading. */
export function wordInitials(word: string): string | null {
  const syllables = wordReading(word);
  return syllables === null ? null : initialsOf(syllables);
}

export function initialsOf(syllables: readonly string[]): string {
  let out = '';
  for (const syllable of syllables) out += syllable[0] ?? '';
  return out;
}

const readingsCache = new Map<string, readonly string[]>();
const HAN = /^\p{Script=Han}$/u;

/**
 * Every toneless reading of one character (folded first), its most common reading first; empty for anything
 * that is not a single Chinese character. Slips of an input method are made by sound, so a slip may stand for
 * any of its character's readings (形 typed for 行 in 银行 reads xing, and 行 reads hang there).
 */
export function characterReadings(character: string): readonly string[] {
  const hit = readingsCache.get(character);
  if (hit !== undefined) return hit;
  const folded = foldString(character);
  let readings: string[] = [];
  // Checked by script and by what polyphonic gives: asking pinyin() whether it is a Chinese character cost a
  // hundred times more, and a vocabulary asks it of every character its words have.
  if ([...folded].length === 1 && HAN.test(folded)) {
    const all = polyphonic(folded, { ...TONELESS, type: 'array' })[0] ?? [];
    readings = [...new Set(all.map((syllable) => syllable.toLowerCase()).filter((syllable) => /^[a-z]+$/.test(syllable)))];
  }
  readingsCache.set(character, readings);
  return readings;
}
