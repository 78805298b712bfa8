// Query syntax (docs/contract.md "Matching"): whitespace-separated terms must all appear; a Chinese run counts as its
// words; "…" is an exact phrase; -term excludes; OR between two terms accepts either. Malformed syntax is read
// leniently: an unclosed quote runs to the end, a lone "-" or a dangling OR is ignored. `key:value` with a key of
// FILTER_KEYS is a filter (filters.ts), not a term; its value may be quoted (`in:"年度 报告"`).
import { foldString, foldedWords } from '../../indexer/analyzer/index.js';

/** One way a clause can be satisfied. */
export interface Alternative {
  /** 'words': every word must appear (the whole folded run ranks first); 'phrase': the folded text verbatim. */
  readonly kind: 'words' | 'phrase';
  readonly raw: string;
  /** Folded text of the whole term or phrase. */
  readonly folded: string;
  /** Folded words that must each appear; for a phrase, just the phrase. */
  readonly required: readonly string[];
}

export interface Clause {
  readonly alternatives: readonly Alternative[];
  readonly negated: boolean;
}

/** A filter of the query text (`in:报告/2024`, `type:"pdf"`): filters.ts reads its value. */
export interface FilterTerm {
  readonly key: FilterKey;
  readonly value: string;
  /** Where it is in the query text, [start, end): a page's facet link takes it out again. */
  readonly span: readonly [number, number];
}

export const FILTER_KEYS = ['in', 'type', 'title', 'year', 'after', 'before'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export interface ParsedQuery {
  readonly clauses: readonly Clause[];
  /** The query's filters, in the order written (none: an empty list). */
  readonly filters: readonly FilterTerm[];
  /** How the query was understood, for the response's `terms`. */
  readonly terms: readonly string[];
}

interface Lexeme {
  readonly text: string;
  readonly quoted: boolean;
  readonly negated: boolean;
  /** Set on a filter (`key:value`, the value maybe quoted): `text` is then its value. */
  readonly key?: FilterKey;
  readonly span: readonly [number, number];
}

/** A filter's key at the start of a lexeme: `in:`, `type:`…, lower case, followed by a value. */
const FILTER_START = new RegExp(`^(${FILTER_KEYS.join('|')}):(?=\\S)`);

const QUOTES = /["“”「」『』＂]/;

/** Splits on whitespace, keeping quoted phrases together. */
function lex(query: string): Lexeme[] {
  const lexemes: Lexeme[] = [];
  let i = 0;
  while (i < query.length) {
    while (i < query.length && /\s/u.test(query[i]!)) i++;
    if (i >= query.length) break;
    const start = i;
    const filter = FILTER_START.exec(query.slice(i, i + 8));
    if (filter !== null) {
      const key = filter[1] as FilterKey;
      i += filter[0].length;
      let end = i;
      let value: string;
      if (QUOTES.test(query[i]!)) {
        end = i + 1;
        while (end < query.length && !QUOTES.test(query[end]!)) end++;
        value = query.slice(i + 1, end);
        end = Math.min(query.length, end + 1);
      } else {
        while (end < query.length && !/\s/u.test(query[end]!)) end++;
        value = query.slice(i, end);
      }
      lexemes.push({ text: value, quoted: true, negated: false, key, span: [start, end] });
      i = end;
      continue;
    }
    let negated = false;
    if (query[i] === '-' || query[i] === '－') {
      negated = true;
      i++;
    }
    if (i < query.length && QUOTES.test(query[i]!)) {
      let end = i + 1;
      while (end < query.length && !QUOTES.test(query[end]!)) end++;
      lexemes.push({ text: query.slice(i + 1, end), quoted: true, negated, span: [start, Math.min(query.length, end + 1)] });
      i = end + 1;
    } else {
      let end = i;
      while (end < query.length && !/\s/u.test(query[end]!)) end++;
      lexemes.push({ text: query.slice(i, end), quoted: false, negated, span: [start, end] });
      i = end;
    }
  }
  return lexemes;
}

function alternative(lexeme: Lexeme): Alternative | null {
  const folded = foldString(lexeme.text).trim();
  if (folded === '') return null;
  if (lexeme.quoted) return { kind: 'phrase', raw: lexeme.text, folded, required: [folded] };
  const words = foldedWords(folded);
  // Only punctuation or symbols (…, ++, 😀): the term itself is what must appear.
  return { kind: 'words', raw: lexeme.text, folded, required: words.length > 0 ? [...new Set(words)] : [folded] };
}

function display(alt: Alternative): string[] {
  return alt.kind === 'phrase' ? [`"${alt.folded}"`] : [...alt.required];
}

function clauseTerms(clause: Clause): string[] {
  const [first, ...rest] = clause.alternatives;
  if (clause.negated) return [`-${first!.kind === 'phrase' ? `"${first!.folded}"` : first!.folded}`];
  if (rest.length === 0) return display(first!);
  return [clause.alternatives.map((alt) => display(alt).join(' ')).join(' OR ')];
}

/** A clause of words searched in place of what was typed (`raw`): a pinyin run's word, a correction. */
export function wordsClause(raw: string, text: string): Clause {
  const alt = alternative({ text, quoted: false, negated: false, span: [0, 0] });
  if (alt === null) throw new Error(`sou: no words in ${JSON.stringify(text)}`);
  return { alternatives: [{ ...alt, raw }], negated: false };
}

/** A query of these clauses, its terms stated anew. */
export function queryOfClauses(clauses: readonly Clause[], filters: readonly FilterTerm[] = []): ParsedQuery {
  return { clauses, filters, terms: clauses.flatMap(clauseTerms) };
}

/** The query text's filters alone, without reading its words (a parameter check needs no segmentation). */
export function queryFilters(query: string): FilterTerm[] {
  return lex(query).flatMap((lexeme) => (lexeme.key === undefined ? [] : [{ key: lexeme.key, value: lexeme.text, span: lexeme.span }]));
}

export function parseQuery(query: string): ParsedQuery {
  const clauses: Clause[] = [];
  const filters: FilterTerm[] = [];
  let joinNext = false; // the previous lexeme was OR: the next term joins the last clause
  for (const lexeme of lex(query)) {
    if (lexeme.key !== undefined) {
      filters.push({ key: lexeme.key, value: lexeme.text, span: lexeme.span });
      continue;
    }
    if (!lexeme.quoted && !lexeme.negated && lexeme.text === 'OR') {
      joinNext = clauses.length > 0 && !clauses[clauses.length - 1]!.negated;
      continue;
    }
    const alt = alternative(lexeme);
    const last = clauses[clauses.length - 1];
    if (alt !== null && joinNext && last !== undefined && !lexeme.negated) {
      clauses[clauses.length - 1] = { alternatives: [...last.alternatives, alt], negated: false };
    } else if (alt !== null) {
      clauses.push({ alternatives: [alt], negated: lexeme.negated });
    }
    joinNext = false;
  }
  return queryOfClauses(clauses, filters);
}
