// What shapes the analyzer's output; recorded in every index and checked when an index is loaded.
import { OPENCC_VERSION } from './opencc.js';
import { jiebaDictionaryHash } from './jieba.js';

/** Bump whenever folding, segmentation or index terms change in any way. */
export const ANALYZER_VERSION = 3;

export interface AnalyzerFingerprint {
  readonly analyzer: number;
  readonly opencc: string;
  readonly dictionaries: string;
}

export function analyzerFingerprint(userDict: string | null): AnalyzerFingerprint {
  return Object.freeze({ analyzer: ANALYZER_VERSION, opencc: OPENCC_VERSION, dictionaries: jiebaDictionaryHash(userDict) });
}
