// Query syntax (docs/contract.md "Matching"): AND of terms, Chinese runs read as their words, "…" phrases, -term, OR,
// lenient reading of malformed input; and the sorted-id set operations the matcher is built on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery, queryFilters, type ParsedQuery } from '../server/search/query.js';
import { allIds, ascending as ascendingIds, bitmapIds, bitmapWords, filterBitmap, filterIds, hasId, intersectAll as intersectIds, unionAll as unionIds, unionBitmap, type IdList } from '../server/search/sets.js';
import { mixedText } from './support/arbitraries.js';

/** A compact view of the clauses: [negated, [[kind, folded, required]…]]. */
function shape(query: string): [boolean, [string, string, readonly string[]][]][] {
  return parseQuery(query).clauses.map((clause) => [
    clause.negated,
    clause.alternatives.map((alt): [string, string, readonly string[]] => [alt.kind, alt.folded, alt.required]),
  ]);
}

const EMPTY: ParsedQuery = { clauses: [], filters: [], terms: [] };

describe('parseQuery: terms and words', () => {
  it('reads whitespace-separated terms as an AND of clauses', () => {
    expect(shape('支付寶 系統')).toEqual([
      [false, [['words', '支付宝', ['支付宝']]]],
      [false, [['words', '系统', ['系统']]]],
    ]);
    expect(parseQuery('支付寶 系統').terms).toEqual(['支付宝', '系统']);
  });

  it('reads a Chinese run without spaces as its words, each required, keeping the whole run', () => {
    const parsed = parseQuery('支付寶系統');
    expect(parsed.terms).toEqual(['支付宝', '系统']);
    expect(shape('支付寶系統')).toEqual([[false, [['words', '支付宝系统', ['支付宝', '系统']]]]]);
  });

  it('folds Traditional, Simplified, full-width and upper case to the same terms', () => {
    expect(parseQuery('支付宝系统').terms).toEqual(parseQuery('支付寶系統').terms);
    expect(parseQuery('ＣＴＯ').terms).toEqual(['cto']);
    expect(parseQuery('cto').terms).toEqual(['cto']);
    expect(parseQuery('CTO').terms).toEqual(['cto']);
  });

  it('keeps English words and numbers whole in mixed text: CTO, iPad, 2135, 雙11, 64K', () => {
    expect(parseQuery('iPad').terms).toEqual(['ipad']);
    expect(parseQuery('2135').terms).toEqual(['2135']);
    expect(parseQuery('64K').terms).toEqual(['64k']);
    expect(parseQuery('雙11').terms).toEqual(['双', '11']);
    expect(shape('雙11')).toEqual([[false, [['words', '双11', ['双', '11']]]]]);
    expect(parseQuery('程立CTO').terms).toEqual(['程立', 'cto']);
    expect(parseQuery('支付寶2135億').terms).toEqual(['支付宝', '2135', '亿']);
    expect(parseQuery('ｉＰａｄ ６４Ｋ').terms).toEqual(['ipad', '64k']);
  });

  it('drops punctuation between words of a run but requires the words', () => {
    expect(parseQuery('支付寶,系統').terms).toEqual(['支付宝', '系统']);
    expect(parseQuery('支付寶，系統。').terms).toEqual(['支付宝', '系统']);
  });

  it('requires a term made only of symbols as itself', () => {
    expect(shape('……')).toEqual([[false, [['words', '......', ['......']]]]]);
    expect(parseQuery('😀').terms).toEqual(['😀']);
  });

  it('lists a repeated word once', () => {
    expect(shape('支付寶支付寶')[0]![1][0]![2]).toEqual(['支付宝']);
  });
});

describe('parseQuery: phrases, exclusion, OR', () => {
  it('reads "…" as one exact phrase, spaces included', () => {
    expect(shape('"支付寶 系統"')).toEqual([[false, [['phrase', '支付宝 系统', ['支付宝 系统']]]]]);
    expect(parseQuery('"支付寶 系統"').terms).toEqual(['"支付宝 系统"']);
  });

  it('reads a phrase next to other terms', () => {
    expect(shape('程立 "支付寶系統" CTO')).toEqual([
      [false, [['words', '程立', ['程立']]]],
      [false, [['phrase', '支付宝系统', ['支付宝系统']]]],
      [false, [['words', 'cto', ['cto']]]],
    ]);
  });

  it('accepts full-width and CJK quotation marks as quotes', () => {
    for (const query of ['＂支付寶＂', '“支付寶”', '「支付寶」', '『支付寶』']) {
      expect(shape(query), query).toEqual([[false, [['phrase', '支付宝', ['支付宝']]]]]);
    }
  });

  it('reads -term as an exclusion, also with a full-width minus', () => {
    expect(shape('支付寶 -淘寶')).toEqual([
      [false, [['words', '支付宝', ['支付宝']]]],
      [true, [['words', '淘宝', ['淘宝']]]],
    ]);
    expect(parseQuery('支付寶 -淘寶').terms).toEqual(['支付宝', '-淘宝']);
    expect(shape('支付寶 －淘寶')).toEqual(shape('支付寶 -淘寶'));
  });

  it('excludes a phrase with -"…"', () => {
    expect(shape('支付 -"支付 寶"')).toEqual([
      [false, [['words', '支付', ['支付']]]],
      [true, [['phrase', '支付 宝', ['支付 宝']]]],
    ]);
    expect(parseQuery('支付 -"支付 寶"').terms).toEqual(['支付', '-"支付 宝"']);
  });

  it('keeps a hyphen inside a word as part of the term', () => {
    expect(parseQuery('e-mail').clauses).toHaveLength(1);
    expect(parseQuery('e-mail').clauses[0]!.negated).toBe(false);
  });

  it('joins two terms with OR into one clause that accepts either', () => {
    expect(shape('支付寶 OR 微信')).toEqual([[false, [['words', '支付宝', ['支付宝']], ['words', '微信', ['微信']]]]]);
    expect(parseQuery('支付寶 OR 微信').terms).toEqual(['支付宝 OR 微信']);
  });

  it('chains OR across several terms and ANDs the rest', () => {
    expect(shape('a OR b OR c')).toEqual([[false, [['words', 'a', ['a']], ['words', 'b', ['b']], ['words', 'c', ['c']]]]]);
    expect(parseQuery('支付寶 OR 微信 系統').terms).toEqual(['支付宝 OR 微信', '系统']);
    expect(shape('支付寶 OR "微信 支付"')).toEqual([
      [false, [['words', '支付宝', ['支付宝']], ['phrase', '微信 支付', ['微信 支付']]]],
    ]);
  });

  it('reads lower-case "or" as an ordinary word', () => {
    expect(shape('a or b')).toHaveLength(3);
    expect(parseQuery('a or b').terms).toEqual(['a', 'or', 'b']);
  });

  it('does not OR an exclusion into a positive clause', () => {
    expect(shape('a OR -b')).toEqual([
      [false, [['words', 'a', ['a']]]],
      [true, [['words', 'b', ['b']]]],
    ]);
    expect(shape('-a OR b')).toEqual([
      [true, [['words', 'a', ['a']]]],
      [false, [['words', 'b', ['b']]]],
    ]);
  });
});

describe('parseQuery: lenient with malformed syntax', () => {
  it('runs an unclosed quote to the end of the query', () => {
    expect(shape('"unclosed 支付寶')).toEqual([[false, [['phrase', 'unclosed 支付宝', ['unclosed 支付宝']]]]]);
    expect(shape('程立 "支付寶')).toEqual([
      [false, [['words', '程立', ['程立']]]],
      [false, [['phrase', '支付宝', ['支付宝']]]],
    ]);
  });

  it('ignores a lone -, a lone quote and empty quotes', () => {
    expect(parseQuery('-')).toEqual(EMPTY);
    expect(parseQuery('"')).toEqual(EMPTY);
    expect(parseQuery('""')).toEqual(EMPTY);
    expect(parseQuery('－')).toEqual(EMPTY);
    expect(parseQuery('支付 - 系統').terms).toEqual(['支付', '系统']);
    expect(parseQuery('支付 "" 系統').terms).toEqual(['支付', '系统']);
  });

  it('ignores OR OR, a leading OR and a trailing OR', () => {
    expect(parseQuery('OR')).toEqual(EMPTY);
    expect(parseQuery('OR OR')).toEqual(EMPTY);
    expect(parseQuery('OR 支付').terms).toEqual(['支付']);
    expect(parseQuery('支付 OR').terms).toEqual(['支付']);
    expect(parseQuery('支付 OR OR 系統').terms).toEqual(['支付 OR 系统']);
    expect(shape('OR 支付 OR')).toEqual([[false, [['words', '支付', ['支付']]]]]);
  });

  it('understands an empty or whitespace-only query as nothing', () => {
    expect(parseQuery('')).toEqual(EMPTY);
    expect(parseQuery('   ')).toEqual(EMPTY);
    expect(parseQuery(' \t\n\u3000\u00a0 ')).toEqual(EMPTY);
  });

  it('ignores terms that fold to nothing (invisible characters)', () => {
    expect(parseQuery('\u200b')).toEqual(EMPTY);
    expect(parseQuery('支付 \u200b\ufeff').terms).toEqual(['支付']);
  });

  it('never throws and only produces non-empty folded terms, whatever the input', () => {
    const operators = fc.constantFrom('"', '-', '－', 'OR', ' ', '“', '」', '＂', '\u3000');
    const query = fc.array(fc.oneof(mixedText, operators, fc.string({ unit: 'binary' })), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(query, (text) => {
        const parsed = parseQuery(text);
        for (const clause of parsed.clauses) {
          expect(clause.alternatives.length).toBeGreaterThan(0);
          if (clause.negated) expect(clause.alternatives).toHaveLength(1);
          for (const alt of clause.alternatives) {
            expect(alt.folded).not.toBe('');
            expect(alt.folded).toBe(alt.folded.trim());
            expect(alt.required.length).toBeGreaterThan(0);
            for (const word of alt.required) expect(alt.folded).toContain(word);
          }
        }
        expect(parsed.terms.length).toBeGreaterThanOrEqual(parsed.clauses.length > 0 ? 1 : 0);
      }),
      { numRuns: 400, seed: 20240601 },
    );
  });
});

// ---- sets.ts against a naive Set implementation ----

/** Sorted, distinct lists of small non-negative ids (small so that lists overlap often). */
const idList = fc.uniqueArray(fc.nat({ max: 300 }), { maxLength: 60 }).map((ids) => ids.sort((a, b) => a - b));
function naiveIntersect(lists: readonly (readonly number[])[]): number[] {
  if (lists.length === 0) return [];
  const sets = lists.map((list) => new Set(list));
  return [...sets[0]!].filter((id) => sets.every((set) => set.has(id))).sort((a, b) => a - b);
}
const naiveUnion = (lists: readonly (readonly number[])[]): number[] => [...new Set(lists.flat())].sort((a, b) => a - b);

// The set operations take and give Uint32Arrays; the tests read and write plain arrays.
const ids = (list: readonly number[]): IdList => Uint32Array.from(list);
const plain = (list: IdList): number[] => [...list];
const ascending = (list: readonly number[]): number[] => plain(ascendingIds(list));
const intersectAll = (lists: readonly (readonly number[])[]): number[] => plain(intersectIds(lists.map(ids)));
const unionAll = (lists: readonly (readonly number[])[]): number[] => plain(unionIds(lists.map(ids)));

describe('sets', () => {
  it('ascending returns a sorted list unchanged and sorts and dedupes anything else', () => {
    const sorted = ids([1, 4, 9]);
    expect(ascendingIds(sorted)).toBe(sorted); // no copy
    expect(ascending([])).toEqual([]);
    expect(ascending([3, 1, 2, 3, 1])).toEqual([1, 2, 3]);
    expect(ascending([1, 1])).toEqual([1]);
    expect(ascending([10, 9, 100])).toEqual([9, 10, 100]); // numeric, not lexicographic
  });

  it('ascending matches a naive sort of the distinct ids', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { maxLength: 80 }), (ids) => {
        expect(ascending([...ids])).toEqual([...new Set(ids)].sort((a, b) => a - b));
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it('intersectAll matches a naive intersection', () => {
    expect(intersectAll([])).toEqual([]);
    expect(intersectAll([[1, 2, 3]])).toEqual([1, 2, 3]);
    expect(intersectAll([[1, 5, 9], [], [5]])).toEqual([]);
    expect(intersectAll([[1, 3, 5, 7, 9, 11, 13, 15, 17], [2, 3, 17], [3, 4, 17, 18]])).toEqual([3, 17]);
    fc.assert(
      fc.property(fc.array(idList, { minLength: 1, maxLength: 5 }), (lists) => {
        expect(intersectAll(lists)).toEqual(naiveIntersect(lists));
      }),
      { numRuns: 1000, seed: 2 },
    );
  });

  it('intersectAll gallops correctly through long lists against short ones', () => {
    const long = Array.from({ length: 5000 }, (_, i) => i * 3);
    fc.assert(
      fc.property(idList.map((ids) => ids.map((id) => id * 50)), (short) => {
        expect(intersectAll([long, short])).toEqual(naiveIntersect([long, short]));
        expect(intersectAll([short, long, long])).toEqual(naiveIntersect([short, long]));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('intersectAll and unionAll do not modify their inputs', () => {
    const a = ids([1, 2, 3]);
    const b = ids([2, 3, 4]);
    intersectIds([a, b]);
    unionIds([a, b]);
    expect(plain(a)).toEqual([1, 2, 3]);
    expect(plain(b)).toEqual([2, 3, 4]);
  });

  it('filterIds keeps the ids a predicate accepts, in order, and allIds counts from 0', () => {
    expect(plain(filterIds(ids([1, 4, 6, 9]), (id) => id % 2 === 0))).toEqual([4, 6]);
    expect(plain(filterIds(ids([]), () => true))).toEqual([]);
    expect(plain(allIds(4))).toEqual([0, 1, 2, 3]);
    expect(plain(allIds(0))).toEqual([]);
  });

  it('unionAll matches a naive union', () => {
    expect(unionAll([])).toEqual([]);
    expect(unionAll([[], []])).toEqual([]);
    fc.assert(
      fc.property(fc.array(idList, { minLength: 1, maxLength: 5 }), (lists) => {
        expect(unionAll(lists)).toEqual(naiveUnion(lists));
      }),
      { numRuns: 1000, seed: 4 },
    );
  });

  it('unionAll of empty lists allocates nothing large (regression: −1 >>> 5 asked for 2^27 words)', () => {
    const original = globalThis.Uint32Array;
    const lengths: number[] = [];
    globalThis.Uint32Array = new Proxy(original, {
      construct(target, args: unknown[]) {
        if (typeof args[0] === 'number') lengths.push(args[0]);
        return Reflect.construct(target, args) as object;
      },
    });
    let union: IdList;
    try {
      union = unionIds([new original(0), new original(0), new original(0)]);
    } finally {
      globalThis.Uint32Array = original;
    }
    expect(plain(union)).toEqual([]);
    expect(Math.max(0, ...lengths)).toBeLessThan(1024);
  });

  it('unionBitmap of lists and of bitmaps matches a naive union, with its count; filterBitmap a naive filter', () => {
    const bound = 301; // idList's ids are at most 300
    fc.assert(
      fc.property(fc.array(idList, { maxLength: 5 }), fc.array(idList, { maxLength: 3 }), (lists, asBitmaps) => {
        const union = unionBitmap(lists.map(ids), asBitmaps.map((list) => bitmapWords(ids(list), bound)), bound);
        const expected = naiveUnion([...lists, ...asBitmaps]);
        expect(plain(bitmapIds(union))).toEqual(expected);
        expect(union.count).toBe(expected.length);
        for (let id = 0; id < bound; id++) expect(hasId(union.words, id)).toBe(expected.includes(id));
        const odd = filterBitmap(union, (id) => id % 2 === 1);
        expect(plain(bitmapIds(odd))).toEqual(expected.filter((id) => id % 2 === 1));
        expect(odd.count).toBe(expected.filter((id) => id % 2 === 1).length);
        expect(plain(bitmapIds(union))).toEqual(expected); // filterBitmap left its input alone
      }),
      { numRuns: 500, seed: 5 },
    );
    // Every bit of a word, the sign bit included, and a bound that is not a multiple of 32.
    const edges = [0, 1, 30, 31, 32, 63, 64, 95, 96, 99];
    const union = unionBitmap([ids(edges.slice(0, 5))], [bitmapWords(ids(edges.slice(5)), 100)], 100);
    expect(plain(bitmapIds(union))).toEqual(edges);
    expect(union.words.length).toBe(4);
    expect(union.count).toBe(edges.length);
  });

  it('unionAll reads back every bit of its 32-id words, the sign bit included', () => {
    const edges = [0, 1, 30, 31, 32, 33, 63, 64, 95, 96, 2 ** 20 - 1, 2 ** 20, 2 ** 20 + 31];
    expect(unionAll([edges.filter((_, i) => i % 2 === 0), edges.filter((_, i) => i % 2 === 1)])).toEqual(edges);
    const dense = Array.from({ length: 200 }, (_, i) => i);
    expect(unionAll([dense.filter((id) => id % 3 === 0), dense.filter((id) => id % 3 !== 0), [31, 63]])).toEqual(dense);
  });
});

describe('parseQuery: filters', () => {
  it('takes key:value filters out of the terms, with their place in the text', () => {
    const q = '支付 in:报告/2024 type:pdf after:2024-01-01';
    const parsed = parseQuery(q);
    expect(parsed.terms).toEqual(['支付']);
    expect(parsed.filters.map(({ key, value }) => [key, value])).toEqual([
      ['in', '报告/2024'],
      ['type', 'pdf'],
      ['after', '2024-01-01'],
    ]);
    expect(parsed.filters.map(({ span }) => q.slice(span[0], span[1]))).toEqual(['in:报告/2024', 'type:pdf', 'after:2024-01-01']);
  });

  it('reads a quoted value whole, spaces and CJK quotes included', () => {
    const q = '报告 in:"年度 报告" title:「双十一 洪峰」';
    const parsed = parseQuery(q);
    expect(parsed.filters.map(({ key, value }) => [key, value])).toEqual([
      ['in', '年度 报告'],
      ['title', '双十一 洪峰'],
    ]);
    expect(parsed.filters.map(({ span }) => q.slice(span[0], span[1]))).toEqual(['in:"年度 报告"', 'title:「双十一 洪峰」']);
    expect(parsed.terms).toEqual(['报告']);
  });

  it('leaves other colons alone: unknown keys, an empty value, a negated key, upper case', () => {
    expect(parseQuery('http://example.com').filters).toEqual([]);
    expect(parseQuery('in: 支付').filters).toEqual([]);
    expect(parseQuery('-type:pdf').filters).toEqual([]);
    expect(parseQuery('TYPE:pdf').filters).toEqual([]);
    expect(parseQuery('时间:2024').filters).toEqual([]);
  });

  it('queryFilters gives the filters parseQuery finds, without reading the words', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('in:报告/2024', 'type:pdf', 'title:"年度 报告"', '支付宝', '-type:pdf', 'OR', 'after:2024-01-01', '"引号'), mixedText), { maxLength: 6 }), (parts) => {
        const q = parts.join(' ');
        expect(queryFilters(q)).toEqual(parseQuery(q).filters);
      }),
    );
  });
});
