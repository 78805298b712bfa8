// Folding: Traditional → Simplified, full-width → half-width (NFKC), upper → lower case, and removal of
// invisible format characters. Folding works one code point at a time, so it never depends on context and
// every folded UTF-16 unit knows which original code point it came from.
import { simplifiedCodePoint } from './opencc.js';

/** A folded text and, for each folded UTF-16 unit, the original code point's range [start, end). */
export interface FoldedText {
  readonly original: string;
  readonly folded: string;
  readonly sourceStart: Uint32Array;
  readonly sourceEnd: Uint32Array;
}

// Zero-width and format characters that show nothing and only break matches (stray U+200B in Wikipedia text).
const INVISIBLE = new Set([0x00ad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);

// Characters that other characters fold to, which the per-code-point conversion would move on again: 麼 folds
// to 么, and 么 (the Simplified standard of 什么) to 幺 (the Taiwanese standard reads 么 as a variant of it), so
// 什么 and 什麼 folded apart. Kept as they are, folding is idempotent: a folded text folds to itself. These are
// every such chain of the conversion's table (test/analyzer.test.ts checks all code points).
const FOLDED_FORMS_KEPT = new Set(['么', '苧']);

const cache = new Map<number, string>();

// Per BMP code unit (surrogates aside), what folding does to it, filled in as units are first folded: SINGLE,
// it folds to one BMP unit (itself, for most of any Chinese text), kept in `bmpFolded`; or OTHER (empty, longer,
// astral). The folding loops read these tables first and build the folded text as UTF-16 units: a Map lookup,
// a string and an array push per character were most of the time of folding with offsets (the highlights of
// every hit, and the build).
const UNKNOWN = 0;
const SINGLE = 1;
const OTHER = 2;
const bmpFate = new Uint8Array(0x10000);
const bmpFolded = new Uint16Array(0x10000);

/** The folded form of one code point; may be empty or longer than the input. */
export function foldCodePoint(cp: number): string {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : String.fromCharCode(cp);
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  let out: string;
  if (INVISIBLE.has(cp)) out = '';
  else if (cp >= 0xd800 && cp <= 0xdfff) out = String.fromCharCode(cp); // lone surrogate: leave it alone
  else {
    out = '';
    for (const part of String.fromCodePoint(cp).normalize('NFKC')) out += (FOLDED_FORMS_KEPT.has(part) ? part : simplifiedCodePoint(part)).toLowerCase();
  }
  cache.set(cp, out);
  if (!isSurrogate(cp) && cp < 0x10000) noteFate(cp, out);
  return out;
}

const isSurrogate = (unit: number): boolean => unit >= 0xd800 && unit <= 0xdfff;

function noteFate(unit: number, out: string): void {
  const single = out.length === 1 && !isSurrogate(out.charCodeAt(0));
  bmpFate[unit] = single ? SINGLE : OTHER;
  if (single) bmpFolded[unit] = out.charCodeAt(0);
}

for (let unit = 0; unit < 0x80; unit++) noteFate(unit, foldCodePoint(unit));

/** SINGLE or OTHER for a BMP unit; surrogates are OTHER (a pair is one code point, folded as such). */
function fateOf(unit: number): number {
  const fate = bmpFate[unit]!;
  if (fate !== UNKNOWN || isSurrogate(unit)) return fate === UNKNOWN ? OTHER : fate;
  foldCodePoint(unit);
  return bmpFate[unit]!;
}

// The folded UTF-16 units of the text being folded and, per unit, the original code point's range: buffers
// reused by every call (folding is synchronous), grown when a text needs more.
let units = new Uint16Array(256);
let unitStart = new Uint32Array(256);
let unitEnd = new Uint32Array(256);
/** Whether the last foldUnits call changed anything (else its text folds to itself). */
let lastChanged = false;

function ensureRoom(needed: number, kept: number): void {
  if (units.length >= needed) return;
  const size = Math.max(units.length * 2, needed + 8);
  const grow = <T extends Uint16Array | Uint32Array>(array: T, larger: T): T => (larger.set(array.subarray(0, kept)), larger);
  units = grow(units, new Uint16Array(size));
  unitStart = grow(unitStart, new Uint32Array(size));
  unitEnd = grow(unitEnd, new Uint32Array(size));
}

/** Folds `text` into `units` (and, with `offsets`, `unitStart`/`unitEnd`); returns the folded length. */
function foldUnits(text: string, offsets: boolean): number {
  ensureRoom(text.length, 0);
  let length = 0;
  let changed = false;
  for (let i = 0; i < text.length; ) {
    const unit = text.charCodeAt(i);
    if (fateOf(unit) === SINGLE) {
      const folded = bmpFolded[unit]!;
      if (folded !== unit) changed = true;
      if (offsets) {
        unitStart[length] = i;
        unitEnd[length] = i + 1;
      }
      units[length++] = folded;
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    if (f.length !== width || f.charCodeAt(0) !== unit || (width === 2 && f.charCodeAt(1) !== text.charCodeAt(i + 1))) changed = true;
    ensureRoom(length + f.length + (text.length - i - width), length);
    for (let k = 0; k < f.length; k++) {
      if (offsets) {
        unitStart[length] = i;
        unitEnd[length] = i + width;
      }
      units[length++] = f.charCodeAt(k);
    }
    i += width;
  }
  lastChanged = changed;
  return length;
}

/** The string of units[0, length), built in chunks (a call takes a bounded number of arguments). */
function unitsText(length: number): string {
  const CHUNK = 8192;
  if (length <= CHUNK) return String.fromCharCode.apply(null, units.subarray(0, length) as unknown as number[]);
  const parts: string[] = [];
  for (let at = 0; at < length; at += CHUNK) parts.push(String.fromCharCode.apply(null, units.subarray(at, Math.min(length, at + CHUNK)) as unknown as number[]));
  return parts.join('');
}

/**
 * Folded form of a whole string (no offsets: the fast path for queries and for loading an index). The result
 * is one flat string: built with `+=`, V8 kept a folded poem as a rope of dozens of pieces (93 MB instead of
 * 16 MB for 100k poems; the first search that read them all paid for flattening them, 200 ms at 311k).
 */
export function foldString(text: string): string {
  const length = foldUnits(text, false);
  return lastChanged ? unitsText(length) : text;
}

/**
 * Whether folding turns each UTF-16 unit of `text` into one unit (as in most Chinese text): then every offset
 * into the folded text is the same offset into the original, and no map is needed.
 */
export function foldKeepsOffsets(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (fateOf(text.charCodeAt(i)) !== SINGLE) return false;
  return true;
}

/** Folded text with the offset map back to the original. */
export function foldWithOffsets(original: string): FoldedText {
  const length = foldUnits(original, true);
  return {
    original,
    folded: lastChanged ? unitsText(length) : original,
    sourceStart: unitStart.slice(0, length),
    sourceEnd: unitEnd.slice(0, length),
  };
}

/** The original range covered by the folded range [from, to) (to > from). */
export function originalRange(text: FoldedText, from: number, to: number): [number, number] {
  return [text.sourceStart[from]!, text.sourceEnd[to - 1]!];
}

/**
 * originalRange(foldWithOffsets(original), from, to) for each folded range [from, to) of `ranges` (to > from,
 * within the folded text), in one walk over the original that stops after the last range's end: neither the
 * folded copy nor the map is built. A long paragraph whose folding moved offsets has a few highlights; building
 * its whole map for them was most of its hit's time.
 */
export function originalRanges(original: string, ranges: readonly (readonly [number, number])[]): [number, number][] {
  // The folded units asked about (each range's first and last), ascending without repeats, and for each the
  // original code point's start and end. Typed arrays, not Maps and Sets: a hit asks about a few units.
  const wanted = unitsAskedAbout(ranges);
  const sourceStart = new Int32Array(wanted.length).fill(-1);
  const sourceEnd = new Int32Array(wanted.length);
  let next = 0;
  let unit = 0; // folded units made so far
  for (let i = 0; i < original.length && next < wanted.length; ) {
    // As foldUnits walks. Most units fold to one unit (SINGLE fate): a table lookup. One loop below for every
    // fate: with a loop of their own for the other fates, V8 threw this function's optimized code away the first
    // time a highlight began or ended on such a unit, a loop the warm-up had not run (BENCHMARKS.md).
    const code = original.charCodeAt(i);
    let width = 1;
    let made = 1;
    if (bmpFate[code] !== SINGLE) {
      const cp = original.codePointAt(i)!;
      width = cp > 0xffff ? 2 : 1;
      made = fateOf(code) === SINGLE ? 1 : foldCodePoint(cp).length;
    }
    for (; next < wanted.length && wanted[next]! < unit + made; next++) {
      sourceStart[next] = i;
      sourceEnd[next] = i + width;
    }
    unit += made;
    i += width;
  }
  return ranges.map(([from, to]) => {
    const first = positionIn(wanted, from);
    const last = positionIn(wanted, to - 1);
    if (sourceStart[first]! < 0 || sourceStart[last]! < 0) throw new RangeError(`fold: the folded range [${from}, ${to}) is not in the folded text`);
    return [sourceStart[first]!, sourceEnd[last]!];
  });
}

/** Each range's first and last unit, ascending, each once. */
function unitsAskedAbout(ranges: readonly (readonly [number, number])[]): Float64Array {
  const units = new Float64Array(2 * ranges.length);
  ranges.forEach(([from, to], r) => {
    units[2 * r] = from;
    units[2 * r + 1] = to - 1;
  });
  units.sort();
  let kept = 0;
  for (let u = 0; u < units.length; u++) if (kept === 0 || units[u] !== units[kept - 1]) units[kept++] = units[u]!;
  return units.subarray(0, kept);
}

/** Where `unit` is in `units` (ascending, and holding it). */
function positionIn(units: Float64Array, unit: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (units[mid]! < unit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The original offset of a boundary between folded units: boundaries of consecutive folded ranges map to
 * consecutive original boundaries, so segments cut at folded boundaries join back to the original exactly.
 */
export function originalBoundary(text: FoldedText, foldedOffset: number): number {
  if (foldedOffset <= 0) return 0;
  if (foldedOffset >= text.folded.length) return text.original.length;
  return text.sourceStart[foldedOffset]!;
}
