// The analyzer: folding (Traditional → Simplified, full-width → ASCII, case, invisibles), segmentation with
// offsets into the original text, and the n-gram terms that carry the recall guarantee.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  foldCodePoint,
  foldedWords,
  foldString,
  foldWithOffsets,
  indexTerms,
  originalBoundary,
  originalRange,
  originalRanges,
  paragraphTerms,
  requiredTerms,
  segment,
  titleTerms,
  wordTerm,
  type Token,
} from '../indexer/analyzer/index.js';
import { cutWords } from '../indexer/analyzer/jieba.js';
import { isIndexableCodePoint } from '../indexer/analyzer/terms.js';
import { mixedText } from './support/arbitraries.js';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const tempDir = tempDirFactory('analyzer');

/** Each token's slice of the original text. */
const slices = (text: string, tokens: readonly Token[]): string[] => tokens.map((t) => text.slice(t.start, t.end));
const texts = (tokens: readonly Token[]): string[] => tokens.map((t) => t.text);
const words = (text: string): string[] => foldedWords(foldString(text));
/** The token whose folded text is `folded` (fails the test when there is none). */
function tokenOf(tokens: readonly Token[], folded: string): Token {
  const token = tokens.find((t) => t.text === folded);
  if (token === undefined) throw new Error(`no token "${folded}" in ${JSON.stringify(texts(tokens))}`);
  return token;
}

const SENTENCE = '支付寶的CTO程立說，2135年iPad 64K內存，雙11當天系統經歷了考驗。';

describe('folding (golden)', () => {
  it('folds Traditional to Simplified: 支付寶 ≡ 支付宝', () => {
    expect(foldString('支付寶')).toBe('支付宝');
    expect(foldString('支付宝')).toBe('支付宝');
    expect(foldString('系統經歷雙11')).toBe('系统经历双11');
  });

  it('regression: folds 什么 and 什麼 alike, and keeps 幺 apart (么 had folded to 幺)', () => {
    expect(foldString('什么')).toBe('什么');
    expect(foldString('什麼')).toBe('什么');
    expect(foldString('什麽')).toBe('什么');
    expect(foldString('幺妹')).toBe('幺妹');
  });

  it('is idempotent on every code point: what folding gives, folded again, stays', () => {
    const moved: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if ((cp >= 0xd800 && cp <= 0xdfff) || (cp > 0x3ffff && cp < 0xe0000)) continue;
      const once = foldCodePoint(cp);
      if (foldString(once) !== once) moved.push(`${String.fromCodePoint(cp)} → ${once} → ${foldString(once)}`);
    }
    expect(moved).toEqual([]);
  });

  it('folds full-width and case: ＣＴＯ ≡ cto ≡ CTO', () => {
    expect(foldString('ＣＴＯ')).toBe('cto');
    expect(foldString('CTO')).toBe('cto');
    expect(foldString('cto')).toBe('cto');
  });

  it('folds full-width digits and letters to ASCII', () => {
    expect(foldString('０１２３４５６７８９')).toBe('0123456789');
    expect(foldString('ＡＢＣＸＹＺａｂｃｘｙｚ')).toBe('abcxyzabcxyz');
    expect(foldString('ｉＰａｄ　６４Ｋ')).toBe('ipad 64k'); // U+3000 → space
  });

  it('folds 繻 to the astral 𦈡: the UTF-16 length grows and offsets still point at 繻', () => {
    expect(foldCodePoint('繻'.codePointAt(0)!)).toBe('𦈡');
    const text = 'a繻b';
    const f = foldWithOffsets(text);
    expect(f.folded).toBe('a𦈡b');
    expect(f.folded.length).toBe(text.length + 1);
    expect([...f.sourceStart]).toEqual([0, 1, 1, 2]);
    expect([...f.sourceEnd]).toEqual([1, 2, 2, 3]);
    expect(text.slice(...originalRange(f, 1, 3))).toBe('繻');
    expect(text.slice(...originalRange(f, 3, 4))).toBe('b');
    // Segments cut after the expansion land on the original boundary.
    const tokens = segment('繻b繻');
    expect(slices('繻b繻', tokens).join('')).toBe('繻b繻');
    expect(texts(tokens).join('')).toBe('𦈡b𦈡');
  });

  it('maps NFKC expanders (…… and ㈠) back to the original characters', () => {
    const text = '前……後㈠';
    const f = foldWithOffsets(text);
    expect(f.folded).toBe('前......后(一)');
    const dots = f.folded.indexOf('......');
    expect(text.slice(...originalRange(f, dots, dots + 6))).toBe('……');
    expect(text.slice(...originalRange(f, dots, dots + 3))).toBe('…');
    expect(text.slice(...originalRange(f, dots + 3, dots + 4))).toBe('…');
    const one = f.folded.indexOf('一');
    expect(text.slice(...originalRange(f, one, one + 1))).toBe('㈠');
    expect(text.slice(...originalRange(f, f.folded.indexOf('('), f.folded.length))).toBe('㈠');
    // A boundary inside an expansion maps to the start of the character that expanded.
    expect(originalBoundary(f, dots + 1)).toBe(text.indexOf('…'));
    expect(originalBoundary(f, one)).toBe(text.indexOf('㈠'));
    // Segmented, the tokens from one expansion together cover exactly the character they came from.
    const tokens = segment(text);
    expect(slices(text, tokens).join('')).toBe(text);
    const fromCircled = tokens.filter((t) => t.start >= text.indexOf('㈠'));
    expect(texts(fromCircled).join('')).toBe('(一)');
    expect(text.slice(fromCircled[0]!.start, fromCircled.at(-1)!.end)).toBe('㈠');
  });

  it('folds an astral compatibility ideograph after lone halves of its surrogate pair were folded (regression: the per-unit table marked them as folding to themselves)', () => {
    expect(foldString('\uD87E')).toBe('\uD87E');
    expect(foldString('\uDC00x')).toBe('\uDC00x');
    // U+2F800 (a compatibility ideograph) is 丽 after NFKC.
    const f = foldWithOffsets('a\u{2F800}b');
    expect(f.folded).toBe('a丽b');
    expect([...f.sourceStart]).toEqual([0, 1, 3]);
    expect([...f.sourceEnd]).toEqual([1, 3, 4]);
    expect(foldString('a\u{2F800}b')).toBe('a丽b');
  });

  it('folds long texts that grow fourfold, with every offset in place (the reused buffers grow, the text is built in chunks)', () => {
    const f = foldWithOffsets(`支付寶${'㍿'.repeat(5000)}Ｘ`);
    expect(f.folded).toBe(`支付宝${'株式会社'.repeat(5000)}x`);
    expect(f.sourceStart.length).toBe(f.folded.length);
    expect(originalRange(f, 3 + 4 * 4999, 3 + 4 * 5000)).toEqual([3 + 4999, 3 + 5000]);
    expect(originalRange(f, f.folded.length - 1, f.folded.length)).toEqual([5003, 5004]);
    expect(foldString(`${'支付寶'.repeat(4000)}`)).toBe('支付宝'.repeat(4000));
    // A short text folded after the long ones still gets only its own units.
    expect(foldWithOffsets('寶').folded).toBe('宝');
  });

  it('maps folded ranges back as the offset map does, without building it (originalRanges)', () => {
    const rangesIn = (length: number) => fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 }).map((pairs) =>
      pairs.map(([a, b]): [number, number] => {
        const from = a % length;
        return [from, from + 1 + (b % (length - from))];
      }),
    );
    fc.assert(
      fc.property(
        mixedText.filter((text) => foldString(text).length > 0).chain((text) => fc.tuple(fc.constant(text), rangesIn(foldString(text).length))),
        ([text, ranges]) => {
          const f = foldWithOffsets(text);
          expect(originalRanges(text, ranges)).toEqual(ranges.map(([from, to]) => originalRange(f, from, to)));
        },
      ),
      { numRuns: 400 },
    );
    // Expanders, an astral ideograph and invisibles move the offsets; a range past the folded text is an error.
    const text = '㈠\u200b支付寶\u{2F800}……x';
    const f = foldWithOffsets(text);
    const ranges: [number, number][] = [[f.folded.indexOf('支'), f.folded.indexOf('宝') + 1], [f.folded.indexOf('丽'), f.folded.length], [0, 1]];
    expect(originalRanges(text, ranges)).toEqual(ranges.map(([from, to]) => originalRange(f, from, to)));
    expect(text.slice(...originalRanges(text, [ranges[0]!])[0]!)).toBe('支付寶');
    expect(() => originalRanges(text, [[0, f.folded.length + 1]])).toThrow(/not in the folded text/);
  });

  it('folds ﬁ and ㎏ to plain letters', () => {
    expect(foldString('ﬁ㎏')).toBe('fikg');
  });

  it('drops U+200B (and other invisibles) from the folded text, while the segments still cover it', () => {
    expect(foldString('支付\u200b宝')).toBe('支付宝');
    expect(foldString('a\u00adb\ufeffc\u200dd')).toBe('abcd');
    const text = '用支付\u200b宝付款';
    const tokens = segment(text);
    expect(slices(text, tokens).join('')).toBe(text);
    expect(text.slice(tokenOf(tokens, '支付宝').start, tokenOf(tokens, '支付宝').end)).toBe('支付\u200b宝');
  });

  it('keeps a text made only of invisible characters covered by one token (regression: it had no tokens)', () => {
    for (const text of ['\u200b', '\u200b\ufeff', '\u00ad']) {
      expect(segment(text)).toEqual([{ text: '', start: 0, end: text.length, kind: 'space' }]);
    }
    expect(segment('')).toEqual([]);
  });
});

describe('segmentation (golden)', () => {
  const tokens = segment(SENTENCE);

  it('keeps CTO, 2135, iPad and 程立 whole, with their original spelling in the text', () => {
    for (const [folded, original] of [
      ['cto', 'CTO'],
      ['2135', '2135'],
      ['ipad', 'iPad'],
      ['程立', '程立'],
      ['支付宝', '支付寶'],
    ] as const) {
      const token = tokenOf(tokens, folded);
      expect(token.kind).toBe('word');
      expect(SENTENCE.slice(token.start, token.end)).toBe(original);
    }
  });

  it('keeps 64K as one token "64k" (jieba alone splits it into 64|k)', () => {
    const token = tokenOf(tokens, '64k');
    expect(SENTENCE.slice(token.start, token.end)).toBe('64K');
    expect(words('内存64K和ＡＢ１２')).toEqual(expect.arrayContaining(['64k', 'ab12']));
  });

  it('reads 雙11 as the words 双 and 11, or as one word 双11', () => {
    // jieba 3.5.8 (HMM on) gives 双|11; either way the bigram 双1 of the index finds the text.
    const found = words(SENTENCE);
    const split = found.includes('双') && found.includes('11');
    expect(split || found.includes('双11')).toBe(true);
    expect(indexTerms(foldString(SENTENCE)).has('双1')).toBe(true);
  });

  it('segments Traditional text like its Simplified form (系統 → 系统, 經歷 → 经历)', () => {
    expect(words('系統經歷')).toEqual(['系统', '经历']);
    const pairs: [string, string][] = [
      [SENTENCE, '支付宝的CTO程立说，2135年iPad 64K内存，双11当天系统经历了考验。'],
      ['臺灣的資訊系統經歷了長期發展。', '台湾的资讯系统经历了长期发展。'],
      ['他們在這裡討論網路購物與電子錢包。', '他们在这里讨论网路购物与电子钱包。'],
    ];
    for (const [traditional, simplified] of pairs) {
      expect(texts(segment(traditional))).toEqual(texts(segment(simplified)));
    }
  });

  it('gives tokens kinds: words, spaces and punctuation', () => {
    expect(tokenOf(tokens, ' ').kind).toBe('space');
    expect(tokenOf(tokens, ',').kind).toBe('punct'); // the full-width comma folded
    expect(tokenOf(tokens, '。').kind).toBe('punct');
  });

  it('reads a one-unit text as itself without asking jieba, as jieba would cut it', () => {
    for (const ch of ['月', '的', 'a', '7', ' ', '。', ',', '～', '\u0301']) {
      expect(cutWords(ch)).toEqual([ch]);
      expect(segment(ch).map((t) => [t.text, t.start, t.end])).toEqual([[foldString(ch), 0, 1]]);
    }
    expect(foldedWords('月')).toEqual(['月']);
    expect(foldedWords('。')).toEqual([]);
  });

  it('makes multi-character words into word terms of a paragraph, but not of a title', () => {
    const terms = paragraphTerms(SENTENCE);
    expect(terms).toEqual(expect.arrayContaining([wordTerm('支付宝'), wordTerm('程立'), wordTerm('cto'), '支', '支付', 'ct', '64', '4k']));
    expect(terms).not.toContain(wordTerm('的')); // single characters are unigrams already
    expect(titleTerms(SENTENCE).some((t) => t.startsWith(wordTerm('')))).toBe(false);
    expect(titleTerms('支付寶')).toEqual(expect.arrayContaining(['支', '付', '宝', '支付', '付宝']));
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property tests over text that mixes everything the corpus and the query box can hold (support/arbitraries.ts).

// SOU_PROPERTY_RUNS=20000 for a longer hunt.
const RUNS = { numRuns: Number(process.env.SOU_PROPERTY_RUNS ?? 400) };

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}
function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
/** Whether cutting `s` at `i` splits a surrogate pair. */
function cutsPair(s: string, i: number): boolean {
  return i > 0 && i < s.length && isHigh(s.charCodeAt(i - 1)) && isLow(s.charCodeAt(i));
}

describe('indexable code points', () => {
  it('are letters, digits and marks: every code point of the BMP and the first supplementary plane as the Unicode classes say', () => {
    // The common CJK block skips the regular expression (terms.ts): it must agree with it there and everywhere.
    const indexable = /[\p{L}\p{N}\p{M}]/u;
    for (let cp = 0; cp < 0x20000; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue; // lone surrogates: never a code point of a well-formed string
      if (isIndexableCodePoint(cp) !== indexable.test(String.fromCodePoint(cp))) expect.fail(`U+${cp.toString(16)}`);
    }
  });
});

describe('analyzer properties', () => {
  it('segments any text into contiguous tokens whose original slices join back to it exactly', () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const tokens = segment(s);
        expect(slices(s, tokens).join('')).toBe(s);
        expect(texts(tokens).join('')).toBe(foldString(s));
        if (s === '') {
          expect(tokens).toEqual([]);
          return;
        }
        expect(tokens[0]!.start).toBe(0);
        expect(tokens.at(-1)!.end).toBe(s.length);
        tokens.forEach((token, i) => {
          expect(token.start).toBeLessThanOrEqual(token.end);
          if (i > 0) expect(token.start).toBe(tokens[i - 1]!.end);
        });
      }),
      RUNS,
    );
  });

  it('folds the same with and without offsets', () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const f = foldWithOffsets(s);
        expect(f.original).toBe(s);
        expect(f.folded).toBe(foldString(s));
        expect(f.sourceStart.length).toBe(f.folded.length);
        expect(f.sourceEnd.length).toBe(f.folded.length);
      }),
      RUNS,
    );
  });

  it('maps every folded unit to a non-empty original range that folds to text containing it', () => {
    fc.assert(
      fc.property(mixedText, (s) => {
        const f = foldWithOffsets(s);
        for (let i = 0; i < f.folded.length; i++) {
          const start = f.sourceStart[i]!;
          const end = f.sourceEnd[i]!;
          expect(start).toBeLessThan(end);
          expect(end).toBeLessThanOrEqual(s.length);
          if (i > 0) expect(start).toBeGreaterThanOrEqual(f.sourceStart[i - 1]!);
          expect(foldString(s.slice(start, end)).includes(f.folded[i]!)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('folds one code point at a time: fold(a + b) = fold(a) + fold(b) at any split outside a surrogate pair', () => {
    fc.assert(
      fc.property(mixedText, fc.nat(), (s, n) => {
        const i = n % (s.length + 1);
        fc.pre(!cutsPair(s, i));
        expect(foldString(s)).toBe(foldString(s.slice(0, i)) + foldString(s.slice(i)));
      }),
      RUNS,
    );
  });

  it('indexes every n-gram a substring query requires (the recall guarantee of the n-gram index)', () => {
    fc.assert(
      fc.property(mixedText, fc.nat(), fc.nat(), (s, a, b) => {
        const i = a % (s.length + 1);
        const j = i + (b % (s.length - i + 1));
        const q = s.slice(i, j);
        const indexed = indexTerms(foldString(s));
        for (const term of requiredTerms(foldString(q))) expect(indexed.has(term)).toBe(true);
        // The paragraph's own terms (n-grams plus words) include them too.
        const stored = new Set(paragraphTerms(s));
        for (const term of requiredTerms(foldString(q))) expect(stored.has(term)).toBe(true);
      }),
      RUNS,
    );
  });

  it('requires at least one term of any query that has an indexable character', () => {
    fc.assert(
      fc.property(mixedText, (q) => {
        const hasLetterOrDigit = /[\p{L}\p{N}\p{M}]/u.test(foldString(q));
        expect(requiredTerms(foldString(q)).length > 0).toBe(hasLetterOrDigit);
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// A user dictionary: jieba's dictionaries are process-global, so each configuration runs in its own process.

const DIST_ANALYZER = path.join(ROOT, 'dist', 'indexer', 'analyzer', 'index.js');
const DIST_LOAD = path.join(ROOT, 'dist', 'indexer', 'index', 'load.js');
const DIST_CLI = path.join(ROOT, 'dist', 'indexer', 'cli.js');

function node(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('user dictionary', () => {
  it('makes a made-up word one word term only when the dictionary is loaded', () => {
    if (!existsSync(DIST_CLI)) throw new Error(`${DIST_CLI} is missing: run \`npm run build\` first (npm test does)`);
    const dir = tempDir();
    // jieba matches folded text, so the entry is written in its folded (Simplified) form; the corpus is Traditional.
    const dict = path.join(dir, 'user.dict');
    writeFileSync(dict, '央观君 1000 n\n');
    const sentence = '他在央觀君的大會上發言。';
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'a.txt'), `${sentence}\n\n今天沒有別的消息。\n`);
    const withDict = path.join(dir, 'with');
    const without = path.join(dir, 'without');
    const built = node([DIST_CLI, '--corpus', corpus, '--out', withDict, '--dict', dict]);
    expect(built.status, built.stderr).toBe(0);
    expect(node([DIST_CLI, '--corpus', corpus, '--out', without]).status).toBe(0);

    // In a fresh process per configuration: the analyzer's terms, then the built index's postings.
    const probe = path.join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `import { loadJieba, paragraphTerms, wordTerm } from ${JSON.stringify(DIST_ANALYZER)};
import { loadIndex } from ${JSON.stringify(DIST_LOAD)};
const [dict, out] = process.argv.slice(2);
loadJieba(dict === '-' ? null : dict);
const index = await loadIndex(out);
console.log(JSON.stringify({
  analyzer: paragraphTerms(${JSON.stringify(sentence)}).includes(wordTerm('央观君')),
  userDict: index.manifest.userDict,
  word: Array.from(index.terms.postings(wordTerm('央观君'))),
  bigram: Array.from(index.terms.postings('观君')),
}));`,
    );
    const probeWith = node([probe, dict, withDict]);
    expect(probeWith.status, probeWith.stderr).toBe(0);
    expect(JSON.parse(probeWith.stdout)).toEqual({ analyzer: true, userDict: dict, word: [0], bigram: [0] });
    const probeWithout = node([probe, '-', without]);
    expect(probeWithout.status, probeWithout.stderr).toBe(0);
    expect(JSON.parse(probeWithout.stdout)).toEqual({ analyzer: false, userDict: null, word: [], bigram: [0] });
  });
});

describe('loading jieba on the thread pool', () => {
  it('lets the event loop run while the dictionary is built, shares one load, and refuses to segment before it ends', () => {
    const probe = path.join(tempDir(), 'async-probe.mjs');
    writeFileSync(
      probe,
      `import { foldedWords, loadJiebaAsync } from ${JSON.stringify(DIST_ANALYZER)};
const first = loadJiebaAsync(null);
const again = loadJiebaAsync(null);
let early = '';
try { foldedWords('支付宝'); } catch (error) { early = error.message; }
let other = '';
try { loadJiebaAsync('/no/such.dict'); } catch (error) { other = error.message; }
let turns = 0;
const timer = setInterval(() => turns++, 1);
await first;
clearInterval(timer);
console.log(JSON.stringify({ shared: first === again, early, other, turns: turns > 0, words: foldedWords('支付宝的系统经历了双11的考验') }));`,
    );
    const run = node([probe]);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      shared: true,
      early: 'sou: jieba is being loaded on the thread pool; wait for loadJiebaAsync',
      other: 'sou: jieba is already loaded with user dictionary (none), not /no/such.dict',
      turns: true,
      words: ['支付宝', '的', '系统', '经历', '了', '双', '11', '的', '考验'],
    });
  });
});
