// The paragraph store: documents round-trip exactly (surrogate pairs, lone surrogates, empty strings), and
// damaged bytes are refused with a reason.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StoredDocument } from '../indexer/index/format.js';
import { decodeStore, encodeStore } from '../indexer/index/store.js';

const documents: StoredDocument[] = [
  { id: 'alipay.txt', title: '支付寶十五年', paragraphs: ['支付寶的系統經歷了雙11的考驗。', '', 'ＣＴＯ程立說：iPad 64K。'] },
  { id: 'notes/𠮷.md', title: '', paragraphs: ['𦈡𠮷 and a lone \ud800 surrogate'] },
  { id: 'empty.txt', title: 'no paragraphs', paragraphs: [] },
];

const located: StoredDocument[] = [
  {
    id: 'book.pdf',
    title: '支付寶十五年',
    paragraphs: ['一', '二', '三', '四'],
    locations: [{ page: 1 }, { page: 1 }, null, { page: 3 }],
    format: 'pdf',
    root: 0,
  },
  {
    id: 'sub/report.docx',
    title: 'Report',
    paragraphs: ['a', 'b', 'c'],
    locations: [{ headings: ['第一章', '<b>&"'] }, { headings: ['第一章', '<b>&"'], note: 'footnote' }, { page: 1 }],
    format: 'docx',
    root: 1,
  },
  { id: 'novel.epub', title: '小說', paragraphs: ['x'], locations: [{ chapter: '第一回', headings: ['楔子'] }], format: 'epub', root: 0 },
  { id: 'line-7', title: 'jsonl', paragraphs: ['y', 'z'], format: 'jsonl' },
];

describe('paragraph store', () => {
  it('round-trips locations, formats and roots', () => {
    expect(decodeStore(encodeStore(located))).toEqual(located);
    // A location is stored once and referred to by runs: four paragraphs of one page cost one location.
    const samePage = (n: number): StoredDocument => ({ id: 'p.pdf', title: 't', paragraphs: Array(n).fill('段'), locations: Array(n).fill({ page: 2 }) });
    expect(encodeStore([samePage(400)]).length - encodeStore([samePage(1)]).length).toBe(399 * (4 + 2));
  });

  it('round-trips dates to the millisecond, and undated documents stay undated', () => {
    const dated: StoredDocument[] = [
      { id: 'a.txt', title: 'a', paragraphs: ['一'], format: 'txt', date: Date.UTC(2024, 2, 1, 8, 30, 15, 123) },
      { id: 'b', title: 'b', paragraphs: ['二'], format: 'jsonl' },
      { id: 'c', title: 'c', paragraphs: ['三'], date: -86_400_000 },
    ];
    expect(decodeStore(encodeStore(dated))).toEqual(dated);
    expect(decodeStore(encodeStore(dated))[1]).not.toHaveProperty('date');
    expect(() => encodeStore([{ id: 'x', title: 'x', paragraphs: ['一'], date: Number.NaN }])).toThrow(/bad date/);
  });

  it('drops empty locations and keeps only the known fields', () => {
    const messy = [{ id: 'a', title: 't', paragraphs: ['1', '2'], locations: [{}, { page: 2, extra: 'x', headings: [] }] as never }];
    expect(decodeStore(encodeStore(messy))).toEqual([{ id: 'a', title: 't', paragraphs: ['1', '2'], locations: [null, { page: 2 }] }]);
    expect(() => encodeStore([{ id: 'a', title: 't', paragraphs: ['1'], locations: [] }])).toThrow(/0 locations for 1 paragraphs/);
  });

  it('round-trips ids, titles and paragraph texts exactly', () => {
    expect(decodeStore(encodeStore(documents))).toEqual(documents);
    expect(decodeStore(encodeStore([]))).toEqual([]);
  });

  it('round-trips any strings', () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 });
    const document = fc.record({ id: text, title: text, paragraphs: fc.array(text, { maxLength: 4 }) });
    fc.assert(
      fc.property(fc.array(document, { maxLength: 8 }), (docs) => {
        expect(decodeStore(encodeStore(docs))).toEqual(docs);
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('stores Chinese in 2 bytes a character, not JSON-escaped UTF-8', () => {
    const text = '支付寶'.repeat(1000);
    expect(encodeStore([{ id: 'a', title: 'b', paragraphs: [text] }]).length).toBeLessThan(2 * text.length + 64);
  });

  it('reads a store that sits at an odd offset inside a larger buffer', () => {
    const bytes = encodeStore(documents);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeStore(shifted.subarray(3))).toEqual(documents);
  });

  it('refuses truncated, padded, foreign or inconsistent bytes with a reason', () => {
    const bytes = encodeStore(documents);
    expect(() => decodeStore(bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
    expect(() => decodeStore(new Uint8Array([...bytes, 0, 0]))).toThrow(/trailing/);
    expect(() => decodeStore(new Uint8Array(40))).toThrow(/not a paragraph store/);
    expect(() => decodeStore(new Uint8Array(3))).toThrow(/too short/);
    const miscounted = new Uint8Array(bytes);
    new DataView(miscounted.buffer).setUint32(12, 7, true); // paragraph count in the header
    expect(() => decodeStore(miscounted)).toThrow(/do not add up|truncated/);
  });
});
