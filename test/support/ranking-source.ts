// A RankingSource over a few texts in memory, for the ranking tests: postings and frequencies found by
// scanning the texts (a word term by its word), titles per document. It records which postings are read.
import { oneOccurrenceWeights, type RankingSource } from '../../server/search/rank-query.js';
import { createRankScratch } from '../../server/search/rank-scratch.js';

export interface TextRankingSource extends RankingSource {
  /** Terms whose paragraph postings were read, in order. */
  readonly reads: string[];
  /** Terms whose title postings were read, in order. */
  readonly titleReads: string[];
}

export interface TextRankingOptions {
  /** Each document's folded title (none: no titles). */
  readonly titles?: readonly string[];
  /** Each paragraph's document, ascending (default: a document per paragraph). */
  readonly documentOf?: readonly number[];
}

const WORD_MARK = '\u0002';

export function textRankingSource(texts: readonly string[], { titles = [], documentOf = texts.map((_, id) => id) }: TextRankingOptions = {}): TextRankingSource {
  const lengths = Uint32Array.from(texts, (text) => text.length);
  const averageLength = texts.join('').length / texts.length;
  const containing = (term: string): Uint32Array => Uint32Array.from(texts.flatMap((text, id) => (text.includes(term.replace(WORD_MARK, '')) ? [id] : [])));
  const documentCount = documentOf.length === 0 ? 0 : documentOf[documentOf.length - 1]! + 1;
  const titled = (term: string): Uint32Array => Uint32Array.from(Array.from({ length: documentCount }, (_, d) => d).filter((d) => titles[d]?.includes(term) === true));
  const reads: string[] = [];
  const titleReads: string[] = [];
  return {
    reads,
    titleReads,
    paragraphCount: texts.length,
    averageLength,
    folded: (id) => texts[id]!,
    length: (id) => lengths[id]!,
    oneOccurrence: oneOccurrenceWeights(lengths, averageLength),
    foldedTitle: (id) => titles[documentOf[id]!] ?? '',
    postings(term) {
      reads.push(term);
      return containing(term);
    },
    documentFrequency: (term) => containing(term).length, // from a term table: no postings read
    titleDocumentCount: (term) => titled(term).length,
    titleDocuments(term) {
      titleReads.push(term);
      return titled(term);
    },
    scratch: createRankScratch(texts.length),
    documentStart: Uint32Array.from([...Array.from({ length: documentCount }, (_, d) => documentOf.indexOf(d)), texts.length]),
  };
}
