// Hostile requests and what a correct answer to each looks like. Shared by `npm run fuzz` (bench/fuzz.ts) and
// test/fuzz.test.ts. Everything is generated from a seed, so a failing request can be produced again.
//
// A case is a raw request target (sent byte for byte: characters U+0080–U+00FF stand for raw bytes, so
// malformed %-escapes and invalid UTF-8 reach the server) plus headers, or, for target 'raw', a whole request
// written to a socket. Each case embeds markers unique to it (zz<n>) inside HTML, attribute and script payloads;
// an HTML answer must never contain one of them unescaped.
import { seededRandom } from '../server/search/seeded-random.js';

export type FuzzTarget = 'api' | 'search' | 'fragment' | 'doc' | 'other' | 'raw';

export interface FuzzCase {
  /** Sequence number; the markers of this case are `zz<n>`. */
  readonly n: number;
  readonly target: FuzzTarget;
  /** Request target as sent (not for 'raw'). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** For 'raw': the bytes written to the socket, as latin1. */
  readonly raw?: string;
  /** How the case was made, for the report. */
  readonly kind: string;
  /** A document id that no index holds (a traversal attempt): a 200 answer would be a leak. */
  readonly mustNotFind?: boolean;
}

export interface FuzzOutcome {
  /** null: no answer (connection error or closed without a status line). */
  readonly status: number | null;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly error?: string;
}

export interface GeneratorSource {
  readonly seed: number;
  /** Real document ids of the index (document pages that exist). */
  readonly docIds: readonly string[];
  /** Strings that occur in the index, so that some queries have hits (and highlights to check). */
  readonly words: readonly string[];
}

/** The project's seeded generator (mulberry32), for the bench's samples, mixes and fuzz cases. */
export { seededRandom };

/** Payloads with the case's marker (`#` is replaced by zz<n>). */
const PAYLOADS = [
  '<script>alert(#)</script>',
  '"><img src=x onerror=#>',
  '"onerror=# x="',
  "'onmouseover=# x='",
  '<#>',
  '</title><#>',
  '</textarea><#>',
  '<!--#-->',
  '<svg/onload=#>',
  '<mark>#</mark>',
  '<a href="javascript:#">x</a>',
  '<iframe src=#>',
  '<style>#{}</style>',
  '{{#}}',
  '${#}',
  "' OR '1'='1' -- #",
  '1; DROP TABLE docs; -- #',
  '" OR ""="',
  'UNION SELECT * FROM users -- #',
  '&lt;#&gt;',
  '&#60;#&#62;',
  '\\u003c#\\u003e',
  '%3C#%3E',
];

/** Raw forms of the payloads: none may appear in an HTML answer. */
export function markerProbes(n: number): string[] {
  const m = `zz${n}`;
  return [
    `<${m}`,
    `<script>alert(${m}`,
    `<img src=x onerror=${m}`,
    `"onerror=${m}`,
    `'onmouseover=${m}`,
    `<!--${m}`,
    `<svg/onload=${m}`,
    `<mark>${m}`,
    `"javascript:${m}`,
    `<iframe src=${m}`,
    `<style>${m}`,
  ];
}

const OPERATORS = ['"', '-', 'OR', 'AND', 'NOT', '(', ')', '*', '?', ':', '+', '~', '^', '|', '||', '&&', '!', '\\', '-"', '""', '" "', 'OR OR', '--', '- -', 'OR"', '-OR', '"-"', 'OR-', '""""', '\u201c', '\u201d', '「', '」', '－', '＂'];

const UNICODE = [
  '\ud800', '\udfff', '\udbff', '\udc00', '\ud83d', '\ude00', // lone surrogates
  '\0', '\u0001', '\u0007', '\b', '\t', '\n', '\v', '\f', '\r', '\u001b', '\u007f', '\u0085', '\u009f', // controls
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c', // bidi
  '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', // invisible
  '\u0301', '\u0308', '\u20dd', '\u0e49', // combining
  '😀', '👍🏽', '👨‍👩‍👧‍👦', '🇨🇳', '🏳️‍🌈', '𠮷', '𦈡', '𝐀', '\u{10ffff}', '\u{e0001}', '\u{f0000}', // astral
  '\ufffd', '\uffff', '\ufffe', '\ufdd0', '\ufdfa', '㍻', 'ﬁ', '½', '…', '①', '㈠', // NFKC expanders, noncharacters
  'İ', 'ß', 'ẞ', 'ς', 'ǅ', 'ı', 'Ω', 'K', // case folding oddities
  'ＣＴＯ', 'ｉＰａｄ', '１２３', '　', '！', '＜', '＞', '＂', // full-width
  '支付寶', '支付宝', '系統', '雙11', 'CTO', 'iPad', '2135', '64K', '臺灣', '程立', '的', '了', '。', '，',
  '\u00a0', '\u2028', '\u2029', '\u3000',
];

const NUMBERS = ['', '0', '1', '5', '10', '100', '101', '-1', '1.5', '1e2', '0x10', ' 5', '5 ', '+5', '٣', '５', 'NaN', 'Infinity', '-0',
  '9'.repeat(30), '00010', '10000', '10001', '99999999999999999999', 'null', 'undefined', '[]', '{}', 'true', '%00', '%', '1%00', '5;', '1,2'];

const TRAVERSALS = [
  '../../etc/passwd', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '%2e%2e/%2e%2e/etc/passwd', '..%5c..%5cwindows%5cwin.ini',
  '..\\..\\windows\\win.ini', '%00', 'a%00.txt', '%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '%c0%ae%c0%ae%c0%afetc%c0%afpasswd', '....//....//etc/passwd',
  '%252e%252e%252fetc%252fpasswd', '/etc/passwd', '.', '..', '%2e', '%2e%2e', '.%2e', 'C:\\Windows\\win.ini', '%e0%80%ae%e0%80%ae/etc/passwd',
  '..%c0%af..%c0%afetc/passwd', '..%25c0%25af', '%uff0e%uff0e/etc/passwd', '..;/..;/etc/passwd', '~root', '.git/config', '../.env',
  '..%00/etc/passwd', 'file:///etc/passwd', '//etc/passwd', '../package.json', '..%2fpackage.json',
];

const OTHER_PATHS = [
  '/', '/healthz', '/healthz?q=<zz#>', '/api', '/api/', '/api/search/', '/API/SEARCH?q=a', '//api/search?q=a', '/api//search?q=a', '/api/search;q=a',
  '/api/%73earch?q=a', '/api/search%00?q=a', '/api/%zz', '/api/%', '/api/<zz#>', '/api/search/../healthz', '/api/%2e%2e/healthz',
  '/static/../package.json', '/static/%2e%2e/%2e%2e/package.json', '/static/..%2f..%2fpackage.json', '/static/%2e%2e%5c%2e%2e%5cpackage.json',
  '/static/htmx.min.js', '/static/app.css', '/static/app.js', '/static/', '/static', '/static/%00', '/static/..%00/app.js', '/static/%c0%ae%c0%ae/package.json',
  '/static/<zz#>.js', '/favicon.ico', '/%00', '/.env', '/.git/config', '/dist/server/main.js', '/node_modules/express/package.json', '/package.json',
  '/%2e%2e/%2e%2e/etc/passwd', '/search/', '/SEARCH?q=a', '/search;x?q=a', '/<zz#>', '/"onerror=zz#', '/%3Czz#%3E', '/doc', '/doc/', '/doc?id=',
  '/doc?id=../../etc/passwd', '/doc?id=%2e%2e&q=<zz#>', '/doc?id[]=a', '/doc?id=a&id=b', '/search?q=a#<zz#>', '/*', '/%2A', '/?q=', '/?',
];

const PERCENT_TRICKS = ['%', '%z', '%zz', '%%', '%%%', '%E4%B8', '%E4', '%C0%AE', '%C0%BC', '%C0%80', '%ED%A0%80', '%ED%BF%BF', '%F4%90%80%80', '%F8%88%80%80%80',
  '%FF', '%FE%FF', '%00', '%0A', '%0D%0A', '%252F', '%253Czz#%253E', '%u4E2D', '%uD800', '%2', '%G0', '%E4%B8%AD', '+', '%2B', '%20', '&', '%26', '=', '%3D', '#', '%23', '?', '%3F'];

export interface CaseGenerator {
  next(): FuzzCase;
}

export function createCaseGenerator(source: GeneratorSource): CaseGenerator {
  const random = seededRandom(source.seed);
  const int = (n: number): number => Math.floor(random() * n);
  const chance = (p: number): boolean => random() < p;
  function pick<T>(items: readonly T[]): T {
    return items[int(items.length)]!;
  }
  let counter = 0;

  const word = (): string => (source.words.length > 0 ? pick(source.words) : pick(UNICODE));

  function payload(marker: string): string {
    return pick(PAYLOADS).replaceAll('#', marker);
  }

  function unicodeSoup(length: number): string {
    let out = '';
    while (out.length < length) {
      const r = random();
      if (r < 0.5) out += pick(UNICODE);
      else if (r < 0.7) out += String.fromCodePoint(0x4e00 + int(0x5200));
      else if (r < 0.8) out += String.fromCharCode(int(0x10000)); // any code unit, surrogates included
      else if (r < 0.9) out += String.fromCodePoint(0x10000 + int(0xfffff));
      else out += ' ';
    }
    return out;
  }

  function operatorSoup(marker: string): string {
    const parts: string[] = [];
    const count = 1 + int(12);
    for (let i = 0; i < count; i++) {
      const r = random();
      parts.push(r < 0.45 ? pick(OPERATORS) : r < 0.85 ? word() : r < 0.95 ? payload(marker) : pick(UNICODE));
    }
    return parts.join(chance(0.7) ? ' ' : pick(['', '  ', '\t', '\u3000', '+']));
  }

  /** The text of a query, unencoded. */
  function queryText(marker: string): { text: string; kind: string } {
    const r = random();
    if (r < 0.2) return { text: chance(0.5) ? word() : `${word()} ${word()}`, kind: 'words' };
    if (r < 0.35) return { text: operatorSoup(marker), kind: 'operators' };
    if (r < 0.55) return { text: chance(0.5) ? payload(marker) : `${word()}${payload(marker)}${word()}`, kind: 'payload' };
    if (r < 0.75) return { text: unicodeSoup(1 + int(40)), kind: 'unicode' };
    if (r < 0.82) return { text: `${word()}${pick(UNICODE)}${word()}`, kind: 'word-unicode' };
    if (r < 0.88) {
      // Long: over the 256-character limit, up to 10,000 characters (some beyond the URL limit once encoded).
      const length = pick([257, 300, 1000, 2500, 4000, 10_000]);
      const unit = chance(0.5) ? 'a' : chance(0.5) ? payload(marker) : unicodeSoup(8);
      return { text: unit.repeat(Math.ceil(length / unit.length)).slice(0, length), kind: `long-${length}` };
    }
    if (r < 0.94) return { text: pick(['', ' ', '\u3000', '\t\n', '""', '-', 'OR', '"', '\u200b', '\0']), kind: 'blank-ish' };
    return { text: `${word()} ${pick(NUMBERS)} ${payload(marker)}`, kind: 'mixed' };
  }

  /** UTF-8 %-escapes; lone surrogates as their 3-byte (invalid, WTF-8) forms. */
  function percentEncode(text: string, keepRaw: RegExp): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      const next = text.charCodeAt(i + 1);
      let bytes: number[];
      if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        bytes = [...Buffer.from(text.slice(i, i + 2), 'utf8')];
        i++;
      } else if (unit >= 0xd800 && unit <= 0xdfff) {
        bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      } else {
        const ch = text[i]!;
        if (keepRaw.test(ch)) {
          out += ch;
          continue;
        }
        bytes = [...Buffer.from(ch, 'utf8')];
      }
      out += bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    }
    return out;
  }

  /** A query value as it appears in the URL, with an encoding trick now and then. */
  function encodeValue(text: string, marker: string): { value: string; trick: string } {
    const r = random();
    if (r < 0.55) return { value: percentEncode(text, /[A-Za-z0-9\-_.~]/).replaceAll('%20', chance(0.5) ? '+' : '%20'), trick: 'utf8' };
    if (r < 0.65) {
      // Printable ASCII left raw where the request line allows it: < > " ' { } | \ ^ ` [ ].
      return { value: percentEncode(text, /[!-~]/).replace(/[#&+%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`), trick: 'raw-ascii' };
    }
    if (r < 0.72) {
      // Raw UTF-8 bytes in the request line (each latin1 character here is one byte on the wire).
      const raw = Buffer.from(text.toWellFormed(), 'utf8').toString('latin1');
      return { value: raw.replace(/[\0- #%&+\x7f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`), trick: 'raw-bytes' };
    }
    if (r < 0.8) return { value: percentEncode(percentEncode(text, /[A-Za-z0-9]/), /[A-Za-z0-9]/), trick: 'double' };
    if (r < 0.93) {
      // A malformed escape dropped somewhere into an otherwise good value.
      const good = percentEncode(text, /[A-Za-z0-9]/);
      const at = int(good.length + 1);
      return { value: good.slice(0, at) + pick(PERCENT_TRICKS).replaceAll('#', marker) + good.slice(at), trick: 'malformed' };
    }
    // Invalid UTF-8 bytes: raw high bytes, overlong forms.
    const bad = pick(['\xff', '\xc0\xae', '\xe4\xb8', '\xed\xa0\x80', '\x80', '\xfe\xff']);
    return { value: percentEncode(text, /[A-Za-z0-9]/) + bad, trick: 'invalid-utf8' };
  }

  /** The query string of a search: q, limit, offset, with duplicates, arrays and junk now and then. */
  function searchQueryString(marker: string): { query: string; kind: string } {
    const { text, kind } = queryText(marker);
    const { value, trick } = encodeValue(text, marker);
    const params: string[] = [];
    const r = random();
    if (r < 0.75) params.push(`q=${value}`);
    else if (r < 0.8) params.push(`q=${value}`, `q=${encodeValue(word(), marker).value}`);
    else if (r < 0.84) params.push(`q[]=${value}`);
    else if (r < 0.87) params.push(`q[a]=${value}`, `q[b]=x`);
    else if (r < 0.9) params.push(`Q=${value}`);
    else if (r < 0.92) params.push(`q`);
    else if (r < 0.94) params.push(`q=`);
    else if (r < 0.96) params.push(`=${value}`, `&&&q=${value}`);
    else if (r < 0.98) params.push(`q=${value}`, ...Array.from({ length: 200 + int(1500) }, (_, i) => `p${i}=${i}`));
    else params.push(`q=${value}`, pick(['__proto__=1', '__proto__[q]=x', 'constructor[prototype][q]=1', 'toString=1', 'hasOwnProperty=1']));
    if (chance(0.5)) params.push(`limit=${encodeValue(pick(NUMBERS), marker).value}`);
    if (chance(0.4)) params.push(`offset=${encodeValue(pick(NUMBERS), marker).value}`);
    if (chance(0.05)) params.push(`limit=${encodeValue(pick(NUMBERS), marker).value}`, `limit=${encodeValue(pick(NUMBERS), marker).value}`);
    if (chance(0.05)) params.push(`offset[]=1`);
    const shuffled = chance(0.3) ? params.sort(() => random() - 0.5) : params;
    const separator = chance(0.03) ? ';' : '&';
    return { query: shuffled.join(separator), kind: `${kind}/${trick}` };
  }

  function docPath(marker: string): { path: string; kind: string; mustNotFind: boolean } {
    const r = random();
    let path: string;
    let kind: string;
    let mustNotFind = false;
    if (r < 0.45 && source.docIds.length > 0) {
      const id = pick(source.docIds);
      const variant = random();
      if (variant < 0.7) path = `/doc/${id.split('/').map(encodeURIComponent).join('/')}`;
      else if (variant < 0.85) path = `/doc?id=${encodeURIComponent(id)}`;
      else path = `/doc/${encodeURIComponent(id)}${pick(['%00', '/..', '/', '%2F..', '.bak', '~', '%20'])}`;
      kind = 'doc-real';
    } else if (r < 0.85) {
      const traversal = pick(TRAVERSALS);
      path = chance(0.75) ? `/doc/${traversal}` : `/doc?id=${traversal}`;
      kind = 'doc-traversal';
      mustNotFind = true;
    } else {
      const { text } = queryText(marker);
      const { value, trick } = encodeValue(text.slice(0, 3000), marker);
      path = chance(0.7) ? `/doc/${value.replaceAll('?', '%3F')}` : `/doc?id=${value}`;
      kind = `doc-random/${trick}`;
    }
    // Document ids are compared exactly: no generated random or traversal id can exist in a test index.
    const params: string[] = [];
    if (chance(0.8)) {
      const { text, kind: qKind } = queryText(marker);
      const { value, trick } = encodeValue(text, marker);
      params.push(`q=${value}`);
      kind += `+q:${qKind}/${trick}`;
    }
    if (chance(0.3)) params.push(`p=${encodeValue(pick(NUMBERS), marker).value}`);
    if (params.length > 0) path += (path.includes('?') ? '&' : '?') + params.join('&');
    return { path, kind, mustNotFind };
  }

  /** Requests written to a socket as they are: what an HTTP client library would refuse to send. */
  function rawRequest(marker: string): { raw: string; kind: string } {
    const q = encodeValue(queryText(marker).text, marker).value;
    const body = `{"q":"<${marker}>"}`;
    const requests: [string, string][] = [
      ['space-in-target', `GET /search?q=a b<${marker}> HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['tab-in-target', `GET /api/search?q=a\tb HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['nul-in-target', `GET /api/search?q=a\0b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['bare-lf', `GET /api/search?q=${q} HTTP/1.1\nHost: x\nConnection: close\n\n`],
      ['http-1.0', `GET /search?q=${q} HTTP/1.0\r\n\r\n`],
      ['http-0.9', `GET /search?q=${q}\r\n\r\n`],
      ['absolute-form', `GET http://evil.example/api/search?q=${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['no-host', `GET /api/search?q=${q} HTTP/1.1\r\nConnection: close\r\n\r\n`],
      ['fragment', `GET /search?q=${q}&hx=1 HTTP/1.1\r\nHost: x\r\nHX-Request: true\r\nHX-Request-Type: partial\r\nConnection: close\r\n\r\n`],
      ['obs-fold', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b<${marker}>\r\nConnection: close\r\n\r\n`],
      ['bad-header-name', `GET /search?q=${q} HTTP/1.1\r\nHost: x\r\nX <${marker}>: 1\r\nConnection: close\r\n\r\n`],
      ['header-utf8', `GET /search?q=${q} HTTP/1.1\r\nHost: x\r\nHX-Request-Type: ${Buffer.from('部分', 'utf8').toString('latin1')}\r\nConnection: close\r\n\r\n`],
      ['huge-header', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`],
      ['huge-target', `GET /api/search?q=${'%E4%B8%AD'.repeat(3000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['content-length-negative', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\nConnection: close\r\n\r\n`],
      ['content-length-twice', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab`],
      ['bad-chunk', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n\r\n`],
      ['te-and-cl', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\nConnection: close\r\n\r\n0\r\n\r\n`],
      ['body-on-get', `GET /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`],
      ['post', `POST /api/search?q=${q} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{"q":"x"}`],
      ['method-junk', `<${marker}> /search?q=${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['head', `HEAD /search?q=${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['options', `OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
      ['pipelined', `GET /api/search?q=a HTTP/1.1\r\nHost: x\r\n\r\nGET /search?q=${q} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`],
    ];
    const [kind, raw] = pick(requests);
    return { raw, kind: `raw-${kind}` };
  }

  function next(): FuzzCase {
    const n = counter++;
    const marker = `zz${n}`;
    const r = random();
    if (r < 0.3) {
      const { query, kind } = searchQueryString(marker);
      return { n, target: 'api', path: `/api/search?${query}`, headers: {}, kind };
    }
    if (r < 0.5) {
      const { query, kind } = searchQueryString(marker);
      return { n, target: 'search', path: `/search?${query}`, headers: {}, kind };
    }
    if (r < 0.65) {
      const { query, kind } = searchQueryString(marker);
      return { n, target: 'fragment', path: `/search?${query}`, headers: { 'HX-Request': 'true', 'HX-Request-Type': 'partial' }, kind };
    }
    if (r < 0.87) {
      const { path, kind, mustNotFind } = docPath(marker);
      const headers: Record<string, string> = chance(0.2) ? { 'HX-Request': 'true', 'HX-Request-Type': 'partial' } : {};
      return { n, target: 'doc', path, headers, kind, ...(mustNotFind ? { mustNotFind } : {}) };
    }
    if (r < 0.95) {
      const path = pick(OTHER_PATHS).replaceAll('#', marker);
      return { n, target: 'other', path, headers: chance(0.3) ? { 'HX-Request-Type': 'partial' } : {}, kind: 'path', ...(path.startsWith('/doc?id=') || path.includes('%2e%2e') || path.includes('..') ? { mustNotFind: true } : {}) };
    }
    const { raw, kind } = rawRequest(marker);
    return { n, target: 'raw', path: '', headers: {}, raw, kind };
  }

  return { next };
}

// ---------------------------------------------------------------------------------------------------------
// Checks

/** Content that must never be served: system files and the project's own files reached by traversal. */
const LEAKS = ['root:x:0:', '"allowScripts"', '[core]', 'repositoryformatversion', 'SOU_INDEX', '[fonts]'];

function header(outcome: FuzzOutcome, name: string): string {
  const value = outcome.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : (value ?? '');
}

const isApiTarget = (c: FuzzCase): boolean => {
  const path = c.path.split(/[?#]/, 1)[0]!;
  return path === '/healthz' || path === '/api' || path.startsWith('/api/');
};

/** Why `highlights` of `text` are not valid UTF-16 ranges (inside the text, sorted, apart, not cutting a surrogate pair). */
export function highlightProblems(text: unknown, highlights: unknown): string[] {
  if (typeof text !== 'string') return ['text is not a string'];
  if (!Array.isArray(highlights)) return ['highlights is not an array'];
  const problems: string[] = [];
  let previousEnd: number | null = null;
  for (const range of highlights as unknown[]) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every((x) => Number.isInteger(x))) {
      problems.push(`range ${JSON.stringify(range)} is not a pair of integers`);
      continue;
    }
    const [s, e] = range as [number, number];
    if (!(s >= 0 && s < e && e <= text.length)) problems.push(`range [${s}, ${e}] is outside 0 ≤ s < e ≤ ${text.length}`);
    // README: sorted, non-overlapping, and merged when adjacent.
    if (previousEnd !== null && s <= previousEnd) problems.push(`range [${s}, ${e}] overlaps, touches or precedes the previous one (ending ${previousEnd})`);
    const splitsPair = (at: number): boolean =>
      at > 0 && at < text.length && /[\ud800-\udbff]/.test(text[at - 1]!) && /[\udc00-\udfff]/.test(text[at]!);
    if (splitsPair(s) || splitsPair(e)) problems.push(`range [${s}, ${e}] cuts a surrogate pair in two`);
    previousEnd = e;
  }
  return problems;
}

/** Everything wrong with one answer; empty when it is fine. */
export function checkOutcome(c: FuzzCase, outcome: FuzzOutcome): string[] {
  const problems: string[] = [];
  if (outcome.status === null) return [`no answer: ${outcome.error ?? 'connection closed'}`];
  if (outcome.status >= 500) problems.push(`status ${outcome.status}`);
  for (const leak of LEAKS) if (outcome.body.includes(leak)) problems.push(`answer contains ${JSON.stringify(leak)}`);
  const contentType = header(outcome, 'content-type');
  // Answers from the app (not the HTTP parser's bare 400/431) carry the security headers.
  if (contentType !== '' && c.target !== 'raw') {
    if (header(outcome, 'x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff');
    if (!/default-src 'self'/.test(header(outcome, 'content-security-policy'))) problems.push('no Content-Security-Policy');
  }
  if (c.mustNotFind && outcome.status === 200 && c.target !== 'raw') problems.push('a traversal path was answered 200');

  const probes = markerProbes(c.n);
  if (c.target === 'raw') {
    // The socket's whole answer (two of them when pipelined): every status, HTML anywhere in it.
    for (const [, status] of `${outcome.body}`.matchAll(/HTTP\/1\.[01] (\d{3})/g)) if (Number(status) >= 500) problems.push(`status ${status}`);
    if (/text\/html/i.test(contentType) || /text\/html/i.test(outcome.body)) {
      for (const probe of probes) if (outcome.body.includes(probe)) problems.push(`unescaped ${JSON.stringify(probe)} in HTML`);
    }
    return problems;
  }
  if (/text\/html/.test(contentType)) {
    for (const probe of probes) if (outcome.body.includes(probe)) problems.push(`unescaped ${JSON.stringify(probe)} in HTML`);
  }
  if (isApiTarget(c) && contentType !== '') {
    if (!/application\/json/.test(contentType)) problems.push(`API answer is ${contentType}, not JSON`);
  }
  if (/application\/json/.test(contentType)) {
    let json: unknown;
    try {
      json = JSON.parse(outcome.body);
    } catch {
      problems.push('body is not JSON');
    }
    if (outcome.status !== null && outcome.status >= 400 && json !== undefined) {
      const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
      if (typeof error?.code !== 'string' || typeof error.message !== 'string') problems.push('error answer without {error: {code, message}}');
    }
    const hits = (json as { hits?: unknown } | undefined)?.hits;
    if (outcome.status === 200 && c.target === 'api') {
      if (!Array.isArray(hits)) problems.push('200 search answer without hits');
      const total = (json as { total?: unknown }).total;
      if (!Number.isInteger(total) || (total as number) < 0) problems.push(`total is ${JSON.stringify(total)}`);
    }
    if (Array.isArray(hits)) {
      for (const hit of hits as { id?: unknown; text?: unknown; highlights?: unknown; snippet?: unknown }[]) {
        for (const problem of highlightProblems(hit.text, hit.highlights)) problems.push(`hit ${String(hit.id)}: ${problem}`);
        if (typeof hit.snippet !== 'string') problems.push(`hit ${String(hit.id)}: snippet is not a string`);
        else {
          for (const probe of probes) if (hit.snippet.includes(probe)) problems.push(`hit ${String(hit.id)}: unescaped ${JSON.stringify(probe)} in snippet`);
          if (/<(?!\/?mark>)/.test(hit.snippet)) problems.push(`hit ${String(hit.id)}: snippet has markup other than <mark>`);
        }
      }
    }
  }
  return problems;
}

/** How a case reads in a report: the request as sent, shortened. */
export function describeCase(c: FuzzCase, max = 300): string {
  const shown = c.target === 'raw' ? JSON.stringify(c.raw) : `GET ${c.path}${Object.keys(c.headers).length > 0 ? ` ${JSON.stringify(c.headers)}` : ''}`;
  return `#${c.n} [${c.target} ${c.kind}] ${shown.length > max ? `${shown.slice(0, max)}… (${shown.length} chars)` : shown}`;
}
