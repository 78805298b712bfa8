// Word segmentation of folded text, with every token's range in the ORIGINAL text.
// Invariant: the original slices of the tokens, in order, join back exactly to the original text.
import { cutWords } from './jieba.js';
import { foldWithOffsets, originalBoundary, type FoldedText } from './fold.js';
import { isIndexableCodePoint } from './terms.js';

export type TokenKind = 'word' | 'space' | 'punct';

export interface Token {
  /** Folded text of the token, the form that is matched. */
  readonly text: string;
  /** Range in the original text, UTF-16 offsets [start, end). */
  readonly start: number;
  readonly end: number;
  readonly kind: TokenKind;
}

// jieba goes through UTF-8, which cannot carry lone surrogates (and C strings stop at NUL): such code units
// are kept out of its input and become tokens of their own.
const UNSAFE_FOR_JIEBA = /[\0\ud800-\udbff\udc00-\udfff]/u;
const UNSAFE_SPLIT = /([\0]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])/;
const ASCII_ALNUM = /^[0-9a-z]+$/;

function kindOf(text: string): TokenKind {
  for (const ch of text) if (isIndexableCodePoint(ch.codePointAt(0)!)) return 'word';
  return /^\s+$/u.test(text) ? 'space' : 'punct';
}

/** Folded pieces that join back to `folded` exactly. */
function cutFolded(folded: string): string[] {
  const chunks = UNSAFE_FOR_JIEBA.test(folded) ? folded.split(UNSAFE_SPLIT) : [folded];
  const pieces: string[] = [];
  for (const chunk of chunks) {
    if (chunk === '') continue;
    if (chunk.length === 1) {
      // One unit cannot be cut (and jieba could not carry an unsafe one): a one-character query skips the call.
      pieces.push(chunk);
      continue;
    }
    const words = cutWords(chunk);
    // One push per piece: spreading millions of words (a 50 MB paragraph) into push() overflows the stack.
    if (words.join('') === chunk) for (const word of words) pieces.push(word);
    else for (const ch of chunk) pieces.push(ch); // never expected; code points keep the invariant if jieba ever alters text
  }
  return mergeAsciiRuns(pieces);
}

/** jieba splits 64K into 64|k; users search such runs whole. */
function mergeAsciiRuns(pieces: string[]): string[] {
  const out: string[] = [];
  for (const piece of pieces) {
    const last = out.length - 1;
    if (last >= 0 && ASCII_ALNUM.test(piece) && ASCII_ALNUM.test(out[last]!)) out[last] += piece;
    else out.push(piece);
  }
  return out;
}

/** Tokens of an already folded text (offsets refer to `text.original`). */
export function segmentFolded(text: FoldedText): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  for (const piece of cutFolded(text.folded)) {
    const next = at + piece.length;
    tokens.push({ text: piece, start: originalBoundary(text, at), end: originalBoundary(text, next), kind: kindOf(piece) });
    at = next;
  }
  // A text of invisible characters only (U+200B…) folds to nothing: one empty token still covers it.
  if (tokens.length === 0 && text.original.length > 0) tokens.push({ text: '', start: 0, end: text.original.length, kind: 'space' });
  return tokens;
}

export function segment(original: string): Token[] {
  return segmentFolded(foldWithOffsets(original));
}

/** The words of a folded text, in order (spaces and punctuation dropped): how a query run is read. */
export function foldedWords(folded: string): string[] {
  return cutFolded(folded).filter((piece) => kindOf(piece) === 'word');
}
