// The pure parts of `npm run bench`: percentiles, the seeded query samplers, the scan peer's matcher, the FTS5
// query plans, corpus preparation and the report. No timing is asserted.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { countLines, parseSizes, prepareCorpus } from '../bench/corpus.js';
import { fts5Plan } from '../bench/fts5.js';
import { seededRandom } from '../bench/fuzz-cases.js';
import { POOL_SIDES, poolSides } from '../bench/http.js';
import {
  COMMON_CHARACTERS,
  isHan,
  sampleAndQueries,
  sampleCharacters,
  sampleClasses,
  sampleNoResult,
  sampleQuestions,
  sampleSubstrings,
  shuffled,
} from '../bench/queries.js';
import {
  formatBytes,
  formatMs,
  formatRatio,
  GB,
  markdownTable,
  MB,
  mixMeanMs,
  renderReport,
  targetChecks,
  tierOf,
  type BenchReport,
  type SizeResult,
} from '../bench/report.js';
import { createScan, scanParts } from '../bench/scan.js';
import { percentile, summarize } from '../bench/stats.js';
import { parseQueryWorkers } from '../server/config.js';
import { SERVER_ENVIRONMENT, SERVER_NODE_OPTIONS, serverEnvironmentPrefix } from '../server/node-options.js';
import { serverLaunchOf } from '../bench/serve.js';
import { tempDirFactory } from './support/temp-dirs.js';

const POEMS = [
  '床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。',
  '白日依山盡，黃河入海流。欲窮千里目，更上一層樓。',
  '春眠不覺曉，處處聞啼鳥。夜來風雨聲，花落知多少。',
  '千山鳥飛絕，萬徑人蹤滅。孤舟蓑笠翁，獨釣寒江雪。',
  '國破山河在，城春草木深。感時花濺淚，恨別鳥驚心。',
];

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(percentile([4, 1, 3, 2], 1)).toBe(4);
    expect(percentile([4, 1, 3, 2], 0)).toBe(1);
    const values = Array.from({ length: 200 }, (_, i) => 200 - i); // 200 … 1
    expect(percentile(values, 0.99)).toBe(198);
    expect(percentile(values, 0.5)).toBe(100);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('summarizes without changing its input', () => {
    const values = [5, 1, 9, 3];
    expect(summarize(values)).toEqual({ n: 4, p50: 3, p99: 9, max: 9, mean: 4.5 });
    expect(values).toEqual([5, 1, 9, 3]);
    expect(summarize([])).toEqual({ n: 0, p50: 0, p99: 0, max: 0, mean: 0 });
  });
});

describe('query samplers', () => {
  const occursIn = (texts: readonly string[]) => (s: string) => texts.some((t) => t.includes(s));

  it('draw the same queries from the same seed, and others from another', () => {
    const a = sampleSubstrings(POEMS, 30, seededRandom(1));
    expect(sampleSubstrings(POEMS, 30, seededRandom(1))).toEqual(a);
    expect(sampleSubstrings(POEMS, 30, seededRandom(2))).not.toEqual(a);
    const sources = { texts: POEMS, questions: ['何時？', '誰？', '哪裡？'], occurs: occursIn(POEMS) };
    expect(sampleClasses(sources, 12, 7)).toEqual(sampleClasses(sources, 12, 7));
  });

  it('one character: the common ones first, then Han characters of the texts', () => {
    const chars = sampleCharacters(POEMS, 40, seededRandom(3));
    expect(chars).toHaveLength(40);
    expect(chars.slice(0, COMMON_CHARACTERS.length)).toEqual([...COMMON_CHARACTERS]);
    for (const c of chars.slice(COMMON_CHARACTERS.length)) {
      expect([...c]).toHaveLength(1);
      expect(isHan(c)).toBe(true);
      expect(POEMS.some((p) => p.includes(c))).toBe(true);
    }
    expect(sampleCharacters(POEMS, 3, seededRandom(3))).toEqual(['不', '人', '山']);
  });

  it('substrings: 2–4 Han characters cut from a text, never across punctuation', () => {
    const substrings = sampleSubstrings(POEMS, 100, seededRandom(4));
    const lengths = new Set<number>();
    for (const s of substrings) {
      lengths.add([...s].length);
      expect([...s].every(isHan)).toBe(true);
      expect(POEMS.some((p) => p.includes(s))).toBe(true);
    }
    expect([...lengths].sort()).toEqual([2, 3, 4]);
  });

  it('AND: two different, separate substrings of the same text', () => {
    for (const query of sampleAndQueries(POEMS, 100, seededRandom(5))) {
      const parts = query.split(' ');
      expect(parts).toHaveLength(2);
      const [a, b] = parts as [string, string];
      expect(a.includes(b) || b.includes(a)).toBe(false);
      expect(POEMS.some((p) => p.includes(a) && p.includes(b))).toBe(true);
    }
  });

  it('questions: without replacement while there are enough', () => {
    const questions = Array.from({ length: 10 }, (_, i) => `問題${i}？`);
    const five = sampleQuestions(questions, 5, seededRandom(6));
    expect(new Set(five).size).toBe(5);
    expect(five.every((q) => questions.includes(q))).toBe(true);
    expect(sampleQuestions(questions, 25, seededRandom(6))).toHaveLength(25);
    expect(() => sampleQuestions([], 1, seededRandom(6))).toThrow();
  });

  it('no result: Latin words and characters that occur nowhere', () => {
    const occurs = occursIn(POEMS);
    const queries = sampleNoResult(40, seededRandom(8), occurs);
    expect(queries).toHaveLength(40);
    queries.forEach((q, i) => {
      if (i % 2 === 0) expect(q).toMatch(/^[a-z]{5,9}$/);
      else {
        expect([...q].length).toBeGreaterThanOrEqual(1);
        expect([...q].length).toBeLessThanOrEqual(3);
        for (const c of q) expect(occurs(c)).toBe(false);
      }
    });
  });

  it('shuffled keeps every item', () => {
    const items = [1, 2, 3, 4, 5, 6];
    const out = shuffled(items, seededRandom(9));
    expect([...out].sort()).toEqual(items);
    expect(items).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('the pool sides', () => {
  it('regression: the pool sides ask for their workers by their count (unset is no pool since the pool is opt-in)', () => {
    const [oneThread, ...pools] = POOL_SIDES;
    expect(parseQueryWorkers(oneThread!.env.SOU_QUERY_WORKERS, 'one thread')).toBe(0);
    expect(pools.map((pool) => parseQueryWorkers(pool.env.SOU_QUERY_WORKERS, 'pool'))).toEqual(availableParallelism() > 1 ? [availableParallelism() - 1, availableParallelism()] : [1]);
    for (const side of POOL_SIDES) expect(side.env.SOU_RESULT_CACHE).toBe('0');
  });

  it('compares one worker a core but one with one a core, and one worker on one core', () => {
    expect(poolSides(4).map((side) => side.env.SOU_QUERY_WORKERS)).toEqual(['0', '3', '4']);
    expect(poolSides(2).map((side) => side.env.SOU_QUERY_WORKERS)).toEqual(['0', '1', '2']);
    expect(poolSides(1).map((side) => side.env.SOU_QUERY_WORKERS)).toEqual(['0', '1']);
  });
});

describe('the scan peer', () => {
  const texts = ['支付寶系統上線', '支付宝', 'ＣＴＯ說了', '系統', '微信支付', ...Array.from({ length: 14 }, (_, i) => `第${i}篇 月光`)];
  const scan = createScan(texts);

  it('folds the query and the texts the same way', () => {
    expect(scanParts(' 支付宝  系统 ')).toEqual(['支付宝', '系统']);
    expect(scan.search('支付宝')).toEqual({ total: 2, ids: [0, 1] });
    expect(scan.search('支付寶')).toEqual({ total: 2, ids: [0, 1] });
    expect(scan.search('cto')).toEqual({ total: 1, ids: [2] });
  });

  it('ANDs the parts and takes the first 10 of every match', () => {
    expect(scan.search('支付 系统')).toEqual({ total: 1, ids: [0] });
    expect(scan.search('支付 系统 微信').total).toBe(0);
    const moon = scan.search('月光');
    expect(moon.total).toBe(14);
    expect(moon.ids).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(scan.search('   ')).toEqual({ total: 0, ids: [] });
  });

  it('says whether anything occurs', () => {
    expect(scan.occurs('統')).toBe(true);
    expect(scan.occurs('统')).toBe(true);
    expect(scan.occurs('霜')).toBe(false);
    expect(scan.occurs('支付 上线')).toBe(true);
    expect(scan.occurs('支付 月光')).toBe(false);
  });
});

describe('FTS5 plans', () => {
  it('MATCH for parts of 3+ characters, LIKE for 1–2, ranked only with MATCH', () => {
    expect(fts5Plan([])).toBeNull();
    expect(fts5Plan(['明月光'])).toEqual({ sql: 'SELECT rowid, text FROM poems WHERE poems MATCH ? ORDER BY rank LIMIT 10', params: ['"明月光"'] });
    expect(fts5Plan(['明月'])).toEqual({ sql: 'SELECT rowid, text FROM poems WHERE text LIKE ? LIMIT 10', params: ['%明月%'] });
    expect(fts5Plan(['月', '故鄉何處', '白日依'])).toEqual({
      sql: 'SELECT rowid, text FROM poems WHERE poems MATCH ? AND text LIKE ? ORDER BY rank LIMIT 10',
      params: ['"故鄉何處" AND "白日依"', '%月%'],
    });
  });

  it('quotes and escapes', () => {
    expect(fts5Plan(['a"bc'])!.params).toEqual(['"a""bc"']);
    expect(fts5Plan(['%_'])).toEqual({ sql: "SELECT rowid, text FROM poems WHERE text LIKE ? ESCAPE '\\' LIMIT 10", params: ['%\\%\\_%'] });
    expect(fts5Plan(['𠀀x'])!.sql).toContain('LIKE'); // two code points, though three UTF-16 units
  });
});

describe('corpus preparation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sou-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const lines = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `p${i}`, title: `t${i}`, text: `詩${i}` }));
  const gz = join(dir, 'poems.jsonl.gz');
  writeFileSync(gz, gzipSync(`${lines.join('\n')}\n`));

  it('parses sizes', () => {
    expect(parseSizes('100k,311k')).toEqual([
      { label: '100k', lines: 100_000 },
      { label: '311k', lines: null },
    ]);
    expect(parseSizes(' 2K , all,500')).toEqual([
      { label: '2k', lines: 2000 },
      { label: 'all', lines: null },
      { label: '500', lines: 500 },
    ]);
    expect(() => parseSizes('10m')).toThrow(/size/);
    expect(() => parseSizes(',')).toThrow();
  });

  it('writes the first N lines, reuses a file of the same size, rewrites another', async () => {
    const out = join(dir, 'bench-3.jsonl');
    expect(await prepareCorpus(gz, { label: '3', lines: 3 }, out)).toEqual({ path: out, lines: 3, reused: false });
    expect(readFileSync(out, 'utf8')).toBe(`${lines.slice(0, 3).join('\n')}\n`);
    expect((await prepareCorpus(gz, { label: '3', lines: 3 }, out)).reused).toBe(true);
    writeFileSync(out, `${lines[0]}\n`);
    expect((await prepareCorpus(gz, { label: '3', lines: 3 }, out)).reused).toBe(false);
    expect(await countLines(out)).toBe(3);
    const all = join(dir, 'bench-all.jsonl');
    expect(await prepareCorpus(gz, { label: 'all', lines: null }, all)).toEqual({ path: all, lines: 5, reused: false });
    expect(await countLines(gz, true)).toBe(5);
    writeFileSync(join(dir, 'no-final-newline'), 'a\nb');
    expect(await countLines(join(dir, 'no-final-newline'))).toBe(2);
  });
});

describe('the report', () => {
  it('formats numbers', () => {
    expect(formatMs(0)).toBe('0');
    expect(formatMs(0.123)).toBe('0.12');
    expect(formatMs(12.34)).toBe('12.3');
    expect(formatMs(123.4)).toBe('123');
    expect(formatBytes(60 * MB)).toBe('60.0 MB');
    expect(formatBytes(734 * MB)).toBe('734 MB');
    expect(formatBytes(1.72 * GB)).toBe('1.72 GB');
    expect(formatRatio(10, 0.1)).toBe('100×');
    expect(formatRatio(3, 2)).toBe('1.5×');
    expect(formatRatio(1, 4)).toBe('0.25×');
    expect(formatRatio(8, 0)).toBe('≥ 800×');
    expect(formatRatio(12_345, 1)).toBe('12,345×');
  });

  it('draws Markdown tables', () => {
    expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n| --- | --- |\n| 1 | x\\|y |');
  });

  const summary = (p50: number, p99: number, max: number) => ({ n: 200, p50, p99, max, mean: p50 });
  const size = (overrides: Partial<SizeResult> = {}): SizeResult => ({
    label: '100k',
    tier: '100k',
    counts: { documents: 100_000, paragraphs: 100_000, characters: 6_391_520 },
    build: { seconds: 19.4, peakRssBytes: 1.72 * GB, peakRssFrom: 'GNU time %M', indexBytes: 50 * MB, parts: { 'grams.bin': 30 * MB, 'store.bin': 20 * MB } },
    readySeconds: 1.2,
    servingRssBytes: 740 * MB,
    inProcess: { loadSeconds: 2.5, warmSeconds: 0.6 },
    fts5: { seconds: 5.1, bytes: 92 * MB },
    classes: [
      { name: 'char', label: 'one character', n: 200, sou: summary(0.1, 4, 6), scan: summary(9, 12, 14), fts5: summary(0.2, 35, 40) },
      { name: 'substring', label: '2–4 characters', n: 200, sou: summary(0.5, 6, 7), scan: summary(9, 12, 14), fts5: summary(0.2, 30, 31) },
      { name: 'and', label: 'two-word AND', n: 200, sou: summary(0.3, 3, 4), scan: summary(9, 12, 14), fts5: summary(0.3, 20, 22) },
      { name: 'question', label: 'questions', n: 200, sou: summary(10, 30, 60), scan: summary(9, 12, 14), fts5: summary(0.1, 0.2, 0.3) },
      { name: 'none', label: 'no result', n: 200, sou: summary(0, 0.02, 0.05), scan: summary(9, 12, 14), fts5: summary(0.1, 30, 35) },
    ],
    checks: { recallQueries: 600, recallMisses: 0, noResultHits: 0, fts5Queries: 1000, fts5Mismatches: 0, relaxedQuestions: 190, questionsScanMatched: 0, questions: 200, warmupFailures: 0 },
    http: {
      connections: 50, seconds: 20, distinctRequests: 1000, requests: 60_000, requestsPerSecond: 3000, p50Ms: 12, p99Ms: 80, maxMs: 200,
      errors: 0, timeouts: 0, non2xx: 0, rssBeforeBytes: 700 * MB, rssAfterBytes: 760 * MB, peakRssBytes: 800 * MB,
    },
    httpUncached: {
      connections: 50, seconds: 20, distinctRequests: 1000, requests: 12_000, requestsPerSecond: 600, p50Ms: 70, p99Ms: 130, maxMs: 900,
      errors: 0, timeouts: 0, non2xx: 0, rssBeforeBytes: 700 * MB, rssAfterBytes: 780 * MB, peakRssBytes: 800 * MB,
    },
    comparison: null,
    ...overrides,
  });

  it('marks each target of the size met or missed, with the measured value', () => {
    const checks = Object.fromEntries(targetChecks(size()).map((c) => [c.target, c]));
    expect(checks['build ≤ 12 s']).toEqual({ target: 'build ≤ 12 s', measured: '19.4 s', met: false });
    expect(checks['peak build RSS ≤ 1.5 GB']!.met).toBe(false);
    expect(checks['index on disk ≤ 60 MB']).toEqual({ target: 'index on disk ≤ 60 MB', measured: '50.0 MB', met: true });
    expect(checks['ready ≤ 1.5 s']!.met).toBe(true);
    expect(checks['serving RSS ≤ 500 MB']!.met).toBe(false);
    expect(checks['one character: tookMs p99 ≤ 5 ms']!.met).toBe(true);
    expect(checks['2–4 characters: tookMs p99 ≤ 5 ms']!.met).toBe(false);
    expect(checks['two-word AND: tookMs p99 ≤ 5 ms']!.met).toBe(true);
    expect(checks['questions: tookMs p99 ≤ 25 ms']!.met).toBe(false);
    expect(checks['no query over 50 ms']).toEqual({ target: 'no query over 50 ms', measured: 'max 60.0 ms (questions)', met: false });
    expect(checks['one character: p50 ≥ 50× below the scan’s']!.met).toBe(true); // 9 / 0.1 = 90×
    expect(checks['2–4 characters: p50 ≥ 50× below the scan’s']!.met).toBe(false); // 18×
    expect(checks['HTTP ≥ 2,500 req/s (result cache on)']).toEqual({ target: 'HTTP ≥ 2,500 req/s (result cache on)', measured: '3,000 req/s', met: true });
    expect(checks['HTTP p99 ≤ 50 ms (result cache on)']!.met).toBe(false);
    expect(checks['HTTP ≥ 2,500 req/s (result cache off)']).toEqual({ target: 'HTTP ≥ 2,500 req/s (result cache off)', measured: '600 req/s', met: false });
  });

  it('uses the 311k limits for the whole corpus, and only the general ones for other sizes', () => {
    expect(tierOf(100_000, false)).toBe('100k');
    expect(tierOf(311_828, true)).toBe('311k');
    expect(tierOf(2_000, false)).toBeNull();
    const whole = targetChecks(size({ label: '311k', tier: '311k', build: { ...size().build, seconds: 35 } })).map((c) => c.target);
    expect(whole).toContain('build ≤ 40 s');
    expect(whole).toContain('serving RSS ≤ 1.5 GB');
    expect(whole).toContain('2–4 characters: tookMs p99 ≤ 10 ms');
    expect(whole).toContain('HTTP ≥ 1,500 req/s (result cache off)');
    expect(whole).toContain('HTTP p99 ≤ 100 ms (result cache on)');
    expect(whole.some((t) => t.startsWith('index') || t.startsWith('peak') || t.startsWith('ready'))).toBe(false);
    const small = targetChecks(size({ label: '2k', tier: null })).map((c) => c.target);
    expect(small).toEqual([
      'questions: tookMs p99 ≤ 25 ms',
      'no query over 50 ms',
      'one character: p50 ≥ 50× below the scan’s',
      '2–4 characters: p50 ≥ 50× below the scan’s',
    ]);
  });

  const reportOf = (sizes: BenchReport['sizes']): BenchReport => ({
    date: '2026-11-26',
    machine: { cpu: 'AMD EPYC', cores: 2, memoryBytes: 24 * GB, node: 'v20.20.2', platform: 'linux x64', loadAverage: [1, 0.5, 0.25] },
    quick: false,
    queriesPerClass: 200,
    seed: 1,
    poetry: '../shared/bench/poetry.jsonl.gz',
    evalDir: '../shared/eval',
    sizes,
  });

  it('renders a dated section with the machine, the classes, the peers, HTTP and the targets', () => {
    const report = reportOf([size(), size({ http: null, httpUncached: null })]);
    const text = renderReport(report);
    expect(text.startsWith('## `npm run bench`, 2026-11-26\n')).toBe(true);
    expect(text).toContain('Machine: AMD EPYC, 2 cores, 24.00 GB memory, Node v20.20.2');
    expect(text).toContain('| one character | 200 | 0.10 / 4.00 / 6.00 | 9.00 / 12.0 / 14.0 | 0.20 / 35.0 / 40.0 | 90× | 8.8× |');
    expect(text).toContain('| no result | 200 | 0 / 0.02 / 0.05 | 9.00 / 12.0 / 14.0 | 0.10 / 30.0 / 35.0 | ≥ 900× | 1,500× |');
    expect(text).toContain('HTTP, result cache on, as `npm start` serves');
    expect(text).toContain('**3,000 req/s**');
    expect(text).toContain('HTTP, result cache off (SOU_RESULT_CACHE=0)');
    expect(text).toContain('**600 req/s**');
    expect(mixMeanMs(size().classes)).toBeCloseTo((0.1 + 0.5 + 0.3 + 10 + 0) / 5);
    expect(text).toContain('mean `tookMs` over the same mix is 2.18 ms');
    expect(text).toContain('HTTP: skipped (--skip-http).');
    expect(text).toContain('| build ≤ 12 s | 19.4 s | **missed** |');
    expect(text).toContain('| index on disk ≤ 60 MB | 50.0 MB | met |');
    expect(text).toContain('HTTP ≥ 2,500 req/s with p99 ≤ 50 ms at 100k, ≥ 1,500 req/s with p99 ≤ 100 ms at 311k');
    expect(text.endsWith('\n')).toBe(true);
    expect(renderReport({ ...report, quick: true }).split('\n')[0]).toBe('## `npm run bench`, 2026-11-26 (--quick)');
  });

  it('shows watch mode in the size table: the saves, and the failed requests while updates land', () => {
    const watch = {
      documents: 10,
      paragraphs: 12,
      saves: { n: 50, p50: 612.4, p95: 1635.2, max: 1900 },
      quiet: { requests: 4000, p50: 1, p99: 9.6, max: 30 },
      underUpdates: { updates: 100, seconds: 80, requests: 52000, failed: 0, firstFailure: null, p50: 2, p99: 48.4, max: 300, searchableP50: 700, searchableP95: 1200 },
      serverRssBytes: null,
      serverPeakRssBytes: null,
      indexerRssBytes: null,
      indexerPeakRssBytes: null,
    };
    const text = renderReport(reportOf([size({ watch })]));
    expect(text).toContain('| watch: save → first hit, 50 saves, p50 / p95 / max | 612 / 1635 / 1900 ms |');
    expect(text).toContain('| watch: 100 updates under HTTP load | 0 failed of 52,000 requests; request p99 48 ms (the load alone: 10 ms); update → searchable p50 / p95 700 / 1200 ms |');
    expect(renderReport(reportOf([size()]))).not.toContain('watch:');
  });

  it('compares a baseline side by side: medians, every run, and the ratio judged against 5%', () => {
    const build = (seconds: number, peakRssBytes: number) => ({ seconds, peakRssBytes, peakRssFrom: '/proc VmHWM' as const, exitCode: 0, size: { bytes: 0, parts: {} }, counts: size().counts, summary: '' });
    const http = (requestsPerSecond: number, p99Ms: number) => ({ ...size().httpUncached!, requestsPerSecond, p99Ms });
    const serving = (readySeconds: number, servingRssBytes: number, rps: number, p99: number) => ({ readySeconds, servingRssBytes, http: http(rps, p99) });
    const results = [
      { side: { label: 'baseline', commit: 'aaaaaaa', root: '/b' }, builds: [build(10, 1000 * MB), build(12, 1000 * MB)], servings: [serving(1, 400 * MB, 3000, 20), serving(1.2, 420 * MB, 3200, 22)] },
      { side: { label: 'this checkout', commit: 'bbbbbbb', root: '/a' }, builds: [build(10, 1000 * MB), build(10, 1000 * MB)], servings: [serving(1, 430 * MB, 2000, 20), serving(1, 430 * MB, 2400, 21.2)] },
    ];
    const text = renderReport(reportOf([size({ comparison: { results, rounds: 2, connections: 50, seconds: 20 } })]));
    expect(text).toContain('### 100k: before and after, side by side');
    expect(text).toContain('Baseline aaaaaaa against bbbbbbb');
    expect(text).toContain('| build, wall time | 11.0 s (10.0 s, 12.0 s) | 10.0 s (10.0 s, 10.0 s) | 0.909 (better) |');
    expect(text).toContain('| serving RSS after warm-up | 410 MB (400 MB, 420 MB) | 430 MB (430 MB, 430 MB) | 1.049 (within 5%) |');
    expect(text).toContain('| HTTP req/s, result cache off | 3,100 (3,000, 3,200) | 2,200 (2,000, 2,400) | 0.710 (**worse by more than 5%**) |');
    expect(text).toContain('failed, timed-out or non-2xx requests across all runs: 0');
    // Regression: wrk's latencies are fractional; the median of 20 and 21.2 was shown as 20.599999999999998 ms.
    expect(text).toContain('| HTTP p99 latency | 21.0 ms (20.0 ms, 22.0 ms) | 20.6 ms (20.0 ms, 21.2 ms) |');
  });
});

describe('the server’s Node options', () => {
  const tempDir = tempDirFactory('bench-env');
  it('are the ones npm start passes, and the bench and the eval measure under them', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    const node = `node ${SERVER_NODE_OPTIONS.join(' ')} dist/`;
    expect(SERVER_NODE_OPTIONS).toEqual(['--v8-pool-size=1', '--no-allocation-site-pretenuring']);
    expect(scripts['start']).toContain(`${serverEnvironmentPrefix()} ${node}server/main.js`);
    expect(scripts['serve']).toBe(`${serverEnvironmentPrefix()} ${node}server/main.js`);
    expect(scripts['bench']).toContain(`${node}bench/bench.js`);
    expect(scripts['eval']).toContain(`${node}bench/eval.js`);
  });

  it('come with the environment npm start, the replicas’ unit and each side of a comparison run the server in', async () => {
    const unit = readFileSync(new URL('../deploy/sou@.service', import.meta.url), 'utf8');
    for (const [name, value] of Object.entries(SERVER_ENVIRONMENT)) expect(unit).toContain(`Environment=${name}=${value}\n`);
    expect(SERVER_ENVIRONMENT).toHaveProperty('MALLOC_MMAP_THRESHOLD_');
    expect(unit).toContain(`ExecStart=/usr/bin/node ${SERVER_NODE_OPTIONS.join(' ')} dist/server/main.js\n`);
    // Each side as its own code says: a commit without node-options.js gets nothing, one from before
    // SERVER_ENVIRONMENT its options alone.
    const none = tempDir();
    expect(await serverLaunchOf(none)).toEqual({ nodeOptions: [], environment: {} });
    const before = tempDir();
    mkdirSync(join(before, 'dist', 'server'), { recursive: true });
    writeFileSync(join(before, 'dist', 'server', 'node-options.js'), "export const SERVER_NODE_OPTIONS = ['--v8-pool-size=1'];\n");
    expect(await serverLaunchOf(before)).toEqual({ nodeOptions: ['--v8-pool-size=1'], environment: {} });
    const after = tempDir();
    mkdirSync(join(after, 'dist', 'server'), { recursive: true });
    writeFileSync(join(after, 'dist', 'server', 'node-options.js'), "export const SERVER_NODE_OPTIONS = ['--a'];\nexport const SERVER_ENVIRONMENT = { MALLOC_MMAP_THRESHOLD_: '65536' };\n");
    expect(await serverLaunchOf(after)).toEqual({ nodeOptions: ['--a'], environment: { MALLOC_MMAP_THRESHOLD_: '65536' } });
  });

});
