// The corpus's frequent phrases, for suggestions as you type (支付 → 支付宝钱包): two vocabulary words that stand
// side by side in the text of several paragraphs. Candidates come from the paragraphs segmented again (a sample
// of them in a large index, so that the work and the memory stay bounded); each candidate's count is then asked
// of the index through `count` (what a search for the phrase finds), so a suggested phrase shows the exact
// number of paragraphs its search finds, and one that finds fewer than MIN_PHRASE_PARAGRAPHS is dropped.
import { foldedWords, hasWordTerm } from '../analyzer/index.js';

export interface PhraseSource {
  /** Paragraphs of the index (global ids 0 … paragraphCount − 1). */
  readonly paragraphCount: number;
  /** A paragraph's folded text. */
  folded(id: number): string;
  /** Paragraphs that a search for this text finds: the count a suggestion of it shows. */
  count(phrase: string): number;
}

export interface PhraseOptions {
  /** Characters of paragraph text segmented at most: paragraphs are taken at an even stride to fit. */
  readonly sampleCharacters?: number;
  /** Distinct pairs held while counting; past it the pairs seen once are dropped (lossy counting). */
  readonly pairBudget?: number;
  /** The most phrases kept (the most frequent in the sample). */
  readonly limit?: number;
}

/** A phrase must be in at least this many paragraphs of the sample, and its search must find as many. */
export const MIN_PHRASE_PARAGRAPHS = 2;
/** The longest phrase, in characters: a completion, not a sentence. */
export const LONGEST_PHRASE = 8;
export const PHRASE_SAMPLE_CHARACTERS = 1_000_000;
export const PHRASE_PAIR_BUDGET = 200_000;
export const MAX_PHRASES = 20_000;

const HAN_ONLY = /^\p{Script=Han}+$/u;

/**
 * The frequent phrases of the source, most frequent in the sample first, each with the count its search finds
 * (at least MIN_PHRASE_PARAGRAPHS). `isWord`: whether a word may be a half (a vocabulary word, not a function word).
 * A phrase that is a word itself is left to the word.
 */
export function* frequentPhrasesInSteps(
  source: PhraseSource,
  isWord: (word: string) => boolean,
  options: PhraseOptions = {},
): Generator<void, [phrase: string, count: number][]> {
  const sampleCharacters = options.sampleCharacters ?? PHRASE_SAMPLE_CHARACTERS;
  const pairBudget = options.pairBudget ?? PHRASE_PAIR_BUDGET;
  const limit = options.limit ?? MAX_PHRASES;
  const { paragraphCount } = source;
  if (paragraphCount === 0 || limit <= 0) return [];
  // The stride from the corpus's size, estimated on its first paragraphs (a full pass would fold every text).
  let probed = 0;
  const probe = Math.min(paragraphCount, 256);
  for (let id = 0; id < probe; id++) probed += source.folded(Math.floor((id * paragraphCount) / probe)).length;
  const estimated = (probed / probe) * paragraphCount;
  const stride = Math.max(1, Math.ceil(estimated / Math.max(1, sampleCharacters)));

  const pairs = new Map<string, number>();
  const inParagraph = new Set<string>();
  for (let id = 0; id < paragraphCount; id += stride) {
    const text = source.folded(id);
    const words = foldedWords(text);
    inParagraph.clear();
    let at = 0;
    for (let i = 0; i + 1 < words.length; i++) {
      const first = words[i]!;
      const second = words[i + 1]!;
      // Where the first word stands, so the pair is checked to be side by side (no space or mark between).
      const start = text.indexOf(first, at);
      if (start < 0) continue;
      at = start + first.length;
      if (!text.startsWith(second, at)) continue;
      const phrase = first + second;
      if ([...phrase].length > LONGEST_PHRASE || !isPhraseWord(first, isWord) || !isPhraseWord(second, isWord)) continue;
      inParagraph.add(phrase);
    }
    for (const phrase of inParagraph) pairs.set(phrase, (pairs.get(phrase) ?? 0) + 1);
    if (pairs.size > pairBudget) {
      for (const [phrase, seen] of pairs) if (seen < 2) pairs.delete(phrase);
    }
    yield;
  }
  const candidates = [...pairs].filter(([phrase, seen]) => seen >= MIN_PHRASE_PARAGRAPHS && !isWord(phrase));
  pairs.clear();
  candidates.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  yield;
  const phrases: [string, number][] = [];
  for (const [phrase] of candidates.slice(0, limit)) {
    const count = source.count(phrase);
    if (count >= MIN_PHRASE_PARAGRAPHS) phrases.push([phrase, count]);
    yield;
  }
  return phrases;
}

/** A half of a phrase: a vocabulary word of two or more Chinese characters (not 的, not cto). */
function isPhraseWord(word: string, isWord: (word: string) => boolean): boolean {
  return hasWordTerm(word) && HAN_ONLY.test(word) && isWord(word);
}
