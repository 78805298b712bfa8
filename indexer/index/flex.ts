// The only module that imports FlexSearch. FlexSearch holds the word index: for each whole jieba word, the
// numeric ids of the paragraphs whose segmentation has it (characters and character pairs, far more numerous,
// live in grams.ts). Terms are made by the analyzer, so FlexSearch's own encoder is bypassed: `encode` only
// splits the term list it is given.
import { Index } from 'flexsearch';

const TERM_SEPARATOR = '\u0001';

// Ranking and phrase logic live in the engine; FlexSearch is asked for exact term postings only.
// resolution 1 keeps one posting list per term (no position slots, which would only spend memory).
const OPTIONS = {
  tokenize: 'strict',
  resolution: 1,
  cache: false,
  encode: (text: string): string[] => text.split(TERM_SEPARATOR),
} as const;

export interface TermIndex {
  add(id: number, terms: Iterable<string>): void;
  /** Every id whose terms include `term`, in ascending order of insertion. */
  postings(term: string): number[];
  /** FlexSearch's export, each part's JSON parsed (words-file.ts writes it to disk). */
  exportParts(): ExportedParts;
}

/** FlexSearch's export parts by name ("1.reg", "2.map", …), as the data its import takes. */
export type ExportedParts = Map<string, unknown>;

type MapPartEntry = [term: string, slots: number[][]];
const isMapPart = (name: string, data: unknown): data is MapPartEntry[] => name.endsWith('map') && Array.isArray(data);

/**
 * Takes the terms that have exactly one id out of the export's term maps ("map" parts: [term, id slots]
 * entries) and returns them with that id; the parts keep every other term. In FlexSearch the 407k words of one
 * paragraph at 100k took 79 MB of heap (about 190 bytes a word), so they are kept elsewhere (single-paragraph-words.ts).
 */
export function takeSingleIdTerms(parts: ExportedParts): [term: string, id: number][] {
  const taken: [string, number][] = [];
  for (const [name, data] of parts) {
    if (!isMapPart(name, data)) continue;
    const kept: MapPartEntry[] = [];
    for (const entry of data) {
      // Counted slot by slot: flattening 557k entries took half a second of a 100k build.
      let count = 0;
      let only = 0;
      for (const slot of entry[1]) {
        count += slot.length;
        if (slot.length > 0) only = slot[0]!;
      }
      if (count === 1) taken.push([entry[0], only]);
      else kept.push(entry);
    }
    parts.set(name, kept);
  }
  return taken;
}

type FlexIndex = InstanceType<typeof Index>;

function newIndex(): FlexIndex {
  // The option object is valid for FlexSearch 0.8; its typings do not describe `encode` functions.
  return new Index(OPTIONS as unknown as ConstructorParameters<typeof Index>[0]) as FlexIndex;
}

function wrap(index: FlexIndex): TermIndex {
  return {
    add(id, terms) {
      const list = [...terms];
      if (list.length > 0) index.add(id, list.join(TERM_SEPARATOR));
    },
    postings(term) {
      if (term === '' || term.includes(TERM_SEPARATOR)) return [];
      // The limit must exceed any posting length: totals are exact, never FlexSearch's default top 100.
      return index.search(term, { limit: Number.MAX_SAFE_INTEGER }) as number[];
    },
    exportParts() {
      const parts: ExportedParts = new Map();
      index.export((key: string | number, data: unknown) => {
        if (typeof data === 'string') parts.set(String(key), JSON.parse(data) as unknown);
      });
      return parts;
    },
  };
}

export function createTermIndex(): TermIndex {
  return wrap(newIndex());
}

export function importTermIndex(parts: ReadonlyMap<string, unknown>): TermIndex {
  const index = newIndex();
  // FlexSearch's import takes a part's JSON text or the parsed data; its typings only admit the text.
  for (const [key, data] of parts) index.import(key, data as string);
  return wrap(index);
}

/**
 * Each term of an export's term maps with the number of ids it has (its paragraph count), for the loaded
 * index's word list (the vocabulary is derived from it at load, so nothing more is stored).
 */
export function termCounts(parts: ExportedParts): [term: string, count: number][] {
  const counted: [string, number][] = [];
  for (const [name, data] of parts) {
    if (!isMapPart(name, data)) continue;
    for (const [term, slots] of data) {
      let count = 0;
      for (const slot of slots) count += slot.length;
      if (count > 0) counted.push([term, count]);
    }
  }
  return counted;
}
