// The exact pass's reading of a candidate (rank.ts): every term of the query counted in its text in one pass,
// with an Aho–Corasick automaton over UTF-16 code units built once per query. It gives exactly what a loop of
// indexOf per term and a split into sentences gave: per term, its non-overlapping occurrences, counted as
// `indexOf(term, end of the last one)` finds them; and the best sentence's mass, the largest sum over the
// sentences (the text split at SENTENCE_END_CHARACTERS) of the weights of the terms found in it, added in term
// order. A question has dozens of terms and each candidate is read once for all of them, without a split.
import type { ReusedArrays } from './reused-arrays.js';
import { lowestId } from './sets.js';

/** What ends a sentence, for the proximity bonus: the text's sentences are what lies between runs of these. */
export const SENTENCE_END_CHARACTERS = '。！？；!?;\n';

/**
 * Per UTF-16 code unit, what the scan needs of it: `letters` (its letter << 1, | 1 when it ends a sentence;
 * letter 0: in no term of the open scanner) and `marked` (a bit per code unit, set when its `letters` entry is
 * not 0, small enough to stay cached). Made once per searcher (a table entry per code unit): a scanner numbers its
 * terms' code units in them and clears them again when it closes, so one scanner uses them at a time.
 */
export interface CodeUnitTables {
  readonly letters: Int32Array;
  readonly marked: Uint32Array;
}

/** A query's terms compiled (withTermScanner): its tables are read by scanText until the scanner closes. */
export interface TermScanner {
  readonly termCount: number;
  readonly letters: Int32Array;
  readonly marked: Uint32Array;
  /** Letters + 1 (column 0: a code unit in no term, which the scan never looks up). */
  readonly columns: number;
  /** The automaton: next[state × columns + letter]; state 0 is the root. */
  readonly next: Int32Array;
  /** The terms ending at each state: ownTerms[ownStart[s] … ownStart[s + 1]). */
  readonly ownStart: Int32Array;
  readonly ownTerms: Int32Array;
  /** The nearest state on each state's failure chain that has terms of its own (0: none). */
  readonly outputLink: Int32Array;
  /** Each term's length in code units. */
  readonly lengths: Int32Array;
  /** Scratch: per term, where its last counted occurrence ends. */
  readonly countedEnd: Int32Array;
  /** Scratch: the terms found in the current sentence, a bit each (all clear between scans). */
  readonly credited: Uint32Array;
}

function mark(marked: Uint32Array, code: number, on: boolean): void {
  if (on) marked[code >>> 5]! |= 1 << (code & 31);
  else marked[code >>> 5]! &= ~(1 << (code & 31));
}

/** Tables with the sentence ends marked and no letters. */
export function createCodeUnitTables(): CodeUnitTables {
  const letters = new Int32Array(0x10000);
  const marked = new Uint32Array(0x10000 / 32);
  for (const ch of SENTENCE_END_CHARACTERS) {
    letters[ch.charCodeAt(0)] = 1;
    mark(marked, ch.charCodeAt(0), true);
  }
  return { letters, marked };
}

/** Numbers the code units of `terms` from 1 in `letters`, listing them in `codes` (for closing, even after a throw). */
function assignLetters({ letters, marked }: CodeUnitTables, terms: readonly string[], codes: number[]): void {
  for (const term of terms) {
    if (term.length === 0) throw new Error('term-scan: a term is empty');
    for (let i = 0; i < term.length; i++) {
      const code = term.charCodeAt(i);
      if (letters[code]! >> 1 !== 0) continue;
      codes.push(code);
      letters[code] = (codes.length << 1) | (letters[code]! & 1);
      mark(marked, code, true);
    }
  }
}

/**
 * Builds the automaton for `terms` (non-empty strings; repeats allowed, each counted on its own) over `tables`,
 * runs `use`, and leaves the tables as they were.
 */
export function withTermScanner<T>(tables: CodeUnitTables, arrays: ReusedArrays, terms: readonly string[], use: (scanner: TermScanner) => T): T {
  const { letters, marked } = tables;
  const codes: number[] = [];
  try {
    assignLetters(tables, terms, codes);
    return use(build(tables, arrays, terms, codes.length + 1));
  } finally {
    for (const code of codes) {
      letters[code] = letters[code]! & 1;
      mark(marked, code, letters[code] !== 0);
    }
  }
}

function build({ letters, marked }: CodeUnitTables, arrays: ReusedArrays, terms: readonly string[], columns: number): TermScanner {
  const states = terms.reduce((sum, term) => sum + term.length, 1);
  const next = arrays.int32('scan.next', states * columns);
  const ownStart = arrays.int32('scan.ownStart', states + 1);
  const outputLink = arrays.int32('scan.outputLink', states);
  const fail = arrays.int32('scan.fail', states);
  const queue = arrays.int32('scan.queue', states);
  const ownTerms = arrays.int32('scan.ownTerms', terms.length);
  const lengths = arrays.int32('scan.lengths', terms.length);
  const endState = arrays.int32('scan.endState', terms.length);
  // The trie, straight into the transition table (a child is never the root, so 0 there is "no child yet").
  let used = 1;
  terms.forEach((term, k) => {
    let state = 0;
    for (let i = 0; i < term.length; i++) {
      const cell = state * columns + (letters[term.charCodeAt(i)]! >> 1);
      if (next[cell] === 0) next[cell] = used++;
      state = next[cell]!;
    }
    endState[k] = state;
    lengths[k] = term.length;
  });
  for (let k = 0; k < terms.length; k++) ownStart[endState[k]! + 1]!++;
  for (let s = 0; s < used; s++) ownStart[s + 1]! += ownStart[s]!;
  const filled = arrays.int32('scan.filled', used);
  filled.set(ownStart.subarray(0, used));
  for (let k = 0; k < terms.length; k++) ownTerms[filled[endState[k]!]!++] = k;
  // Failure links breadth first, folded into the table: a state's row is completed when it leaves the queue,
  // after every shallower state's (its failure state is one of them).
  let tail = 0;
  for (let letter = 1; letter < columns; letter++) if (next[letter] !== 0) queue[tail++] = next[letter]!;
  for (let head = 0; head < tail; head++) {
    const state = queue[head]!;
    for (let letter = 1; letter < columns; letter++) {
      const cell = state * columns + letter;
      const fallback = next[fail[state]! * columns + letter]!;
      const child = next[cell]!;
      if (child === 0) next[cell] = fallback;
      else {
        fail[child] = fallback;
        outputLink[child] = ownStart[fallback + 1]! > ownStart[fallback]! ? fallback : outputLink[fallback]!;
        queue[tail++] = child;
      }
    }
  }
  const countedEnd = arrays.int32('scan.countedEnd', terms.length);
  const credited = arrays.uint32('scan.credited', Math.ceil(terms.length / 32));
  return { termCount: terms.length, letters, marked, columns, next, ownStart, ownTerms, outputLink, lengths, countedEnd, credited };
}

/** The credited terms' weights, added in term order; clears the credits. */
function sentenceMass(credited: Uint32Array, termCount: number, weights: Float64Array): number {
  let mass = 0;
  for (let w = 0; w < termCount; w += 32) {
    for (let bits = credited[w >>> 5]!; bits !== 0; bits &= bits - 1) mass += weights[lowestId(w >>> 5, bits)]!;
    credited[w >>> 5] = 0;
  }
  return mass;
}

/**
 * Counts the terms that end at `state` (its own, then its output links') with code unit `end` − 1; those
 * starting at `creditFrom` or later and eligible are credited to the sentence. Returns whether any was.
 */
function countEnding(scanner: TermScanner, state: number, end: number, counts: Uint32Array, eligible: Uint8Array, creditFrom: number): boolean {
  const { ownStart, ownTerms, outputLink, lengths, countedEnd, credited } = scanner;
  let anyCredited = false;
  for (let s = state; s !== 0; s = outputLink[s]!) {
    for (let o = ownStart[s]!; o < ownStart[s + 1]!; o++) {
      const k = ownTerms[o]!;
      const start = end - lengths[k]!;
      if (start >= countedEnd[k]!) {
        counts[k]!++;
        countedEnd[k] = end;
      }
      if (start >= creditFrom && eligible[k] === 1) {
        credited[k >>> 5]! |= 1 << (k & 31);
        anyCredited = true;
      }
    }
  }
  return anyCredited;
}

/**
 * Counts every term in `text` into `counts` (non-overlapping occurrences, as the indexOf loop counts them) and
 * returns the best sentence's mass: the largest sum over the sentences of `weights[k]` for the terms k with
 * `eligible[k]` = 1 found in it (a term with a sentence end in it is in no sentence). All-zero `eligible`: counts only.
 */
export function scanText(scanner: TermScanner, text: string, counts: Uint32Array, weights: Float64Array, eligible: Uint8Array): number {
  const { letters: letterOf, marked: markedCodes, columns, next } = scanner;
  // Cleared per scan: the counts and where each term's last occurrence ended.
  const countedEnd = scanner.countedEnd;
  for (let k = 0; k < scanner.termCount; k++) {
    counts[k] = 0;
    countedEnd[k] = 0;
  }
  let state = 0;
  let sentenceStart = 0;
  let anyCredited = false;
  let best = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // Most code units are in no term: one bit says so, without reading the larger `letters` table.
    if ((markedCodes[code >>> 5]! & (1 << (code & 31))) === 0) {
      state = 0;
      continue;
    }
    const entry = letterOf[code]!;
    const letter = entry >> 1;
    const endsSentence = (entry & 1) === 1;
    if (letter === 0) state = 0;
    else {
      state = next[state * columns + letter]!;
      // An occurrence holding a sentence end (this code unit, or one before sentenceStart) is in no sentence.
      if (state !== 0 && countEnding(scanner, state, i + 1, counts, eligible, endsSentence ? Infinity : sentenceStart)) anyCredited = true;
    }
    if (endsSentence) {
      if (anyCredited) best = Math.max(best, sentenceMass(scanner.credited, scanner.termCount, weights));
      anyCredited = false;
      sentenceStart = i + 1;
    }
  }
  if (anyCredited) best = Math.max(best, sentenceMass(scanner.credited, scanner.termCount, weights));
  return best;
}
