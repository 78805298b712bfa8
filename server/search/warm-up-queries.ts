// The warm-up queries: what the server asks its own index between start and first users so that V8 optimizes the
// query code before users come. V8 compiles a function with its optimizing compiler only after it has run a
// good while, and most of a search's functions run once per query: without these, first-time queries are much
// slower than the same queries later (docs/design.md). The queries are drawn from the index's own texts with a
// fixed seed, in the shapes users type: one character, a few, two words, a phrase, an exclusion, OR, other
// scripts mixed in, a long question, a miss.
import { foldString, indexableRuns } from '../../indexer/analyzer/index.js';
import { seededRandom } from './seeded-random.js';

/** How many queries the warm-up asks. */
export const WARM_UP_QUERIES = 5000;

/**
 * The warm-up stops asking once this long has passed since its first query: on paragraphs of a
 * million characters one query takes tens of milliseconds, and thousands of them would hold the server's
 * thread for minutes. Requests answered meanwhile count too: real queries warm the code as well.
 */
export const WARM_UP_BUDGET_MS = 3000;

/** How much of a text (UTF-16 code units) a warm-up query is drawn from. */
const WINDOW = 64;

/**
 * What a warm-up query looks like; each round asks these in turn. Every shape of the query syntax is among
 * them: code that V8 optimized without having seen one is thrown away when a user's query takes that path.
 */
const SHAPES = ['character', 'few', 'character', 'few', 'two words', 'question', 'few', 'miss', 'few', 'phrase', 'few', 'syntax'] as const;

/** A character no text is expected to hold (a private-use one): the miss shape's second part. */
const UNLIKELY = '\uf8ff';

/** Words in other scripts and widths, as users mix them into Chinese queries (the syntax shape adds one). */
const OTHER_WORDS = ['iPhone', '2024', 'ＡＢＣ', 'Taipei', '１９', 'COVID-19', 'é', '64K', 'mp3', 'A4紙', '5G網路'];

/** Texts by position: an array, or the index's texts read when asked (LoadedIndex.paragraphText). */
export interface Texts {
  readonly length: number;
  at(position: number): string | undefined;
}

/**
 * `count` queries made of the texts' characters (folded), the same for the same texts. Empty when no text has
 * two indexable characters in a row.
 */
export function warmUpQueries(texts: Texts, count: number, seed = 1): string[] {
  if (texts.length === 0) return [];
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  /**
   * A random run of at least two indexable characters from a window of a random text (folding whole texts of
   * a million characters, thousands of times, took minutes), or undefined after a few tries.
   */
  const run = (): string[] | undefined => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const text = texts.at(pick(texts.length))!;
      const start = pick(Math.max(1, text.length - WINDOW + 1));
      const runs = indexableRuns(foldString(text.slice(start, start + WINDOW))).filter((r) => r.length >= 2);
      if (runs.length > 0) return runs[pick(runs.length)];
    }
    return undefined;
  };
  /** `length` consecutive characters of the run (all of it when shorter). */
  const slice = (characters: readonly string[], length: number): string => {
    const start = pick(Math.max(1, characters.length - length + 1));
    return characters.slice(start, start + length).join('');
  };
  const queries: string[] = [];
  for (let misses = 0; queries.length < count && misses < 64; ) {
    const characters = run();
    if (characters === undefined) {
      misses++;
      continue;
    }
    const shape = SHAPES[queries.length % SHAPES.length]!;
    if (shape === 'character') queries.push(slice(characters, 1));
    else if (shape === 'few') queries.push(slice(characters, 2 + pick(3)));
    else if (shape === 'two words') queries.push(`${slice(characters, 2)} ${slice(run() ?? characters, 2)}`);
    else if (shape === 'question') queries.push(slice(characters, 8) + slice(run() ?? characters, 6) + '是什麼？');
    else if (shape === 'phrase') queries.push(`"${slice(characters, 3)}"`);
    else if (shape === 'syntax') {
      const other = OTHER_WORDS[pick(OTHER_WORDS.length)]!;
      const [a, b] = [slice(characters, 2), slice(characters, 1)];
      queries.push([`${a} -${b}`, `${a} OR ${b}`, `${a} ${other}`, `「${a}」 ${other}`][pick(4)]!);
    } else queries.push(slice(characters, 2) + UNLIKELY);
  }
  return queries;
}
