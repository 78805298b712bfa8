// Everything the index stores about one paragraph or title, computed from its original text.
import { foldString } from './fold.js';
import { foldedWords } from './segment.js';
import { hasWordTerm, indexTerms, wordTerm } from './terms.js';

/** Index terms of a paragraph: its unigrams and bigrams, plus its multi-character words. */
export function paragraphTerms(original: string): string[] {
  const folded = foldString(original);
  const terms = indexTerms(folded);
  for (const word of foldedWords(folded)) if (hasWordTerm(word)) terms.add(wordTerm(word));
  return [...terms];
}

/** Index terms of a title: unigrams and bigrams only (titles are short; words add nothing there). */
export function titleTerms(original: string): string[] {
  return [...indexTerms(foldString(original))];
}
