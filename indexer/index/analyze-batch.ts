// The analysis of a batch of paragraphs, run either in-process or in a worker thread.
import { loadJieba, paragraphIndexEntry } from '../analyzer/index.js';
import type { GramBatch } from './grams.js';

export interface AnalyzeRequest {
  readonly userDict: string | null;
  readonly paragraphs: readonly string[];
}

/** What the index stores for a batch: n-gram keys in typed arrays (cheap to pass between threads), words. */
export interface AnalyzedBatch {
  readonly grams: GramBatch;
  /** Marked word terms of each paragraph, in order. */
  readonly words: readonly string[][];
  /** Indexable characters of each paragraph (its length for BM25), in order. */
  readonly lengths: Uint32Array;
}

export function analyzeBatch(request: AnalyzeRequest): AnalyzedBatch {
  loadJieba(request.userDict);
  const entries = request.paragraphs.map(paragraphIndexEntry);
  const counts = Uint32Array.from(entries, (entry) => entry.gramKeys.length);
  const keys = new Float64Array(counts.reduce((sum, count) => sum + count, 0));
  let at = 0;
  for (const entry of entries) for (const key of entry.gramKeys) keys[at++] = key;
  return { grams: { keys, counts }, words: entries.map((entry) => entry.words), lengths: Uint32Array.from(entries, (entry) => entry.length) };
}
