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

/** Collects batches in paragraph order, then lays out the postings in two passes (count, then fill). */
export function createGramIndexBuilder(): { add(firstParagraph: number, batch: GramBatch): void; encode(): Uint8Array } {
  const batches: { first: number; batch: GramBatch }[] = [];
  return {
    add(first, batch) {
      batches.push({ first, batch });
    },
    encode() {
      const frequency = new Map<number, number>();
      for (const { batch } of batches) for (const key of batch.keys) frequency.set(key, (frequency.get(key) ?? 0) + 1);
      const keys = Float64Array.from(frequency.keys()).sort();
      const slot = new Map<number, number>();
      const offsets = new Uint32Array(keys.length + 1);
      keys.forEach((key, i) => {
        slot.set(key, i);
        offsets[i + 1] = offsets[i]! + frequency.get(key)!;
      });
      const postings = new Uint32Array(offsets[keys.length]!);
      const fill = offsets.slice(0, keys.length);
      // Batches arrive in paragraph order, so each list is filled in ascending order.
      batches.sort((a, b) => a.first - b.first);
      for (const { first, batch } of batches) {
        let at = 0;
        batch.counts.forEach((count, k) => {
          for (let j = 0; j < count; j++) postings[fill[slot.get(batch.keys[at++]!)!]!++] = first + k;
        });
      }
      return encodeGrams(keys, offsets, postings);
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
