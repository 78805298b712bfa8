// The analysis of a batch of paragraphs, run either in-process or in a worker thread.
import { loadJieba, paragraphTerms } from '../analyzer/index.js';

export interface AnalyzeRequest {
  readonly userDict: string | null;
  readonly paragraphs: readonly string[];
}

/** Index terms of each paragraph, in order. */
export function analyzeBatch(request: AnalyzeRequest): string[][] {
  loadJieba(request.userDict);
  return request.paragraphs.map(paragraphTerms);
}
