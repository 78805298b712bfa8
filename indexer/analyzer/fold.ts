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

const cache = new Map<number, string>();

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
    for (const part of String.fromCodePoint(cp).normalize('NFKC')) out += simplifiedCodePoint(part).toLowerCase();
  }
  cache.set(cp, out);
  return out;
}

/**
 * Folded form of a whole string (no offsets: the fast path for queries and for loading an index). The pieces
 * are joined once: built with `+=`, V8 keeps a string as a rope until it is read, and a folded poem was a rope
 * of dozens of pieces (93 MB instead of 16 MB for 100k poems; the first search that read them all paid for
 * flattening them, 200 ms for one question at 311k).
 */
export function foldString(text: string): string {
  let pieces: string[] | null = null;
  let plain = 0; // start of a run of code points that fold to themselves, copied in one slice
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    if (f.length !== width || (width === 1 ? f.charCodeAt(0) !== cp : f.codePointAt(0) !== cp)) {
      (pieces ??= []).push(text.slice(plain, i), f);
      plain = i + width;
    }
    i += width;
  }
  if (pieces === null) return text;
  pieces.push(text.slice(plain));
  return pieces.join('');
}

/** Folded text with the offset map back to the original. */
export function foldWithOffsets(original: string): FoldedText {
  const start: number[] = [];
  const end: number[] = [];
  const pieces: string[] = [];
  for (let i = 0; i < original.length; ) {
    const cp = original.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const f = foldCodePoint(cp);
    pieces.push(f);
    for (let k = 0; k < f.length; k++) {
      start.push(i);
      end.push(i + width);
    }
    i += width;
  }
  return { original, folded: pieces.join(''), sourceStart: Uint32Array.from(start), sourceEnd: Uint32Array.from(end) };
}

/** The original range covered by the folded range [from, to) (to > from). */
export function originalRange(text: FoldedText, from: number, to: number): [number, number] {
  return [text.sourceStart[from]!, text.sourceEnd[to - 1]!];
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
