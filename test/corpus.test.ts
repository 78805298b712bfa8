import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it, vi } from 'vitest';
import {
  decodeBytes,
  listCorpusFiles,
  parseJsonl,
  readCorpus,
  splitParagraphs,
  titleFromMarkdown,
  type CorpusProblem,
  type DecodeResult,
} from '../indexer/corpus/index.js';
import { parseJsonlStream } from '../indexer/corpus/jsonl.js';
import { tempDirFactory } from './support/temp-dirs.js';

// readFile is wrapped so one test can make a file unreadable even when running as root.
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, readFile: vi.fn(actual.readFile) };
});

const FIXTURES = path.join('test', 'fixtures', 'corpus');
const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);
const bytesOf = (...parts: string[]): Uint8Array => readFileSync(fixture(...parts));

const tempDir = tempDirFactory('corpus');

function decoded(bytes: Uint8Array): { text: string; encoding: string } {
  const result = decodeBytes(bytes);
  if (!result.ok) throw new Error(`expected a decode, got: ${result.reason}`);
  return { text: result.text, encoding: result.encoding };
}

function failure(bytes: Uint8Array): string {
  const result: DecodeResult = decodeBytes(bytes);
  if (result.ok) throw new Error(`expected a failure, got ${result.encoding}: ${JSON.stringify(result.text)}`);
  return result.reason;
}

describe('decodeBytes', () => {
  it('decodes UTF-8 without a BOM', () => {
    expect(decoded(bytesOf('encodings', 'utf8.txt'))).toEqual({ text: '你好，世界。\nHello, world.\n', encoding: 'UTF-8' });
  });

  it('strips a UTF-8 BOM', () => {
    expect(decoded(bytesOf('encodings', 'utf8-bom.txt')).text).toBe('带BOM的文件。\n');
  });

  it('normalizes CRLF and lone CR line ends to LF', () => {
    expect(decoded(bytesOf('encodings', 'crlf.txt')).text).toBe('第一行\n第二行\n\n第二段\n');
    expect(decoded(Buffer.from('a\rb\r\nc')).text).toBe('a\nb\nc');
  });

  it('decodes a GB18030 file of Simplified Chinese, four-byte sequences included', () => {
    const bytes = bytesOf('encodings', 'gb18030.txt');
    // 北京 is B1B1 BEA9 in GB2312; 𠮷 (U+20BB7) is the four-byte 95 34 B2 35: the fixture is real GB18030.
    expect([...bytes.subarray(0, 4)]).toEqual([0xb1, 0xb1, 0xbe, 0xa9]);
    expect(Buffer.from(bytes).includes(Buffer.from([0x95, 0x34, 0xb2, 0x35]))).toBe(true);
    const { text, encoding } = decoded(bytes);
    expect(encoding).toBe('GB18030');
    expect(text).toMatch(/^北京是中华人民共和国的首都，.*建城史，\n拥有众多名胜古迹。/);
    expect(text).toContain('𠮷野家的牛肉饭');
  });

  it('decodes a Big5 file of Traditional Chinese', () => {
    const bytes = bytesOf('encodings', 'big5.txt');
    expect([...bytes.subarray(0, 4)]).toEqual([0xbb, 0x4f, 0xc6, 0x57]); // 臺灣 in Big5
    const { text, encoding } = decoded(bytes);
    expect(encoding).toBe('Big5');
    expect(text).toBe(
      '臺灣位於東亞，是一個美麗的島嶼。這裡的人們熱情好客，\n飲食文化豐富多樣。\n\n許多遊客喜歡到夜市品嚐各種小吃，也喜歡到山區欣賞風景。\n',
    );
  });

  it('tells short GB18030 and Big5 phrases apart', () => {
    for (const phrase of ['中文', '你好世界', '臺灣', '搜索引擎', '搜尋引擎', '支付宝', '支付寶', '雙十一', '我們', '學習中文']) {
      expect(decoded(iconv.encode(phrase, 'gb18030')), `${phrase} in GB18030`).toEqual({ text: phrase, encoding: 'GB18030' });
      if (iconv.decode(iconv.encode(phrase, 'big5'), 'big5') === phrase) {
        expect(decoded(iconv.encode(phrase, 'big5')), `${phrase} in Big5`).toEqual({ text: phrase, encoding: 'Big5' });
      }
    }
  });

  it('reads one ambiguous character as GB18030, the more widespread encoding', () => {
    // 雙 in Big5 (C2 F9) is 蛮 in GB18030, and both are everyday characters: no way to tell.
    expect(decoded(iconv.encode('雙11', 'big5'))).toEqual({ text: '蛮11', encoding: 'GB18030' });
  });

  it('decodes UTF-16LE and UTF-16BE with a BOM, surrogate pairs included', () => {
    const expected = '搜索引擎 Sou 支持中文。\n\n第二段有𠮷字和 emoji 😀。\n';
    expect([...bytesOf('encodings', 'utf16le.txt').subarray(0, 4)]).toEqual([0xff, 0xfe, 0x1c, 0x64]); // 搜 = U+641C
    expect([...bytesOf('encodings', 'utf16be.txt').subarray(0, 4)]).toEqual([0xfe, 0xff, 0x64, 0x1c]);
    expect(decoded(bytesOf('encodings', 'utf16le.txt'))).toEqual({ text: expected, encoding: 'UTF-16LE' });
    expect(decoded(bytesOf('encodings', 'utf16be.txt'))).toEqual({ text: expected, encoding: 'UTF-16BE' });
  });

  it('rejects UTF-16 that is truncated or has a lone surrogate', () => {
    expect(failure(Buffer.from([0xff, 0xfe, 0x41, 0x00, 0x42]))).toMatch(/not valid UTF-16LE/);
    expect(failure(Buffer.from([0xfe, 0xff, 0xd8, 0x3d, 0x00, 0x41]))).toMatch(/not valid UTF-16BE/);
  });

  it('rejects a binary file', () => {
    expect(failure(bytesOf('encodings', 'binary.txt'))).toBe('binary file');
    expect(failure(Buffer.from('text\x01\x02\x03\x04 with controls'))).toBe('binary file');
  });

  it('rejects bytes that are neither UTF-8 nor GB18030 nor Big5, saying where UTF-8 broke', () => {
    expect(failure(bytesOf('encodings', 'latin1.txt'))).toBe(
      'not valid UTF-8 (line 1, byte 6) and not recognisable as GB18030 or Big5; it looks like ISO-8859-1, which is not supported',
    );
    const corrupt = Buffer.from('第一行\n第二行有一个坏字节\n');
    corrupt[19] = 0xff; // the first byte of 有
    expect(failure(corrupt)).toMatch(/^not valid UTF-8 \(line 2, byte 19\)/);
  });

  it('names Japanese and Korean encodings instead of decoding them as Chinese mojibake', () => {
    const japanese = '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で泣いていた事だけは記憶している。';
    expect(failure(iconv.encode(japanese, 'shift_jis'))).toMatch(/not recognisable as GB18030 or Big5; it looks like Shift_JIS, which is not supported$/);
    expect(failure(iconv.encode(japanese, 'euc-jp'))).toMatch(/looks like EUC-JP/);
    const korean = '대한민국은 동아시아에 위치한 나라이다. 수도는 서울이며, 인구는 약 오천만 명이다. 한국어를 사용한다.';
    expect(failure(iconv.encode(korean, 'euc-kr'))).toMatch(/looks like EUC-KR/);
  });

  it('decodes an empty file to empty text', () => {
    expect(decoded(bytesOf('encodings', 'empty.txt'))).toEqual({ text: '', encoding: 'UTF-8' });
  });

  it('round-trips any text through UTF-8 and UTF-16 with a BOM', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('中', '文', '𠮷', '。', ' ', '\n', 'a'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) })
      .filter((s) => !/[\0-\x08\x0b-\x1f\x7f\r]/.test(s));
    fc.assert(
      fc.property(text, (s) => {
        expect(decoded(Buffer.from(s)).text).toBe(s);
        expect(decoded(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')])).text).toBe(s);
      }),
    );
  });

  it('never returns replacement characters for bytes that did not contain one', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const result = decodeBytes(bytes);
        if (result.ok && !Buffer.from(bytes).includes(Buffer.from('\uFFFD'))) expect(result.text).not.toContain('\uFFFD');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('splitParagraphs', () => {
  it('splits on blank lines, including lines of only spaces, tabs or ideographic spaces', () => {
    expect(splitParagraphs('一\n\n二\n  \t\n三\n\u3000\u3000\n四')).toEqual(['一', '二', '三', '四']);
  });

  it('joins hard-wrapped lines between two CJK characters with no space', () => {
    expect(splitParagraphs('支付宝的系\n统经历了\n「双11」。\n下一句')).toEqual(['支付宝的系统经历了「双11」。下一句']);
    expect(splitParagraphs('日本語の\nテキスト\n한국\n어')).toEqual(['日本語のテキスト한국어']);
    expect(splitParagraphs('他说：“\n你好……\n”')).toEqual(['他说：“你好……”']);
  });

  it('joins hard-wrapped lines with one space when either side is not CJK', () => {
    expect(splitParagraphs('Hard wrapped\nEnglish text')).toEqual(['Hard wrapped English text']);
    expect(splitParagraphs('用户数达到\n2135 亿\niPad\n销量')).toEqual(['用户数达到 2135 亿 iPad 销量']);
  });

  it('treats a supplementary-plane ideograph at a break as CJK', () => {
    expect(splitParagraphs('吉野家的𠮷\n𠮷野家')).toEqual(['吉野家的𠮷𠮷野家']);
  });

  it('trims the edges of each line, ideographic indent included, and keeps inner spacing', () => {
    expect(splitParagraphs('\u3000\u3000首行缩进，\n  第二行  有  空格\t\n')).toEqual(['首行缩进，第二行  有  空格']);
  });

  it('returns no paragraphs for empty or blank text', () => {
    expect(splitParagraphs('')).toEqual([]);
    expect(splitParagraphs(' \n\u3000\n\t\n')).toEqual([]);
  });

  it('loses and adds nothing but whitespace, and never yields an empty paragraph', () => {
    const text = fc.string({ unit: fc.constantFrom('中', '文', 'a', 'B', '1', '。', ' ', '\u3000', '\t', '\n', '\r\n', '𠮷') });
    fc.assert(
      fc.property(text, (s) => {
        const paragraphs = splitParagraphs(s);
        for (const p of paragraphs) expect(p.length > 0 && p === p.trim()).toBe(true);
        expect(paragraphs.join('').replace(/\s/g, '')).toBe(s.replace(/\s/g, ''));
        expect(paragraphs.some((p) => p.includes('\n'))).toBe(false);
      }),
    );
  });
});

describe('titleFromMarkdown', () => {
  it('takes the first ATX heading, without its closing hashes', () => {
    expect(titleFromMarkdown('正文\n\n## 第二章 ##\n\n# 后来的标题')).toBe('第二章');
    expect(titleFromMarkdown('# C# 入门')).toBe('C# 入门');
  });

  it('takes a setext heading underlined with === or ---', () => {
    expect(titleFromMarkdown('标题\n===\n\n正文')).toBe('标题');
    expect(titleFromMarkdown('\n副标题\n---\n')).toBe('副标题');
  });

  it('ignores #hashtags, empty headings, fenced code, front matter and thematic breaks', () => {
    expect(titleFromMarkdown('#话题 不是标题\n\n#\n\n```sh\n# 注释\n```\n\n---\n\n# 真标题')).toBe('真标题');
    expect(titleFromMarkdown('---\ntitle: x\n---\n正文\n')).toBeUndefined();
  });

  it('returns undefined when there is no heading', () => {
    expect(titleFromMarkdown('只有正文。\n\n第二段。')).toBeUndefined();
  });
});

describe('parseJsonl', () => {
  const { documents, problems } = parseJsonl(readFileSync(fixture('jsonl', 'docs.jsonl'), 'utf8'), 'docs.jsonl');

  it('reads one document per line, splitting its text into paragraphs and defaulting the title to the id', () => {
    expect(documents).toEqual([
      { id: 'doc-1', title: '第一篇', paragraphs: ['第一段，接着写。', '第二段。'] },
      { id: 'doc-2', title: 'doc-2', paragraphs: ['没有标题。'] },
      { id: 'doc-9', title: 'doc-9', paragraphs: ['空标题用 id。'] },
    ]);
  });

  it('reports each bad line with its 1-based line number, blank lines counted, and skips it', () => {
    expect(problems.map((p) => [p.file, p.line])).toEqual([
      ['docs.jsonl', 4],
      ['docs.jsonl', 5],
      ['docs.jsonl', 6],
      ['docs.jsonl', 7],
      ['docs.jsonl', 8],
      ['docs.jsonl', 9],
    ]);
    const messages = problems.map((p) => p.message);
    expect(messages[0]).toMatch(/^invalid JSON: /);
    expect(messages[1]).toBe('"id" must be a non-empty string, got nothing');
    expect(messages[2]).toBe('"text" must be a string, got a number (id "doc-5")');
    expect(messages[3]).toBe('"title" must be a string when present, got a number (id "doc-6")');
    expect(messages[4]).toBe('expected a JSON object {"id": …, "text": …}');
    expect(messages[5]).toBe('empty text, no paragraphs (id "doc-8")');
  });

  it('reads a line\'s date (a day, a month, a time with a zone), else dates it by the file; a bad date is a problem, the text kept', () => {
    const lines = [
      '{"id":"day","text":"一","date":"2024-03-01"}',
      '{"id":"month","text":"二","date":"2023-07"}',
      '{"id":"zoned","text":"三","date":"2022-12-31T20:00:00+08:00"}',
      '{"id":"none","text":"四"}',
      '{"id":"impossible","text":"五","date":"2022-02-30"}',
      '{"id":"number","text":"六","date":20240301}',
    ];
    const fileDate = Date.UTC(2020, 0, 1);
    const result = parseJsonl(lines.join('\n'), 'dated.jsonl', fileDate);
    expect(result.documents.map((d) => [d.id, d.date])).toEqual([
      ['day', Date.UTC(2024, 2, 1)],
      ['month', Date.UTC(2023, 6, 1)],
      ['zoned', Date.UTC(2022, 11, 31, 12)],
      ['none', fileDate],
      ['impossible', undefined],
      ['number', undefined],
    ]);
    expect(result.problems.map((p) => [p.line, p.message])).toEqual([
      [5, expect.stringMatching(/^"date" must be a date .* got "2022-02-30" \(id "impossible"\); indexed without a date$/)],
      [6, expect.stringMatching(/got a number \(id "number"\); indexed without a date$/)],
    ]);
    expect(result.problems.every((p) => p.reason === undefined && p.kept === true)).toBe(true); // warnings: the file is still indexed
  });

  it('dates a file\'s document by its modified time', async () => {
    const { documents, files } = await readCorpus([fixture('dup', 'same.txt')]);
    expect(documents[0]!.date).toBe(Math.floor(files[0]!.mtimeMs));
  });

  it('handles CRLF line ends and ignores a last line without a newline', () => {
    const result = parseJsonl('{"id":"a","text":"一"}\r\n\r\n{"id":"b","text":"二"}', 'x.jsonl');
    expect(result.documents.map((d) => d.id)).toEqual(['a', 'b']);
    expect(result.lines).toEqual([1, 3]);
    expect(result.problems).toEqual([]);
  });
});

/** `bytes` as a stream of chunks cut at `cuts` (byte places, any order). */
async function* chunksOf(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b)) {
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

describe('parseJsonlStream (a .jsonl too large to be read whole)', () => {
  const NO_LIMIT = { lineBytes: Number.MAX_SAFE_INTEGER };

  it('gives parseJsonl\'s documents, lines and problems however the bytes are cut (property, against the whole-file read)', async () => {
    const line = fc.oneof(
      fc.record({ id: fc.string({ minLength: 1 }), text: fc.string() }).map((value) => JSON.stringify(value)),
      fc.constantFrom('', '  ', 'not json', '{"id":"x"}', '{"id":"d","text":"一","date":"bad"}', '{"id":"é","text":"二\\n\\n三"}'),
    );
    const file = fc.tuple(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 12 }), fc.boolean(), fc.boolean());
    await fc.assert(
      fc.asyncProperty(file, fc.array(fc.nat(400), { maxLength: 6 }), async ([lines, bom, lastEnd], cuts) => {
        const text = lines.map(([l, end], i) => (i === lines.length - 1 && !lastEnd ? l : l + end)).join('');
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text, 'utf8')]);
        const decoded = decodeBytes(bytes);
        if (!decoded.ok) return; // a text the whole-file read calls binary: not this property's case
        expect(await parseJsonlStream(chunksOf(bytes, cuts), 'x.jsonl', NO_LIMIT)).toEqual(parseJsonl(decoded.text, 'x.jsonl'));
      }),
      { numRuns: 300 },
    );
  });

  it('counts an empty line that starts a chunk right after a \\r\\n (regression: it was taken for the \\n of a \\r\\n cut in two)', async () => {
    const text = 'not json\r\n\n{"id":"b","text":"二"}\n';
    const bytes = Buffer.from(text, 'utf8');
    const cut = text.indexOf('\r\n') + 2;
    const result = await parseJsonlStream(chunksOf(bytes, [cut]), 'x.jsonl', NO_LIMIT);
    expect(result).toEqual(parseJsonl(text, 'x.jsonl'));
    expect(result.lines).toEqual([3]);
  });

  it('skips a line longer than the limit with its line number, and reads the lines after it', async () => {
    const bytes = Buffer.from(['{"id":"a","text":"一"}', `{"id":"b","text":"${'長'.repeat(20)}"}`, '{"id":"c","text":"三"}'].join('\n'), 'utf8');
    const result = await parseJsonlStream(chunksOf(bytes, [5, 30, 31]), 'x.jsonl', { lineBytes: 40 });
    expect(result.documents.map((d) => d.id)).toEqual(['a', 'c']);
    expect(result.lines).toEqual([1, 3]);
    expect(result.problems).toEqual([{ file: 'x.jsonl', line: 2, message: 'line longer than 40 bytes, the longest a .jsonl line may be; skipped' }]);
  });

  it('makes a file that is not UTF-8 one problem, with the line that is not, and no documents', async () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"a","text":"一"}\n', 'utf8'), iconv.encode('{"id":"b","text":"简体中文"}\n', 'gb18030')]);
    expect(await parseJsonlStream(chunksOf(bytes, []), 'x.jsonl', NO_LIMIT)).toEqual({
      documents: [],
      lines: [],
      problems: [{ file: 'x.jsonl', message: 'line 2 is not valid UTF-8: a .jsonl larger than can be read whole is read as UTF-8, line by line (save it as UTF-8, or cut it into smaller files)', reason: 'unreadable' }],
    });
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"id":"a","text":"一"}\n', 'utf16le')]);
    expect((await parseJsonlStream(chunksOf(utf16, [1]), 'x.jsonl', NO_LIMIT)).problems.map((p) => p.reason)).toEqual(['unreadable']);
  });

  it('is what readCorpus reads of a .jsonl over the whole-file limit (a small limit injected), the summary counting it', async () => {
    const whole = await readCorpus([fixture('jsonl', 'docs.jsonl')]);
    const streamed = await readCorpus([fixture('jsonl', 'docs.jsonl')], undefined, { jsonlWholeBytes: 16 });
    expect(streamed.documents).toEqual(whole.documents);
    expect(streamed.problems).toEqual(whole.problems);
    expect(streamed.outcomes.map(({ file, type, skipped }) => [file, type, skipped])).toEqual(whole.outcomes.map(({ file, type, skipped }) => [file, type, skipped]));
    const limited = await readCorpus([fixture('jsonl', 'docs.jsonl')], undefined, { jsonlWholeBytes: 16, jsonlLineBytes: 8 });
    expect(limited.documents).toEqual([]);
    expect(limited.outcomes.map((o) => o.skipped)).toEqual(['no text']);
    expect(limited.problems.every((p) => p.message.startsWith('line longer than 8 bytes'))).toBe(true);
  });
});

describe('listCorpusFiles', () => {
  it('lists .txt and .md files of nested folders, any case, with /-separated ids in a stable order', async () => {
    const { files, problems } = await listCorpusFiles([fixture('tree')]);
    expect(problems).toEqual([{ file: fixture('tree', 'ignored.csv'), message: 'unsupported file type .csv', reason: 'unsupported type' }]);
    expect(files.map((f) => f.docId)).toEqual([
      'Notes.MD',
      'a.txt',
      'folder.txt/inner.txt',
      'sub/b.md',
      'sub/deeper/c.TXT',
      'sub/no-heading.md',
    ]);
    expect(files[1]).toMatchObject({ path: fixture('tree', 'a.txt'), format: 'txt', size: expect.any(Number) });
    expect(files[1]?.mtimeMs).toBeGreaterThan(0);
  });

  it('reads each folder once through a symlink loop', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'x.txt'), '内容');
    symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    symlinkSync(path.join(dir, 'sub'), path.join(dir, 'alias'));
    const { files } = await listCorpusFiles([dir]);
    // "alias" sorts before "sub", so the folder is read under that name and once only.
    expect(files.map((f) => f.docId)).toEqual(['alias/x.txt']);
  });

  it('reports a dangling symlink named like a corpus file', async () => {
    const dir = tempDir();
    symlinkSync(path.join(dir, 'nowhere.txt'), path.join(dir, 'gone.txt'));
    symlinkSync(path.join(dir, 'nowhere.png'), path.join(dir, 'gone.png'));
    const { files, problems } = await listCorpusFiles([dir]);
    expect(files).toEqual([]);
    expect(problems).toEqual([{ file: path.join(dir, 'gone.txt'), message: expect.stringMatching(/^cannot read: ENOENT/), reason: 'unreadable' }]);
  });

  it('takes a single file given directly, with its base name as id', async () => {
    const { files } = await listCorpusFiles([fixture('tree', 'sub', 'b.md'), fixture('jsonl', 'docs.jsonl')]);
    expect(files.map((f) => [f.docId, f.format])).toEqual([
      ['b.md', 'md'],
      [undefined, 'jsonl'],
    ]);
  });

  it('throws a sou: error for a path that does not exist or is not a corpus file', async () => {
    await expect(listCorpusFiles(['no/such/corpus'])).rejects.toThrow('sou: corpus path not found: no/such/corpus');
    await expect(listCorpusFiles([fixture('tree', 'ignored.csv')])).rejects.toThrow(/^sou: corpus path .*ignored\.csv is not a folder or a \.txt, \.md, .*\.pdf, \.docx, \.epub file$/);
  });
});

describe('readCorpus', () => {
  it('decodes every supported encoding and reports the rest by file, going on', async () => {
    const { documents, problems } = await readCorpus([fixture('encodings')]);
    expect(documents.map((d) => d.id)).toEqual([
      'big5.txt',
      'crlf.txt',
      'gb18030.txt',
      'utf16be.txt',
      'utf16le.txt',
      'utf8-bom.txt',
      'utf8.txt',
    ]);
    expect(documents.find((d) => d.id === 'gb18030.txt')?.paragraphs[0]).toBe(
      '北京是中华人民共和国的首都，也是全国的政治中心和文化中心。这座城市有三千多年的建城史，拥有众多名胜古迹。每年都有大量游客来到这里参观故宫、长城和天坛。',
    );
    expect(documents.find((d) => d.id === 'crlf.txt')).toEqual({ id: 'crlf.txt', title: 'crlf', paragraphs: ['第一行第二行', '第二段'], format: 'txt', date: expect.any(Number) });
    expect(problems).toEqual([
      { file: fixture('encodings', 'binary.txt'), message: 'binary file', reason: 'corrupt' },
      { file: fixture('encodings', 'blank.md'), message: 'empty file, no paragraphs', reason: 'no text' },
      { file: fixture('encodings', 'empty.txt'), message: 'empty file, no paragraphs', reason: 'no text' },
      { file: fixture('encodings', 'latin1.txt'), message: expect.stringMatching(/not recognisable as GB18030 or Big5/), reason: 'unreadable' },
    ]);
  });

  it('takes titles from the first Markdown heading, else the file name without extension', async () => {
    const { documents } = await readCorpus([fixture('tree')]);
    expect(documents.map((d) => [d.id, d.title])).toEqual([
      ['Notes.MD', 'Setext 标题'],
      ['a.txt', 'a'],
      ['folder.txt/inner.txt', 'inner'],
      ['sub/b.md', '子目录文档'],
      ['sub/deeper/c.TXT', 'c'],
      ['sub/no-heading.md', 'no-heading'],
    ]);
    expect(documents[1]?.paragraphs).toEqual(['第一段第一行，第一段第二行。', '第二段。']);
  });

  it('reads .jsonl documents and reports their bad lines with line numbers', async () => {
    const { documents, problems } = await readCorpus([fixture('jsonl', 'docs.jsonl')]);
    expect(documents.map((d) => d.id)).toEqual(['doc-1', 'doc-2', 'doc-9']);
    expect(problems.map((p) => [p.file, p.line])).toEqual([4, 5, 6, 7, 8, 9].map((n) => [fixture('jsonl', 'docs.jsonl'), n]));
  });

  it('keeps the first of documents with the same id and reports every later one', async () => {
    const jsonl = fixture('dup', 'more.jsonl');
    const { documents, problems } = await readCorpus([fixture('dup'), jsonl]);
    expect(documents).toEqual([
      { id: 'same.txt', title: 'same', paragraphs: ['第一份。'], format: 'txt', date: expect.any(Number) },
      { id: 'j', title: 'j', paragraphs: ['一'], format: 'jsonl' },
    ]);
    expect(problems).toEqual<CorpusProblem[]>([
      // The folder's own listing names the .jsonl it holds (read only when given by itself, as here).
      { file: jsonl, message: 'a .jsonl inside a folder is not read; give it as a --corpus of its own', reason: 'unsupported type' },
      { file: jsonl, line: 1, message: `duplicate id "same.txt", also in ${fixture('dup', 'same.txt')}; skipped` },
      { file: jsonl, line: 3, message: `duplicate id "j", also in ${jsonl} line 2; skipped` },
    ]);
  });

  it('reports progress after each file', async () => {
    const calls: [number, number, string][] = [];
    await readCorpus([fixture('dup')], (done, total, file) => calls.push([done, total, file]));
    expect(calls).toEqual([[1, 1, fixture('dup', 'same.txt')]]);
  });

  it('names a file outside the working directory by its absolute path', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bin.txt'), Buffer.from([0, 1, 2]));
    const { problems } = await readCorpus([dir]);
    expect(problems).toEqual([{ file: path.join(dir, 'bin.txt'), message: 'binary file', reason: 'corrupt' }]);
  });

  it('reports a file the operating system refuses to read, and goes on', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'locked.txt'), '锁住的文件');
    writeFileSync(path.join(dir, 'open.txt'), '可以读的文件');
    const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
    // Root reads chmod 000 files, so inject the failure the OS would give anyone else.
    vi.mocked(readFile).mockImplementation(async (file, options) => {
      if (String(file).endsWith('locked.txt')) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${String(file)}'`), { code: 'EACCES' });
      }
      return actual.readFile(file, options);
    });
    try {
      const { documents, problems } = await readCorpus([dir]);
      expect(documents.map((d) => d.id)).toEqual(['open.txt']);
      expect(problems).toEqual([{ file: path.join(dir, 'locked.txt'), message: expect.stringMatching(/^cannot read: EACCES: permission denied/), reason: 'unreadable' }]);
    } finally {
      vi.mocked(readFile).mockImplementation(actual.readFile);
    }
  });

  it.skipIf(process.getuid?.() === 0)('reports a chmod 000 file as unreadable (non-root only)', async () => {
    const dir = tempDir();
    const locked = path.join(dir, 'locked.txt');
    writeFileSync(locked, '锁住的文件');
    chmodSync(locked, 0o000);
    const { documents, problems } = await readCorpus([dir]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ file: locked, message: expect.stringMatching(/^cannot read: EACCES/), reason: 'unreadable' }]);
  });

  // No time budget here (the machine is shared): a reader that rescans the line per chunk would not finish
  // within the test's timeout.
  it('reads a 50 MB single-line file', async () => {
    const dir = tempDir();
    const sentence = '支付宝的系统经历了双11的洪峰考验 Alipay 2135 亿。';
    const text = sentence.repeat(Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(sentence)));
    writeFileSync(path.join(dir, 'huge.txt'), text);
    const { documents } = await readCorpus([dir]);
    expect(documents[0]?.paragraphs).toHaveLength(1);
    expect(documents[0]?.paragraphs[0]?.length).toBe(text.length);
    expect(documents[0]?.paragraphs[0] === text).toBe(true); // not toBe(text): a failure would print 50 MB
  });
});
