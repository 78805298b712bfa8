// The only module that imports pinyin-pro. Readings are toneless syllables with ü written `v` (what a
// keyboard types: lv, nv), one per code point of the FOLDED text: Traditional is folded to Simplified by the
// project's analyzer first, so 銀行 and 银行 read alike and a word reads the way the index stores it.
// A word is read as a whole, so pinyin-pro's phrase dictionary picks a polyphone's reading from its
// neighbours (重庆 chong, 银行 hang, 了解 liao).
import { pinyin, polyphonic } from 'pinyin-pro';
import { foldString } from './fold.js';

export const PINYIN_VERSION = 'pinyin-pro@3.29 toneless, v for ü, read per folded word';

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

function readingInContext(folded: string): string[] | null {
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
