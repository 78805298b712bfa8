// The query classes of `npm run bench`, sampled from the benchmark texts with a seeded PRNG (seededRandom from
// bench/fuzz-cases.ts), so that a run with the same corpus and seed sends the same queries.
import { seededRandom } from './fuzz-cases.js';

export type QueryClassName = 'char' | 'substring' | 'and' | 'question' | 'none';

export interface QueryClass {
  readonly name: QueryClassName;
  readonly label: string;
  readonly queries: readonly string[];
}

export const CLASS_LABELS: Readonly<Record<QueryClassName, string>> = {
  char: 'one character',
  substring: '2–4 characters',
  and: 'two-word AND',
  question: 'questions',
  none: 'no result',
};

/** Very common characters of classical poetry, always part of the one-character class. */
export const COMMON_CHARACTERS = ['不', '人', '山', '月', '風', '之', '無', '天'] as const;

export type Random = () => number;

const HAN = /^\p{Script=Han}$/u;
export const isHan = (character: string): boolean => HAN.test(character);

const MAX_TRIES = 100_000;
const int = (random: Random, n: number): number => Math.floor(random() * n);

export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(random, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Code points of each text, computed once per text a sampler looks at. */
function codePoints(texts: readonly string[]): (index: number) => readonly string[] {
  const cache = new Map<number, string[]>();
  return (index) => {
    let points = cache.get(index);
    if (points === undefined) cache.set(index, (points = Array.from(texts[index]!)));
    return points;
  };
}

/** A run of `length` Han characters at a random place of a random text, with its start (code points). */
function hanRun(points: readonly string[], length: number, random: Random): { start: number; text: string } | null {
  if (points.length < length) return null;
  const start = int(random, points.length - length + 1);
  const run = points.slice(start, start + length);
  return run.every(isHan) ? { start, text: run.join('') } : null;
}

function sampleMany(count: number, what: string, draw: () => string | null): string[] {
  const out: string[] = [];
  for (let tries = 0; out.length < count; tries++) {
    if (tries >= MAX_TRIES) throw new Error(`sou: could not sample ${count} ${what} queries from the corpus`);
    const query = draw();
    if (query !== null) out.push(query);
  }
  return out;
}

/** The common characters, then Han characters at random places of random texts (so weighted by frequency). */
export function sampleCharacters(texts: readonly string[], count: number, random: Random): string[] {
  const points = codePoints(texts);
  const common = COMMON_CHARACTERS.slice(0, count);
  const drawn = sampleMany(count - common.length, 'one-character', () => hanRun(points(int(random, texts.length)), 1, random)?.text ?? null);
  return [...common, ...drawn];
}

/** Runs of 2–4 Han characters (length uniform) cut from random texts. */
export function sampleSubstrings(texts: readonly string[], count: number, random: Random, min = 2, max = 4): string[] {
  const points = codePoints(texts);
  return sampleMany(count, 'substring', () => hanRun(points(int(random, texts.length)), min + int(random, max - min + 1), random)?.text ?? null);
}

/**
 * Two substrings (2–4 Han characters each) from the same text, apart from each other, different and neither
 * inside the other, joined by a space: `明月 故鄉`.
 */
export function sampleAndQueries(texts: readonly string[], count: number, random: Random, min = 2, max = 4): string[] {
  const points = codePoints(texts);
  return sampleMany(count, 'two-word AND', () => {
    const text = points(int(random, texts.length));
    const a = hanRun(text, min + int(random, max - min + 1), random);
    const b = hanRun(text, min + int(random, max - min + 1), random);
    if (a === null || b === null) return null;
    const aEnd = a.start + [...a.text].length;
    const bEnd = b.start + [...b.text].length;
    if (a.start < bEnd && b.start < aEnd) return null;
    if (a.text.includes(b.text) || b.text.includes(a.text)) return null;
    return `${a.text} ${b.text}`;
  });
}

/** `count` questions drawn without replacement (cycling when there are fewer). */
export function sampleQuestions(questions: readonly string[], count: number, random: Random): string[] {
  if (questions.length === 0) throw new Error('sou: no questions to sample from');
  const order = shuffled(questions, random);
  return Array.from({ length: count }, (_, i) => order[i % order.length]!);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** CJK Unified Ideographs, the block the rare characters are drawn from. */
const CJK_FIRST = 0x4e00;
const CJK_LAST = 0x9fff;

/**
 * Queries that match nothing, alternating: a random Latin word of 5–9 letters, and 1–3 CJK characters none of
 * which occurs in the corpus. `occurs(s)` says whether some text contains s (folded): a Latin word that occurs is
 * drawn again, and only characters that never occur go into the rare strings, so that no engine can match any
 * part of one (not even a relaxed match of its words).
 */
export function sampleNoResult(count: number, random: Random, occurs: (text: string) => boolean): string[] {
  const absentCharacter = (): string => {
    for (let tries = 0; tries < MAX_TRIES; tries++) {
      const character = String.fromCodePoint(CJK_FIRST + int(random, CJK_LAST - CJK_FIRST + 1));
      if (!occurs(character)) return character;
    }
    throw new Error('sou: every CJK character tried occurs in the corpus');
  };
  let n = 0;
  return sampleMany(count, 'no-result', () => {
    if (n++ % 2 === 1) return Array.from({ length: 1 + int(random, 3) }, absentCharacter).join('');
    const word = Array.from({ length: 5 + int(random, 5) }, () => LETTERS[int(random, LETTERS.length)]!).join('');
    return occurs(word) ? null : word;
  });
}

export interface QuerySources {
  readonly texts: readonly string[];
  readonly questions: readonly string[];
  readonly occurs: (text: string) => boolean;
}

/** Every class, `count` queries each, from `seed`. */
export function sampleClasses(sources: QuerySources, count: number, seed: number): QueryClass[] {
  const random = seededRandom(seed);
  const make = (name: QueryClassName, queries: string[]): QueryClass => ({ name, label: CLASS_LABELS[name], queries });
  return [
    make('char', sampleCharacters(sources.texts, count, random)),
    make('substring', sampleSubstrings(sources.texts, count, random)),
    make('and', sampleAndQueries(sources.texts, count, random)),
    make('question', sampleQuestions(sources.questions, count, random)),
    make('none', sampleNoResult(count, random, sources.occurs)),
  ];
}
