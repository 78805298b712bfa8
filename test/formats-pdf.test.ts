import { describe, expect, it } from 'vitest';
import { UnreadableDocument } from '../indexer/corpus/formats/index.js';
import { pdfParagraphs, readPdf } from '../indexer/corpus/formats/pdf.js';
import { pdfTextRuns, type PdfPage } from '../indexer/corpus/formats/pdfjs.js';
import { characterErrorRate, documentBytes, documentFixture, markdownSourceText, spacesInsideHanzi, textCharacters } from './support/document-text.js';

async function failure(bytes: Uint8Array): Promise<UnreadableDocument> {
  try {
    await readPdf(bytes);
  } catch (error) {
    if (error instanceof UnreadableDocument) return error;
    throw error;
  }
  throw new Error('expected the PDF to be refused');
}

describe('readPdf on PDFs Chromium printed', () => {
  for (const [file, source] of [
    ['simplified.pdf', 'simplified.md'],
    ['traditional.pdf', 'traditional.md'],
  ] as const) {
    it(`reads ${file} like its source: CER ≤ 0.5%, no U+FFFD, no space inside hanzi`, async () => {
      const document = await readPdf(documentBytes('samples', file));
      const text = document.paragraphs.map((p) => p.text).join('¶');
      // Printed, the notes keep their numbers: the mark after the text and the number before the note.
      const sourceText = markdownSourceText(documentFixture('sources', source), { printedNotes: true });
      expect(characterErrorRate(textCharacters(sourceText), textCharacters(text))).toBeLessThanOrEqual(0.005);
      expect(text).not.toContain('\uFFFD');
      expect(spacesInsideHanzi(sourceText, text)).toEqual([]);
    });
  }

  it('reads the seed article (13 pages) like its text, each paragraph with its page', async () => {
    const document = await readPdf(documentBytes('seed', 'alipay.pdf'));
    const text = document.paragraphs.map((p) => p.text).join('¶');
    const sourceText = markdownSourceText(documentFixture('seed', 'alipay.md'));
    expect(characterErrorRate(textCharacters(sourceText), textCharacters(text))).toBeLessThanOrEqual(0.005);
    expect(spacesInsideHanzi(sourceText, text)).toEqual([]);
    const pages = document.paragraphs.map((p) => p.location?.page);
    expect(pages[0]).toBe(1);
    expect(pages.at(-1)).toBe(13);
    expect(pages.every((page, i) => page !== undefined && page >= (pages[i - 1] ?? 1))).toBe(true);
    expect(document.title).toBe('支付寶十五年');
  });

  it('joins a phrase that crosses a line break, with no space, and keeps paragraphs whole', async () => {
    const bytes = documentBytes('samples', 'simplified.pdf');
    const { pages } = await pdfTextRuns(bytes);
    // Find, in the raw text layer, a line that ends with a hanzi and a next line that starts with one.
    const runs = pages[0]!.runs.filter((run) => run.text !== '');
    const i = runs.findIndex((run, n) => run.endOfLine && /\p{Script=Han}$/u.test(run.text) && /^\p{Script=Han}/u.test(runs[n + 1]?.text ?? ''));
    expect(i).toBeGreaterThanOrEqual(0);
    const phrase = runs[i]!.text.slice(-2) + runs[i + 1]!.text.slice(0, 2);
    const paragraphs = (await readPdf(bytes)).paragraphs.map((p) => p.text);
    expect(paragraphs.some((p) => p.includes(phrase))).toBe(true);
    // The source's first long paragraph, three lines on the page, is one paragraph.
    expect(paragraphs).toContain(
      '长江是中国最长的河流，全长约六千三百公里，发源于青藏高原的唐古拉山脉，流经青海、西藏、四川、云南、重庆、湖北、湖南、江西、安徽、江苏和上海，最后注入东海。长江流域面积广大，气候温和，雨量充沛，自古以来就是中国重要的农业区和经济中心。沿岸的城市依水而建，码头和渡口见证了千百年来的商贸往来。',
    );
  });

  it('refuses an encrypted PDF, a PDF without a text layer and a damaged one, each with its reason', async () => {
    expect((await failure(documentBytes('bad', 'encrypted.pdf'))).reason).toBe('encrypted');
    const scan = await failure(documentBytes('bad', 'scan.pdf'));
    expect(scan.reason).toBe('no text layer');
    expect(scan.message).toMatch(/no text layer in 1 page/);
    const truncated = documentBytes('samples', 'simplified.pdf').subarray(0, 2000);
    expect((await failure(truncated)).reason).toBe('corrupt');
    expect((await failure(Buffer.from('not a pdf at all'))).reason).toBe('corrupt');
  });
});

describe('pdfParagraphs (layout)', () => {
  const run = (text: string, x: number, y: number, size = 12) => ({ text, x, y, width: text.length * size, size, endOfLine: false });
  const page = (number: number, runs: ReturnType<typeof run>[]): PdfPage => ({ number, width: 600, runs });

  it('splits paragraphs at wider gaps and font changes, and carries a sentence across a page break', () => {
    const pages = [
      page(1, [
        run('标题', 72, 700, 24),
        run('第一段第一行文字很长很长很长', 72, 660),
        run('第一段第二行', 72, 640),
        run('第二段第一行文字很长很长很长', 72, 610),
        run('第二段第二行', 72, 590),
        run('第三段第一行文字很长很长很长', 72, 560),
        run('第三段跨页的一行文字很长很长', 72, 540),
      ]),
      page(2, [run('接着写完。', 72, 700), run('第四段。', 72, 670)]),
    ];
    expect(pdfParagraphs(pages)).toEqual([
      { text: '标题', location: { page: 1 } },
      { text: '第一段第一行文字很长很长很长第一段第二行', location: { page: 1 } },
      { text: '第二段第一行文字很长很长很长第二段第二行', location: { page: 1 } },
      { text: '第三段第一行文字很长很长很长第三段跨页的一行文字很长很长接着写完。', location: { page: 1 } },
      { text: '第四段。', location: { page: 2 } },
    ]);
  });

  it('puts a space between Latin runs with a gap and none between hanzi runs', () => {
    const pages = [page(1, [run('支付', 72, 700), run('宝', 96, 700), run('Ant', 110, 700), run('Group', 150, 700)])];
    expect(pdfParagraphs(pages).map((p) => p.text)).toEqual(['支付宝Ant Group']);
  });
});
