// The query's Latin and mixed runs read as pinyin (pinyin-query.ts) and searched as the vocabulary's words:
// zhifubao, "zhi fu bao", zfb and zhi付宝 are searched as 支付宝. Only plain terms are read (not quoted
// phrases, not excluded terms, not terms of an OR); a run of hanzi alone is never read by sound. A run that
// finds something as typed (CTO, iPad) is searched as typed: its reading only when the literal finds nothing.
// Letters that read as no one word may read as several (zhifubaoxitong: 支付宝 系统), searched as all of them.
import type { Vocabulary } from '../../indexer/index/vocabulary.js';
import { readPinyinRun, readPinyinWords } from './pinyin-query.js';
import { queryOfClauses, wordsClause, type Clause, type ParsedQuery } from './query.js';
import type { PinyinRun, QueryRewrite } from './types.js';

/** Terms typed apart that are read together at most (zhi fu bao: three). */
const MAX_SPAN = 6;
/** Terms read at most per query (the first ones): a query of a hundred letters would cost tens of milliseconds. */
export const MAX_READ_TERMS = 8;
/** Other readings a run reports beside the word searched. */
const OTHER_READINGS = 4;

const LATIN = /[a-z]/i;
/** A run pinyin may read: Latin letters (tone marks, numbers, apostrophes), hanzi between them. */
const READABLE = /^[a-zA-Z\u00c0-\u024f\u0300-\u036f:'\u2019 1-5\p{Script=Han}-]+$/u;

/** A plain term with Latin letters in it: the only kind of clause read as pinyin. */
function readable(clause: Clause): string | null {
  if (clause.negated || clause.alternatives.length !== 1) return null;
  const alt = clause.alternatives[0]!;
  if (alt.kind !== 'words' || !LATIN.test(alt.raw) || !READABLE.test(alt.raw)) return null;
  return alt.raw;
}

/**
 * A term's letters that read as no one word (readPinyinRun found none) and find nothing as typed, read as several
 * words that together find something (zhifubaoxitong: 支付宝 系统, searched as both); the run names them all.
 */
function readAsWords(text: string, clause: Clause, vocabulary: Vocabulary, findsAnything: (clauses: readonly Clause[]) => boolean): { clauses: Clause[]; run: PinyinRun } | null {
  // Letters that are not whole syllables (most that read as nothing) have no split: no count is needed.
  const splits = readPinyinWords(text, vocabulary);
  if (splits.length === 0 || findsAnything([clause])) return null;
  for (const { words, readAs } of splits) {
    const clauses = words.map(({ word }) => wordsClause(text, word));
    if (findsAnything(clauses)) return { clauses, run: { typed: text, word: words.map(({ word }) => word).join(' '), readAs, kind: 'pinyin', others: [] } };
  }
  return null;
}

export interface RewriteResult {
  readonly query: ParsedQuery;
  readonly rewrite: QueryRewrite | null;
}

/**
 * The query with its pinyin runs replaced by words. `findsAnything(clauses)`: whether those clauses, searched
 * as typed, find a paragraph that has all of them (the literal check).
 */
export function rewritePinyin(query: ParsedQuery, vocabulary: Vocabulary, findsAnything: (clauses: readonly Clause[]) => boolean): RewriteResult {
  let readableSeen = 0;
  const typed = query.clauses.map((clause) => {
    const raw = readable(clause);
    return raw !== null && ++readableSeen <= MAX_READ_TERMS ? raw : null;
  });
  if (typed.every((raw) => raw === null)) return { query, rewrite: null };
  const clauses: Clause[] = [];
  const runs: PinyinRun[] = [];
  for (let at = 0; at < query.clauses.length; ) {
    let read = 0;
    let unread = false; // the term alone reads as no word
    // The longest span of readable terms that reads as a word and finds nothing as typed.
    for (let end = Math.min(query.clauses.length, at + MAX_SPAN); end > at && read === 0; end--) {
      const span = typed.slice(at, end);
      if (span.some((raw) => raw === null)) continue;
      const text = span.join(' ');
      const reading = readPinyinRun(text, vocabulary, { limit: 1 + OTHER_READINGS });
      const best = reading?.candidates[0];
      if (end === at + 1) unread = reading === null;
      if (reading === null || best === undefined || reading.literal !== null) continue;
      if (findsAnything(query.clauses.slice(at, end))) continue;
      clauses.push(wordsClause(text, best.word));
      runs.push({ typed: text, word: best.word, readAs: best.readAs, kind: best.kind, others: reading.candidates.slice(1).map((candidate) => candidate.word) });
      read = end - at;
    }
    const split = read === 0 && unread ? readAsWords(typed[at]!, query.clauses[at]!, vocabulary, findsAnything) : null;
    if (split !== null) {
      clauses.push(...split.clauses);
      runs.push(split.run);
      read = 1;
    }
    if (read === 0) clauses.push(query.clauses[at]!);
    at += Math.max(1, read);
  }
  return runs.length === 0 ? { query, rewrite: null } : { query: queryOfClauses(clauses, query.filters), rewrite: { runs } };
}
