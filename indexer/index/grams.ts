// The n-gram postings (every character and character pair of every paragraph), delta-varint encoded on disk
// and in memory (at 100k poems: 1.6 bytes a posting); a term's list is decoded when a query asks for it. This
// is the index that guarantees recall, so it holds every gram; FlexSearch, at about 70 bytes a posting, keeps
// the far fewer whole words (flex.ts). Most terms are rare character pairs, so the term table is varints on
// disk too (2.2 bytes a term at 100k poems, against 16 in typed arrays) and is expanded when loaded.
//
// Layout (little-endian): magic, version, term count, posting count, term table bytes (5 × u32); the term
// table: per term in key order, varint(key − previous key − 1) and varint(posting count); then per term,
// varint(id − previous id − 1) for each posting.

import { VarintReader, writeVarint } from './varint.js';

const MAGIC = 0x47554f53; // "SOUG"
const VERSION = 3;
const HEADER_BYTES = 20;

export interface GramIndex {
  readonly termCount: number;
  /** Paragraph ids containing the gram with this key, ascending (empty when there are none). */
  postings(key: number): Uint32Array;
  /** How many paragraphs contain the gram (its postings' length, without decoding them). */
  count(key: number): number;
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
 * term, ids ascending. This replaced a Map from key to count and slot, which took most of a 100k build.
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
      return encodeGrams(Float64Array.from(keys), Uint32Array.from(offsets), postings.subarray(0, count));
    },
  };
}

function encodeGrams(keys: Float64Array, offsets: Uint32Array, postings: Uint32Array): Uint8Array {
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
  let length = 0;
  for (let t = 0; t < keys.length; t++) {
    let previous = -1;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      length = writeVarint(varints, length, postings[p]! - previous - 1); // gaps ≥ 0: ids strictly ascend
      previous = postings[p]!;
    }
  }
  const out = new Uint8Array(HEADER_BYTES + tableLength + length);
  const header = new DataView(out.buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, VERSION, true);
  header.setUint32(8, keys.length, true);
  header.setUint32(12, postings.length, true);
  header.setUint32(16, tableLength, true);
  out.set(table.subarray(0, tableLength), HEADER_BYTES);
  out.set(varints.subarray(0, length), HEADER_BYTES + tableLength);
  return out;
}

/** Reads what encode() wrote; throws an Error with a plain reason when the bytes are not a gram index. */
export function decodeGramIndex(bytes: Uint8Array): GramIndex {
  if (bytes.length < HEADER_BYTES) throw new Error('gram index too short');
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (header.getUint32(0, true) !== MAGIC || header.getUint32(4, true) !== VERSION) throw new Error('not a gram index of this version');
  const termCount = header.getUint32(8, true);
  const postingCount = header.getUint32(12, true);
  const tableEnd = HEADER_BYTES + header.getUint32(16, true);
  if (tableEnd > bytes.length) throw new Error('gram index truncated');
  // The term table is expanded into typed arrays: keys for binary search, counts, and where each term's
  // varints start (found by walking the postings once: a varint ends at a byte below 0x80).
  const keys = new Float64Array(termCount);
  const counts = new Uint32Array(termCount);
  const byteOffsets = new Uint32Array(termCount + 1);
  const table = new VarintReader(bytes, HEADER_BYTES, tableEnd, 'gram index truncated');
  let key = -1;
  let total = 0;
  for (let t = 0; t < termCount; t++) {
    keys[t] = key = key + 1 + table.read();
    counts[t] = table.read();
    total += counts[t]!;
  }
  if (table.at !== tableEnd) throw new Error('gram index term table has trailing bytes');
  if (total !== postingCount) throw new Error('gram index counts do not add up');
  // Copied into a fresh buffer: the file's Buffer may be a slice of a larger pool.
  const varints = new Uint8Array(bytes.subarray(tableEnd));
  let offset = 0;
  for (let t = 0; t < termCount; t++) {
    for (let left = counts[t]!; left > 0; offset++) {
      if (offset >= varints.length) throw new Error('gram index truncated');
      if (varints[offset]! < 0x80) left--;
    }
    byteOffsets[t + 1] = offset;
  }
  if (offset !== varints.length) throw new Error('gram index truncated or has trailing bytes');

  const decode = (t: number): Uint32Array => {
    const list = new Uint32Array(counts[t]!);
    let at = byteOffsets[t]!;
    let previous = -1;
    for (let p = 0; p < list.length; p++) {
      let gap = 0;
      let shift = 0;
      let byte: number;
      do {
        byte = varints[at++]!;
        gap += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && at < varints.length);
      previous = list[p] = previous + 1 + gap;
    }
    return list;
  };
  const empty = new Uint32Array(0);
  /** The term's position in the table, or −1. */
  const find = (key: number): number => {
    let lo = 0;
    let hi = termCount - 1;
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
  };
}
