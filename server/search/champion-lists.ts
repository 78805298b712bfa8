// Champion lists of common characters (IR's term, here computed exactly). A query of one character matches
// exactly that character's postings, and its ranking reads nothing but that one term, so its first block of
// ranked hits (RANKING.exactCandidates of them) never changes: ranked once per character (rank.ts) and kept,
// they are the query's first hits, and the postings' count is its total. A character in a fifth of the
// paragraphs then costs a query its snippets, not a walk over every paragraph.
import { indexableRuns } from '../../indexer/analyzer/index.js';
import { inTimeSlices } from '../../indexer/index/time-slices.js';
import type { ParsedQuery } from './query.js';

/** Characters in fewer paragraphs than this get no champion list: walking their postings costs about as much. */
export const CHAMPION_LIST_MINIMUM = 1000;

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

export interface ChampionLists<List> {
  /** The character's list (made on first use), or undefined when it is in fewer than `minimum` paragraphs. */
  get(character: string): List | undefined;
  /** Makes every list ahead of need, yielding to the event loop every few milliseconds. */
  warm(): Promise<void>;
}

export interface ChampionListSource<List> {
  /** How many paragraphs contain the character. */
  count(character: string): number;
  /** The characters in at least `minimum` paragraphs. */
  charactersInAtLeast(minimum: number): string[];
  /** The list itself: the character's first block of ranked hits. */
  list(character: string): List;
}

export function createChampionLists<List>(source: ChampionListSource<List>, minimum: number): ChampionLists<List> {
  const lists = new Map<string, List>();
  const get = (character: string): List | undefined => {
    let list = lists.get(character);
    if (list === undefined && source.count(character) >= minimum) lists.set(character, (list = source.list(character)));
    return list;
  };
  return {
    get,
    warm() {
      const characters = source.charactersInAtLeast(minimum);
      return inTimeSlices(characters.length, (i) => get(characters[i]!));
    },
  };
}
