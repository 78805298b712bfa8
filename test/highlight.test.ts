// Highlights and snippets: folded needles mark the ORIGINAL text (UTF-16 ranges), and the snippet is a short,
// well-cut, escaped window around the densest cluster of marks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldKeepsOffsets, foldString, foldWithOffsets } from '../indexer/analyzer/index.js';
import { highlightRanges, mergeRanges, type Range } from '../server/search/highlight.js';
import { chooseSnippet, SNIPPET } from '../server/search/snippet.js';
import type { Snippet } from '../server/search/types.js';
import { snippetMarkup } from '../views/snippet.js';

/** The snippet's markup, as the pages and the JSON endpoint make it. */
const snippetHtml = (text: string, snippet: Snippet): string => snippetMarkup({ text, snippet }).value;
import { fragment, mixedText } from './support/arbitraries.js';
import { onCodePointBoundaries } from './support/search-index.js';
import { escapeHtml, markRanges } from '../views/html.js';

const slices = (text: string, ranges: readonly Range[]): string[] => ranges.map(([s, e]) => text.slice(s, e));
const codePoints = (text: string): number => [...text].length;

/** Checks the invariants every highlight list must have; returns nothing, fails the test on a violation. */
function checkRanges(original: string, needles: readonly string[], ranges: readonly Range[]): void {
  const live = needles.filter((needle) => needle !== '');
  for (const [i, [start, end]] of ranges.entries()) {
    expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(original.length);
    // Sorted, non-overlapping, and merged: touching ranges are one range.
    if (i > 0) expect(start).toBeGreaterThan(ranges[i - 1]![1]);
    expect(onCodePointBoundaries(original, start, end)).toBe(true);
    const folded = foldString(original.slice(start, end));
    expect(live.some((needle) => folded.includes(needle)), `range ${start}-${end} folds to ${JSON.stringify(folded)}`).toBe(true);
  }
  // Composed of needles: every marked unit lies in some occurrence of a needle (overlapping search).
  const text = foldWithOffsets(original);
  const covered = new Uint8Array(original.length);
  for (const needle of live) {
    for (let at = text.folded.indexOf(needle); at >= 0; at = text.folded.indexOf(needle, at + 1)) {
      for (let k = text.sourceStart[at]!; k < text.sourceEnd[at + needle.length - 1]!; k++) covered[k] = 1;
    }
  }
  for (const [start, end] of ranges) for (let k = start; k < end; k++) expect(covered[k], `unit ${k} is marked without a needle`).toBe(1);
  // And every needle found in the folded text is marked.
  const marked = new Uint8Array(original.length);
  for (const [start, end] of ranges) marked.fill(1, start, end);
  for (const needle of live) {
    const at = text.folded.indexOf(needle);
    if (at >= 0) expect(marked[text.sourceStart[at]!], `${JSON.stringify(needle)} occurs but is not marked`).toBe(1);
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * Checks that `html` is the escaped snippet of `text`: the only tags are <mark> and </mark>, balanced and not
 * nested, every & starts an entity, ellipses exactly where text was cut, and unescaping gives the window back.
 */
function checkSnippetHtml(text: string, snippet: Snippet, html: string): void {
  let body = html;
  if (snippet.start > 0) {
    expect(body.startsWith('…')).toBe(true);
    body = body.slice(1);
  }
  if (snippet.end < text.length) {
    expect(body.endsWith('…')).toBe(true);
    body = body.slice(0, -1);
  }
  const parts = body.split(/(<\/?mark>)/);
  let open = false;
  let marks = 0;
  let plain = '';
  for (const part of parts) {
    if (part === '<mark>') {
      expect(open).toBe(false);
      open = true;
      marks++;
    } else if (part === '</mark>') {
      expect(open).toBe(true);
      open = false;
    } else {
      expect(part).not.toMatch(/[<>"']/);
      expect(part.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
      plain += part.replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);
    }
  }
  expect(open).toBe(false);
  expect(marks).toBe(snippet.highlights.length);
  expect(plain).toBe(text.slice(snippet.start, snippet.end).toWellFormed());
}

/** Snippet invariants independent of the text's content. */
function checkSnippet(text: string, highlights: readonly Range[], snippet: Snippet): void {
  expect(snippet.start).toBeGreaterThanOrEqual(0);
  expect(snippet.end).toBeLessThanOrEqual(text.length);
  expect(snippet.start).toBeLessThanOrEqual(snippet.end);
  expect(onCodePointBoundaries(text, snippet.start, snippet.end)).toBe(true);
  const window = text.slice(snippet.start, snippet.end);
  expect(codePoints(window)).toBeLessThanOrEqual(SNIPPET.max);
  const ellipses = (snippet.start > 0 ? 1 : 0) + (snippet.end < text.length ? 1 : 0);
  expect(codePoints(window) + ellipses).toBeLessThanOrEqual(SNIPPET.max + 2);
  if (text.length <= SNIPPET.max) expect([snippet.start, snippet.end]).toEqual([0, text.length]);
  else expect(window.length).toBeGreaterThanOrEqual(Math.min(SNIPPET.min, text.length) - 1);
  // Its highlights: those of the text inside the window, clipped to it, still sorted and disjoint.
  const expected = highlights
    .filter(([s, e]) => e > snippet.start && s < snippet.end)
    .map(([s, e]) => [Math.max(s, snippet.start), Math.min(e, snippet.end)]);
  expect(snippet.highlights).toEqual(expected);
  checkSnippetHtml(text, snippet, snippetHtml(text, snippet));
}

describe('mergeRanges', () => {
  it('sorts and merges overlapping and touching ranges, keeping disjoint ones apart', () => {
    expect(mergeRanges([])).toEqual([]);
    expect(mergeRanges([[5, 7], [1, 3], [3, 4], [6, 9]])).toEqual([[1, 4], [5, 9]]);
    expect(mergeRanges([[0, 10], [2, 3]])).toEqual([[0, 10]]);
    expect(mergeRanges([[4, 5], [0, 1], [2, 3]])).toEqual([[0, 1], [2, 3], [4, 5]]);
  });

  it('does not modify its input', () => {
    const input: [number, number][] = [[3, 4], [1, 3]];
    mergeRanges(input);
    expect(input).toEqual([[3, 4], [1, 3]]);
    // Input already in order is not copied before merging: still never written to.
    const ordered: [number, number][] = [[1, 3], [3, 4], [4, 6]];
    expect(mergeRanges(ordered)).toEqual([[1, 6]]);
    expect(ordered).toEqual([[1, 3], [3, 4], [4, 6]]);
  });

  it('covers exactly the union of its input (property)', () => {
    const range = fc.tuple(fc.nat({ max: 60 }), fc.integer({ min: 1, max: 10 })).map(([s, l]): Range => [s, s + l]);
    fc.assert(
      fc.property(fc.array(range, { maxLength: 15 }), (ranges) => {
        const merged = mergeRanges(ranges);
        const union = new Set(ranges.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k)));
        const cover = new Set(merged.flatMap(([s, e]) => Array.from({ length: e - s }, (_, k) => s + k)));
        expect(cover).toEqual(union);
        for (let i = 1; i < merged.length; i++) expect(merged[i]![0]).toBeGreaterThan(merged[i - 1]![1]);
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe('highlightRanges', () => {
  it('marks the Traditional original characters a Simplified needle matched', () => {
    const text = '支付寶系統在雙11';
    const ranges = highlightRanges(text, ['支付宝', '系统']);
    expect(ranges).toEqual([[0, 5]]); // touching: one range
    expect(highlightRanges(text, ['支付宝'])).toEqual([[0, 3]]);
    expect(slices(text, highlightRanges(text, ['双11']))).toEqual(['雙11']);
  });

  it('maps astral characters both ways: 繻 folds to 𦈡 (two UTF-16 units), 𦈡 stays', () => {
    const needle = foldString('繻');
    expect(needle).toBe('𦈡');
    expect(highlightRanges('繻', [needle])).toEqual([[0, 1]]);
    expect(highlightRanges('𦈡', [needle])).toEqual([[0, 2]]);
    const text = 'a繻b𦈡c';
    expect(slices(text, highlightRanges(text, [needle]))).toEqual(['繻', '𦈡']);
    expect(highlightRanges('𠮷野家', ['𠮷野'])).toEqual([[0, 3]]);
  });

  it('maps NFKC expanders to the whole original character: ……, ㈠, full-width ＣＴＯ', () => {
    const text = '他說……然後㈠項目是ＣＴＯ。';
    expect(foldString('……')).toBe('......');
    expect(slices(text, highlightRanges(text, ['...']))).toEqual(['……']);
    expect(slices(text, highlightRanges(text, ['.']))).toEqual(['……']);
    expect(slices(text, highlightRanges(text, ['一']))).toEqual(['㈠']);
    expect(slices(text, highlightRanges(text, ['(一)项目']))).toEqual(['㈠項目']);
    expect(slices(text, highlightRanges(text, ['cto']))).toEqual(['ＣＴＯ']);
    expect(slices(text, highlightRanges(text, ['t']))).toEqual(['Ｔ']);
    expect(highlightRanges('ｉＰａｄ', ['ipad'])).toEqual([[0, 4]]);
  });

  it('includes invisible characters inside a match and ignores empty needles', () => {
    expect(highlightRanges('a\u200bb', ['ab'])).toEqual([[0, 3]]);
    expect(highlightRanges('abc', [''])).toEqual([]);
    expect(highlightRanges('abc', ['', 'b'])).toEqual([[1, 2]]);
    expect(highlightRanges('', ['a'])).toEqual([]);
  });

  it('marks every occurrence, merging touching and overlapping needles', () => {
    expect(highlightRanges('支付 支付 支付', ['支付'])).toEqual([[0, 2], [3, 5], [6, 8]]);
    expect(highlightRanges('abab', ['ab'])).toEqual([[0, 4]]);
    expect(highlightRanges('支付宝', ['支付', '付宝'])).toEqual([[0, 3]]);
    expect(highlightRanges('支付宝', ['支付宝', '支付', '支付'])).toEqual([[0, 3]]);
  });

  it('keeps its invariants for random texts and needles (property)', () => {
    const longText = fc.array(mixedText, { maxLength: 4 }).map((parts) => parts.join(''));
    const needleOf = (text: string) =>
      fc.oneof(
        // a piece of the folded text itself (so it occurs), cut anywhere, even inside a surrogate pair
        fc.tuple(fc.nat(), fc.integer({ min: 1, max: 8 })).map(([at, length]) => {
          const folded = foldString(text);
          const start = folded.length === 0 ? 0 : at % folded.length;
          return folded.slice(start, start + length);
        }),
        fragment.map(foldString),
      );
    const input = longText.chain((text) => fc.tuple(fc.constant(text), fc.array(needleOf(text), { maxLength: 4 })));
    fc.assert(
      fc.property(input, ([text, needles]) => {
        checkRanges(text, needles, highlightRanges(text, needles));
      }),
      { numRuns: 600, seed: 12 },
    );
  });

  it('gives the same ranges from the kept folded text, with or without an offset map (property)', () => {
    // Chinese text keeps every offset; mixed text often does not (NFKC expanders, astral characters, invisibles).
    const chinese = fc.array(fc.constantFrom('支付寶', '系統', '雙11', '臺灣', '後', '裡', 'ＣＴＯ', 'a', '，', '。'), { maxLength: 20 }).map((parts) => parts.join(''));
    const input = fc.oneof(chinese, mixedText).chain((text) => fc.tuple(fc.constant(text), fc.array(fragment.map(foldString), { maxLength: 4 })));
    let kept = 0;
    fc.assert(
      fc.property(input, ([text, needles]) => {
        if (foldKeepsOffsets(text)) kept++;
        expect(highlightRanges(text, needles, foldString(text))).toEqual(highlightRanges(text, needles));
      }),
      { numRuns: 600, seed: 13 },
    );
    expect(kept).toBeGreaterThan(100);
    expect(kept).toBeLessThan(600);
  });

  it('builds the offset map where folding moves offsets, even given the kept folded text', () => {
    const text = '㈠項目ＣＴＯ……';
    expect(foldKeepsOffsets(text)).toBe(false);
    expect(slices(text, highlightRanges(text, ['项目', 'cto', '...'], foldString(text)))).toEqual(['項目ＣＴＯ……']);
    expect(foldKeepsOffsets('支付寶ＣＴＯ')).toBe(true);
    expect(highlightRanges('支付寶ＣＴＯ', ['宝cto'], foldString('支付寶ＣＴＯ'))).toEqual([[2, 6]]);
  });
});

describe('chooseSnippet and snippetMarkup', () => {
  it('shows a short text whole, without ellipses', () => {
    const text = '支付寶的系統。';
    const snippet = chooseSnippet(text, highlightRanges(text, ['支付宝']));
    expect(snippet).toEqual({ start: 0, end: text.length, highlights: [[0, 3]] });
    expect(snippetHtml(text, snippet)).toBe('<mark>支付寶</mark>的系統。');
  });

  it('centres a long text on its densest cluster of highlights, cut at sentence ends', () => {
    const filler = (label: string, n: number): string => Array.from({ length: n }, (_, i) => `${label}第${i}句話說得比較長一點。`).join('');
    // One lone match early, then a dense cluster far into the text.
    const text = `${filler('甲', 3)}提到支付寶一次。${filler('乙', 10)}支付寶的系統與支付寶的用戶都在這一句。${filler('丙', 10)}`;
    const ranges = highlightRanges(text, ['支付宝', '系统']);
    const cluster = text.indexOf('支付寶的系統');
    const snippet = chooseSnippet(text, ranges);
    checkSnippet(text, ranges, snippet);
    expect(snippet.start).toBeGreaterThan(0);
    expect(snippet.end).toBeLessThan(text.length);
    // The cluster is inside, with context before it: not at the very start of the window.
    expect(snippet.start).toBeLessThan(cluster);
    expect(snippet.end).toBeGreaterThanOrEqual(text.indexOf('都在這一句'));
    expect(cluster - snippet.start).toBeGreaterThanOrEqual(10);
    expect(snippet.highlights.length).toBe(3);
    // Starts just after and ends on sentence punctuation.
    expect(text[snippet.start - 1]).toBe('。');
    expect(text[snippet.end - 1]).toBe('。');
    const html = snippetHtml(text, snippet);
    expect(html.startsWith('…')).toBe(true);
    expect(html.endsWith('。…')).toBe(true);
    expect(html).toContain('<mark>支付寶</mark>的<mark>系統</mark>與<mark>支付寶</mark>');
  });

  it('puts … only on the side where text was cut', () => {
    const head = '支付寶在開頭。' + '後面還有很多不相干的文字，'.repeat(20);
    const atStart = chooseSnippet(head, highlightRanges(head, ['支付宝']));
    expect(atStart.start).toBe(0);
    const html = snippetHtml(head, atStart);
    expect(html.startsWith('<mark>支付寶</mark>')).toBe(true);
    expect(html.endsWith('…')).toBe(true);

    const tail = '前面有很多不相干的文字，'.repeat(20) + '結尾提到支付寶。';
    const atEnd = chooseSnippet(tail, highlightRanges(tail, ['支付宝']));
    expect(atEnd.end).toBe(tail.length);
    expect(snippetHtml(tail, atEnd).startsWith('…')).toBe(true);
    expect(snippetHtml(tail, atEnd).endsWith('結尾提到<mark>支付寶</mark>。')).toBe(true);
  });

  it('chooses a window without highlights from the start of a long text', () => {
    const text = '沒有任何匹配的句子。'.repeat(40);
    const snippet = chooseSnippet(text, []);
    checkSnippet(text, [], snippet);
    expect(snippet.start).toBe(0);
    expect(snippetHtml(text, snippet)).not.toContain('<mark>');
  });

  it('never splits a surrogate pair at either end of the window', () => {
    for (let shift = 0; shift < 4; shift++) {
      const text = 'x'.repeat(shift) + '𠮷'.repeat(200);
      for (const needle of ['𠮷', '']) {
        const ranges = needle === '' ? [] : highlightRanges(text, [needle]).slice(0, 1);
        checkSnippet(text, ranges, chooseSnippet(text, ranges));
      }
      const mid = text.length / 2;
      const ranges: Range[] = [[mid - (mid % 2) + (shift % 2), mid - (mid % 2) + (shift % 2) + 2]];
      checkSnippet(text, ranges, chooseSnippet(text, ranges));
    }
  });

  it('escapes markup and entities: the only tags are <mark> and </mark>', () => {
    const payloads = [
      '<script>alert("支付寶")</script>',
      '<img src=x onerror="alert(1)">',
      'Tom & Jerry &amp; &lt;支付寶&gt;',
      `"quoted" and 'single' 支付寶`,
      '</mark><mark>支付寶</mark>',
      '<<>>&&""\'\'',
    ];
    for (const payload of payloads) {
      for (const text of [payload, payload.repeat(12), '前文。'.repeat(40) + payload + '後文。'.repeat(40)]) {
        for (const needles of [['支付宝'], ['script'], ['<'], ['&'], ['mark'], ['"'], []]) {
          const ranges = highlightRanges(text, needles);
          const snippet = chooseSnippet(text, ranges);
          checkSnippet(text, ranges, snippet);
          const html = snippetHtml(text, snippet);
          expect(html).not.toMatch(/<(?!\/?mark>)/);
        }
      }
    }
    const text = '<script>x</script>支付寶';
    expect(snippetHtml(text, chooseSnippet(text, highlightRanges(text, ['支付宝'])))).toBe('&lt;script&gt;x&lt;/script&gt;<mark>支付寶</mark>');
  });

  it('replaces lone surrogates in the HTML, never emitting invalid UTF-16', () => {
    const text = 'a\ud800b支付寶\udfff';
    const snippet = chooseSnippet(text, highlightRanges(text, ['支付宝']));
    expect(snippetHtml(text, snippet)).toBe('a\ufffdb<mark>支付寶</mark>\ufffd');
  });

  it('marks ranges exactly as escaping each piece would, whether or not the text has anything to escape (property)', () => {
    const naive = (text: string, ranges: readonly Range[]): string => {
      let out = '';
      let at = 0;
      for (const [start, end] of ranges) {
        out += `${escapeHtml(text.slice(at, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
        at = end;
      }
      return out + escapeHtml(text.slice(at));
    };
    const unit = fc.constantFrom('支', '付', '寶', 'a', '。', '𠮷', '\ud800', '\udfff', '<', '&', '"', "'", '>');
    const input = fc.array(unit, { maxLength: 30 }).chain((units) => {
      const text = units.join('');
      const cut = fc.uniqueArray(fc.integer({ min: 0, max: text.length }), { maxLength: 6 }).map((at) => at.sort((x, y) => x - y));
      return fc.tuple(fc.constant(text), cut);
    });
    let plain = 0;
    fc.assert(
      fc.property(input, ([text, cuts]) => {
        const ranges: Range[] = [];
        for (let k = 0; k + 1 < cuts.length; k += 2) ranges.push([cuts[k]!, cuts[k + 1]!]);
        if (!/[&<>"'\ud800-\udfff]/.test(text)) plain++;
        expect(markRanges(text, ranges).value).toBe(naive(text, ranges));
      }),
      { numRuns: 1000, seed: 21 },
    );
    expect(plain).toBeGreaterThan(20); // both paths exercised, a surrogate pair cut in two included
    expect(markRanges('𠮷支付', [[1, 3]]).value).toBe('\ufffd<mark>\ufffd支</mark>付');
  });

  it('keeps its invariants for random texts and needles (property)', () => {
    const punctuation = fc.constantFrom('。', '，', '！', '？', '；', '\n', '、', '…', ',', '.', ' ');
    const piece = fc.oneof(
      { weight: 4, arbitrary: mixedText },
      { weight: 2, arbitrary: punctuation },
      { weight: 1, arbitrary: fc.constantFrom('<script>', '&amp;', '"', "'", '<mark>', '</mark>', '&') },
    );
    const text = fc.array(piece, { maxLength: 60, size: 'max' }).map((parts) => parts.join(''));
    const input = text.chain((t) =>
      fc.tuple(
        fc.constant(t),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 1, max: 6 })).map(([at, length]) => {
            const folded = foldString(t);
            const start = folded.length === 0 ? 0 : at % folded.length;
            return folded.slice(start, start + length);
          }),
          { maxLength: 3 },
        ),
      ),
    );
    let long = 0;
    fc.assert(
      fc.property(input, ([t, needles]) => {
        const ranges = highlightRanges(t, needles);
        const snippet = chooseSnippet(t, ranges);
        checkSnippet(t, ranges, snippet);
        if (t.length > SNIPPET.max) long++;
        // The densest cluster is shown: some highlight is in the window whenever there is any.
        if (ranges.length > 0) expect(snippet.highlights.length).toBeGreaterThan(0);
      }),
      { numRuns: 600, seed: 13 },
    );
    expect(long).toBeGreaterThan(100); // the property really exercised cutting
  });
});
