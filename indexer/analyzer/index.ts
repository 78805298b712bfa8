// The analyzer: the one place text is folded and segmented, used by the indexer and by the server.
export { foldCodePoint, foldKeepsOffsets, foldString, foldWithOffsets, originalRange, originalRanges, originalBoundary, type FoldedText } from './fold.js';
export { segment, segmentFolded, foldedWords, type Token, type TokenKind } from './segment.js';
export { indexTerms, indexGramKeys, gramKey, GRAM_KEY_BASE, unigramOfKey, isWordTerm, requiredTerms, indexableRuns, indexableLength, isIndexableCodePoint, wordTerm, hasWordTerm } from './terms.js';
export { paragraphTerms, paragraphIndexEntry, titleTerms, titleIndexKeys } from './paragraph.js';
export { loadJieba, loadJiebaAsync, loadJiebaFor, readUserDictionary } from './jieba.js';
export { SUBSET_TEXT_LIMIT } from './jieba-subset.js';
export { ANALYZER_VERSION, analyzerFingerprint, type AnalyzerFingerprint } from './version.js';
