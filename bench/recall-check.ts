// The recall guarantee (docs/contract.md "Matching") checked against a plain scan: when the folded text of a
// paragraph contains the folded query string, that paragraph is found, whatever the word segmentation did.
// test/recall.test.ts checks it on the committed corpus; `npm run bench:recall -- --index DIR` on any built
// index (the growth corpora of bench/make-growth-corpus.ts), where a full check of a common character's hundreds
// of thousands of hits would take hours, so hits past `fullCheckUpTo` are checked by their count.
import { foldString } from '../indexer/analyzer/index.js';
import type { LoadedIndex } from '../indexer/index/load.js';
import type { Searcher } from '../server/search/engine.js';
import { parseQuery } from '../server/search/query.js';

export interface RecallQuery {
  readonly query: string;
  /** How it was made: original, other script, other case, full-width, astral. */
  readonly variant: string;
}

/** ASCII 0x21–0x7E to the full-width forms U+FF01–U+FF5E (space to U+3000). */
export function toFullWidth(text: string): string {
  return text.replace(/[\x20-\x7e]/g, (ch) => (ch === ' ' ? '\u3000' : String.fromCharCode(ch.charCodeAt(0) + 0xfee0)));
}

/**
 * `count` query strings (at least) cut from `texts`, the same for the same `random`: cuts of 1–6 code points
 * (most cross word boundaries), a third of them at Latin letters or digits, each also in the other script, case
 * and width. `toTraditional` gives the Traditional form; without it the other script is the folded form only.
 */
export function sampleRecallQueries(texts: readonly string[], count: number, random: () => number, toTraditional?: (text: string) => string): RecallQuery[] {
  const seen = new Set<string>();
  const out: RecallQuery[] = [];
  const add = (query: string, variant: string): void => {
    if (query.trim() === '' || seen.has(query)) return;
    seen.add(query);
    out.push({ query, variant });
  };
  // Cuts starting at Latin letters, in every case and width (a corpus mostly of CJK has few, so they are sought out).
  const latinTexts = texts.filter((text) => /[A-Za-z]/.test(text));
  for (let k = 0; k < 150 && latinTexts.length > 0; k++) {
    const text = latinTexts[Math.floor(random() * latinTexts.length)]!;
    const starts = [...text.matchAll(/[A-Za-z]/g)].map((m) => m.index);
    const at = starts[Math.floor(random() * starts.length)]!;
    const original = text.slice(at, at + 1 + Math.floor(random() * 6)).replace(/[\ud800-\udbff]$/, '');
    add(original, 'original');
    add(original.toUpperCase(), 'other case');
    add(original.toLowerCase(), 'other case');
    add(toFullWidth(original), 'full-width');
    add(toFullWidth(original.toLowerCase()), 'full-width');
  }
  for (let tries = 0; out.length < count && tries < 100 * count; tries++) {
    const text = texts[Math.floor(random() * texts.length)]!;
    const points = [...text];
    const length = 1 + Math.floor(random() * 6);
    let at = Math.floor(random() * Math.max(1, points.length - length + 1));
    if (random() < 0.3) {
      const latin = points.flatMap((ch, i) => (/[A-Za-z0-9]/.test(ch) ? [i] : []));
      if (latin.length > 0) at = latin[Math.floor(random() * latin.length)]!;
    }
    const original = points.slice(at, at + length).join('');
    add(original, 'original');
    add(foldString(original), 'other script'); // Traditional → Simplified (and full-width, case folded)
    if (toTraditional !== undefined) add(toTraditional(original), 'other script');
    if (/[\x21-\x7e]/.test(original)) add(toFullWidth(original), 'full-width');
    if (original.toUpperCase() !== original) add(original.toUpperCase(), 'other case');
    if (original.toLowerCase() !== original) add(original.toLowerCase(), 'other case');
    if (/[A-Za-z]/.test(original)) add(toFullWidth(original.toUpperCase()), 'full-width');
  }
  return out;
}

/** Strings around every astral character of `texts`, cut on code points and, raw, inside a surrogate pair. */
export function astralRecallQueries(texts: readonly string[]): RecallQuery[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (let i = 0; i < text.length; i++) {
      if ((text.charCodeAt(i) & 0xfc00) !== 0xd800) continue;
      out.add(text.slice(i, i + 2));
      out.add(text.slice(Math.max(0, i - 2), i + 2));
      out.add(text.slice(i, i + 4));
      out.add(foldString(text.slice(Math.max(0, i - 1), i + 3)));
      out.add(text.slice(i, i + 1)); // a lone high surrogate
      out.add(text.slice(i + 1, i + 3)); // a lone low surrogate and the next character
    }
  }
  return [...out].filter((query) => query.trim() !== '').map((query) => ({ query, variant: 'astral' }));
}

// Characters that are query syntax when they start a term (quotes) or are one (OR, -): a string holding them
// is not searched bare. Whitespace separates terms. Such strings are searched as a phrase where one can hold them.
const QUOTE = /["“”「」『』＂]/;
const isBareSafe = (q: string): boolean => !QUOTE.test(q) && !/\s/u.test(q) && !/^[-－]/.test(q) && q !== 'OR';
const isPhraseSafe = (q: string): boolean => !QUOTE.test(q) && foldString(q).trim() === foldString(q);

export interface AllResults {
  /** Global paragraph ids, in the order of the hits. */
  readonly ids: number[];
  readonly total: number;
  readonly relaxed: boolean;
}

export interface RecallOutcome {
  readonly failures: string[];
  readonly bare: boolean;
  readonly phrase: boolean;
  /** Whether some paragraph contains the query string. */
  readonly occurs: boolean;
  /** Whether its hits were checked by their count alone (more than `fullCheckUpTo`). */
  readonly byCount: boolean;
}

export interface RecallCheckOptions {
  /** Hits asked per page when every hit is read (the test pages by 100 to check that pages join up). */
  readonly pageSize?: number;
  /** More hits than this are checked by their count, not one by one (default: every hit one by one). */
  readonly fullCheckUpTo?: number;
}

const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

export interface RecallChecker {
  /** Paragraphs whose folded text contains every one of `needles`, ascending. */
  scan(needles: readonly string[]): number[];
  /** Every result of `query`, page by page; each page must agree with the first on the total. */
  searchAll(query: string): AllResults;
  check(query: RecallQuery): RecallOutcome;
}

export function recallChecker(searcher: Searcher, index: LoadedIndex, { pageSize = 100, fullCheckUpTo = Infinity }: RecallCheckOptions = {}): RecallChecker {
  const globalId = new Map<string, number>();
  for (const document of index.documents) {
    for (let n = 0; n < document.paragraphCount; n++) globalId.set(`${document.id}#${n}`, document.firstParagraph + n);
  }

  function scan(needles: readonly string[]): number[] {
    const out: number[] = [];
    for (let id = 0; id < index.paragraphCount; id++) {
      const text = index.foldedParagraph(id);
      if (needles.every((needle) => text.includes(needle))) out.push(id);
    }
    return out;
  }

  function searchAll(query: string): AllResults {
    const ids: number[] = [];
    let total = -1;
    let relaxed = false;
    for (let offset = 0; ; offset += pageSize) {
      const response = searcher.search(query, { limit: pageSize, offset });
      if (total === -1) ({ total, relaxed } = response);
      if (response.total !== total || response.relaxed !== relaxed) throw new Error(`${JSON.stringify(query)}: page ${offset / pageSize + 1} answers another total`);
      if (response.hits.length !== Math.max(0, Math.min(pageSize, total - offset))) throw new Error(`${JSON.stringify(query)}: page ${offset / pageSize + 1} has ${response.hits.length} hits`);
      for (const hit of response.hits) ids.push(globalId.get(hit.id)!);
      if (offset + pageSize >= total) break;
    }
    return { ids, total, relaxed };
  }

  /** Total and relaxed from the first page alone. */
  const counted = (query: string): { total: number; relaxed: boolean } => {
    const { total, relaxed } = searcher.search(query, { limit: 1, offset: 0 });
    return { total, relaxed };
  };

  function check({ query, variant }: RecallQuery): RecallOutcome {
    const failures: string[] = [];
    const folded = foldString(query);
    const expected = scan([folded]);
    const byCount = expected.length > fullCheckUpTo;
    const bare = isBareSafe(query);
    const phrase = isPhraseSafe(query);
    if (bare) {
      // Not relaxed: exactly the paragraphs that contain every word the query was read as.
      const words = parseQuery(query).clauses.flatMap((clause) => clause.alternatives.flatMap((alt) => alt.required));
      if (byCount) {
        const { total, relaxed } = counted(query);
        if (relaxed) failures.push(`${JSON.stringify(query)}: relaxed although ${expected.length} paragraphs contain it`);
        else if (words.length > 0) {
          const exact = scan(words).length;
          if (total !== exact) failures.push(`${JSON.stringify(query)}: total ${total}, ${exact} paragraphs have every word`);
        }
      } else {
        const actual = searchAll(query);
        const found = new Set(actual.ids);
        if (found.size !== actual.ids.length) failures.push(`${JSON.stringify(query)}: duplicate hits across pages`);
        if (actual.total !== actual.ids.length) failures.push(`${JSON.stringify(query)}: total ${actual.total}, ${actual.ids.length} hits`);
        const missing = expected.filter((id) => !found.has(id));
        if (missing.length > 0) failures.push(`${JSON.stringify(query)} (${variant}): ${missing.length} of ${expected.length} paragraphs missing, e.g. #${missing[0]}`);
        if (expected.length > 0 && actual.relaxed) failures.push(`${JSON.stringify(query)}: relaxed although ${expected.length} paragraphs contain it`);
        if (!actual.relaxed && words.length > 0) {
          const exact = scan(words);
          if (sorted(actual.ids).join() !== exact.join()) failures.push(`${JSON.stringify(query)}: ${actual.ids.length} hits, ${exact.length} paragraphs have every word`);
        }
      }
    }
    if (phrase) {
      if (byCount) {
        const { total, relaxed } = counted(`"${query}"`);
        if (relaxed) failures.push(`"${query}": a phrase query was relaxed`);
        if (total !== expected.length) failures.push(`"${query}" (${variant}): total ${total}, the scan finds ${expected.length}`);
      } else {
        const actual = searchAll(`"${query}"`);
        if (actual.relaxed) failures.push(`"${query}": a phrase query was relaxed`);
        if (sorted(actual.ids).join() !== expected.join()) failures.push(`"${query}" (${variant}): ${actual.ids.length} hits, the scan finds ${expected.length}`);
        for (const id of actual.ids) if (!index.foldedParagraph(id).includes(folded)) failures.push(`"${query}": hit #${id} does not contain the phrase`);
      }
    }
    return { failures, bare, phrase, occurs: expected.length > 0, byCount };
  }

  return { scan, searchAll, check };
}
