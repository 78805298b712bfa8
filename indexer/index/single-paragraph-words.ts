// The single-paragraph words (the file once-words.bin): the whole words that occur in exactly one paragraph,
// each with that paragraph's id. They are most of the words jieba finds, and in FlexSearch each cost a Map
// entry, two arrays and a string; taken out, the heap after loading and the load time fell by about half
// (docs/design.md). Here they are one open-addressing hash table in typed arrays over the file's bytes: no
// objects, nothing to decode.
//
// Layout (little-endian u32 unless said): magic, version, word count N, slot count M (a power of two), text
// length T (UTF-16 units); offsets[N + 1] into the text; ids[N]; slots[M] (word number + 1, 0 = empty); the
// words' text, UTF-16LE (T units). Sections follow each other, all 4-byte aligned but the last.
// A word's slot: FNV-1a over its UTF-16 units, masked to M, then linear probing.

const MAGIC = 0x4f554f53; // "SOUO"
const VERSION = 1;
const HEADER_WORDS = 5;

export interface OnceWords {
  readonly size: number;
  /** The id of the one paragraph that has `word`, or undefined when the table does not hold it. */
  posting(word: string): number | undefined;
  /** The n-th word held (0 ≤ n < size), in the file's order. */
  wordAt(n: number): string;
}

function hashUnits(word: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function slotCountFor(words: number): number {
  let slots = 2;
  while (slots < 2 * words) slots *= 2; // load factor at most one half: probes stay short
  return slots;
}

interface Sections {
  readonly offsets: Uint32Array;
  readonly ids: Uint32Array;
  readonly slots: Uint32Array;
  readonly text: Uint16Array;
}

/** The typed-array views over a table of `count` words, `slotCount` slots and `textUnits` units of text. */
function sections(buffer: ArrayBuffer, byteOffset: number, count: number, slotCount: number, textUnits: number): Sections {
  let at = byteOffset + 4 * HEADER_WORDS;
  const take = (length: number): Uint32Array => {
    const view = new Uint32Array(buffer, at, length);
    at += 4 * length;
    return view;
  };
  const offsets = take(count + 1);
  const ids = take(count);
  const slots = take(slotCount);
  return { offsets, ids, slots, text: new Uint16Array(buffer, at, textUnits) };
}

function byteLength(count: number, slotCount: number, textUnits: number): number {
  return 4 * (HEADER_WORDS + 2 * count + 1 + slotCount) + 2 * textUnits;
}

/** The word's number (its place in offsets and ids), or −1: probes from the word's hash up to an empty slot. */
function find(table: Sections, word: string): number {
  const mask = table.slots.length - 1;
  for (let slot = hashUnits(word) & mask; ; slot = (slot + 1) & mask) {
    const entry = table.slots[slot]!;
    if (entry === 0) return -1;
    const start = table.offsets[entry - 1]!;
    if (table.offsets[entry]! - start === word.length && sameUnits(table.text, start, word)) return entry - 1;
  }
}

function sameUnits(text: Uint16Array, start: number, word: string): boolean {
  for (let i = 0; i < word.length; i++) if (text[start + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** Lays out `entries` (distinct words, each with its paragraph id) as once-words.bin bytes. */
export function encodeOnceWords(entries: readonly (readonly [word: string, id: number])[]): Uint8Array {
  const count = entries.length;
  const slotCount = slotCountFor(count);
  const textUnits = entries.reduce((sum, [word]) => sum + word.length, 0);
  const buffer = new ArrayBuffer(4 * Math.ceil(byteLength(count, slotCount, textUnits) / 4));
  new Uint32Array(buffer, 0, HEADER_WORDS).set([MAGIC, VERSION, count, slotCount, textUnits]);
  const table = sections(buffer, 0, count, slotCount, textUnits);
  let unit = 0;
  entries.forEach(([word, id], n) => {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new Error(`sou: once-words: the id ${id} of ${JSON.stringify(word)} is not a u32`);
    table.offsets[n] = unit;
    for (let i = 0; i < word.length; i++) table.text[unit++] = word.charCodeAt(i);
    table.ids[n] = id;
  });
  table.offsets[count] = unit;
  const mask = slotCount - 1;
  entries.forEach(([word], n) => {
    let slot = hashUnits(word) & mask;
    for (let entry = table.slots[slot]!; entry !== 0; slot = (slot + 1) & mask, entry = table.slots[slot]!) {
      const start = table.offsets[entry - 1]!;
      if (table.offsets[entry]! - start === word.length && sameUnits(table.text, start, word)) {
        throw new Error(`sou: once-words: ${JSON.stringify(word)} is listed twice`);
      }
    }
    table.slots[slot] = n + 1;
  });
  return new Uint8Array(buffer, 0, byteLength(count, slotCount, textUnits));
}

/**
 * Views once-words.bin's bytes as the table (copied once when they are not 4-byte aligned). Throws an Error
 * with a plain reason when the bytes are not such a file or an id is not below `paragraphCount`.
 */
export function decodeOnceWords(bytes: Uint8Array, paragraphCount: number): OnceWords {
  if (bytes.length < 4 * HEADER_WORDS) throw new Error('once-words file too short');
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
  const header = new Uint32Array(aligned.buffer, aligned.byteOffset, HEADER_WORDS);
  if (header[0] !== MAGIC || header[1] !== VERSION) throw new Error('not a once-words file of this version');
  const count = header[2]!;
  const slotCount = header[3]!;
  const textUnits = header[4]!;
  if (slotCount < 2 * count || (slotCount & (slotCount - 1)) !== 0) throw new Error('once-words slot count is not a power of two at least twice the words');
  if (aligned.length !== byteLength(count, slotCount, textUnits)) throw new Error('once-words file truncated or has trailing bytes');
  const table = sections(aligned.buffer as ArrayBuffer, aligned.byteOffset, count, slotCount, textUnits);
  // A table that lies would answer wrong ids silently, or probe forever: check what lookups rely on, once.
  if (table.offsets[0] !== 0 || table.offsets[count] !== textUnits) throw new Error('once-words offsets do not cover the text');
  for (let n = 0; n < count; n++) {
    if (table.offsets[n + 1]! < table.offsets[n]!) throw new Error('once-words offsets go backwards');
    if (table.ids[n]! >= paragraphCount) throw new Error(`once-words id ${table.ids[n]} is not a paragraph of this index`);
  }
  let filled = 0;
  for (const entry of table.slots) {
    if (entry > count) throw new Error('once-words slot points past the words');
    if (entry !== 0) filled++;
  }
  if (filled !== count) throw new Error('once-words slots do not hold every word once');
  return {
    size: count,
    posting(word) {
      const n = find(table, word);
      return n === -1 ? undefined : table.ids[n];
    },
    wordAt(n) {
      if (!Number.isInteger(n) || n < 0 || n >= count) throw new RangeError(`once-words: no word ${n}`);
      return String.fromCharCode(...table.text.subarray(table.offsets[n]!, table.offsets[n + 1]!));
    },
  };
}
