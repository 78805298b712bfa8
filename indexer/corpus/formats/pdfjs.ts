// The pdf.js adapter: the only module that imports pdfjs-dist. CMaps and standard fonts come from the installed
// package (without them pdf.js drops the text of CJK fonts that use predefined CMaps); nothing is downloaded.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { READ_LIMITS, UnreadableDocument, type ReadLimits } from './types.js';

/** A run of text on a page, in PDF user space (y grows upwards). */
export interface PdfTextRun {
  readonly text: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  /** The font size: the text matrix's vertical scale. */
  readonly size: number;
  /** pdf.js saw the end of a line after this run. */
  readonly endOfLine: boolean;
}

export interface PdfText {
  /** The Title of the document's information dictionary, when it has one. */
  readonly title?: string;
  readonly pages: readonly PdfPage[];
}

export interface PdfPage {
  readonly number: number;
  readonly width: number;
  readonly runs: readonly PdfTextRun[];
}

const packageFolder = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const folderUrl = (name: string): string => `${pathToFileURL(path.join(packageFolder, name)).href}/`;

/** The text runs of every page, in page order. Throws UnreadableDocument for encrypted or broken files. */
export async function pdfTextRuns(bytes: Uint8Array, limits: ReadLimits = READ_LIMITS): Promise<PdfText> {
  let document: PDFDocumentProxy;
  try {
    document = await getDocument({
      // pdf.js detaches the buffer it is given: a copy keeps the caller's bytes usable.
      data: new Uint8Array(bytes),
      cMapUrl: folderUrl('cmaps'),
      cMapPacked: true,
      standardFontDataUrl: folderUrl('standard_fonts'),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    if ((error as Error).name === 'PasswordException') throw new UnreadableDocument('encrypted', 'an encrypted PDF (it needs a password)');
    throw new UnreadableDocument('corrupt', `not a readable PDF: ${(error as Error).message}`);
  }
  try {
    if (document.numPages > limits.pdfPages) {
      throw new UnreadableDocument('too large', `${document.numPages} pages, more than ${limits.pdfPages}`);
    }
    const pages: PdfPage[] = [];
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      const runs: PdfTextRun[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        const [a, b, c, d, x, y] = item.transform as number[];
        runs.push({
          text: item.str,
          x: x ?? 0,
          y: y ?? 0,
          width: item.width,
          size: Math.hypot(c ?? 0, d ?? 0) || Math.hypot(a ?? 0, b ?? 0),
          endOfLine: item.hasEOL,
        });
      }
      pages.push({ number, width: page.view[2] ?? 0, runs });
      page.cleanup();
    }
    const info = (await document.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' ? info.Title.trim() : '';
    return title === '' ? { pages } : { title, pages };
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    throw new UnreadableDocument('corrupt', `a damaged PDF: ${(error as Error).message}`);
  } finally {
    await document.destroy();
  }
}
