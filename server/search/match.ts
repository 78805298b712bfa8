// Which paragraphs match a query: candidates from the n-gram postings, then verified on the folded text, so
// the result is exactly the set of paragraphs whose folded text contains what the query asks for.
import { indexTerms, requiredTerms } from '../../indexer/analyzer/index.js';
import type { Alternative, Clause, ParsedQuery } from './query.js';
import { allIds, filterBitmap, filterIds, hasId, intersectAll, unionAll, unionBitmap, type IdBitmap, type IdList } from './sets.js';

export interface MatchSource {
  readonly paragraphCount: number;
  folded(id: number): string;
  postings(term: string): IdList;
  /** postings(term).length, without decoding n-gram postings. */
  documentFrequency(term: string): number;
  /**
   * The postings of an n-gram in many paragraphs as bitmap words (bitmapWords), or undefined (see engine.ts);
   * `count` is its documentFrequency, which the caller has already looked up.
   */
  commonBitmap(term: string, count: number): Uint32Array | undefined;
}

/**
 * A term in over this many times as many paragraphs as the candidates so far is looked for in their texts
 * instead of having its postings decoded: an n-gram's postings are exactly the paragraphs whose folded text
 * contains it, and a common character's are tens of thousands of varints against a handful of candidates.
 */
const TEXT_CHECK_RATIO = 32;

/** Matching paragraph ids, ascending; or, when no paragraph had every term, the paragraphs with any of them. */
export type MatchResult =
  | { readonly relaxed: false; readonly ids: IdList }
  // A question's fallback matches tens of thousands of paragraphs: kept as a bitmap, never listed (rank.ts).
  | { readonly relaxed: true; readonly bitmap: IdBitmap };

/**
 * The paragraphs containing every one of `terms` (n-grams): the rarest's postings, narrowed by each of the
 * others: by a common n-gram's bitmap (a bit per candidate, neither its postings decoded nor a text read), by
 * the candidates' texts, or by intersecting postings.
 */
function containingAll(source: MatchSource, terms: readonly string[]): IdList {
  const byCount = [...new Set(terms)].map((term) => ({ term, count: source.documentFrequency(term) })).sort((a, b) => a.count - b.count);
  let ids = source.postings(byCount[0]!.term);
  for (let k = 1; k < byCount.length && ids.length > 0; k++) {
    const { term, count } = byCount[k]!;
    const common = source.commonBitmap(term, count);
    if (common !== undefined) ids = filterIds(ids, (id) => hasId(common, id));
    else if (count > TEXT_CHECK_RATIO * ids.length) ids = filterIds(ids, (id) => source.folded(id).includes(term));
    else ids = intersectAll([ids, source.postings(term)]);
  }
  return ids;
}

/** Candidates for an alternative (a superset of its matches), or null when only a scan can tell. */
function alternativeCandidates(source: MatchSource, alt: Alternative): IdList | null {
  const terms = alt.required.flatMap(requiredTerms);
  return terms.length === 0 ? null : containingAll(source, terms);
}

function clauseCandidates(source: MatchSource, clause: Clause): IdList | null {
  const lists: IdList[] = [];
  for (const alt of clause.alternatives) {
    const candidates = alternativeCandidates(source, alt);
    if (candidates === null) return null;
    lists.push(candidates);
  }
  return unionAll(lists);
}

/** A needle that is itself an index term: its postings are exactly the paragraphs containing it. */
export function indexedExactly(needle: string): boolean {
  const terms = requiredTerms(needle);
  return terms.length === 1 && terms[0] === needle;
}

function satisfies(text: string, alt: Alternative): boolean {
  return alt.required.every((needle) => text.includes(needle));
}

/** Positive clauses whose candidates still need checking against the text. */
function needsVerification(clause: Clause): boolean {
  return clause.alternatives.length > 1 || !clause.alternatives[0]!.required.every(indexedExactly);
}

function matchesClause(text: string, clause: Clause): boolean {
  return clause.alternatives.some((alt) => satisfies(text, alt));
}

function excluded(text: string, negatives: readonly Clause[]): boolean {
  return negatives.some((clause) => clause.alternatives.some((alt) => text.includes(alt.folded)));
}

/** Paragraphs satisfying every positive clause and no negative one. */
function strictMatch(source: MatchSource, positives: readonly Clause[], negatives: readonly Clause[]): IdList {
  // Clauses without OR need every term of their words: all of those terms narrow one list, rarest first, so
  // a common word of an AND query is checked on the other's few candidates, not listed in full.
  const everyTerm = positives.filter((clause) => clause.alternatives.length === 1).flatMap((clause) => clause.alternatives[0]!.required.flatMap(requiredTerms));
  const lists: IdList[] = everyTerm.length > 0 ? [containingAll(source, everyTerm)] : [];
  for (const clause of positives.filter((clause) => clause.alternatives.length > 1)) {
    const candidates = clauseCandidates(source, clause);
    if (candidates !== null) lists.push(candidates);
  }
  const candidates = lists.length > 0 ? intersectAll(lists) : allIds(source.paragraphCount);
  const toVerify = positives.filter(needsVerification);
  if (toVerify.length === 0 && negatives.length === 0) return candidates;
  return filterIds(candidates, (id) => {
    const text = source.folded(id);
    return toVerify.every((clause) => matchesClause(text, clause)) && !excluded(text, negatives);
  });
}

/**
 * The character and pair terms that every strict match contains: all terms of each required word of a positive
 * clause without OR (a text that contains a word contains all its terms). Ranking adds their weight to every
 * candidate without reading their postings, which for a common character are most of the index.
 */
export function termsInEveryMatch(query: ParsedQuery): Set<string> {
  const terms = new Set<string>();
  for (const clause of query.clauses) {
    if (clause.negated || clause.alternatives.length !== 1) continue;
    for (const word of clause.alternatives[0]!.required) for (const term of indexTerms(word)) terms.add(term);
  }
  return terms;
}

/** Every distinct required word of the positive clauses. */
export function positiveWords(query: ParsedQuery): string[] {
  const words = new Set<string>();
  for (const clause of query.clauses) if (!clause.negated) for (const alt of clause.alternatives) alt.required.forEach((w) => words.add(w));
  return [...words];
}

/** Paragraphs containing any of the query's words (and no excluded term): the relaxed fallback. */
function partialMatch(source: MatchSource, words: readonly string[], negatives: readonly Clause[]): IdBitmap {
  const lists: IdList[] = [];
  const bitmaps: Uint32Array[] = [];
  for (const word of words) {
    // A common character (在, 的) or pair of its own is most of the union: its bitmap, not tens of thousands of ids.
    const exact = indexedExactly(word);
    const common = exact ? source.commonBitmap(word, source.documentFrequency(word)) : undefined;
    if (common !== undefined) {
      bitmaps.push(common);
      continue;
    }
    const terms = requiredTerms(word);
    const candidates = terms.length === 0 ? allIds(source.paragraphCount) : containingAll(source, terms);
    lists.push(exact ? candidates : filterIds(candidates, (id) => source.folded(id).includes(word)));
  }
  const union = unionBitmap(lists, bitmaps, source.paragraphCount);
  return negatives.length === 0 ? union : filterBitmap(union, (id) => !excluded(source.folded(id), negatives));
}

/** The paragraphs that match the query strictly (every positive clause, no negative one), without the fallback. */
export function strictMatches(source: MatchSource, query: ParsedQuery): IdList {
  const positives = query.clauses.filter((clause) => !clause.negated);
  if (positives.length === 0) return new Uint32Array(0);
  return strictMatch(source, positives, query.clauses.filter((clause) => clause.negated));
}

export function matchQuery(source: MatchSource, query: ParsedQuery): MatchResult {
  const ids = strictMatches(source, query);
  const words = positiveWords(query);
  if (ids.length > 0 || words.length < 2) return { ids, relaxed: false };
  return { bitmap: partialMatch(source, words, query.clauses.filter((clause) => clause.negated)), relaxed: true };
}
