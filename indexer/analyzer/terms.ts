// Index terms: every indexable character (unigram) and every pair of adjacent indexable characters (bigram)
// of the folded text. A folded query string is contained in a folded text only if all the query's n-grams
// are in it, so these terms find every candidate whatever the word segmentation did.

// Letters, digits and combining marks; punctuation, spaces and symbols are matched by verification only.
const INDEXABLE = /[\p{L}\p{N}\p{M}]/u;
const asciiIndexable = new Uint8Array(128);
for (let c = 0; c < 128; c++) asciiIndexable[c] = INDEXABLE.test(String.fromCharCode(c)) ? 1 : 0;

export function isIndexableCodePoint(cp: number): boolean {
  if (cp < 128) return asciiIndexable[cp] === 1;
  // The common CJK block is all letters (a test checks every code point of it): no string made, no regex run.
  if (cp >= 0x4e00 && cp <= 0x9fff) return true;
  return INDEXABLE.test(String.fromCodePoint(cp));
}

/** Maximal runs of indexable code points in a folded text, each as an array of code point strings. */
export function indexableRuns(folded: string): string[][] {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const ch of folded) {
    if (isIndexableCodePoint(ch.codePointAt(0)!)) run.push(ch);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** Distinct unigrams and bigrams of a folded text: what the index stores for it. */
export function indexTerms(folded: string): Set<string> {
  const terms = new Set<string>();
  for (const run of indexableRuns(folded)) {
    for (let i = 0; i < run.length; i++) {
      terms.add(run[i]!);
      if (i + 1 < run.length) terms.add(run[i]! + run[i + 1]!);
    }
  }
  return terms;
}

/**
 * The index terms every text containing `folded` must have: the bigrams of each run (a lone character
 * where a run has one). Empty when the string has no indexable character (then only a scan can answer).
 */
export function requiredTerms(folded: string): string[] {
  const terms = new Set<string>();
  for (const run of indexableRuns(folded)) {
    if (run.length === 1) terms.add(run[0]!);
    for (let i = 0; i + 1 < run.length; i++) terms.add(run[i]! + run[i + 1]!);
  }
  return [...terms];
}

/** Whole jieba words are stored beside the n-grams, marked so they never collide with a bigram. */
const WORD_MARK = '\u0002';

export function wordTerm(word: string): string {
  return WORD_MARK + word;
}

/** Words of two or more code points get a term of their own (single characters are unigrams already). */
export function hasWordTerm(word: string): boolean {
  return word.length > 2 || (word.length === 2 && word.codePointAt(0)! <= 0xffff);
}

/** Number of indexable code points: the length that ranking normalizes by. */
export function indexableLength(folded: string): number {
  let count = 0;
  for (let i = 0; i < folded.length; i++) {
    const unit = folded.charCodeAt(i);
    if (unit >= 0x4e00 && unit <= 0x9fff) count++; // the common CJK block, without a regex
    else if (unit < 128) count += asciiIndexable[unit]!;
    else if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && (folded.charCodeAt(i - 1) & 0xfc00) === 0xd800) continue;
    else if (isIndexableCodePoint(folded.codePointAt(i)!)) count++;
  }
  return count;
}

// Numeric keys for the n-gram terms, so the index can hold them in typed arrays: a unigram is cp × BASE, a
// bigram cp1 × BASE + cp2 (cp2 ≥ 1: indexable characters are never U+0000). Both stay below 2^53, and the keys
// of one first code point lie together in key order (the gram index looks a key up among those).
export const GRAM_KEY_BASE = 0x110000;

/** The numeric key of a unigram or bigram term, or null for anything else (words, longer strings). */
export function gramKey(term: string): number | null {
  const first = term.codePointAt(0);
  if (first === undefined) return null;
  const firstWidth = first > 0xffff ? 2 : 1;
  if (term.length === firstWidth) return first * GRAM_KEY_BASE;
  const second = term.codePointAt(firstWidth)!;
  if (term.length !== firstWidth + (second > 0xffff ? 2 : 1)) return null;
  return first * GRAM_KEY_BASE + second;
}

/** The character whose unigram key this is, or null for a bigram key. */
export function unigramOfKey(key: number): string | null {
  return key % GRAM_KEY_BASE === 0 ? String.fromCodePoint(key / GRAM_KEY_BASE) : null;
}

/** Distinct n-gram keys of a folded text: the numeric form of indexTerms(). */
export function indexGramKeys(folded: string): number[] {
  const keys = new Set<number>();
  for (const run of indexableRuns(folded)) {
    let previous = -1;
    for (const ch of run) {
      const cp = ch.codePointAt(0)!;
      keys.add(cp * GRAM_KEY_BASE);
      if (previous >= 0) keys.add(previous * GRAM_KEY_BASE + cp);
      previous = cp;
    }
  }
  return [...keys];
}

export function isWordTerm(term: string): boolean {
  return term.startsWith(WORD_MARK);
}
