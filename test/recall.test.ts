// The recall guarantee (docs/contract.md "Matching"): when the folded text of a paragraph contains the folded query
// string, that paragraph is found — whatever the word segmentation did. Checked against a plain scan for well
// over a thousand query strings cut at random from the seed corpus and the eval sample (so most cross word
// boundaries), in the original script, the other script, full-width and upper case.
import * as OpenCC from 'opencc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { createSearcher, type Searcher } from '../server/search/engine.js';
import { parseQuery } from '../server/search/query.js';
import { RANKING } from '../server/search/rank-query.js';
import { loadSeedAndSampleIndex, globalParagraphIds, seededRandom, toFullWidth, type TestIndex } from './support/search-index.js';
import { allTexts } from './support/texts.js';

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

let built: TestIndex;
let searcher: Searcher;
/** `${docId}#${n}` → global paragraph id. */
let globalId: Map<string, number>;

beforeAll(async () => {
  built = await loadSeedAndSampleIndex();
  searcher = createSearcher(built.index);
  // With the vocabulary, as a server has it: Latin runs may be read as pinyin, hanzi are never read by sound.
  await searcher.prepareVocabulary();
  globalId = globalParagraphIds(built.index);
});
afterAll(() => built?.cleanup());

interface AllResults {
  readonly ids: number[];
  readonly total: number;
  readonly relaxed: boolean;
}

/** Every result of `query`, paging through with limit 100. */
function searchAll(query: string): AllResults {
  const ids: number[] = [];
  let total = -1;
  let relaxed = false;
  for (let offset = 0; ; offset += 100) {
    const response = searcher.search(query, { limit: 100, offset });
    if (total === -1) {
      total = response.total;
      relaxed = response.relaxed;
    }
    // The answer does not change from page to page.
    expect(response.total).toBe(total);
    expect(response.relaxed).toBe(relaxed);
    expect(response.hits.length).toBe(Math.max(0, Math.min(100, total - offset)));
    for (const hit of response.hits) ids.push(globalId.get(hit.id)!);
    if (offset + 100 >= total) break;
  }
  return { ids, total, relaxed };
}

/** The plain scan: paragraphs whose folded text contains every one of `needles`. */
function scan(needles: readonly string[]): number[] {
  const out: number[] = [];
  allTexts(built.index).map((_, id) => built.index.foldedParagraph(id)).forEach((text, id) => {
    if (needles.every((needle) => text.includes(needle))) out.push(id);
  });
  return out;
}

const sorted = (ids: readonly number[]): number[] => [...ids].sort((a, b) => a - b);

// Characters that are query syntax when they start a term (quotes) or are one (OR, -): a string holding them
// is not searched bare. Whitespace separates terms. Such strings are searched as a phrase where one can hold them.
const QUOTE = /["“”「」『』＂]/;
const isBareSafe = (q: string): boolean => !QUOTE.test(q) && !/\s/u.test(q) && !/^[-－]/.test(q) && q !== 'OR';
const isPhraseSafe = (q: string): boolean => !QUOTE.test(q) && foldString(q).trim() === foldString(q);

/** Query strings cut from the paragraphs, deterministically. */
function sampleQueries(count: number): { query: string; variant: string }[] {
  const random = seededRandom(0x5eed);
  const texts = allTexts(built.index);
  const seen = new Set<string>();
  const out: { query: string; variant: string }[] = [];
  const add = (query: string, variant: string): void => {
    if (query.trim() === '' || seen.has(query)) return;
    seen.add(query);
    out.push({ query, variant });
  };
  // Cuts starting at Latin letters, in every case and width (the corpus is mostly CJK, so they are sought out).
  const latinTexts = texts.filter((text) => /[A-Za-z]/.test(text));
  for (let k = 0; k < 150; k++) {
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
  while (out.length < count) {
    const text = texts[Math.floor(random() * texts.length)]!;
    const points = [...text];
    const length = 1 + Math.floor(random() * 6);
    let at = Math.floor(random() * Math.max(1, points.length - length + 1));
    // About a third of the cuts start at Latin letters or digits, when the paragraph has any.
    if (random() < 0.3) {
      const latin = points.flatMap((ch, i) => (/[A-Za-z0-9]/.test(ch) ? [i] : []));
      if (latin.length > 0) at = latin[Math.floor(random() * latin.length)]!;
    }
    const original = points.slice(at, at + length).join('');
    add(original, 'original');
    add(foldString(original), 'other script'); // Traditional → Simplified (and full-width, case folded)
    add(toTraditional(original), 'other script'); // Simplified → Traditional
    if (/[\x21-\x7e]/.test(original)) add(toFullWidth(original), 'full-width');
    if (original.toUpperCase() !== original) add(original.toUpperCase(), 'other case');
    if (original.toLowerCase() !== original) add(original.toLowerCase(), 'other case');
    if (/[A-Za-z]/.test(original)) add(toFullWidth(original.toUpperCase()), 'full-width');
  }
  return out;
}

/** Strings around every astral character of the corpus, cut on code points and, raw, inside a surrogate pair. */
function astralQueries(): string[] {
  const out = new Set<string>();
  for (const text of allTexts(built.index)) {
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
  return [...out].filter((q) => q.trim() !== '');
}

describe('recall guarantee', () => {
  it('finds every paragraph whose folded text contains the folded query, for random substrings in every script and width', () => {
    const queries = [...sampleQueries(2000), ...astralQueries().map((query) => ({ query, variant: 'astral' }))];
    const failures: string[] = [];
    const counts = { strings: queries.length, bare: 0, phrase: 0, skipped: 0, withMatches: 0 };
    const variants = new Map<string, number>();
    for (const { query, variant } of queries) {
      const folded = foldString(query);
      const expected = scan([folded]);
      if (expected.length > 0) counts.withMatches++;
      variants.set(variant, (variants.get(variant) ?? 0) + 1);
      let checked = false;

      if (isBareSafe(query)) {
        checked = true;
        counts.bare++;
        const actual = searchAll(query);
        const found = new Set(actual.ids);
        if (found.size !== actual.ids.length) failures.push(`${JSON.stringify(query)}: duplicate hits across pages`);
        if (actual.total !== actual.ids.length) failures.push(`${JSON.stringify(query)}: total ${actual.total}, ${actual.ids.length} hits`);
        const missing = expected.filter((id) => !found.has(id));
        if (missing.length > 0) failures.push(`${JSON.stringify(query)} (${variant}): ${missing.length} of ${expected.length} paragraphs missing, e.g. #${missing[0]}`);
        if (expected.length > 0 && actual.relaxed) failures.push(`${JSON.stringify(query)}: relaxed although ${expected.length} paragraphs contain it`);
        // Not relaxed: exactly the paragraphs that contain every word the query was read as.
        const words = parseQuery(query).clauses.flatMap((clause) => clause.alternatives.flatMap((alt) => alt.required));
        if (!actual.relaxed && words.length > 0) {
          const exact = scan(words);
          if (sorted(actual.ids).join() !== exact.join()) failures.push(`${JSON.stringify(query)}: ${actual.ids.length} hits, ${exact.length} paragraphs have every word`);
        }
      }

      if (isPhraseSafe(query)) {
        checked = true;
        counts.phrase++;
        const actual = searchAll(`"${query}"`);
        if (actual.relaxed) failures.push(`"${query}": a phrase query was relaxed`);
        if (sorted(actual.ids).join() !== expected.join()) {
          failures.push(`"${query}" (${variant}): ${actual.ids.length} hits, the scan finds ${expected.length}`);
        }
        for (const id of actual.ids) {
          if (!built.index.foldedParagraph(id).includes(folded)) failures.push(`"${query}": hit #${id} does not contain the phrase`);
        }
      }
      if (!checked) counts.skipped++;
    }
    console.log(
      `recall: ${counts.strings} query strings (${[...variants].map(([v, n]) => `${v} ${n}`).join(', ')}); ` +
        `${counts.bare} searched bare, ${counts.phrase} as a "phrase", ${counts.skipped} skipped as pure syntax; ` +
        `${counts.withMatches} occur in the corpus`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(counts.bare + counts.phrase).toBeGreaterThanOrEqual(2000);
    expect(counts.bare).toBeGreaterThanOrEqual(1000);
    expect(counts.withMatches).toBeGreaterThanOrEqual(1000);
    expect(variants.get('full-width') ?? 0).toBeGreaterThanOrEqual(50);
    expect(variants.get('other case') ?? 0).toBeGreaterThanOrEqual(50);
    expect(variants.get('other script') ?? 0).toBeGreaterThanOrEqual(300);
  });

  it('finds a string that crosses a word boundary: the end of one word and the start of the next', () => {
    // 支付寶系統 is read as 支付宝|系统; 寶系 belongs to neither word and must still be found.
    const expected = scan([foldString('寶系')]);
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(searchAll('寶系').ids)).toEqual(expected);
    expect(sorted(searchAll('宝系').ids)).toEqual(expected);
    expect(sorted(searchAll('"寶系"').ids)).toEqual(expected);
  });

  it('finds strings of punctuation and symbols only (no index term), by scanning', () => {
    for (const query of ['，', '。「', '……', '%', '（']) {
      const expected = scan([foldString(query)]);
      const actual = searchAll(query);
      expect(sorted(actual.ids), query).toEqual(expected);
    }
  });

  it('regression: pages past the first exactly scored block join up without duplicates or gaps, total exact (common characters)', () => {
    for (const query of ['的', '是', '1', '，']) {
      const expected = scan([foldString(query)]);
      expect(expected.length, query).toBeGreaterThan(2 * RANKING.exactCandidates); // several blocks of exactly scored candidates
      const actual = searchAll(query);
      expect(actual.total).toBe(expected.length);
      expect(new Set(actual.ids).size).toBe(actual.ids.length);
      expect(sorted(actual.ids)).toEqual(expected);
    }
  });
});
