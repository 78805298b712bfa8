// From documents to the files of one segment of an index (in memory; write.ts puts them on disk).
import { titleIndexKeys } from '../analyzer/index.js';
import type { SourceDocument } from '../corpus/index.js';
import type { AnalyzedBatch } from './analyze-batch.js';
import { analyzeAll, type AnalyzePool } from './analyze-pool.js';
import { GRAMS_FILE, LENGTHS_FILE, STORE_FILE, TITLES_FILE, WORDS_FILE } from './format.js';
import { encodeGramBatches, encodeGramBatchesOffThread, type NumberedGramBatch } from './gram-encode.js';
import { encodeStore } from './store.js';
import { createWordPostingsBuilder } from './word-postings.js';

export interface BuildCounts {
  readonly documents: number;
  readonly paragraphs: number;
  /** Code points of paragraph text. */
  readonly characters: number;
}

export interface BuiltFiles {
  /** Relative file name → content. */
  readonly files: Map<string, string | Uint8Array>;
  readonly counts: BuildCounts;
}

export type BuildProgress = (paragraphsDone: number, paragraphsTotal: number) => void;

export function countCodePoints(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) surrogates++;
  }
  return text.length - surrogates;
}

export async function buildIndexFiles(
  /** `root`: where the document's file is (StoredDocument.root, a position in the segment's roots); build-command.ts sets it. */
  documents: readonly (SourceDocument & { readonly root?: number })[],
  userDict: string | null,
  onProgress: BuildProgress = () => {},
  /** The analysis threads of a build that writes several segments; one for this call when absent. */
  pool?: AnalyzePool,
): Promise<BuiltFiles> {
  // Paragraph ids are positions in corpus order: document by document, paragraph by paragraph.
  const paragraphs = documents.flatMap((document) => document.paragraphs);
  const gramBatches: NumberedGramBatch[] = [];
  const words = createWordPostingsBuilder();
  const lengths = new Uint32Array(paragraphs.length);
  const consume = (first: number, batch: AnalyzedBatch): void => {
    gramBatches.push({ first, batch: batch.grams });
    lengths.set(batch.lengths, first);
    batch.words.forEach((paragraphWords, offset) => words.add(first + offset, paragraphWords));
    onProgress(first + batch.words.length, paragraphs.length);
  };
  await (pool === undefined ? analyzeAll(paragraphs, userDict, consume) : pool.analyze(paragraphs, consume));
  // The paragraphs' grams are laid out on another thread while this one does the rest.
  const gramsFile = encodeGramBatchesOffThread(gramBatches, paragraphs.length);
  // Titles are short and few: their n-grams (ids are document positions) go into a gram index of their own.
  const titleKeys = documents.map((document) => titleIndexKeys(document.title));
  const titlesFile = encodeGramBatches([{ first: 0, batch: { keys: Float64Array.from(titleKeys.flat()), counts: Uint32Array.from(titleKeys, (keys) => keys.length) } }]);

  const files = new Map<string, string | Uint8Array>([
    [STORE_FILE, encodeStore(documents)],
    [TITLES_FILE, titlesFile],
    [LENGTHS_FILE, new Uint8Array(lengths.buffer)],
    [WORDS_FILE, words.encode()],
  ]);
  files.set(GRAMS_FILE, await gramsFile); // last: everything above ran while the other thread laid it out
  const characters = paragraphs.reduce((sum, text) => sum + countCodePoints(text), 0);
  return { files, counts: { documents: documents.length, paragraphs: paragraphs.length, characters } };
}
