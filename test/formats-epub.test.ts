import { describe, expect, it } from 'vitest';
import { readEpub } from '../indexer/corpus/formats/epub.js';
import { UnreadableDocument } from '../indexer/corpus/formats/index.js';
import { openZip } from '../indexer/corpus/formats/zip.js';
import { characterErrorRate, documentBytes, documentFixture, markdownSourceText, spacesInsideHanzi, textCharacters } from './support/document-text.js';
import { zipOf } from './support/zip-fixture.js';

function failure(read: () => unknown): UnreadableDocument {
  try {
    read();
  } catch (error) {
    if (error instanceof UnreadableDocument) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

const CONTAINER =
  '<?xml version="1.0"?><container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>' +
  '<rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';
const chapter = (title: string, body: string): string =>
  `<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${title}</title></head><body>${body}</body></html>`;

describe('readEpub on books pandoc wrote', () => {
  for (const file of ['simplified-epub2.epub', 'simplified-epub3.epub', 'traditional-epub2.epub', 'traditional-epub3.epub']) {
    it(`reads ${file} like its source: CER ≤ 0.5%, no U+FFFD, no space inside hanzi; chapters from the table of contents`, () => {
      const document = readEpub(documentBytes('samples', file));
      const traditional = file.startsWith('traditional');
      const title = traditional ? '城市與河流' : '城市与河流';
      expect(document.title).toBe(title);
      const text = document.paragraphs.map((x) => x.text).join('¶');
      // pandoc's title page repeats the title, and a chapter's notes end that chapter's file.
      const source = markdownSourceText(documentFixture('sources', traditional ? 'traditional.md' : 'simplified.md'));
      const note = source.slice(source.lastIndexOf('\n\n') + 2);
      const chapterTwo = source.indexOf('# 第二章');
      const sourceText = title + source.slice(0, chapterTwo) + note + source.slice(chapterTwo, source.length - note.length);
      expect(characterErrorRate(textCharacters(sourceText), textCharacters(text))).toBeLessThanOrEqual(0.005);
      expect(text).not.toContain('\uFFFD');
      expect(spacesInsideHanzi(sourceText, text)).toEqual([]);
      const river = traditional ? '第二章 黃河' : '第二章 黄河';
      const last = document.paragraphs.find((x) => x.text.startsWith(traditional ? '新中國成立' : '新中国成立'));
      expect(last?.location).toEqual({ chapter: river, headings: [river, '治理'] });
    });
  }
});

describe('readEpub on EPUB structures', () => {
  const book = (opf: string, files: Record<string, string>): Uint8Array =>
    zipOf({ mimetype: 'application/epub+zip', 'META-INF/container.xml': CONTAINER, 'OEBPS/book.opf': opf, ...files });

  it('reads chapters in spine order, not manifest order, skipping the navigation document', () => {
    const opf =
      '<package xmlns="http://www.idpf.org/2007/opf" xmlns:dc="http://purl.org/dc/elements/1.1/" version="3.0"><metadata><dc:title>书</dc:title></metadata><manifest>' +
      '<item id="b" href="text/b.xhtml" media-type="application/xhtml+xml"/><item id="a" href="text/a.xhtml" media-type="application/xhtml+xml"/>' +
      '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/></manifest>' +
      '<spine><itemref idref="nav"/><itemref idref="a"/><itemref idref="b"/></spine></package>';
    const nav = chapter('目录', '<nav epub:type="toc" xmlns:epub="http://www.idpf.org/2007/ops"><ol><li><a href="text/a.xhtml">序章</a></li><li><a href="text/b.xhtml#x">终章</a></li></ol></nav>');
    const document = readEpub(
      book(opf, { 'OEBPS/nav.xhtml': nav, 'OEBPS/text/a.xhtml': chapter('a', '<p>开头</p>'), 'OEBPS/text/b.xhtml': chapter('b', '<h2>结尾一节</h2><p>结尾</p>') }),
    );
    expect(document).toEqual({
      title: '书',
      paragraphs: [
        { text: '开头', location: { chapter: '序章' } },
        { text: '结尾一节', location: { chapter: '终章', headings: ['结尾一节'] } },
        { text: '结尾', location: { chapter: '终章', headings: ['结尾一节'] } },
      ],
    });
  });

  it('names chapters the table of contents leaves out by their first heading', () => {
    const opf =
      '<package xmlns="http://www.idpf.org/2007/opf" version="2.0"><metadata/><manifest><item id="a" href="a.html" media-type="application/xhtml+xml"/></manifest>' +
      '<spine><itemref idref="a"/></spine></package>';
    const document = readEpub(book(opf, { 'OEBPS/a.html': chapter('文件名', '<h1>第一回</h1><p>话说</p>') }));
    expect(document.paragraphs.map((x) => x.location?.chapter)).toEqual(['第一回', '第一回']);
  });

  it('refuses a zip bomb as too large (declared size) and a book with encrypted chapters as encrypted', () => {
    const bomb = failure(() => readEpub(documentBytes('bad', 'bomb.epub')));
    expect(bomb.reason).toBe('too large');
    const opf =
      '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata/><manifest><item id="a" href="a.xhtml" media-type="application/xhtml+xml"/></manifest>' +
      '<spine><itemref idref="a"/></spine></package>';
    const drm = book(opf, {
      'OEBPS/a.xhtml': chapter('a', '<p>x</p>'),
      'META-INF/encryption.xml': '<encryption><EncryptedData><CipherData><CipherReference URI="OEBPS/a.xhtml"/></CipherData></EncryptedData></encryption>',
    });
    expect(failure(() => readEpub(drm)).reason).toBe('encrypted');
    expect(failure(() => readEpub(zipOf({ 'a.txt': 'x' }))).reason).toBe('corrupt');
  });
});

describe('openZip caps', () => {
  /** A zip whose entry declares `declared` bytes but inflates to more: a bomb that lies in its headers. */
  function lyingZip(actual: number, declared: number): Uint8Array {
    const zip = zipOf({ 'big.xhtml': new Uint8Array(actual).fill(0x20) });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let at = 0; at + 4 <= zip.length; at++) {
      const signature = view.getUint32(at, true);
      if (signature === 0x04034b50) view.setUint32(at + 22, declared, true); // local header
      if (signature === 0x02014b50) view.setUint32(at + 24, declared, true); // central directory
    }
    return zip;
  }

  it('stops inflating an entry at its declared size when it inflates to more', () => {
    const zip = openZip(lyingZip(8 * 1024 * 1024, 1000));
    expect(() => zip.read('big.xhtml')).toThrow(expect.objectContaining({ reason: 'too large', message: expect.stringMatching(/inflates to more than it declares/) }));
  });

  it('caps the total inflated across entries, and each entry', () => {
    const limits = { fileBytes: 1e9, zipEntryBytes: 1000, zipTotalBytes: 1500, zipEntries: 10, pdfPages: 10 };
    const zip = openZip(zipOf({ a: 'x'.repeat(900), b: 'y'.repeat(900), c: 'z'.repeat(1001) }), limits);
    expect(zip.readText('a')).toBe('x'.repeat(900));
    expect(() => zip.read('b')).toThrow(expect.objectContaining({ reason: 'too large' }));
    expect(() => zip.read('c')).toThrow(expect.objectContaining({ reason: 'too large' }));
    expect(() => openZip(zipOf(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'x']))), limits)).toThrow(
      expect.objectContaining({ reason: 'too large' }),
    );
  });

  it('reports an entry whose bytes are shorter than declared as corrupt', () => {
    const zip = openZip(lyingZip(100, 5000));
    expect(() => zip.read('big.xhtml')).toThrow(expect.objectContaining({ reason: 'corrupt' }));
  });
});
