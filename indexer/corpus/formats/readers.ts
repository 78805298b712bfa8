// The reader of each isolated format (index.ts lists them). Imported only by the reader pool's worker
// (read-worker.ts), so that pdf.js, htmlparser2 and fflate load on worker threads alone.
import type { IsolatedFormat } from './index.js';
import { readDocx } from './docx.js';
import { readEpub } from './epub.js';
import { readHtml } from './html.js';
import { readPdf } from './pdf.js';
import type { DocumentReader } from './types.js';

export const READERS: Readonly<Record<IsolatedFormat, DocumentReader>> = Object.freeze({
  html: readHtml,
  pdf: readPdf,
  docx: readDocx,
  epub: readEpub,
});
