// What a query ranks by: its terms (characters, character pairs, whole words) with their BM25 weights, and what
// the ranking reads from the index. Parameters were tuned on the DRCD/CMRC dev questions (docs/design.md).
import { hasWordTerm, indexableRuns, wordTerm } from '../../indexer/analyzer/index.js';
import type { RankScratch } from './rank-scratch.js';
import type { IdList } from './sets.js';

export const RANKING = Object.freeze({
  k1: 0.7,
  b: 0.75,
  unigram: 1,
  bigram: 1,
  word: 1,
  title: 1,
  proximity: 1.5,
  /** How many candidates get the full (exact) features; the rest keep the cheap first-pass order. */
  exactCandidates: 50,
  /**
   * In a question (the relaxed fallback), pairs (and characters: the share below) in more than this share of
   * paragraphs are left out of the first pass: their weight barely moves the order, and walking their postings was most
   * of a question's time on a large index (docs/design.md). The exact pass still scores them.
   */
  firstPassMaxShare: 0.1,
  /**
   * The same for single characters, stricter: with the pairs' share, characters were nearly all of the postings a
   * question's first pass read, and the pairs and words tell the paragraphs apart as well (docs/design.md).
   */
  firstPassCharacterMaxShare: 0.01,
});

/** Interrogatives carry no topic: in a question ("哪一年…？", "誰…") they only match noise. */
const QUESTION_CHARACTERS = /[哪谁什吗呢]/;

/** What ranking reads from the loaded index. */
export interface RankingSource {
  readonly paragraphCount: number;
  readonly averageLength: number;
  folded(id: number): string;
  /** Indexable characters of the paragraph (its length for BM25). */
  length(id: number): number;
  /** BM25's saturation for a term found once, per paragraph (see oneOccurrenceWeights): the first pass's weight. */
  readonly oneOccurrence: Float32Array;
  foldedTitle(id: number): string;
  postings(term: string): IdList;
  /** postings(term).length, without decoding n-gram postings. */
  documentFrequency(term: string): number;
  /** How many documents' titles contain the term (a character or pair; 0 for anything else), without decoding. */
  titleDocumentCount(term: string): number;
  /** The documents whose title contains the term (a character or pair), ascending. */
  titleDocuments(term: string): IdList;
  /** Where each document's paragraphs start, and one more entry: the paragraph count. */
  readonly documentStart: Uint32Array;
  /**
   * The term's postings as a bitmap (a bit per paragraph) when it is common (match.ts), else undefined: the
   * first pass then tests each candidate's bit instead of decoding thousands of postings.
   */
  presenceBitmap?(term: string): Uint32Array | undefined;
  /** The searcher's buffers (rank-scratch.ts). */
  readonly scratch: RankScratch;
}

export interface RankTerm {
  readonly text: string;
  /** Index term whose postings give document frequency and presence (words: whole-word occurrences). */
  readonly indexTerm: string;
  readonly weight: number;
  readonly idf: number;
  /** Whether the first pass reads the term's postings (see RANKING.firstPassMaxShare). */
  readonly firstPass: boolean;
}

/** What BM25 multiplies a term's saturation by (and the term's share of the query): weight × idf. */
export function termWeight(term: RankTerm): number {
  return term.weight * term.idf;
}

/** The bonus of a paragraph whose document title holds the term (both passes add it). */
export function titleBonus(term: RankTerm): number {
  return RANKING.title * term.weight * term.idf;
}

export interface RankQuery {
  readonly terms: readonly RankTerm[];
  /** Index terms that every candidate contains (strict matches: match.ts termsInEveryMatch). */
  readonly inEveryCandidate: ReadonlySet<string>;
  /** Whole folded runs that, found verbatim, put a paragraph ahead of the rest. */
  readonly verbatim: readonly string[];
}

function idf(documentFrequency: number, total: number): number {
  return Math.log(1 + (total - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Ranking terms of the positive parts of a query (folded) and its required words. `question` drops
 * interrogatives (used for the relaxed fallback, where the query is read as a natural-language question).
 */
export function rankQuery(
  source: RankingSource,
  foldedParts: readonly string[],
  words: readonly string[],
  verbatim: readonly string[],
  question: boolean,
  inEveryCandidate: ReadonlySet<string> = new Set(),
): RankQuery {
  const terms = new Map<string, RankTerm>();
  // maxShare: the share of paragraphs above which a question's first pass leaves the term out (words: none).
  const add = (text: string, indexTerm: string, weight: number, maxShare: number): void => {
    if (terms.has(indexTerm) || (question && QUESTION_CHARACTERS.test(text))) return;
    const df = source.documentFrequency(indexTerm);
    const firstPass = !question || df <= maxShare * source.paragraphCount;
    terms.set(indexTerm, { text, indexTerm, weight, idf: idf(df, source.paragraphCount), firstPass });
  };
  for (const part of foldedParts) {
    for (const run of indexableRuns(part)) {
      run.forEach((ch, i) => {
        add(ch, ch, RANKING.unigram, RANKING.firstPassCharacterMaxShare);
        if (i + 1 < run.length) add(ch + run[i + 1]!, ch + run[i + 1]!, RANKING.bigram, RANKING.firstPassMaxShare);
      });
    }
  }
  for (const word of words) if (hasWordTerm(word)) add(word, wordTerm(word), RANKING.word, Infinity);
  return { terms: [...terms.values()], verbatim, inEveryCandidate };
}

export function saturate(tf: number, length: number, averageLength: number): number {
  return (tf * (RANKING.k1 + 1)) / (tf + RANKING.k1 * (1 - RANKING.b + (RANKING.b * length) / averageLength));
}

/** saturate(1, length) for every paragraph, computed once per index: the first pass reads it per posting. */
export function oneOccurrenceWeights(lengths: Uint32Array, averageLength: number): Float32Array {
  return Float32Array.from(lengths, (length) => saturate(1, length, averageLength));
}
