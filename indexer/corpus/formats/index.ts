// Which reader reads which file: the one list of the formats Sou reads beyond plain text.
import type { DocumentFormat } from '../types.js';
import { readDocx } from './docx.js';
import { readEpub } from './epub.js';
import { readHtml } from './html.js';
import { readPdf } from './pdf.js';
import type { DocumentReader } from './types.js';

/** The formats read by a reader of their own, each on a worker thread with time and memory limits. */
export type IsolatedFormat = 'html' | 'pdf' | 'docx' | 'epub';

export const READERS: Readonly<Record<IsolatedFormat, DocumentReader>> = Object.freeze({
  html: readHtml,
  pdf: readPdf,
  docx: readDocx,
  epub: readEpub,
});

/** File extension (lower case, no dot) → format, for every file a folder's listing picks up. */
export const FORMAT_OF_EXTENSION: ReadonlyMap<string, DocumentFormat> = new Map([
  ['txt', 'txt'],
  ['md', 'md'],
  ['markdown', 'md'],
  ['jsonl', 'jsonl'],
  ['html', 'html'],
  ['htm', 'html'],
  ['xhtml', 'html'],
  ['pdf', 'pdf'],
  ['docx', 'docx'],
  ['epub', 'epub'],
]);

export function isIsolated(format: DocumentFormat): format is IsolatedFormat {
  return Object.hasOwn(READERS, format);
}

export { UnreadableDocument, READ_LIMITS, type DocumentReader, type ReadDocument, type ReadParagraph } from './types.js';
