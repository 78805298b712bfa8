export type { CorpusFile, CorpusFileStat, CorpusFormat, CorpusProblem, CorpusReadResult, SourceDocument } from './types.js';
export { decodeBytes, type DecodeResult } from './decode.js';
export { splitParagraphs, titleFromMarkdown } from './paragraphs.js';
export { parseJsonl, type JsonlParseResult } from './jsonl.js';
export { displayPath, listCorpusFiles, readCorpus, readListedFiles, type ProgressListener } from './reader.js';
