import { describe, expect, it } from 'vitest';
import { readDocx } from '../indexer/corpus/formats/docx.js';
import { UnreadableDocument } from '../indexer/corpus/formats/index.js';
import { characterErrorRate, documentBytes, documentFixture, markdownSourceText, spacesInsideHanzi, textCharacters } from './support/document-text.js';
import { docxOf, wordParagraph as p, zipOf } from './support/zip-fixture.js';

function reasonOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    if (error instanceof UnreadableDocument) return error.reason;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('readDocx on documents pandoc wrote', () => {
  for (const [file, source, title] of [
    ['simplified.docx', 'simplified.md', '城市与河流'],
    ['traditional.docx', 'traditional.md', '城市與河流'],
  ] as const) {
    it(`reads ${file} like its source: CER ≤ 0.5%, no U+FFFD, no space inside hanzi; title from its properties`, () => {
      const document = readDocx(documentBytes('samples', file));
      expect(document.title).toBe(title);
      // pandoc writes the title as the first paragraph too.
      const text = document.paragraphs.map((x) => x.text).join('¶');
      const sourceText = title + markdownSourceText(documentFixture('sources', source));
      expect(characterErrorRate(textCharacters(sourceText), textCharacters(text))).toBeLessThanOrEqual(0.005);
      expect(text).not.toContain('\uFFFD');
      expect(spacesInsideHanzi(sourceText, text)).toEqual([]);
    });
  }

  it('gives paragraphs, table cells and footnotes the headings they sit under', () => {
    const { paragraphs } = readDocx(documentBytes('samples', 'simplified.docx'));
    const at = (start: string) => paragraphs.find((x) => x.text.startsWith(start))?.location;
    expect(at('武汉被称为')).toEqual({ headings: ['第一章 长江', '沿岸城市'] });
    expect(at('南京')).toEqual({ headings: ['第一章 长江', '沿岸城市'] });
    expect(at('新中国成立以后')).toEqual({ headings: ['第二章 黄河', '治理'] });
    // The note is referenced in chapter one and read after the body.
    expect(paragraphs.at(-1)).toEqual({ text: '三峡大坝建成于二零零六年。', location: { headings: ['第一章 长江'], note: 'footnote' } });
  });
});

describe('readDocx on Word structures', () => {
  it('reads a text box once (its DrawingML choice, not the VML fallback) and breaks and tabs within a paragraph', () => {
    const textBox = (text: string) => `<w:txbxContent>${p(text)}</w:txbxContent>`;
    const body =
      p('正文', 'H1') +
      `<w:p><w:r><w:t>锚点</w:t></w:r><w:r><mc:AlternateContent><mc:Choice>${textBox('文本框里的字')}</mc:Choice><mc:Fallback>${textBox('文本框里的字')}</mc:Fallback></mc:AlternateContent></w:r></w:p>` +
      '<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>Tab</w:t></w:r></w:p>';
    const texts = readDocx(docxOf(body)).paragraphs.map((x) => x.text);
    expect(texts).toEqual(['正文', '文本框里的字', '锚点', '第一行第二行 Tab']);
  });

  it('takes heading levels from styles, also through basedOn, and the first heading as title', () => {
    const document = readDocx(docxOf(p('书名', 'MyChapter') + p('小节', 'H2') + p('内容') + p('第二章', 'H1') + p('再内容')));
    expect(document.title).toBe('书名');
    expect(document.paragraphs.map((x) => x.location?.headings)).toEqual([['书名'], ['书名', '小节'], ['书名', '小节'], ['第二章'], ['第二章']]);
  });

  it('skips separator footnotes and deleted text', () => {
    const body = `${p('有修订')}<w:p><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del><w:r><w:t>留下的</w:t></w:r></w:p>`;
    const notes = '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:t>———</w:t></w:r></w:p></w:footnote><w:footnote w:id="1">' + p('脚注') + '</w:footnote>';
    expect(readDocx(docxOf(body, notes)).paragraphs.map((x) => x.text)).toEqual(['有修订', '留下的', '脚注']);
  });

  it('refuses a truncated file as corrupt, a zip without a document as corrupt, a password-protected one as encrypted', () => {
    expect(reasonOf(() => readDocx(documentBytes('bad', 'corrupt.docx')))).toBe('corrupt');
    expect(reasonOf(() => readDocx(zipOf({ 'other.xml': '<x/>' })))).toBe('corrupt');
    const oleHeader = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
    const encrypted = Buffer.concat([Buffer.from(oleHeader), Buffer.alloc(64), Buffer.from('EncryptedPackage', 'utf16le')]);
    expect(reasonOf(() => readDocx(encrypted))).toBe('encrypted');
    expect(reasonOf(() => readDocx(Buffer.concat([Buffer.from(oleHeader), Buffer.alloc(64)])))).toBe('unsupported type');
  });
});
