// The n-gram postings (every character and character pair of every paragraph) in typed arrays, delta-varint
// encoded on disk and in memory (at 100k poems: 1.6 bytes a posting, plus 16 bytes a term for the tables); a
// term's list is decoded when a query asks for it. This is the index that guarantees recall, so it holds every
// gram; FlexSearch, at about 70 bytes a posting, keeps the far fewer whole words (flex.ts).
//
// Layout (little-endian): magic, version, term count, posting count (4 × u32); keys (f64, ascending);
// posting counts (u32); byte offsets of each term's varints (u32, one more than terms); the varints.

const MAGIC = 0x47554f53; // "SOUG"
const VERSION = 2;
const HEADER_BYTES = 16;

export interface GramIndex {
  readonly termCount: number;
  /** Paragraph ids containing the gram with this key, ascending (empty when there are none). */
  postings(key: number): Uint32Array;
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
  const varints = new Uint8Array(postings.length * 5);
  const byteOffsets = new Uint32Array(keys.length + 1);
  let length = 0;
  for (let t = 0; t < keys.length; t++) {
    let previous = -1;
    for (let p = offsets[t]!; p < offsets[t + 1]!; p++) {
      let gap = postings[p]! - previous - 1; // gaps ≥ 0: ids are strictly ascending within a list
      previous = postings[p]!;
      while (gap >= 0x80) {
        varints[length++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      varints[length++] = gap;
    }
    byteOffsets[t + 1] = length;
  }
  const counts = new Uint32Array(keys.length);
  for (let t = 0; t < keys.length; t++) counts[t] = offsets[t + 1]! - offsets[t]!;
  const parts = [new Uint8Array(keys.buffer), new Uint8Array(counts.buffer), new Uint8Array(byteOffsets.buffer), varints.subarray(0, length)];
  const out = new Uint8Array(HEADER_BYTES + parts.reduce((sum, part) => sum + part.length, 0));
  const header = new DataView(out.buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, VERSION, true);
  header.setUint32(8, keys.length, true);
  header.setUint32(12, postings.length, true);
  let at = HEADER_BYTES;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Reads what encode() wrote; throws an Error with a plain reason when the bytes are not a gram index. */
export function decodeGramIndex(bytes: Uint8Array): GramIndex {
  if (bytes.length < HEADER_BYTES) throw new Error('gram index too short');
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (header.getUint32(0, true) !== MAGIC || header.getUint32(4, true) !== VERSION) throw new Error('not a gram index of this version');
  const termCount = header.getUint32(8, true);
  const postingCount = header.getUint32(12, true);
  const keysEnd = HEADER_BYTES + termCount * 8;
  const countsEnd = keysEnd + termCount * 4;
  const offsetsEnd = countsEnd + (termCount + 1) * 4;
  if (offsetsEnd > bytes.length) throw new Error('gram index truncated');
  // Copies into fresh buffers give aligned typed arrays wherever the bytes sit (a Buffer may share a pool;
  // Buffer#slice would not copy).
  const copy = (from: number, to: number): ArrayBuffer => new Uint8Array(bytes.subarray(from, to)).buffer;
  const keys = new Float64Array(copy(HEADER_BYTES, keysEnd));
  const counts = new Uint32Array(copy(keysEnd, countsEnd));
  const byteOffsets = new Uint32Array(copy(countsEnd, offsetsEnd));
  const varints = new Uint8Array(copy(offsetsEnd, bytes.length));
  let total = 0;
  for (let t = 0; t < termCount; t++) {
    total += counts[t]!;
    if (byteOffsets[t + 1]! < byteOffsets[t]! + counts[t]!) throw new Error('gram index offsets are inconsistent');
  }
  if (total !== postingCount) throw new Error('gram index counts do not add up');
  if (byteOffsets[0] !== 0 || byteOffsets[termCount] !== varints.length) throw new Error('gram index truncated or has trailing bytes');

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
  return {
    termCount,
    postings(key) {
      let lo = 0;
      let hi = termCount - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const value = keys[mid]!;
        if (value === key) return decode(mid);
        if (value < key) lo = mid + 1;
        else hi = mid - 1;
      }
      return empty;
    },
  };
}
