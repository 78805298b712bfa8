// order.bin, the corpus order of a commit: for every live document, in the order a full build of the corpus
// would number them (input, file, line), which segment holds it and its position there. A segment's document
// that is not listed is deleted: the order is the tombstones too, so a commit never rewrites a segment.
//
// Layout (little-endian u32): magic, version, document count D; then D pairs (segment number in the
// manifest's list, document position in that segment).

const MAGIC = 0x52554f53; // "SOUR"
const VERSION = 1;
const HEADER_WORDS = 3;

/** Pairs (segment, document) flattened: entry 2p is the segment of the document at corpus position p. */
export type CorpusOrder = Uint32Array;

export function encodeOrder(order: CorpusOrder): Uint8Array {
  if (order.length % 2 !== 0) throw new Error('sou: a corpus order is pairs of numbers');
  const words = new Uint32Array(HEADER_WORDS + order.length);
  words.set([MAGIC, VERSION, order.length / 2]);
  words.set(order, HEADER_WORDS);
  return new Uint8Array(words.buffer);
}

/**
 * Reads encodeOrder's bytes, checking them against the segments' document counts: every pair names a document
 * of a listed segment, none twice, and each segment's documents come in their own order (the loader maps a
 * segment's ascending ids to ascending global ids, which needs it).
 */
export function decodeOrder(bytes: Uint8Array, segmentDocuments: readonly number[]): CorpusOrder {
  if (bytes.length < 4 * HEADER_WORDS || bytes.length % 4 !== 0) throw new Error('corpus order too short or cut');
  const words = new Uint32Array(new Uint8Array(bytes).buffer); // a copy: aligned, and the file's bytes go
  if (words[0] !== MAGIC || words[1] !== VERSION) throw new Error('not a corpus order of this version');
  if (words.length !== HEADER_WORDS + 2 * words[2]!) throw new Error('corpus order truncated or has trailing bytes');
  const order = words.subarray(HEADER_WORDS);
  const last = segmentDocuments.map(() => -1);
  for (let p = 0; p < order.length; p += 2) {
    const segment = order[p]!;
    const document = order[p + 1]!;
    if (segment >= segmentDocuments.length || document >= segmentDocuments[segment]!) throw new Error('corpus order names a document no segment has');
    if (document <= last[segment]!) throw new Error("corpus order lists a segment's documents out of their order or twice");
    last[segment] = document;
  }
  return order;
}
