// Heads of common characters. A query of one character matches exactly that character's postings, and its
// ranking reads nothing but that one term, so which 50 paragraphs its first pass puts ahead never changes, nor
// their exact scores: ranked once per character (first-pass.ts firstPassHead, rank.ts rankHead) and kept, they
// are the query's first 50 hits, and the postings' count is its total (IR's "champion lists", computed exactly).
// A character in a fifth of the paragraphs then costs a query its snippets, not a walk over every paragraph.
import { indexableRuns } from '../../indexer/analyzer/index.js';
import { inTimeSlices } from '../../indexer/index/time-slices.js';
import type { ParsedQuery } from './query.js';

/** Characters in fewer paragraphs than this get no head: walking their postings costs about as much. */
export const HEAD_MINIMUM = 1000;

/**
 * The character a query asks for alone, or null. One clause, not negated, one alternative whose one required
 * word is that character and whose text has no other letter or digit: its matches are the character's
 * postings, and its ranking (rankQuery) has the character as its only term, with no verbatim runs.
 */
export function singleCharacter(query: ParsedQuery): string | null {
  if (query.clauses.length !== 1) return null;
  const clause = query.clauses[0]!;
  if (clause.negated || clause.alternatives.length !== 1) return null;
  const alternative = clause.alternatives[0]!;
  if (alternative.required.length !== 1) return null;
  const runs = indexableRuns(alternative.folded);
  const character = alternative.required[0]!;
  return runs.length === 1 && runs[0]!.length === 1 && runs[0]![0] === character ? character : null;
}

export interface CharacterHeads<Head> {
  /** The character's head (computed on first use), or undefined when it is in fewer than `minimum` paragraphs. */
  get(character: string): Head | undefined;
  /** Computes every head ahead of need, yielding to the event loop every few milliseconds. */
  warm(): Promise<void>;
}

export interface CharacterHeadSource<Head> {
  /** How many paragraphs contain the character. */
  count(character: string): number;
  /** The characters in at least `minimum` paragraphs. */
  charactersInAtLeast(minimum: number): string[];
  /** The head itself (the character's first block of hits: firstPassHead, then rankHead). */
  head(character: string): Head;
}

export function createCharacterHeads<Head>(source: CharacterHeadSource<Head>, minimum: number): CharacterHeads<Head> {
  const heads = new Map<string, Head>();
  const get = (character: string): Head | undefined => {
    let head = heads.get(character);
    if (head === undefined && source.count(character) >= minimum) heads.set(character, (head = source.head(character)));
    return head;
  };
  return {
    get,
    warm() {
      const characters = source.charactersInAtLeast(minimum);
      return inTimeSlices(characters.length, (i) => get(characters[i]!));
    },
  };
}
