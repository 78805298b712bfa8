// The only module that imports pinyin-pro and its data (@pinyin-pro/data). Readings are toneless syllables with
// ü written `v` (what a keyboard types: lv, nv), one per code point of the FOLDED text: Traditional is folded
// to Simplified by the project's analyzer first, so 銀行 and 银行 read alike and a word reads the way the index
// stores it. A word with a polyphone is read as the Modern Chinese Dictionary (现代汉语词典, @pinyin-pro/data's
// modern.json) reads it when it has the word (五行 wu xing, where pinyin-pro alone reads wu hang), else as a
// whole by pinyin-pro, whose phrase dictionary picks a polyphone's reading from its neighbours (重庆 chong,
// 银行 hang, 了解 liao).
import { createRequire } from 'node:module';
import { pinyin, polyphonic } from 'pinyin-pro';
import { foldString } from './fold.js';

export const PINYIN_VERSION = 'pinyin-pro@3.29 toneless, v for ü, read per folded word; words with a polyphone from @pinyin-pro/data modern';

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

/** The Modern Chinese Dictionary's toneless reading of its words that have a polyphone, loaded on first use. */
let modernReadings: Map<string, string> | undefined;

function modernReading(folded: string): string[] | null {
  modernReadings ??= loadModernReadings();
  const reading = modernReadings.get(folded);
  return reading === undefined ? null : reading.split(' ');
}

/**
 * Only the words with a polyphone are kept (the others read the same from their characters), as "wu xing":
 * pinyin-pro's addDict of the whole dictionary took 47 MB of heap and 2.6 s; this keeps a few megabytes.
 */
function loadModernReadings(): Map<string, string> {
  const entries = createRequire(import.meta.url)('@pinyin-pro/data/modern.json') as Record<string, string | readonly [string, ...unknown[]]>;
  const readings = new Map<string, string>();
  for (const [word, value] of Object.entries(entries)) {
    const characters = [...word];
    if (!characters.some((character) => soleReading(character) === POLYPHONE)) continue;
    const syllables = tonelessSyllables(typeof value === 'string' ? value : value[0]);
    if (syllables !== null && syllables.length === characters.length) readings.set(word, syllables.join(' '));
  }
  return readings;
}

/** "lǜ xíng" → ["lv", "xing"]; null for anything else than syllables of letters. */
function tonelessSyllables(marked: string): string[] | null {
  const syllables = marked
    .normalize('NFD')
    .toLowerCase()
    .replace(/u\u0308/g, 'v')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .split(/\s+/);
  return syllables.every((syllable) => /^[a-z]+$/.test(syllable)) ? syllables : null;
}

function readingInContext(folded: string): string[] | null {
  const fromDictionary = modernReading(folded);
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
