// Everything the index stores about one paragraph or title, computed from its original text.
import { foldString } from './fold.js';
import { foldedWords } from './segment.js';
import { hasWordTerm, indexableLength, indexGramKeys, indexTerms, wordTerm } from './terms.js';

/** Index terms of a paragraph: its unigrams and bigrams, plus its multi-character words. */
export function paragraphTerms(original: string): string[] {
  const { folded, words } = analyzeFolded(original);
  const terms = indexTerms(folded);
  for (const word of words) terms.add(word);
  return [...terms];
}

/** The same terms in the form the index stores them (numeric n-gram keys, marked words), and the BM25 length. */
export function paragraphIndexEntry(original: string): { gramKeys: number[]; words: string[]; length: number } {
  const { folded, words } = analyzeFolded(original);
  return { gramKeys: indexGramKeys(folded), words, length: indexableLength(folded) };
}

function analyzeFolded(original: string): { folded: string; words: string[] } {
  const folded = foldString(original);
  const words = new Set<string>();
  for (const word of foldedWords(folded)) if (hasWordTerm(word)) words.add(wordTerm(word));
  return { folded, words: [...words] };
}

/** Index terms of a title: unigrams and bigrams only (titles are short; words add nothing there). */
export function titleTerms(original: string): string[] {
  return [...indexTerms(foldString(original))];
}

/** The same title terms as numeric n-gram keys, the form the index stores. */
export function titleIndexKeys(original: string): number[] {
  return indexGramKeys(foldString(original));
}
