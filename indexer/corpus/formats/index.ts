// Which files Sou reads, by extension, and which formats have a reader of their own (readers.ts, loaded only by
// the reader pool's worker threads: the readers' libraries loaded on a main thread slowed every process that
// reads a corpus, the server included).
import type { DocumentFormat } from '../types.js';

/** The formats read by a reader of their own, each on a worker thread with time and memory limits. */
export type IsolatedFormat = 'html' | 'pdf' | 'docx' | 'epub';

const ISOLATED_FORMATS: ReadonlySet<DocumentFormat> = new Set<IsolatedFormat>(['html', 'pdf', 'docx', 'epub']);

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
  return ISOLATED_FORMATS.has(format);
}

export { UnreadableDocument, READ_LIMITS, type DocumentReader, type ReadDocument, type ReadParagraph } from './types.js';
