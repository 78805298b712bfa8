// The paragraph store (store.bin): every document's id, title and original paragraph texts, as one UTF-16 text
// with a table of lengths. Chinese takes 2 bytes a character in UTF-16 against 3 in UTF-8 (and more in JSON),
// and loading is one decode of the whole text plus slices: V8 keeps each paragraph as a slice of the one big
// string instead of a copy, and no JSON parser runs over 27 MB (100k poems: store.json took 27 MB and 0.25 s).
//
// Layout (little-endian): magic, version, document count, paragraph count (4 × u32); each document's
// paragraph count (u32); the length in UTF-16 code units of every string (u32), in the order id, title,
// paragraphs…, document after document; the strings' UTF-16LE code units, concatenated.
import type { StoredDocument } from './format.js';

const MAGIC = 0x53554f53; // "SOUS"
const VERSION = 1;
const HEADER_BYTES = 16;

export function encodeStore(documents: readonly StoredDocument[]): Uint8Array {
  const strings: string[] = [];
  for (const { id, title, paragraphs } of documents) strings.push(id, title, ...paragraphs);
  const paragraphCount = strings.length - 2 * documents.length;
  let units = 0;
  for (const text of strings) units += text.length;
  const tableBytes = 4 * (documents.length + strings.length);
  const out = new Uint8Array(HEADER_BYTES + tableBytes + 2 * units);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, documents.length, true);
  view.setUint32(12, paragraphCount, true);
  let at = HEADER_BYTES;
  for (const { paragraphs } of documents) {
    view.setUint32(at, paragraphs.length, true);
    at += 4;
  }
  for (const text of strings) {
    view.setUint32(at, text.length, true);
    at += 4;
  }
  // Buffer writes UTF-16LE whatever the platform's byte order; lone surrogates survive (no UTF-8 step).
  const textBytes = Buffer.from(out.buffer, out.byteOffset + at, 2 * units);
  let written = 0;
  for (const text of strings) written += textBytes.write(text, written, 'utf16le');
  if (written !== 2 * units) throw new Error('sou: the paragraph store could not be written whole');
  return out;
}

/** Reads what encodeStore wrote; throws an Error with a plain reason when the bytes are not a store. */
export function decodeStore(bytes: Uint8Array): StoredDocument[] {
  if (bytes.length < HEADER_BYTES) throw new Error('paragraph store too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) throw new Error('not a paragraph store of this version');
  const documentCount = view.getUint32(8, true);
  const paragraphCount = view.getUint32(12, true);
  const stringCount = 2 * documentCount + paragraphCount;
  const textStart = HEADER_BYTES + 4 * (documentCount + stringCount);
  if (textStart > bytes.length) throw new Error('paragraph store truncated');
  let units = 0;
  let paragraphsListed = 0;
  for (let d = 0; d < documentCount; d++) paragraphsListed += view.getUint32(HEADER_BYTES + 4 * d, true);
  for (let s = 0; s < stringCount; s++) units += view.getUint32(HEADER_BYTES + 4 * (documentCount + s), true);
  if (paragraphsListed !== paragraphCount) throw new Error('paragraph store counts do not add up');
  if (textStart + 2 * units !== bytes.length) throw new Error('paragraph store truncated or has trailing bytes');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, 2 * units).toString('utf16le');
  const documents: StoredDocument[] = [];
  let lengthAt = HEADER_BYTES + 4 * documentCount;
  let unit = 0;
  const next = (): string => {
    const length = view.getUint32(lengthAt, true);
    lengthAt += 4;
    return text.slice(unit, (unit += length));
  };
  for (let d = 0; d < documentCount; d++) {
    const count = view.getUint32(HEADER_BYTES + 4 * d, true);
    const id = next();
    const title = next();
    const paragraphs: string[] = [];
    for (let p = 0; p < count; p++) paragraphs.push(next());
    documents.push({ id, title, paragraphs });
  }
  return documents;
}
