// The n-gram postings (every character and character pair of every paragraph), delta-varint encoded; a term's
// list is read (from the file, on a server: byte-source.ts) and decoded when a query asks for it. This is the
// index that guarantees recall, so it holds every gram.
// Most terms are rare character pairs, so the term table is varints on disk too (a few bytes a term, against
// 16 in typed arrays) and is expanded when loaded (docs/design.md has the sizes).
//
// Layout (little-endian): magic, version, term count, posting count, term table bytes (5 × u32); the term
// table: per term in key order, varint(key − previous key − 1) and varint(posting count); checkpoints (u32):
// for every block of 32 terms where its first term's postings start in the posting bytes, then where they
// all end; then per term, varint(id − previous id − 1) for each posting. The checkpoints spare the load a
// walk over every posting byte: a block's offsets are found the first time a query needs one of them.

import { GRAM_KEY_BASE } from '../analyzer/terms.js';
import { memorySource, type ByteSource } from './byte-source.js';
import { VarintReader, writeVarint } from './varint.js';

const MAGIC = 0x47554f53; // "SOUG"
const VERSION = 4;
const HEADER_BYTES = 20;
/** Terms per checkpoint (a power of two). */
const BLOCK_TERMS = 32;

export interface GramIndex {
  readonly termCount: number;
  /** Paragraph ids containing the gram with this key, ascending (empty when there are none). */
  postings(key: number): Uint32Array;
  /** How many paragraphs contain the gram (its postings' length, without decoding them). */
  count(key: number): number;
  /** Keys of the grams in at least `minimum` paragraphs, ascending. */
  keysInAtLeast(minimum: number): number[];
  /** How many blocks of terms find their postings' offsets on first use (see readyBlock). */
  readonly blockCount: number;
  /**
   * Finds where each term of the block starts in the posting bytes, unless done already: a walk over the
   * block's varints that a query would otherwise make the first time it asks for one of its terms.
   */
  readyBlock(block: number): void;
  /** The key of the term at position t of the table (0 ≤ t < termCount), ascending with t: for merging. */
  keyAt(t: number): number;
  /** The postings of the term at position t. */
  postingsAt(t: number): Uint32Array;
}

/** One batch of analysed paragraphs: their gram keys, concatenated, and how many belong to each. */
export interface GramBatch {
  readonly keys: Float64Array;
  readonly counts: Uint32Array;
}

/** Gram keys are below 2^41 (code point × 0x110000 + code point); see gramKey in the analyzer. */
const KEY_BITS = 41;
/** Paragraph ids share a 64-bit word with the key: at most 2^23 (8,388,608) paragraphs per index. */
export const MAX_PARAGRAPHS = 2 ** (64 - KEY_BITS);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Collects batches (in any order), then lays out the postings: every (key, paragraph) pair packed into one
 * unsigned 64-bit number, key high and paragraph low, sorted natively. Sorted pairs are the postings, term by
 * term, ids ascending: no Map from key to count and slot, which took most of a build's time.
 */
export function createGramIndexBuilder(): { add(firstParagraph: number, batch: GramBatch): void; encode(): Uint8Array } {
  const batches: { first: number; batch: GramBatch }[] = [];
  return {
    add(first, batch) {
      batches.push({ first, batch });
    },
    encode() {
      let total = 0;
      let paragraphs = 0;
      for (const { first, batch } of batches) {
        total += batch.keys.length;
        paragraphs = Math.max(paragraphs, first + batch.counts.length);
      }
      if (paragraphs > MAX_PARAGRAPHS) {
        throw new Error(`sou: an index holds at most ${MAX_PARAGRAPHS.toLocaleString('en')} paragraphs; this corpus has ${paragraphs.toLocaleString('en')}`);
      }
      // Paragraph bits: as few as the ids need, so the key keeps its 41.
      const idBits = Math.max(1, Math.ceil(Math.log2(paragraphs + 1)));
      const lowKeyBits = 32 - idBits; // the key's low bits share the low 32-bit half with the id
      const lowKeyRange = 2 ** lowKeyBits;
      const packed = new BigUint64Array(total);
      const halves = new Uint32Array(packed.buffer);
      const [LO, HI] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
      let at = 0;
      for (const { first, batch } of batches) {
        let k = 0;
        for (let p = 0; p < batch.counts.length; p++) {
          const id = first + p;
          for (const end = k + batch.counts[p]!; k < end; k++) {
            const key = batch.keys[k]!;
            const low = key % lowKeyRange;
            halves[2 * at + HI] = (key - low) / lowKeyRange;
            halves[2 * at + LO] = low * 2 ** idBits + id;
            at++;
          }
        }
      }
      packed.sort();
      // Unpack into term keys, posting offsets and postings, dropping repeated pairs.
      const keys: number[] = [];
      const offsets: number[] = [0];
      const postings = new Uint32Array(total);
      const idMask = 2 ** idBits - 1;
      let count = 0;
      let lastHi = -1;
      let lastLo = -1;
      for (let i = 0; i < total; i++) {
        const hi = halves[2 * i + HI]!;
        const lo = halves[2 * i + LO]!;
        if (hi === lastHi && lo === lastLo) continue;
        const key = hi * lowKeyRange + Math.floor(lo / 2 ** idBits);
        if (keys.length === 0 || keys[keys.length - 1] !== key) {
          if (keys.length > 0) offsets.push(count);
          keys.push(key);
        }
        postings[count++] = lo & idMask;
        lastHi = hi;
        lastLo = lo;
      }
      if (keys.length > 0) offsets.push(count);
      return encodeGramTerms(Float64Array.from(keys), Uint32Array.from(offsets), postings.subarray(0, count));
    },
  };
}

/**
 * The gram index of terms already laid out: `keys` ascending, term t's postings (ascending ids) are
 * postings[offsets[t], offsets[t + 1]).
 */
export function encodeGramTerms(keys: Float64Array, offsets: Uint32Array, postings: Uint32Array): Uint8Array {
  // The term table: for each term, the gap from the previous key, then its posting count.
  const table = new Uint8Array(keys.length * 12);
  let tableLength = 0;
  let previousKey = -1;
  for (let t = 0; t < keys.length; t++) {
    tableLength = writeVarint(table, tableLength, keys[t]! - previousKey - 1);
    tableLength = writeVarint(table, tableLength, offsets[t + 1]! - offsets[t]!);
    previousKey = keys[t]!;
  }
  const varints = new Uint8Array(postings.length * 5);
  const blocks = Math.ceil(keys.length / BLOCK_TERMS);
  const checkpoints = new Uint32Array(blocks + 1);
  let length = 0;
  for (let t = 0; t < keys.length; t++) {
    if (t % BLOCK_TERMS === 0) checkpoints[t / BLOCK_TERMS] = length;
    let previous = -1;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      length = writeVarint(varints, length, postings[p]! - previous - 1); // gaps ≥ 0: ids strictly ascend
      previous = postings[p]!;
    }
  }
  checkpoints[blocks] = length;
  const checkpointsStart = HEADER_BYTES + tableLength;
  const varintsStart = checkpointsStart + 4 * checkpoints.length;
  const out = new Uint8Array(varintsStart + length);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, keys.length, true);
  view.setUint32(12, postings.length, true);
  view.setUint32(16, tableLength, true);
  out.set(table.subarray(0, tableLength), HEADER_BYTES);
  checkpoints.forEach((offset, block) => view.setUint32(checkpointsStart + 4 * block, offset, true));
  out.set(varints.subarray(0, length), varintsStart);
  return out;
}

/**
 * Where each first code point's keys start in `keys` (ascending): entry f is the first position whose key's first
 * code point is f or more, and one entry more at the end. A lookup searches only its first code point's keys, a
 * few cache lines, where a binary search over all the keys read a score of places, most of them cold.
 */
function firstCodePointStarts(keys: Float64Array): Int32Array {
  const lastFirst = keys.length === 0 ? 0 : Math.floor(keys[keys.length - 1]! / GRAM_KEY_BASE);
  const starts = new Int32Array(lastFirst + 2);
  let t = 0;
  for (let first = 0; first <= lastFirst + 1; first++) {
    while (t < keys.length && keys[t]! < first * GRAM_KEY_BASE) t++;
    starts[first] = t;
  }
  return starts;
}

/** Reads what encode() wrote; throws an Error with a plain reason when the bytes are not a gram index. */
export function decodeGramIndex(bytes: Uint8Array): GramIndex {
  return openGramIndex(memorySource(bytes));
}

/**
 * Reads the term table of a gram index (kept in memory) from `source`; each term's postings are read from the
 * source when a query asks for them, so an index on disk keeps its postings there. Throws an Error with a
 * plain reason when the bytes are not a gram index.
 */
export function openGramIndex(source: ByteSource): GramIndex {
  if (source.length < HEADER_BYTES) throw new Error('gram index too short');
  const headerBytes = source.read(0, HEADER_BYTES);
  const header = new DataView(headerBytes.buffer, headerBytes.byteOffset, HEADER_BYTES);
  if (header.getUint32(0, true) !== MAGIC || header.getUint32(4, true) !== VERSION) throw new Error('not a gram index of this version');
  const termCount = header.getUint32(8, true);
  const postingCount = header.getUint32(12, true);
  const tableEnd = HEADER_BYTES + header.getUint32(16, true);
  if (tableEnd > source.length) throw new Error('gram index truncated');
  // The term table is expanded into typed arrays: keys (and where each first code point's keys start), counts,
  // and (block by block, when first needed) where each term's varints start.
  const keys = new Float64Array(termCount);
  const counts = new Uint32Array(termCount);
  const table = new VarintReader(source.read(HEADER_BYTES, tableEnd - HEADER_BYTES), 0, tableEnd - HEADER_BYTES, 'gram index truncated');
  let key = -1;
  let total = 0;
  for (let t = 0; t < termCount; t++) {
    keys[t] = key = key + 1 + table.read();
    counts[t] = table.read();
    total += counts[t]!;
  }
  if (table.at !== table.end) throw new Error('gram index term table has trailing bytes');
  if (total !== postingCount) throw new Error('gram index counts do not add up');
  const blocks = Math.ceil(termCount / BLOCK_TERMS);
  const varintsStart = tableEnd + 4 * (blocks + 1);
  if (varintsStart > source.length) throw new Error('gram index truncated');
  const checkpointBytes = source.read(tableEnd, 4 * (blocks + 1));
  const checkpointView = new DataView(checkpointBytes.buffer, checkpointBytes.byteOffset, checkpointBytes.byteLength);
  const checkpoints = new Uint32Array(blocks + 1);
  for (let block = 0; block <= blocks; block++) checkpoints[block] = checkpointView.getUint32(4 * block, true);
  if (checkpoints[blocks] !== source.length - varintsStart) throw new Error('gram index truncated or has trailing bytes');
  for (let block = 0; block < blocks; block++) {
    if (checkpoints[block]! > checkpoints[block + 1]!) throw new Error('gram index checkpoints go backwards or past the end');
  }
  if (blocks > 0 && checkpoints[0] !== 0) throw new Error('gram index checkpoints do not start at the postings');
  /** The posting bytes [from, to), relative to where the postings start. */
  const varintBytes = (from: number, to: number): Uint8Array => source.peek(varintsStart + from, to - from);

  const byteOffsets = new Uint32Array(termCount);
  const blockReady = new Uint8Array(blocks);
  /** Where each term of the block starts: one walk from the block's checkpoint, the first time it is needed. */
  const readyBlock = (block: number): void => {
    if (blockReady[block] === 0) {
      const start = checkpoints[block]!;
      const end = checkpoints[block + 1]!;
      const varints = varintBytes(start, end);
      let offset = 0;
      for (let k = block * BLOCK_TERMS; k < Math.min(termCount, (block + 1) * BLOCK_TERMS); k++) {
        byteOffsets[k] = start + offset;
        for (let left = counts[k]!; left > 0; offset++) {
          if (offset >= varints.length) throw new Error('gram index postings overrun their block');
          if (varints[offset]! < 0x80) left--;
        }
      }
      if (offset !== varints.length) throw new Error('gram index postings do not fill their block');
      blockReady[block] = 1;
    }
  };

  const decode = (t: number): Uint32Array => {
    const block = Math.floor(t / BLOCK_TERMS);
    readyBlock(block);
    const next = t + 1;
    const end = next < termCount && next % BLOCK_TERMS !== 0 ? byteOffsets[next]! : checkpoints[block + 1]!;
    const varints = varintBytes(byteOffsets[t]!, end);
    const list = new Uint32Array(counts[t]!);
    let at = 0;
    let previous = -1;
    const length = varints.length;
    for (let p = 0; p < list.length; p++) {
      // A running scale, not 2 ** shift: much faster per posting (docs/design.md).
      let byte = varints[at++]!;
      let gap = byte & 0x7f;
      for (let scale = 0x80; byte & 0x80 && at < length; scale *= 0x80) {
        byte = varints[at++]!;
        gap += (byte & 0x7f) * scale;
      }
      previous = list[p] = previous + 1 + gap;
    }
    return list;
  };
  const empty = new Uint32Array(0);
  const starts = firstCodePointStarts(keys);
  /** The term's position in the table, or −1. */
  const find = (key: number): number => {
    const first = Math.floor(key / GRAM_KEY_BASE);
    if (!(first >= 0 && first < starts.length - 1)) return -1;
    let lo = starts[first]!;
    let hi = starts[first + 1]! - 1;
    // A character's own key (its second code point 0) is the first of its code point's keys: no search, whose
    // probes were most of a lookup's cache misses (the keys of a common character's pairs fill kilobytes).
    if (key === first * GRAM_KEY_BASE) return lo <= hi && keys[lo] === key ? lo : -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = keys[mid]!;
      if (value === key) return mid;
      if (value < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  return {
    termCount,
    postings(key) {
      const t = find(key);
      return t < 0 ? empty : decode(t);
    },
    count(key) {
      const t = find(key);
      return t < 0 ? 0 : counts[t]!;
    },
    blockCount: blocks,
    readyBlock(block) {
      if (!(Number.isInteger(block) && block >= 0 && block < blocks)) throw new RangeError(`gram index: no block ${block}`);
      readyBlock(block);
    },
    keyAt: (t) => keys[t]!,
    postingsAt: decode,
    keysInAtLeast(minimum) {
      const found: number[] = [];
      for (let t = 0; t < termCount; t++) if (counts[t]! >= minimum) found.push(keys[t]!);
      return found;
    },
  };
}
