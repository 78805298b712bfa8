// The buffers a query's ranking works in, as wide as the index's paragraphs: made once per searcher (made per
// query, allocating and filling them cost more than the ranking's lookups into them) and handed to the ranking
// through its source. Searching is synchronous and each use leaves them as it found them, so queries take
// turns with one set.
import { createReusedArrays, type ReusedArrays } from './reused-arrays.js';
import { createCodeUnitTables, type CodeUnitTables } from './term-scan.js';

export interface RankScratch {
  /** The first pass over a list: where each candidate sits in it, by paragraph id (−1, between uses: none). */
  readonly positions: Int32Array;
  /** The sparse first pass: each touched paragraph's key, by paragraph id (0, between uses: untouched). */
  readonly keyById: Float64Array;
  /** The sparse first pass: the paragraphs it touched, in the order it touched them. */
  readonly touchedIds: Uint32Array;
  /** The exact pass's term scanner (term-scan.ts). */
  readonly codeUnits: CodeUnitTables;
  /** The exact pass's small arrays (the automaton, per-term counts, per-candidate scores). */
  readonly arrays: ReusedArrays;
}

export function createRankScratch(paragraphCount: number): RankScratch {
  return {
    positions: new Int32Array(paragraphCount).fill(-1),
    keyById: new Float64Array(paragraphCount),
    touchedIds: new Uint32Array(paragraphCount),
    codeUnits: createCodeUnitTables(),
    arrays: createReusedArrays(),
  };
}
