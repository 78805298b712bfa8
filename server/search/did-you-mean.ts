// "Did you mean": corrections of a hanzi query proposed from the vocabulary. Input methods make slips by
// sound, so a slip reads (nearly) like the word meant: a homophone (支付包 for 支付宝), a near-homophone of the
// sounds that many speakers merge (z/zh, c/ch, s/sh, n/l, in/ing, en/eng), or two characters typed in the
// wrong order (付支宝). A stretch of the query that is not a vocabulary word is replaced by a word that reads
// so and differs from it in few characters. Proposing is separate from offering: `shouldOffer` decides from
// the counts the engine measures, and a query whose string occurs in the corpus is never corrected.
import { foldString } from '../../indexer/analyzer/fold.js';
import { characterReadings, readText } from '../../indexer/analyzer/pinyin.js';
import { SYLLABLES } from '../../indexer/analyzer/pinyin-input.js';
import type { Vocabulary } from '../../indexer/index/vocabulary.js';

export type CorrectionKind = 'homophone' | 'near-homophone' | 'swap';

export interface Correction {
  /** The corrected query: the query with one stretch replaced by `word`. */
  readonly text: string;
  readonly word: string;
  /** Paragraphs the word is in (the engine counts what the whole corrected query finds). */
  readonly count: number;
  /** The replaced stretch of the folded query, in UTF-16 offsets [start, end). */
  readonly start: number;
  readonly end: number;
  readonly kind: CorrectionKind;
}

export interface CorrectionOptions {
  readonly limit?: number;
}

// Merged by many speakers; an input method's fuzzy pinyin offers exactly these pairs.
const NEAR_INITIALS: readonly (readonly [string, string])[] = [
  ['zh', 'z'],
  ['ch', 'c'],
  ['sh', 's'],
  ['n', 'l'],
];
const NEAR_FINALS: readonly (readonly [string, string])[] = [
  ['ing', 'in'],
  ['eng', 'en'],
];

/** The syllables one near-sound away (zhi → zi, lin → nin, ling, …), for syllables that exist. */
export function nearSyllables(syllable: string, exists: (syllable: string) => boolean): string[] {
  const out = new Set<string>();
  for (const [a, b] of NEAR_INITIALS) {
    if (syllable.startsWith(a)) out.add(b + syllable.slice(a.length));
    else if (syllable.startsWith(b) && !(b.length === 1 && NEAR_INITIALS.some(([x]) => x.length === 2 && syllable.startsWith(x)))) out.add(a + syllable.slice(b.length));
  }
  for (const [a, b] of NEAR_FINALS) {
    if (syllable.endsWith(a)) out.add(syllable.slice(0, -a.length) + b);
    else if (syllable.endsWith(b)) out.add(syllable.slice(0, -b.length) + a);
  }
  out.delete(syllable);
  return [...out].filter(exists);
}

const MAX_WINDOW = 10;
const MAX_NEAR = 2;
const MAX_READING_SEQUENCES = 512;

interface Proposal extends Correction {
  readonly changed: number;
  readonly near: number;
}

/**
 * Candidate corrections of a hanzi query, best first: fewer sound changes, then the longer stretch replaced,
 * then fewer changed characters, then the more frequent word. None when the whole query is a vocabulary word. Only Chinese characters are read by
 * sound; other characters must stay as they are.
 */
export function proposeCorrections(query: string, vocabulary: Vocabulary, options: CorrectionOptions = {}): Correction[] {
  const limit = options.limit ?? 5;
  const folded = foldString(query);
  const characters = [...folded];
  if (characters.length < 2 || vocabulary.idOf(folded) !== undefined) return [];
  // Read in context only when some window needs its readings (most stretches of a query that finds nothing
  // have characters no word has, and are skipped first).
  let contextReadings: (string | null)[] | undefined;
  const offsets: number[] = [0];
  for (const ch of characters) offsets.push(offsets.at(-1)! + ch.length);
  // A character no word has is a changed character in every word a window could turn into.
  const absent = characters.map((ch) => !vocabulary.hasCharacter(ch));
  const syllableExists = (syllable: string): boolean => SYLLABLES.has(syllable);

  const proposals = new Map<string, Proposal>();
  const propose = (start: number, end: number, id: number, kind: CorrectionKind, changed: number, near: number): void => {
    const { word, count } = vocabulary.entry(id);
    const text = folded.slice(0, offsets[start]) + word + folded.slice(offsets[end]);
    const proposal: Proposal = { text, word, count, start: offsets[start]!, end: offsets[end]!, kind, changed, near };
    const seen = proposals.get(text);
    if (seen === undefined || compare(proposal, seen) < 0) proposals.set(text, proposal);
  };

  for (let length = Math.min(MAX_WINDOW, characters.length); length >= 2; length--) {
    for (let start = 0; start + length <= characters.length; start++) {
      const window = characters.slice(start, start + length);
      const maxChanged = length <= 3 ? 1 : 2;
      let absentCount = 0;
      for (let i = start; i < start + length; i++) if (absent[i]) absentCount++;
      if (absentCount > maxChanged || vocabulary.idOf(window.join('')) !== undefined) continue;
      contextReadings ??= readText(folded);
      // Each character may stand for any of its readings (the slip 形 reads xing; in 银行 行 reads hang).
      const options = window.map((ch, i) => {
        const readings = [contextReadings![start + i], ...characterReadings(ch)].filter((s): s is string => typeof s === 'string');
        return [...new Set(readings)];
      });
      if (options.some((readings) => readings.length === 0)) continue;
      const sequences = readingSequences(options, (s) => nearSyllables(s, syllableExists), (prefix) => vocabulary.mayStartReading(prefix));
      for (const { syllables, near } of sequences) {
        for (const id of vocabulary.withReading(syllables)) {
          const candidate = vocabulary.characters(id);
          if (candidate.length !== length) continue;
          let changed = 0;
          for (let i = 0; i < length; i++) if (candidate[i] !== window[i]) changed++;
          if (changed === 0 || changed > maxChanged) continue;
          propose(start, start + length, id, near === 0 ? 'homophone' : 'near-homophone', changed, near);
        }
      }
      // A swapped window is a word only when every character of it is some word's.
      if (absentCount > 0) continue;
      for (let i = 0; i + 1 < length; i++) {
        if (window[i] === window[i + 1]) continue;
        const swapped = [...window];
        [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
        const id = vocabulary.idOf(swapped.join(''));
        if (id !== undefined) propose(start, start + length, id, 'swap', 2, 0);
      }
    }
  }
  return [...proposals.values()]
    .sort(compare)
    .slice(0, limit)
    .map(({ text, word, count, start, end, kind }) => ({ text, word, count, start, end, kind }));
}

/**
 * How likely a proposal is, in powers of ten: the word's count, a tenth for each near sound and each changed
 * character beyond the first (a swap changes two), so a much more frequent word can outweigh a
 * closer sound (影响 for the slip 阴响, over 音响).
 */
const likelihood = (p: Proposal): number => Math.log10(p.count) - p.near - Math.max(0, p.changed - 1);

// A longer stretch read as one word is the stronger evidence (克罗地亚喻 → 克罗地亚语, not → 克罗迪亚喻).
const compare = (a: Proposal, b: Proposal): number =>
  b.end - b.start - (a.end - a.start) || likelihood(b) - likelihood(a) || a.changed - b.changed || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);

/**
 * The syllable sequences a window can be heard as: per character one of its readings, or a reading one near
 * sound away (at most MAX_NEAR of those), fewest near sounds first, leaving every prefix that `mayStart` says
 * starts no word; bounded so a long window stays cheap.
 */
function readingSequences(
  options: readonly (readonly string[])[],
  near: (syllable: string) => string[],
  mayStart: (prefix: readonly string[]) => boolean,
): { syllables: string[]; near: number }[] {
  const out: { syllables: string[]; near: number }[] = [];
  const choices = options.map((readings) => {
    const exact = readings.map((syllable) => ({ syllable, near: 0 }));
    const nearOnes = [...new Set(readings.flatMap(near))].filter((s) => !readings.includes(s)).map((syllable) => ({ syllable, near: 1 }));
    return [...exact, ...nearOnes];
  });
  for (let budget = 0; budget <= MAX_NEAR; budget++) {
    const walk = (i: number, chosen: string[], used: number): void => {
      if (out.length >= MAX_READING_SEQUENCES) return;
      if (i === choices.length) {
        if (used === budget) out.push({ syllables: [...chosen], near: used });
        return;
      }
      for (const choice of choices[i]!) {
        if (used + choice.near > budget) continue;
        chosen.push(choice.syllable);
        if (i + 1 === choices.length || mayStart(chosen)) walk(i + 1, chosen, used + choice.near);
        chosen.pop();
      }
    };
    walk(0, [], 0);
  }
  return out;
}

export interface OfferCounts {
  /** Paragraphs that contain the query string as typed (folded). */
  readonly queryOccurrences: number;
  /** Results the query found (loose matches included). */
  readonly queryHits: number;
  /** Results the corrected query finds. */
  readonly correctionHits: number;
}

/** The factor by which a correction must find more than the query to be offered. */
export const OFFER_FACTOR = 10;

/**
 * Whether to offer a correction: never when the query's string occurs in the corpus (the recall guarantee:
 * what the user typed is there), else when the correction finds at least ten times more than the query
 * (and something at all).
 */
export function shouldOffer(counts: OfferCounts): boolean {
  if (counts.queryOccurrences > 0) return false;
  return counts.correctionHits > 0 && counts.correctionHits >= OFFER_FACTOR * counts.queryHits;
}
