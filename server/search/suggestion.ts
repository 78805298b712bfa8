// "Did you mean" for a whole query: a plain hanzi term that occurs nowhere is corrected (did-you-mean.ts
// proposes, best first), and the first correction that makes the query find at least ten times more than it
// did is offered (shouldOffer). A term whose string occurs in the corpus is never corrected: the recall
// guarantee stands. Counting is the engine's (strict matches, not a question's partial ones).
import type { Vocabulary } from '../../indexer/index/vocabulary.js';
import { proposeCorrections, shouldOffer } from './did-you-mean.js';
import { queryOfClauses, wordsClause, type Clause, type ParsedQuery } from './query.js';
import type { QuerySuggestion } from './types.js';

/** A query that finds this many paragraphs or more is not second-guessed (and pays nothing for it). */
export const CORRECT_BELOW = 50;
/**
 * The longest term corrected, in characters: a slip is a word typed by sound, and a longer term is a phrase
 * or a question, whose proposals would cost every such search a few milliseconds.
 */
export const LONGEST_CORRECTED = 8;
/** Terms checked for slips at most per query (the first ones that can be corrected). */
export const MAX_CORRECTED_TERMS = 4;
/** Proposals tried per term, best first. */
const PROPOSALS = 3;

const HAN = /\p{Script=Han}/u;

export interface CorrectionCounts {
  /** Paragraphs that strictly match a query of these clauses. */
  total(query: ParsedQuery): number;
  /**
   * Whether a paragraph the query matched strictly has this folded text (so it occurs, and need not be counted);
   * absent when the matches are not at hand.
   */
  inMatches?(text: string): boolean;
}

/** A plain term of two or more characters with a Chinese character in it: what a slip can be in. */
function correctable(clause: Clause): boolean {
  if (clause.negated || clause.alternatives.length !== 1) return false;
  const alt = clause.alternatives[0]!;
  const length = [...alt.folded].length;
  return alt.kind === 'words' && HAN.test(alt.folded) && length >= 2 && length <= LONGEST_CORRECTED;
}

const phrase = (text: string): Clause => ({ alternatives: [{ kind: 'phrase', raw: text, folded: text, required: [text] }], negated: false });

/**
 * The correction to offer for `query` (as typed; `parsed` is it parsed, which found `strictTotal`), or null.
 */
export function suggestCorrection(query: string, parsed: ParsedQuery, strictTotal: number, vocabulary: Vocabulary, counts: CorrectionCounts): QuerySuggestion | null {
  if (strictTotal >= CORRECT_BELOW) return null;
  let checked = 0;
  for (let i = 0; i < parsed.clauses.length; i++) {
    const clause = parsed.clauses[i]!;
    if (!correctable(clause) || ++checked > MAX_CORRECTED_TERMS) continue;
    const alt = clause.alternatives[0]!;
    // Asked first: most terms of a query that finds little occur, often in what it found (two words of one
    // poem), and looking there or counting a phrase is cheaper than proposing.
    if (counts.inMatches?.(alt.folded) === true) continue;
    const queryOccurrences = counts.total(queryOfClauses([phrase(alt.folded)]));
    if (queryOccurrences > 0) continue;
    const proposals = proposeCorrections(alt.folded, vocabulary, { limit: PROPOSALS });
    if (proposals.length === 0) continue;
    for (const proposal of proposals) {
      const clauses = parsed.clauses.map((c, j) => (j === i ? wordsClause(alt.raw, proposal.text) : c));
      const correctionHits = counts.total(queryOfClauses(clauses));
      if (!shouldOffer({ queryOccurrences, queryHits: strictTotal, correctionHits })) continue;
      const at = query.indexOf(alt.raw);
      const q = at < 0 ? proposal.text : query.slice(0, at) + proposal.text + query.slice(at + alt.raw.length);
      return { q, replaced: alt.raw, word: proposal.word, kind: proposal.kind, total: correctionHits };
    }
  }
  return null;
}
