export type {
  CorpusFile,
  CorpusFileStat,
  CorpusFormat,
  CorpusProblem,
  CorpusReadResult,
  DocumentFormat,
  FileOutcome,
  ParagraphLocation,
  SkipReason,
  SourceDocument,
} from './types.js';
export { decodeBytes, type DecodeResult } from './decode.js';
export { markdownLocations, splitParagraphs, titleFromMarkdown } from './paragraphs.js';
export { parseJsonl, type JsonlParseResult } from './jsonl.js';
export { displayPath, listCorpusFiles, readCorpus, readListedFiles, type ProgressListener, type ReadOptions } from './reader.js';
export { summarizeFiles, type FileTypeSummary } from './summary.js';
