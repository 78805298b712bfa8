// The whole-word postings of a segment (words.bin): for each word jieba found, the ids of the paragraphs that
// have it, in Sou's own layout. Most words occur in one paragraph only, so a word costs a few u32s and its
// postings a byte or two: one open-addressing hash table in typed arrays over the file's bytes, with the
// postings as delta varints like grams.ts (no objects, nothing decoded until a query asks for a word; on a
// server the postings stay in the file and a word's are read when asked: byte-source.ts).
// It replaced FlexSearch's export (words of two paragraphs or more) and the separate table of words of one
// paragraph (docs/design.md §5).
//
// Layout (little-endian u32 unless said): magic, version, word count N, slot count M (a power of two), text
// length T (UTF-16 units), posting bytes P; offsets[N + 1] into the text; starts[N + 1] into the posting bytes;
// slots[M] (word number + 1, 0 = empty); the words' text, UTF-16LE (T units); the postings, per word
// varint(id − previous id − 1) for each id, ascending.
// A word's slot: FNV-1a over its UTF-16 units, masked to M, then linear probing (load factor at most three
// quarters: the slots are the table's largest part, and a query looks up a few words only).
import { memorySource, type ByteSource } from './byte-source.js';
import { writeVarint } from './varint.js';

const MAGIC = 0x56554f53; // "SOUV"
const VERSION = 1;
const HEADER_WORDS = 6;

export interface WordPostings {
  /** How many distinct words. */
  readonly size: number;
  /** Ids of the paragraphs that have `word`, ascending; empty when none. */
  postings(word: string): Uint32Array;
  /** The word numbered `n` (0 ≤ n < size), for listing and merging. */
  wordAt(n: number): string;
  /** The postings of the word numbered `n`. */
  postingsAt(n: number): Uint32Array;
  /** How many ids the word numbered `n` has, without decoding them. */
  countAt(n: number): number;
  /** countAt of every word, by number, in one pass over the postings. */
  counts(): Uint32Array;
}

/** FNV-1a over the string's UTF-16 units (the document table of load.ts hashes ids the same way). */
export function hashUnits(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Slots for `words` entries: a power of two, at most three quarters full. */
export function slotCountFor(words: number): number {
  let slots = 2;
  while (3 * slots < 4 * words) slots *= 2;
  return slots;
}

interface Sections {
  readonly offsets: Uint32Array;
  readonly starts: Uint32Array;
  readonly slots: Uint32Array;
  readonly text: Uint16Array;
  readonly postings: Uint8Array;
}

function sections(buffer: ArrayBuffer, byteOffset: number, count: number, slotCount: number, textUnits: number, postingBytes: number): Sections {
  let at = byteOffset + 4 * HEADER_WORDS;
  const take = (length: number): Uint32Array => {
    const view = new Uint32Array(buffer, at, length);
    at += 4 * length;
    return view;
  };
  const offsets = take(count + 1);
  const starts = take(count + 1);
  const slots = take(slotCount);
  const text = new Uint16Array(buffer, at, textUnits);
  return { offsets, starts, slots, text, postings: new Uint8Array(buffer, at + 2 * textUnits, postingBytes) };
}

function byteLength(count: number, slotCount: number, textUnits: number, postingBytes: number): number {
  return 4 * (HEADER_WORDS + 2 * (count + 1) + slotCount) + 2 * textUnits + postingBytes;
}

function sameUnits(text: Uint16Array, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** The word's number, or −1: probes from the word's hash up to an empty slot. */
function find(table: Sections, word: string): number {
  const mask = table.slots.length - 1;
  for (let slot = hashUnits(word) & mask; ; slot = (slot + 1) & mask) {
    const entry = table.slots[slot]!;
    if (entry === 0) return -1;
    const start = table.offsets[entry - 1]!;
    if (table.offsets[entry]! - start === word.length && sameUnits(table.text, start, word)) return entry - 1;
  }
}

/**
 * Lays out `words` (distinct) with their postings (`lists[n]` belongs to `words[n]`, ids strictly ascending, u32)
 * as words.bin bytes.
 */
export function encodeWordPostings(words: readonly string[], lists: readonly ArrayLike<number>[]): Uint8Array {
  const count = words.length;
  if (lists.length !== count) throw new Error('sou: word postings: one posting list per word');
  const slotCount = slotCountFor(count);
  let textUnits = 0;
  let postingCount = 0;
  for (let n = 0; n < count; n++) {
    textUnits += words[n]!.length;
    postingCount += lists[n]!.length;
  }
  const varints = new Uint8Array(5 * postingCount);
  const starts = new Uint32Array(count + 1);
  let postingBytes = 0;
  for (let n = 0; n < count; n++) {
    starts[n] = postingBytes;
    const list = lists[n]!;
    let previous = -1;
    for (let i = 0; i < list.length; i++) {
      const id = list[i]!;
      if (!(Number.isInteger(id) && id > previous && id <= 0xffffffff)) throw new Error(`sou: word postings: the ids of ${JSON.stringify(words[n])} do not ascend as u32s`);
      postingBytes = writeVarint(varints, postingBytes, id - previous - 1);
      previous = id;
    }
  }
  starts[count] = postingBytes;
  const total = byteLength(count, slotCount, textUnits, postingBytes);
  const buffer = new ArrayBuffer(4 * Math.ceil(total / 4));
  new Uint32Array(buffer, 0, HEADER_WORDS).set([MAGIC, VERSION, count, slotCount, textUnits, postingBytes]);
  const table = sections(buffer, 0, count, slotCount, textUnits, postingBytes);
  table.starts.set(starts);
  table.postings.set(varints.subarray(0, postingBytes));
  let unit = 0;
  words.forEach((word, n) => {
    table.offsets[n] = unit;
    for (let i = 0; i < word.length; i++) table.text[unit++] = word.charCodeAt(i);
  });
  table.offsets[count] = unit;
  const mask = slotCount - 1;
  words.forEach((word, n) => {
    let slot = hashUnits(word) & mask;
    for (let entry = table.slots[slot]!; entry !== 0; slot = (slot + 1) & mask, entry = table.slots[slot]!) {
      const start = table.offsets[entry - 1]!;
      if (table.offsets[entry]! - start === word.length && sameUnits(table.text, start, word)) {
        throw new Error(`sou: word postings: ${JSON.stringify(word)} is listed twice`);
      }
    }
    table.slots[slot] = n + 1;
  });
  return new Uint8Array(buffer, 0, total);
}

/** Gathers (paragraph, words) as a build analyzes them, in any order, and lays them out. */
export function createWordPostingsBuilder(): { add(paragraph: number, words: readonly string[]): void; encode(): Uint8Array } {
  const numbers = new Map<string, number>();
  const words: string[] = [];
  // (word number, paragraph) pairs as one float each: word × 2^32 + paragraph, sorted natively at the end.
  let pairs = new Float64Array(1 << 16);
  let length = 0;
  return {
    add(paragraph, paragraphWords) {
      for (const word of paragraphWords) {
        let n = numbers.get(word);
        if (n === undefined) {
          n = words.push(word) - 1;
          numbers.set(word, n);
        }
        if (length === pairs.length) {
          const grown = new Float64Array(2 * pairs.length);
          grown.set(pairs);
          pairs = grown;
        }
        pairs[length++] = n * 2 ** 32 + paragraph;
      }
    },
    encode() {
      const sorted = pairs.subarray(0, length).sort();
      const lists: Uint32Array[] = new Array(words.length);
      let i = 0;
      for (let n = 0; n < words.length; n++) {
        const ids: number[] = [];
        for (; i < sorted.length && Math.floor(sorted[i]! / 2 ** 32) === n; i++) {
          const id = sorted[i]! % 2 ** 32;
          if (ids.length === 0 || ids[ids.length - 1] !== id) ids.push(id);
        }
        lists[n] = Uint32Array.from(ids);
      }
      return encodeWordPostings(words, lists);
    },
  };
}

/**
 * Views words.bin's bytes as the table (copied once when they are not 4-byte aligned). Throws an Error with a
 * plain reason when the bytes are not such a file; an id not below `paragraphCount` is refused when decoded.
 */
export function decodeWordPostings(bytes: Uint8Array, paragraphCount: number): WordPostings {
  return openWordPostings(memorySource(bytes), paragraphCount);
}

/** Bytes of postings read at a time when every word's count is wanted (WordPostings.counts). */
const COUNT_CHUNK_BYTES = 1 << 20;

/**
 * Reads words.bin's table (everything but the postings, kept in memory) from `source`; a word's postings are
 * read from the source when asked for. Throws as decodeWordPostings does.
 */
export function openWordPostings(source: ByteSource, paragraphCount: number): WordPostings {
  if (source.length < 4 * HEADER_WORDS) throw new Error('word postings file too short');
  const headerBytes = source.read(0, 4 * HEADER_WORDS);
  const headerView = new DataView(headerBytes.buffer, headerBytes.byteOffset, headerBytes.byteLength);
  const header = Array.from({ length: HEADER_WORDS }, (_, i) => headerView.getUint32(4 * i, true));
  if (header[0] !== MAGIC || header[1] !== VERSION) throw new Error('not a word postings file of this version');
  const count = header[2]!;
  const slotCount = header[3]!;
  const textUnits = header[4]!;
  const postingBytes = header[5]!;
  if (3 * slotCount < 4 * count || (slotCount & (slotCount - 1)) !== 0) throw new Error('word postings slot count is not a power of two at least 4/3 of the words');
  if (source.length !== byteLength(count, slotCount, textUnits, postingBytes)) throw new Error('word postings file truncated or has trailing bytes');
  // The table is the file up to its postings; views need it 4-byte aligned.
  const postingsAt = byteLength(count, slotCount, textUnits, 0);
  const read = source.read(0, postingsAt);
  const aligned = read.byteOffset % 4 === 0 ? read : new Uint8Array(read);
  const table = sections(aligned.buffer as ArrayBuffer, aligned.byteOffset, count, slotCount, textUnits, 0);
  // A table that lies would answer wrong ids silently, or probe forever: check what lookups rely on, once.
  if (table.offsets[0] !== 0 || table.offsets[count] !== textUnits) throw new Error('word postings offsets do not cover the text');
  if (table.starts[0] !== 0 || table.starts[count] !== postingBytes) throw new Error('word postings starts do not cover the postings');
  for (let n = 0; n < count; n++) {
    if (table.offsets[n + 1]! < table.offsets[n]!) throw new Error('word postings offsets go backwards');
    if (table.starts[n + 1]! <= table.starts[n]!) throw new Error('word postings starts do not ascend');
  }
  let filled = 0;
  for (const entry of table.slots) {
    if (entry > count) throw new Error('word postings slot points past the words');
    if (entry !== 0) filled++;
  }
  if (filled !== count) throw new Error('word postings slots do not hold every word once');
  const { starts } = table;
  /** The posting bytes of word n. */
  const bytesOf = (n: number): Uint8Array => source.peek(postingsAt + starts[n]!, starts[n + 1]! - starts[n]!);
  /** A varint's last byte is below 0x80: one id each. */
  const idsIn = (varints: Uint8Array, from: number, to: number): number => {
    let ids = 0;
    for (let at = from; at < to; at++) if (varints[at]! < 0x80) ids++;
    return ids;
  };
  const decode = (n: number): Uint32Array => {
    const varints = bytesOf(n);
    const end = varints.length;
    const ids = idsIn(varints, 0, end);
    const list = new Uint32Array(ids);
    let at = 0;
    let previous = -1;
    for (let p = 0; p < ids; p++) {
      let byte = varints[at++]!;
      let gap = byte & 0x7f;
      for (let scale = 0x80; byte & 0x80; scale *= 0x80) {
        byte = varints[at++]!;
        gap += (byte & 0x7f) * scale;
      }
      previous = list[p] = previous + 1 + gap;
    }
    if (at !== end || (ids > 0 && previous >= paragraphCount)) throw new Error('word postings name a paragraph this index does not have');
    return list;
  };
  const empty = new Uint32Array(0);
  return {
    size: count,
    postings(word) {
      const n = find(table, word);
      return n === -1 ? empty : decode(n);
    },
    wordAt(n) {
      return String.fromCharCode(...table.text.subarray(table.offsets[n]!, table.offsets[n + 1]!));
    },
    postingsAt: decode,
    countAt(n) {
      const varints = bytesOf(n);
      return idsIn(varints, 0, varints.length);
    },
    counts() {
      // The postings a chunk at a time, in word order: one pass over them, whole words per chunk.
      const out = new Uint32Array(count);
      for (let first = 0; first < count; ) {
        let last = first + 1;
        while (last < count && starts[last + 1]! - starts[first]! <= COUNT_CHUNK_BYTES) last++;
        const chunk = source.peek(postingsAt + starts[first]!, starts[last]! - starts[first]!);
        for (let n = first; n < last; n++) out[n] = idsIn(chunk, starts[n]! - starts[first]!, starts[n + 1]! - starts[first]!);
        first = last;
      }
      return out;
    },
  };
}
