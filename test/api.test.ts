// The JSON endpoint (docs/contract.md "JSON endpoint") through the real app, holder and engine, driven by supertest
// (no fixed port): the response shape, parameter validation, /healthz, unknown API paths, and a fuzz run where
// no query string, however strange, produces anything but a 200 or a 400.
import { once } from 'node:events';
import { createServer, get as httpGet, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { readCorpus } from '../indexer/corpus/index.js';
import { createApp, searchesBeforeExpress } from '../server/app.js';
import { openIndexHolder, type IndexHolder } from '../server/index-holder.js';
import type { Logger } from '../server/logger.js';
import { LIMITS } from '../server/params.js';
import { FRAGMENTS } from './support/arbitraries.js';
import { buildLocatedCorpus } from './support/located-corpus.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { buildTestIndex, onCodePointBoundaries, seededRandom, SEED_CORPUS, type TestIndex } from './support/search-index.js';

const HOSTILE_TEXT = '危险脚本<script>alert("支付寶")</script>在这里 & "双引号" \'单引号\' &amp; &lt; <img src=x onerror="alert(1)">';

let built: TestIndex;
let holder: IndexHolder;
let app: RequestListener;
/** A server that accepts long URLs (up to 1 MiB of headers), so the app itself answers them. */
let roomy: Server;
const errors: object[] = [];
const logger: Logger = { info() {}, warn() {}, error: (object) => void errors.push(object) };

beforeAll(async () => {
  const { documents } = await readCorpus([SEED_CORPUS]);
  built = await buildTestIndex([...documents, { id: 'hostile/<b>.txt', title: '<script>标题</script> & "引号"', paragraphs: [HOSTILE_TEXT] }]);
  holder = await openIndexHolder(built.dir, logger);
  await holder.searcher().prepareVocabulary();
  app = createApp({ holder, logger });
  roomy = createServer({ maxHeaderSize: 1 << 20 }, app);
});
afterAll(() => {
  holder?.close();
  built?.cleanup();
});

const TOP_KEYS = ['hits', 'limit', 'offset', 'query', 'relaxed', 'rewrite', 'suggestion', 'terms', 'tookMs', 'total', 'vocabularyReady'];
const HIT_KEYS = ['docId', 'highlights', 'id', 'location', 'paragraph', 'score', 'snippet', 'text', 'title'];

interface Body {
  [key: string]: unknown;
}

/** The 200 body has exactly the fields and types of docs/contract.md; the hits are consistent with limit, offset and total. */
function checkSearchBody(body: Body, query?: { q: string; limit: number; offset: number }): void {
  expect(Object.keys(body).sort()).toEqual(TOP_KEYS);
  expect(typeof body.query).toBe('string');
  expect(Array.isArray(body.terms) && (body.terms as unknown[]).every((t) => typeof t === 'string')).toBe(true);
  expect(Number.isInteger(body.total) && (body.total as number) >= 0).toBe(true);
  expect(typeof body.relaxed).toBe('boolean');
  expect(Number.isInteger(body.offset) && (body.offset as number) >= 0).toBe(true);
  expect(Number.isInteger(body.limit) && (body.limit as number) >= 1 && (body.limit as number) <= LIMITS.maxLimit).toBe(true);
  expect(typeof body.tookMs === 'number' && Number.isFinite(body.tookMs) && body.tookMs >= 0).toBe(true);
  const hits = body.hits as Body[];
  expect(Array.isArray(hits)).toBe(true);
  expect(hits.length).toBe(Math.max(0, Math.min(body.limit as number, (body.total as number) - (body.offset as number))));
  if (query) {
    expect(body.query).toBe(query.q.toWellFormed());
    expect(body.limit).toBe(query.limit);
    expect(body.offset).toBe(query.offset);
  }
  for (const hit of hits) {
    expect(Object.keys(hit).sort()).toEqual(HIT_KEYS);
    for (const key of ['id', 'docId', 'title', 'text', 'snippet']) expect(typeof hit[key], key).toBe('string');
    expect(Number.isInteger(hit.paragraph) && (hit.paragraph as number) >= 0).toBe(true);
    expect(hit.id).toBe(`${hit.docId as string}#${hit.paragraph as number}`);
    expect(typeof hit.score === 'number' && Number.isFinite(hit.score)).toBe(true);
    checkHighlights(hit.text as string, hit.highlights);
    expect(hit.snippet as string).not.toMatch(/<(?!\/?mark>)/);
    checkLocation(hit.location);
  }
}

/** A location: null, or an object of page (a positive integer), chapter (a string), headings (strings), note. */
function checkLocation(location: unknown): void {
  if (location === null) return;
  expect(typeof location).toBe('object');
  const { page, chapter, headings, note, ...rest } = location as Body;
  expect(rest).toEqual({});
  expect(page === undefined || (Number.isInteger(page) && (page as number) >= 1)).toBe(true);
  expect(chapter === undefined || typeof chapter === 'string').toBe(true);
  expect(headings === undefined || (Array.isArray(headings) && headings.length > 0 && headings.every((h) => typeof h === 'string'))).toBe(true);
  expect(note === undefined || note === 'footnote' || note === 'endnote').toBe(true);
  expect(Object.keys(location as Body).length).toBeGreaterThan(0);
}

/** Highlights: [start, end] UTF-16 offsets into text, sorted, non-overlapping, on code point boundaries. */
function checkHighlights(text: string, highlights: unknown): void {
  expect(Array.isArray(highlights)).toBe(true);
  let previousEnd = -1;
  for (const range of highlights as unknown[]) {
    expect(Array.isArray(range) && range.length === 2).toBe(true);
    const [start, end] = range as [number, number];
    expect(Number.isInteger(start) && Number.isInteger(end)).toBe(true);
    expect(start).toBeGreaterThan(previousEnd);
    expect(end).toBeGreaterThan(start);
    expect(end).toBeLessThanOrEqual(text.length);
    expect(onCodePointBoundaries(text, start, end)).toBe(true);
    previousEnd = end;
  }
}

function checkErrorBody(body: Body, code?: string): void {
  expect(Object.keys(body)).toEqual(['error']);
  const error = body.error as Body;
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  expect(typeof error.code).toBe('string');
  expect(typeof error.message).toBe('string');
  expect((error.message as string).length).toBeGreaterThan(0);
  if (code !== undefined) expect(error.code).toBe(code);
}

describe('GET /api/search', () => {
  it('answers with exactly the fields of docs/contract.md, as JSON', async () => {
    const response = await request(app).get('/api/search').query({ q: '支付宝 系统', limit: 3, offset: 1 });
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    checkSearchBody(response.body as Body, { q: '支付宝 系统', limit: 3, offset: 1 });
    expect(response.body.terms).toEqual(['支付宝', '系统']);
    expect(response.body.relaxed).toBe(false);
    expect(response.body.total).toBeGreaterThan(3);
    expect(response.body.hits).toHaveLength(3);
    for (const hit of response.body.hits as { docId: string; title: string; text: string }[]) {
      expect(hit.docId).toBe('alipay-15-years.txt');
      expect(foldString(hit.text)).toContain('支付宝');
      expect(foldString(hit.text)).toContain('系统');
    }
  });

  it('defaults to limit 10 and offset 0', async () => {
    const response = await request(app).get('/api/search').query({ q: '支付寶' });
    expect(response.status).toBe(200);
    checkSearchBody(response.body as Body, { q: '支付寶', limit: 10, offset: 0 });
    expect(response.body.hits).toHaveLength(10);
  });

  it('accepts the limits of limit and offset: 1, 100, 0, the maximum offset', async () => {
    for (const [limit, offset] of [[1, 0], [100, 0], [LIMITS.maxLimit, LIMITS.maxOffset], [5, 3]] as const) {
      const response = await request(app).get('/api/search').query({ q: '支付寶', limit, offset });
      expect(response.status, `${limit} ${offset}`).toBe(200);
      checkSearchBody(response.body as Body, { q: '支付寶', limit, offset });
    }
  });

  it('keeps the original text and escapes it in the snippet', async () => {
    const response = await request(app).get('/api/search').query({ q: 'script' });
    expect(response.status).toBe(200);
    const hit = (response.body.hits as { text: string; snippet: string; title: string }[])[0]!;
    expect(hit.text).toBe(HOSTILE_TEXT);
    expect(hit.title).toBe('<script>标题</script> & "引号"');
    expect(hit.snippet).toContain('&lt;<mark>script</mark>&gt;');
    expect(hit.snippet).not.toMatch(/<(?!\/?mark>)/);
    expect(hit.snippet).toContain('&amp;amp;');
  });

  it('says relaxed: true when no paragraph has every word', async () => {
    const response = await request(app).get('/api/search').query({ q: '支付寶的CTO是誰恐龍' });
    expect(response.status).toBe(200);
    checkSearchBody(response.body as Body);
    expect(response.body.relaxed).toBe(true);
    expect(response.body.total).toBeGreaterThan(0);
  });

  it('answers a query of operators only with no hits (200)', async () => {
    for (const q of ['-', 'OR', '""', '-支付寶', '\u200b']) {
      const response = await request(app).get('/api/search').query({ q });
      expect(response.status, q).toBe(200);
      checkSearchBody(response.body as Body, { q, limit: 10, offset: 0 });
      expect(response.body.total).toBe(0);
    }
  });

  it('accepts a query of exactly the maximum length', async () => {
    const q = '支'.repeat(LIMITS.maxQueryLength);
    const response = await request(app).get('/api/search').query({ q });
    expect(response.status).toBe(200);
    checkSearchBody(response.body as Body, { q, limit: 10, offset: 0 });
  });
});

describe('GET /api/search: hit locations', () => {
  const tempDir = tempDirFactory('api-locations');
  let located: { holder: IndexHolder; app: RequestListener } | undefined;
  beforeAll(async () => {
    const { out } = await buildLocatedCorpus(tempDir());
    const locatedHolder = await openIndexHolder(out, logger);
    located = { holder: locatedHolder, app: createApp({ holder: locatedHolder, logger }) };
  }, 120_000);
  afterAll(() => located?.holder.close());

  it('gives every hit its location, after the fields that were there before', async () => {
    const response = await request(located!.app).get('/api/search').query({ q: '程立', limit: 100 });
    expect(response.status).toBe(200);
    checkSearchBody(response.body as Body);
    const hits = (response.body as { hits: Body[] }).hits;
    for (const hit of hits) expect(Object.keys(hit).at(-1)).toBe('location');
    const byDoc = (docId: string): Body[] => hits.filter((hit) => hit.docId === docId);
    expect(byDoc('alipay.pdf').every((hit) => Number.isInteger((hit.location as Body).page))).toBe(true);
    expect(byDoc('alipay.pdf').find((hit) => hit.paragraph === 12)?.location).toEqual({ page: 2 });
    expect(byDoc('alipay.epub')[0]?.location).toEqual({ chapter: '支付寶十五年', headings: ['支付寶十五年'] });
    const plain = await request(located!.app).get('/api/search').query({ q: '纯文本' });
    expect((plain.body as { hits: Body[] }).hits[0]).toMatchObject({ docId: 'plain.txt', location: null });
    const docx = await request(located!.app).get('/api/search').query({ q: '九省通衢' });
    expect((docx.body as { hits: Body[] }).hits[0]!.location).toEqual({ headings: ['第一章 長江', '沿岸城市'] });
  });
});

describe('GET /api/search: 400 with {error: {code, message}}', () => {
  const cases: [string, string, string?][] = [
    ['missing q', '/api/search', 'missing_query'],
    ['missing q with other parameters', '/api/search?limit=5', 'missing_query'],
    ['empty q', '/api/search?q=', 'missing_query'],
    ['whitespace-only q', '/api/search?q=%20%09%E3%80%80', 'missing_query'],
    ['over-long q', `/api/search?q=${'a'.repeat(LIMITS.maxQueryLength + 1)}`, 'query_too_long'],
    ['over-long q of CJK', `/api/search?q=${encodeURIComponent('支'.repeat(LIMITS.maxQueryLength + 1))}`, 'query_too_long'],
    ['over-long q of astral characters', `/api/search?q=${encodeURIComponent('𠮷'.repeat(LIMITS.maxQueryLength / 2 + 1))}`, 'query_too_long'],
    ['q given twice', '/api/search?q=a&q=b'],
    ['q given twice, once empty', '/api/search?q=a&q='],
    ['limit 0', '/api/search?q=a&limit=0', 'bad_limit'],
    ['limit 101', '/api/search?q=a&limit=101', 'bad_limit'],
    ['limit abc', '/api/search?q=a&limit=abc', 'bad_limit'],
    ['limit -1', '/api/search?q=a&limit=-1', 'bad_limit'],
    ['limit 1.5', '/api/search?q=a&limit=1.5', 'bad_limit'],
    ['limit 1e2', '/api/search?q=a&limit=1e2', 'bad_limit'],
    ['limit full-width digits', `/api/search?q=a&limit=${encodeURIComponent('１０')}`, 'bad_limit'],
    ['limit given twice', '/api/search?q=a&limit=1&limit=2', 'bad_limit'],
    ['offset -1', '/api/search?q=a&offset=-1', 'bad_offset'],
    ['offset abc', '/api/search?q=a&offset=abc', 'bad_offset'],
    ['offset huge', '/api/search?q=a&offset=99999999999999999999999', 'bad_offset'],
    ['offset past the maximum', `/api/search?q=a&offset=${LIMITS.maxOffset + 1}`, 'bad_offset'],
    ['offset 0x10', '/api/search?q=a&offset=0x10', 'bad_offset'],
  ];
  for (const [name, path, code] of cases) {
    it(name, async () => {
      const response = await request(roomy).get(path);
      expect(response.status).toBe(400);
      expect(response.type).toBe('application/json');
      checkErrorBody(response.body as Body, code);
    });
  }

  it('validates before searching: an over-long q is refused even with a bad limit, and says so', async () => {
    const response = await request(app).get(`/api/search?q=${'a'.repeat(LIMITS.maxQueryLength + 1)}&limit=5`);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain(String(LIMITS.maxQueryLength));
  });
});

describe('GET /healthz and unknown API paths', () => {
  it('/healthz reports status, documents, paragraphs and builtAt', async () => {
    const response = await request(app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.type).toBe('application/json');
    expect(Object.keys(response.body).sort()).toEqual(['builtAt', 'documents', 'paragraphs', 'status']);
    expect(response.body.status).toBe('ok');
    expect(response.body.documents).toBe(built.index.manifest.counts.documents);
    expect(response.body.paragraphs).toBe(built.index.manifest.counts.paragraphs);
    expect(response.body.documents).toBe(2);
    expect(typeof response.body.builtAt).toBe('string');
    expect(Number.isNaN(Date.parse(response.body.builtAt as string))).toBe(false);
  });

  it('answers an unknown /api path with a JSON 404', async () => {
    for (const path of ['/api/nope', '/api/search/extra', '/api/', '/api', '/api/search2?q=a', '/api/%E0%A4%A']) {
      const response = await request(app).get(path);
      expect(response.status, path).toBe(404);
      expect(response.type).toBe('application/json');
      checkErrorBody(response.body as Body, 'not_found');
    }
    const post = await request(app).post('/api/search').send({ q: 'a' });
    expect(post.status).toBeLessThan(500);
    expect(post.type).toBe('application/json');
  });
});

// ---- fuzz ----

const OPERATORS = ['"', '-', '－', 'OR', ' ', '""', '-"OR"', '“', '」', '『', '＂', 'OR-', '--', '\t', '\u3000', '-""', '"-', 'OR"', ' OR ', '" "'];
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  "'; DROP TABLE paragraphs; --",
  '" OR 1=1 --',
  "' OR '1'='1",
  '{{7*7}}',
  '${process.exit(1)}',
  '../../etc/passwd',
  '%00',
  '%E0%A4%A',
  '%FF',
  '%%',
  '%u4E2D',
  '%25E4%25B8%25AD',
  '&q=x&limit=1000',
  '#fragment',
  '?q=',
  '\\u0000',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  '\u0001',
  '\u0002支付',
  'null',
  'undefined',
  'NaN',
  '[object Object]',
  '*',
  '.*+?^$()[]{}|\\',
];
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '🏳️‍🌈', '❤️', '\u{1f9d1}\u200d\u{1f4bb}', '\ufe0f', '\u20e3'];

/** One random query string: arbitrary code units and code points, syntax, payloads, huge strings. */
function randomQuery(random: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const int = (n: number): number => Math.floor(random() * n);
  const randomUnit = (): string => {
    switch (int(9)) {
      case 0:
        return String.fromCharCode(int(0x10000)); // any UTF-16 unit, lone surrogates included
      case 1:
        return String.fromCodePoint(int(0x110000));
      case 2:
        return String.fromCharCode(pick([int(0x20), 0x7f + int(0x21)])); // C0 and C1 controls
      case 3:
        return pick(BIDI);
      case 4:
        return pick(EMOJI);
      case 5:
        return String.fromCharCode(0xd800 + int(0x800)); // a lone surrogate
      case 6:
        return String.fromCodePoint(0x4e00 + int(0x5200));
      case 7:
        return pick(FRAGMENTS);
      default:
        return String.fromCharCode(0x20 + int(0x5f));
    }
  };
  const join = (n: number, part: () => string): string => Array.from({ length: n }, part).join('');
  switch (int(7)) {
    case 0:
      return join(1 + int(30), randomUnit);
    case 1:
      return join(1 + int(12), () => pick(OPERATORS) + (random() < 0.4 ? pick(FRAGMENTS) : ''));
    case 2:
      return join(1 + int(3), () => pick(PAYLOADS) + (random() < 0.5 ? pick(['支付寶', ' ', 'OR', '-']) : ''));
    case 3: {
      // Huge or exactly at the limits.
      const unit = random() < 0.5 ? randomUnit() : pick(['a', '支', '𠮷', '%', ' ', '"']);
      const length = pick([10_000, LIMITS.maxQueryLength, LIMITS.maxQueryLength + 1, LIMITS.maxQueryLength - 1, 5_000]);
      return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    }
    case 4:
      return join(1 + int(10), () => pick([...FRAGMENTS, ...OPERATORS, ...BIDI]));
    case 5:
      return join(1 + int(8), () => pick(['支付寶', '系統', 'CTO', '雙11', '淘寶', '螞蟻金服', '程立', '2018', 'iPad', ' ', ' OR ', ' -', '"']));
    default:
      return join(1 + int(6), () => encodeURIComponent(randomUnit().toWellFormed()) + pick(['%', '%2', '%E0%A4', '%ZZ', '+', '&', '=']));
  }
}

/**
 * A fuzz answer is a 200 with a valid body or a 400 with an error body. A request whose query is over-long anyway
 * may also be stopped before routing by the app's URL length limit: 414, with the same JSON error body.
 */
function checkAnswer(response: request.Response, overLong: boolean, label: string): void {
  expect(overLong ? [200, 400, 414] : [200, 400], label).toContain(response.status);
  expect(response.type, label).toBe('application/json');
  const body = JSON.parse(response.text) as Body;
  if (response.status === 200) checkSearchBody(body);
  else checkErrorBody(body, response.status === 414 ? 'uri_too_long' : undefined);
}

const LIMIT_VALUES = ['1', '10', '100', '0', '101', '-1', 'abc', '1.5', '', '１０', '1e2', ' 5', '007'];
const OFFSET_VALUES = ['0', '5', '10000', '10001', '-1', 'x', '9'.repeat(30), ''];

describe('fuzz: no query string produces a 5xx', () => {
  it('answers 1,000 random query strings with 200 or 400 and valid JSON', async () => {
    const random = seededRandom(0xf022);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const q = randomQuery(random);
      const params: Record<string, string> = { q };
      // Mostly the query alone; sometimes with a limit or offset, valid or not.
      const limit = random() < 0.75 ? undefined : LIMIT_VALUES[Math.floor(random() * LIMIT_VALUES.length)];
      const offset = random() < 0.75 ? undefined : OFFSET_VALUES[Math.floor(random() * OFFSET_VALUES.length)];
      if (limit !== undefined) params.limit = limit;
      if (offset !== undefined) params.offset = offset;
      const response = await request(roomy).get('/api/search').query(params);
      const label = `#${i} ${JSON.stringify(params).slice(0, 200)}`;
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      checkAnswer(response, q.length > LIMITS.maxQueryLength, label);
    }
    console.log(`fuzz: ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(300);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    expect(errors).toEqual([]);
  });

  it('answers raw, malformed percent-encoding with 200 or 400 and valid JSON', async () => {
    const raw = [
      '%E0%A4%A',
      '%FF',
      '%00',
      '%',
      '%%',
      '%2',
      '%ZZ',
      '%u4E2D',
      '%ED%A0%80', // an encoded lone surrogate (invalid UTF-8)
      '%ED%B0%80abc',
      '%C0%AF', // overlong encoding of /
      '%F0%9F%98', // a truncated emoji
      '%F4%90%80%80', // beyond U+10FFFF
      '%FE%FF',
      '%EF%BB%BF', // a BOM
      '%E2%80%AE%E6%94%AF%E4%BB%98', // right-to-left override + 支付
      'a%00b',
      '%0A%0D',
      '+',
      '%20',
      '+OR+',
      '%22%22',
      '-%22OR%22',
      '%26q%3D1',
      'a&q',
      'a&limit',
      'a&limit=&offset=',
      '%E6%94%AF%E4%BB%98%E5%AF%B6&limit=%31',
      '支付寶', // unencoded UTF-8 in the request line
      `${'%E6%94%AF'.repeat(LIMITS.maxQueryLength)}`,
      `${'%E6%94%AF'.repeat(LIMITS.maxQueryLength + 1)}`,
      `${'%FF'.repeat(5000)}`,
      `${'%ED%A0%80'.repeat(200)}`,
    ];
    for (const value of raw) {
      for (const path of [`/api/search?q=${value}`, `/api/search?limit=5&q=${value}&offset=1`]) {
        const response = await request(roomy).get(path);
        checkAnswer(response, path.length > 3 * LIMITS.maxQueryLength, path.slice(0, 120));
      }
    }
    // Other odd spellings of the parameters.
    for (const path of ['/api/search?q[]=a', '/api/search?q[a]=b', '/api/search?%71=a', '/api/search?q', '/api/search?&&q=a&&', '/api/search?q=a&q[]=b', '/api/search?Q=a']) {
      checkAnswer(await request(roomy).get(path), false, path);
    }
    expect(errors).toEqual([]);
  });

  it('on a default server, a URL longer than Node accepts is refused with a 4xx, never a 5xx', async () => {
    const response = await request(app).get('/api/search').query({ q: '支'.repeat(10_000) });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('GET /api/search: one handler, reached before Express or through its router', () => {
  const lines: object[] = [];
  const capturing: Logger = { info: (object) => void lines.push(object), warn() {}, error: (object) => void lines.push(object) };
  /** How often the handler asked for an answer; `fail` makes the next ones throw. */
  const asked = { count: 0, fail: false };
  let spied: RequestListener;
  let opened: IndexHolder;
  beforeAll(async () => {
    opened = await openIndexHolder(built.dir, capturing, { resultCacheEntries: 100 });
    await opened.searcher().prepareVocabulary(); // answers compared before and after it would differ in vocabularyReady
    const answers = (): ReturnType<IndexHolder['answers']> => {
      const real = opened.answers();
      return {
        search: (q, options) => real.search(q, options),
        searchJson(q, options) {
          asked.count++;
          if (asked.fail) throw new Error('a bug in the search');
          return real.searchJson(q, options);
        },
        get size() {
          return real.size;
        },
      };
    };
    spied = createApp({ holder: { ...opened, answers }, logger: capturing, maxUrlBytes: 2048 });
  });
  afterAll(() => opened?.close());

  const withoutTime = (body: Record<string, unknown>): Record<string, unknown> => ({ ...body, tookMs: 0 });
  const comparableHeaders = (headers: Record<string, string>): Record<string, string> => {
    const { date: _date, 'content-length': _length, ...rest } = headers;
    return rest;
  };
  /**
   * The same request through Express's router, which takes a trailing slash as the same route; the path before
   * Express takes exactly /api/search?….
   */
  const THROUGH_EXPRESS = '/api/search/';
  const viaExpress = (query: Record<string, string | number>): Promise<request.Response> => request(spied).get(THROUGH_EXPRESS).query(query);

  it('answers with the same status, headers and body either way, asking for the answer once per request', async () => {
    for (const query of [{ q: '支付寶', limit: 2 }, { q: '支付寶', limit: 2 }, { q: 'iPad' }] as Record<string, string | number>[]) {
      asked.count = 0;
      const before = await request(spied).get('/api/search').query(query);
      const express = await viaExpress(query);
      expect(asked.count).toBe(2);
      expect(before.status).toBe(200);
      expect(comparableHeaders(before.headers as Record<string, string>)).toEqual(comparableHeaders(express.headers as Record<string, string>));
      expect(before.headers['content-security-policy']).toContain("default-src 'self'");
      expect(Number(before.headers['content-length'])).toBe(Buffer.byteLength(before.text));
      expect(withoutTime(before.body as Record<string, unknown>)).toEqual(withoutTime(express.body as Record<string, unknown>));
    }
  });

  it('answers bad parameters 400 with the same body either way', async () => {
    for (const query of ['q=', 'q=a&q=b', 'q=a&limit=0', 'q=a&offset=x']) {
      const before = await request(spied).get(`/api/search?${query}`);
      const express = await request(spied).get(`${THROUGH_EXPRESS}?${query}`);
      expect(before.status, query).toBe(400);
      expect(before.body, query).toEqual(express.body);
      expect(before.headers['content-security-policy']).toContain("default-src 'self'");
    }
  });

  it('decodes the query string as Express does: "+" is a space, escapes are UTF-8', async () => {
    const express = await viaExpress({ q: '支付 寶' });
    const before = await request(spied).get(`/api/search?q=${encodeURIComponent('支付')}+${encodeURIComponent('寶')}`);
    expect(before.body.query).toBe('支付 寶');
    expect(withoutTime(before.body as Record<string, unknown>)).toEqual(withoutTime(express.body as Record<string, unknown>));
  });

  it('logs one line per request, without the query, as Express’s requests are logged', async () => {
    lines.length = 0;
    await request(spied).get('/api/search').query({ q: 'iPad' });
    await request(spied).get('/api/search').query({ q: 'iPad' });
    const line = { method: 'GET', path: '/api/search', status: 200, durationMs: expect.any(Number) as number };
    expect(lines).toEqual([line, line]);
  });

  it('leaves other methods, paths and over-long URLs to Express', async () => {
    asked.count = 0;
    expect((await request(spied).head('/api/search').query({ q: '淘寶' })).status).toBe(200);
    expect((await request(spied).post('/api/search').query({ q: '淘寶' })).status).toBe(404);
    expect((await request(spied).get(`/api/search?q=${encodeURIComponent('淘寶')}&pad=${'x'.repeat(2100)}`)).status).toBe(414);
    expect(asked.count).toBe(1); // the HEAD request's
  });

  it('answers 500 JSON and logs the error when the search throws, either way, and goes on serving', async () => {
    asked.fail = true;
    try {
      for (const path of ['/api/search', THROUGH_EXPRESS]) {
        lines.length = 0;
        const failed = await request(spied).get(path).query({ q: '支付寶' });
        expect(failed.status, path).toBe(500);
        expect(failed.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
        expect(failed.headers['content-security-policy']).toContain("default-src 'self'");
        expect(lines).toContainEqual(expect.objectContaining({ error: expect.stringContaining('a bug in the search') as string }));
        expect(lines).toContainEqual(expect.objectContaining({ path, status: 500 }));
      }
    } finally {
      asked.fail = false;
    }
    expect((await request(spied).get('/api/search').query({ q: '支付寶' })).status).toBe(200);
  });
});

describe('GET /api/search before Express, waiting for its turn', () => {
  /** The path before Express behind a queue that holds its requests, as if slow requests ahead took every turn. */
  function heldSearches(opened: IndexHolder, handlerTimeoutMs: number, log: Logger): { app: RequestListener; held: (() => void)[] } {
    const held: (() => void)[] = [];
    const holding = Object.assign((_request: IncomingMessage, _response: ServerResponse, next: () => void) => void held.push(next), {
      pending: () => held.length,
      capacity: () => held.length,
    });
    const express: RequestListener = (_request, response) => response.writeHead(404).end();
    return { app: searchesBeforeExpress(express, { holder: opened, logger: log, maxUrlBytes: 2048, handlerTimeoutMs, queue: holding }), held };
  }

  it('answers 503 JSON when a search has waited past the handler timeout', async () => {
    const opened = await openIndexHolder(built.dir, logger, { resultCacheEntries: 0 });
    try {
      const { app: held503, held } = heldSearches(opened, 50, logger);
      const answer = await request(held503).get('/api/search').query({ q: '支付寶' });
      expect(answer.status).toBe(503);
      expect(answer.headers['retry-after']).toBe('1');
      expect(answer.headers['content-security-policy']).toContain("default-src 'self'");
      expect(answer.body.error.code).toBe('timeout');
      expect(held).toHaveLength(1);
    } finally {
      opened.close();
    }
  });

  it('logs a search whose client left while it waited as aborted', async () => {
    const lines: object[] = [];
    const capturing: Logger = { info: (object) => void lines.push(object), warn() {}, error: (object) => void lines.push(object) };
    const opened = await openIndexHolder(built.dir, capturing, { resultCacheEntries: 0 });
    const { app: waiting, held } = heldSearches(opened, 10_000, capturing);
    const server = createServer(waiting).listen(0, '127.0.0.1');
    try {
      await once(server, 'listening');
      const client = httpGet(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/search?q=${encodeURIComponent('支付寶')}`);
      client.on('error', () => {}); // the client's own side of the hang-up
      for (let i = 0; i < 400 && held.length === 0; i++) await delay(5);
      client.destroy();
      for (let i = 0; i < 400 && lines.length === 0; i++) await delay(5);
      expect(lines).toEqual([{ method: 'GET', path: '/api/search', status: 200, durationMs: expect.any(Number) as number, aborted: true }]);
    } finally {
      server.close();
      opened.close();
    }
  });
});
