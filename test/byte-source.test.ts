// Reading an index from its files on demand (byte-source.ts): opening a store, a gram index or word postings
// reads their tables only; a text or a posting list is read when asked, and answers as the whole file in memory.
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memorySource, openFileSource, type ByteSource } from '../indexer/index/byte-source.js';
import type { StoredDocument } from '../indexer/index/format.js';
import { createGramIndexBuilder, decodeGramIndex, openGramIndex } from '../indexer/index/grams.js';
import { decodeStore, encodeStore, openStore } from '../indexer/index/store.js';
import { decodeWordPostings, encodeWordPostings, openWordPostings } from '../indexer/index/word-postings.js';
import { foldString } from '../indexer/analyzer/index.js';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import { allTexts } from './support/texts.js';
import { writeDocumentsIndex } from './support/write-index.js';

/** A source over `bytes` that records the end of every read (the furthest byte it needed). */
function recording(bytes: Uint8Array): ByteSource & { furthest: number; reads: number } {
  const inner = memorySource(bytes);
  const source = {
    length: inner.length,
    furthest: 0,
    reads: 0,
    read(offset: number, length: number) {
      source.furthest = Math.max(source.furthest, offset + length);
      source.reads++;
      return inner.read(offset, length);
    },
    peek(offset: number, length: number) {
      return source.read(offset, length);
    },
  };
  return source;
}

const DOCUMENTS: StoredDocument[] = [
  { id: 'a.txt', title: '支付寶', paragraphs: ['床前明月光，', '疑是地上霜。', ''], format: 'txt', root: 0, date: 86_400_000 },
  { id: 'b.pdf', title: 'B', paragraphs: ['舉頭望明月', '低頭思故鄉 𠮷 \ud800'], locations: [{ page: 1 }, { page: 2 }], format: 'pdf' },
];

describe('a store opened on demand', () => {
  it('reads ids, titles and locations when opened, and each text only when asked', () => {
    const bytes = encodeStore(DOCUMENTS);
    const source = recording(bytes);
    const store = openStore(source);
    const textBytes = 2 * DOCUMENTS.flatMap((d) => d.paragraphs).join('').length;
    expect(source.furthest).toBe(bytes.length - textBytes);
    expect(store.ids).toEqual(['a.txt', 'b.pdf']);
    expect(store.titles).toEqual(['支付寶', 'B']);
    expect(store.locations(1)).toEqual([{ page: 1 }, { page: 2 }]);
    expect(store.locations(0)).toBeUndefined();
    expect([store.format(0), store.root(0), store.date(0), store.root(1), store.date(1)]).toEqual(['txt', 0, 86_400_000, undefined, undefined]);
    expect(Array.from(store.firstParagraph)).toEqual([0, 3, 5]);
    const texts = DOCUMENTS.flatMap((d) => d.paragraphs);
    texts.forEach((text, p) => expect(store.paragraph(p)).toBe(text));
    expect(store.paragraphs(1, 4)).toEqual(texts.slice(1, 4));
    expect(source.furthest).toBe(bytes.length);
    expect(() => store.paragraph(5)).toThrow(RangeError);
    expect(decodeStore(bytes)).toEqual(DOCUMENTS);
  });
});

describe('a gram index opened on demand', () => {
  it('reads its term table when opened, and a term’s postings when asked', () => {
    const builder = createGramIndexBuilder();
    const keys = Array.from({ length: 300 }, (_, p) => [0x4e00 * 0x110000, (0x4e00 + (p % 70)) * 0x110000, (0x4e00 + (p % 70)) * 0x110000 + 0x4e01 + (p % 5)]);
    builder.add(0, { keys: Float64Array.from(keys.flat()), counts: Uint32Array.from(keys, (k) => k.length) });
    const bytes = builder.encode();
    const source = recording(bytes);
    const opened = openGramIndex(source);
    const whole = decodeGramIndex(bytes);
    const atOpen = source.furthest;
    expect(atOpen).toBeLessThan(bytes.length - 300); // the first character alone has 300 postings of a byte
    for (const key of new Set(keys.flat())) {
      expect(opened.count(key)).toBe(whole.count(key));
      expect(Array.from(opened.postings(key))).toEqual(Array.from(whole.postings(key)));
    }
    expect(source.furthest).toBe(bytes.length);
  });
});

describe('word postings opened on demand', () => {
  it('read the table when opened, and a word’s postings when asked; counts() counts them all in one pass', () => {
    const words = ['\u0002床前', '\u0002低头', '𠮷', '', '\u0002明月光'];
    const lists = [[0], [1, 7, 300], [99], [5], [3, 4, 200000]];
    const bytes = encodeWordPostings(words, lists);
    const source = recording(bytes);
    const opened = openWordPostings(source, 200001);
    const postingBytes = 1 + 4 + 1 + 1 + 5; // varints of the gaps: 0 | 1, 5, 292 | 99 | 5 | 3, 0, 199995
    expect(source.furthest).toBe(bytes.length - postingBytes);
    words.forEach((word, n) => expect(Array.from(opened.postings(word))).toEqual(lists[n]));
    expect(Array.from(opened.counts())).toEqual(lists.map((list) => list.length));
    expect(Array.from(opened.counts())).toEqual(words.map((_, n) => decodeWordPostings(bytes, 200001).countAt(n)));
  });
});

describe('a file source', () => {
  it('reads what the file holds, and still does once the file is removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sou byte source '));
    try {
      const file = join(dir, 'store.bin');
      const bytes = encodeStore(DOCUMENTS);
      writeFileSync(file, bytes);
      const store = openStore(openFileSource(file));
      unlinkSync(file); // a build removes a merged segment's folder while a server still reads it
      expect(store.paragraphs(0, 5)).toEqual(DOCUMENTS.flatMap((d) => d.paragraphs));
      // Reads into the shared buffer, one after the other, each answered whole.
      const texts = DOCUMENTS.flatMap((d) => d.paragraphs);
      for (let p = 4; p >= 0; p--) expect(store.paragraph(p)).toBe(texts[p]);
      expect(() => openFileSource(file)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an index served from its files', () => {
  const poems = [
    { id: 'a.txt', title: '靜夜思', paragraphs: ['床前明月光，疑是地上霜。', '舉頭望明月，低頭思故鄉。'] },
    { id: 'b.txt', title: '春曉', paragraphs: ['春眠不觉晓处处闻啼鸟', 'ＣＴＯ說：iPad 64K。'] },
  ];

  it('reads original texts when asked, before and after warm(), and folds each paragraph once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sou served index '));
    try {
      await writeDocumentsIndex(dir, poems);
      const index = await loadIndex(dir);
      const texts = poems.flatMap((poem) => poem.paragraphs);
      expect(allTexts(index)).toEqual(texts); // before warm(): from the store
      await index.warm();
      expect(allTexts(index)).toEqual(texts); // after: the folded text when folding changed nothing
      expect(Array.from({ length: index.paragraphCount }, (_, id) => index.foldedParagraph(id))).toEqual(texts.map(foldString));
      expect(index.paragraphText(2)).toBe(index.foldedParagraph(2)); // simplified already: one string for both
      expect(() => index.paragraphText(4)).toThrow(RangeError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers each original text as the store holds it, however often asked and whatever its cache drops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sou text cache '));
    try {
      // Traditional texts fold to other strings, so each is read from the store, not taken from its folded form.
      const many = Array.from({ length: 12 }, (_, d) => ({ id: `p${d}.txt`, title: `詩${d}`, paragraphs: [`舉頭望明月${'風'.repeat(d)}`, `低頭思故鄉${'雲'.repeat(2 * d)}`] }));
      await writeDocumentsIndex(dir, many);
      const texts = many.flatMap((poem) => poem.paragraphs);
      // A budget of a few texts: asked in a shuffled order again and again, most answers come after evictions.
      const index = await loadIndex(dir, undefined, { recentTextUnits: 64 });
      let seed = 7;
      for (let asked = 0; asked < 500; asked++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const id = seed % texts.length;
        expect(index.paragraphText(id)).toBe(texts[id]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps answering once its folder is removed (a build removes the segments it merged)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sou removed index '));
    try {
      await writeDocumentsIndex(dir, poems);
      const index = await loadIndex(dir);
      const searcher = createSearcher(index, { warmUpQueries: 0 });
      expect(searcher.search('明月', { limit: 10, offset: 0 }).hits.map((hit) => hit.text)).toEqual(['床前明月光，疑是地上霜。', '舉頭望明月，低頭思故鄉。']);
      rmSync(dir, { recursive: true, force: true });
      // Texts not read before: through the files still open.
      expect(searcher.search('cto', { limit: 10, offset: 0 }).hits.map((hit) => hit.text)).toEqual(['ＣＴＯ說：iPad 64K。']);
      expect(searcher.search('春眠', { limit: 10, offset: 0 }).hits.map((hit) => hit.text)).toEqual(['春眠不觉晓处处闻啼鸟']);
      await searcher.warm();
      expect(allTexts(index)).toEqual(poems.flatMap((poem) => poem.paragraphs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
