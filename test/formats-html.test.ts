import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../indexer/corpus/index.js';
import { decodeHtml, htmlText, readHtml } from '../indexer/corpus/formats/html.js';
import { UnreadableDocument } from '../indexer/corpus/formats/index.js';
import { characterErrorRate, documentBytes, documentFixture, markdownSourceText, spacesInsideHanzi, textCharacters } from './support/document-text.js';

const page = (body: string, head = ''): string => `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
const texts = (html: string): string[] => htmlText(html, { xml: false }).paragraphs.map((p) => p.text);

describe('readHtml on pages as Chinese sites serve them', () => {
  const cases = [
    ['samples/simplified-gbk.html', 'sources/simplified.md'],
    ['samples/traditional-big5.html', 'sources/traditional.md'],
    ['samples/traditional-big5-undeclared.html', 'sources/traditional.md'],
  ] as const;
  for (const [file, source] of cases) {
    it(`reads ${file} like its source: CER ≤ 0.5%, no U+FFFD, no space inside hanzi, no chrome`, () => {
      const document = readHtml(documentBytes(...file.split('/')));
      const text = document.paragraphs.map((p) => p.text).join('¶');
      const sourceText = markdownSourceText(documentFixture(...source.split('/')));
      expect(characterErrorRate(textCharacters(sourceText), textCharacters(text))).toBeLessThanOrEqual(0.005);
      expect(text).not.toContain('\uFFFD');
      expect(spacesInsideHanzi(sourceText, text)).toEqual([]);
      // The fixture's script, nav and footer (see make-fixtures.sh) are not the document's text.
      expect(text).not.toMatch(/選單腳本|首頁導覽|版權所有/);
    });
  }

  it('gives each paragraph the headings it sits under, and the <title> as title', () => {
    const document = readHtml(documentBytes('samples', 'simplified-gbk.html'));
    expect(document.title).toBe('simplified');
    const wuhan = document.paragraphs.find((p) => p.text.startsWith('武汉被称为'));
    expect(wuhan?.location).toEqual({ headings: ['第一章 长江', '沿岸城市'] });
    const dam = document.paragraphs.find((p) => p.text.startsWith('新中国成立以后'));
    expect(dam?.location).toEqual({ headings: ['第二章 黄河', '治理'] });
  });

  it('takes the title from the first heading when there is no <title>', () => {
    expect(htmlText(page('<p>前言</p><h2>第二节</h2><p>正文</p>'), { xml: false }).title).toBe('第二节');
  });
});

describe('decodeHtml', () => {
  it('trusts <meta charset> over detection (regression: a detector read short Big5 as GB18030)', () => {
    const body = '資訊網路';
    const bytes = iconv.encode(page(`<p>${body}</p>`, '<meta charset="big5">'), 'big5');
    // Without the declaration the same bytes are read as something else: the test depends on the meta.
    const undeclared = decodeBytes(iconv.encode(page(`<p>${body}</p>`), 'big5'));
    expect(undeclared.ok && undeclared.text.includes(body)).toBe(false);
    expect(decodeHtml(bytes)).toContain(body);
  });

  it('reads a GBK declaration as GB18030 (a four-byte character included) and http-equiv charsets', () => {
    const text = '北京𠮷野家';
    const gbk = iconv.encode(page(`<p>${text}</p>`, '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'), 'gb18030');
    expect(decodeHtml(gbk)).toContain(text);
  });

  it('lets a byte order mark override <meta charset>', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page('<p>统一码</p>', '<meta charset="gbk">'))]);
    expect(decodeHtml(bytes)).toContain('统一码');
  });

  it('falls back to detection when the bytes are not in the declared encoding', () => {
    expect(decodeHtml(Buffer.from(page('<p>其实是UTF-8</p>', '<meta charset="big5">')))).toContain('其实是UTF-8');
  });

  it('refuses a binary file named .html as corrupt', () => {
    const error = (() => {
      try {
        readHtml(documentBytes('bad', 'binary.html'));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnreadableDocument);
    expect((error as UnreadableDocument).reason).toBe('corrupt');
  });
});

describe('htmlText', () => {
  it('makes block elements paragraphs and joins inline text, table cells each a paragraph', () => {
    expect(texts(page('<div>甲<b>乙</b>丙<p>丁</p>戊</div><table><tr><td>单元一</td><td>单元二</td></tr></table>'))).toEqual(['甲乙丙', '丁', '戊', '单元一', '单元二']);
  });

  it('drops script, style, template, nav, footer, hidden and ARIA chrome', () => {
    const html = page(
      '<nav>导航</nav><script>脚本()</script><style>p{}</style><template>模板</template><div role="navigation">菜单</div>' +
        '<p hidden>隐藏</p><p>正文</p><footer>页脚</footer>',
      '<title>标题</title><script>头部脚本</script>',
    );
    expect(texts(html)).toEqual(['正文']);
  });

  it('collapses a source line break between hanzi to nothing, between Latin words to a space, <br> the same way', () => {
    expect(texts(page('<p>中文\n  换行 and\nEnglish<br>第二行<br>第三行</p>'))).toEqual(['中文换行 and English 第二行第三行']);
  });

  it('keeps a space the author typed between hanzi', () => {
    expect(texts(page('<h1>第一章 长江</h1>'))).toEqual(['第一章 长江']);
  });

  it('reads HTML nested thousands deep', () => {
    const depth = 5_000;
    expect(texts(page(`${'<span>'.repeat(depth)}深处的文字${'</span>'.repeat(depth)}`))).toEqual(['深处的文字']);
  });

  it('refuses HTML nested deeper than any real page as too large, quickly (the parser slows down past that)', () => {
    const depth = 1_000_000;
    const html = page(`${'<div>'.repeat(depth)}深处${'</div>'.repeat(depth)}`);
    expect(() => htmlText(html, { xml: false })).toThrow(expect.objectContaining({ reason: 'too large', message: expect.stringMatching(/nested deeper than/) }));
  });
});
