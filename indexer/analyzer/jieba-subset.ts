// A part of jieba's dictionary that segments given texts exactly as the whole dictionary does, so that an update
// of a few documents loads a few hundred entries instead of building the whole dictionary (docs/design.md §6.1).
//
// Why it is exact (cppjieba's DictTrie and MixSegment): a text's segmentation reads the dictionary through the
// words that occur in it (the trie's matches at each position, which make the graph of possible cuts) and three
// numbers: the sum of all frequencies (a word's weight is log(frequency / sum)), the smallest weight (of a
// character no word covers) and the median weight (of a user dictionary's word without a frequency). The HMM
// model and the user dictionaries are loaded whole. So the part holds every line whose word occurs in the texts,
// in their order (a word listed twice keeps its last line), plus lines of words no text can hold that keep the
// three numbers: one of the smallest frequency, enough of the median one to keep it the median, and one that
// brings the sum to the whole dictionary's. Their words start with a tab, a separator cppjieba cuts every text at
// before it looks words up, so no text ever matches them. Frequencies are whole numbers and their sums stay far
// below 2^53, so every sum is exact in any order.

/** The whole dictionary, grouped for the look-up of the words of a text. */
export interface DictionaryIndex {
  /** The sum, smallest and median (cppjieba's: the sorted list's element at half its length) of the frequencies. */
  readonly sum: number;
  readonly min: number;
  readonly median: number;
  /** Per first code point of a word: its lines, in the dictionary's order, joined by newlines. */
  group(first: number): string | undefined;
}

/** indexDictionary's result with its groups listed, as a saved copy needs them. */
export interface DictionaryGroups extends DictionaryIndex {
  readonly groups: ReadonlyMap<number, string>;
}

/** Reads a jieba dictionary's text (`word frequency tag` a line). Throws on a line of another shape. */
export function indexDictionary(text: string): DictionaryGroups {
  const frequencies: number[] = [];
  const lines = new Map<number, string[]>();
  let sum = 0;
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const line = text.slice(at, end);
    at = end + 1;
    if (line === '') continue;
    const fields = line.split(' ');
    const frequency = Number(fields[1]);
    if (fields.length !== 3 || fields[0] === '' || !Number.isSafeInteger(frequency) || frequency <= 0) throw new Error(`sou: jieba's dictionary has a line of another shape: "${line}"`);
    frequencies.push(frequency);
    sum += frequency;
    const first = line.codePointAt(0)!;
    const group = lines.get(first);
    if (group === undefined) lines.set(first, [line]);
    else group.push(line);
  }
  if (frequencies.length === 0 || !Number.isSafeInteger(sum)) throw new Error("sou: jieba's dictionary is empty or its frequencies too large");
  const sorted = Float64Array.from(frequencies).sort();
  const groups = new Map<number, string>();
  for (const [first, group] of lines) groups.set(first, group.join('\n'));
  return { sum, min: sorted[0]!, median: sorted[Math.floor(sorted.length / 2)]!, groups, group: (first) => groups.get(first) };
}

/** Above this many UTF-16 units of text, the look-up costs more than the whole dictionary's load saves. */
export const SUBSET_TEXT_LIMIT = 20_000;

/**
 * The dictionary text (one entry a line) that segments every text of `texts`, and any piece of one, as the whole
 * dictionary does; null when the texts are too long for it to pay (SUBSET_TEXT_LIMIT).
 */
export function dictionarySubset(index: DictionaryIndex, texts: readonly string[]): string | null {
  const joined = texts.join('\0'); // no dictionary word holds a NUL: no match spans two texts
  if (joined.length > SUBSET_TEXT_LIMIT) return null;
  // Where each code point occurs: a word is looked for where its first code point is.
  const places = new Map<number, number[]>();
  for (let i = 0; i < joined.length; i++) {
    const point = joined.codePointAt(i)!;
    const list = places.get(point);
    if (list === undefined) places.set(point, [i]);
    else list.push(i);
    if (point > 0xffff) i++;
  }
  const lines: string[] = [];
  const frequencies: number[] = [];
  for (const [first, at] of places) {
    const group = index.group(first);
    if (group === undefined) continue;
    for (const line of group.split('\n')) {
      const space = line.indexOf(' ');
      const word = line.slice(0, space);
      if (!at.some((start) => joined.startsWith(word, start))) continue;
      lines.push(line);
      frequencies.push(Number(line.slice(space + 1, line.indexOf(' ', space + 1))));
    }
  }
  const padding: string[] = [];
  const pad = (frequency: number): void => {
    padding.push(`\t\tsou${padding.length} ${frequency} x`);
    frequencies.push(frequency);
  };
  pad(index.min);
  const partial = frequencies.reduce((sum, n) => sum + n, 0);
  // The line that completes the sum has a frequency above the median (checked below): count it above.
  const below = frequencies.filter((n) => n < index.median).length;
  const above = frequencies.filter((n) => n > index.median).length + 1;
  const medians = below + above + 1;
  const rest = index.sum - partial - medians * index.median;
  if (!(rest > index.median)) return null; // texts holding most of the dictionary's frequency: the whole one, then
  for (let n = 0; n < medians; n++) pad(index.median);
  pad(rest);
  return [...lines, ...padding].join('\n') + '\n';
}
