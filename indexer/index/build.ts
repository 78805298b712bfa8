// From documents to the files of an index (in memory; write.ts puts them on disk).
import { titleTerms } from '../analyzer/index.js';
import type { SourceDocument } from '../corpus/index.js';
import { analyzeAll } from './analyze-pool.js';
import { createTermIndex } from './flex.js';
import { STORE_FILE, TERMS_DIR, TITLES_DIR, type StoreFile } from './format.js';

export interface BuildCounts {
  readonly documents: number;
  readonly paragraphs: number;
  /** Code points of paragraph text. */
  readonly characters: number;
}

export interface BuiltFiles {
  /** Relative file name → content. */
  readonly files: Map<string, string>;
  readonly counts: BuildCounts;
}

export type BuildProgress = (paragraphsDone: number, paragraphsTotal: number) => void;

function countCodePoints(text: string): number {
  let surrogates = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xdc00 && unit <= 0xdfff && i > 0 && (text.charCodeAt(i - 1) & 0xfc00) === 0xd800) surrogates++;
  }
  return text.length - surrogates;
}

export async function buildIndexFiles(
  documents: readonly SourceDocument[],
  userDict: string | null,
  onProgress: BuildProgress = () => {},
): Promise<BuiltFiles> {
  // Paragraph ids are positions in corpus order: document by document, paragraph by paragraph.
  const paragraphs = documents.flatMap((document) => document.paragraphs);
  const terms = createTermIndex();
  await analyzeAll(paragraphs, userDict, (first, batch) => {
    batch.forEach((paragraphTermList, offset) => terms.add(first + offset, paragraphTermList));
    onProgress(first + batch.length, paragraphs.length);
  });
  const titles = createTermIndex();
  documents.forEach((document, id) => titles.add(id, titleTerms(document.title)));

  const store: StoreFile = {
    documents: documents.map(({ id, title, paragraphs: texts }) => ({ id, title, paragraphs: texts })),
  };
  const files = new Map<string, string>([[STORE_FILE, JSON.stringify(store)]]);
  for (const [key, data] of terms.exportParts()) files.set(`${TERMS_DIR}/${key}`, data);
  for (const [key, data] of titles.exportParts()) files.set(`${TITLES_DIR}/${key}`, data);
  const characters = paragraphs.reduce((sum, text) => sum + countCodePoints(text), 0);
  return { files, counts: { documents: documents.length, paragraphs: paragraphs.length, characters } };
}
