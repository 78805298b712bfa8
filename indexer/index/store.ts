// The paragraph store (store.bin): every document's id, title, original paragraph texts, format, the corpus root
// its file sits in, and where each paragraph sits in that file, as one UTF-16 text with tables of numbers.
// Chinese takes 2 bytes a character in UTF-16 against 3 in UTF-8 (and more in JSON), and loading is one decode
// of the whole text plus slices: V8 keeps each paragraph as a slice of the one big string instead of a copy,
// and no JSON parser runs over the texts (100k poems: store.json took 27 MB and 0.25 s).
//
// Locations are stored once each (a table of distinct locations, as JSON) and referred to by runs: a run says
// "from this paragraph of the document on, this location". Most paragraphs share the location of the one before
// (a PDF page holds several) or have none (.txt, .jsonl: no run at all), so a corpus without locations pays
// one number a document.
//
// Layout (little-endian): magic, version, document count, paragraph count, location count, run count (6 × u32);
// each document's paragraph count (u32); each document's format and root (u32: format code in the low 4 bits,
// root + 1 above, 0 for none); each document's run count (u32); the runs (u32 pairs: paragraph within the
// document, location number or NO_LOCATION); each document's date (f64, ms since the epoch, NaN for none);
// the length in UTF-16 code units of every string (u32), in the order id, title, paragraphs…, document after
// document, then the locations' JSON texts; the strings' UTF-16LE code units, concatenated.
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';
import type { StoredDocument } from './format.js';

const MAGIC = 0x53554f53; // "SOUS"
const VERSION = 3;
const HEADER_BYTES = 24;
const NO_LOCATION = 0xffffffff;
/** Format codes: the position in this list, 0 meaning not recorded. Append only (the code is on disk). */
const FORMAT_CODES: readonly (DocumentFormat | undefined)[] = [undefined, 'txt', 'md', 'jsonl', 'html', 'pdf', 'docx', 'epub'];
const FORMAT_BITS = 4;
const MAX_ROOT = 2 ** (32 - FORMAT_BITS) - 2;

/**
 * The location as stored: only the fields a location has, with their types, in a fixed order; null when it
 * names nothing (an empty object, or empty headings), so that equal locations have one key.
 */
export function normalizeLocation(location: ParagraphLocation | null | undefined): ParagraphLocation | null {
  if (location === null || location === undefined) return null;
  const { page, chapter, headings, note } = location;
  const out: { page?: number; chapter?: string; headings?: readonly string[]; note?: ParagraphLocation['note'] } = {};
  if (typeof page === 'number' && Number.isSafeInteger(page) && page > 0) out.page = page;
  if (typeof chapter === 'string' && chapter !== '') out.chapter = chapter;
  if (Array.isArray(headings) && headings.length > 0 && headings.every((h) => typeof h === 'string')) out.headings = [...headings];
  if (note === 'footnote' || note === 'endnote') out.note = note;
  return Object.keys(out).length === 0 ? null : out;
}

interface DocumentRuns {
  /** [paragraph within the document, location number or NO_LOCATION] pairs. */
  readonly runs: number[];
}

export function encodeStore(documents: readonly StoredDocument[]): Uint8Array {
  const strings: string[] = [];
  for (const { id, title, paragraphs } of documents) strings.push(id, title, ...paragraphs);
  const paragraphCount = strings.length - 2 * documents.length;
  const locationNumber = new Map<string, number>();
  const locationTexts: string[] = [];
  const perDocument: DocumentRuns[] = documents.map(({ id, paragraphs, locations }) => {
    const runs: number[] = [];
    if (locations === undefined) return { runs };
    if (locations.length !== paragraphs.length) throw new Error(`sou: document ${id} has ${locations.length} locations for ${paragraphs.length} paragraphs`);
    let previous = NO_LOCATION;
    locations.forEach((location, n) => {
      const normalized = normalizeLocation(location);
      let number = NO_LOCATION;
      if (normalized !== null) {
        const key = JSON.stringify(normalized);
        number = locationNumber.get(key) ?? locationTexts.push(key) - 1;
        locationNumber.set(key, number);
      }
      if (number !== previous) runs.push(n, number);
      previous = number;
    });
    return { runs };
  });
  strings.push(...locationTexts);
  const runCount = perDocument.reduce((sum, { runs }) => sum + runs.length / 2, 0);
  let units = 0;
  for (const text of strings) units += text.length;
  const tableBytes = 4 * (3 * documents.length + 2 * runCount + strings.length) + 8 * documents.length;
  const out = new Uint8Array(HEADER_BYTES + tableBytes + 2 * units);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, documents.length, true);
  view.setUint32(12, paragraphCount, true);
  view.setUint32(16, locationTexts.length, true);
  view.setUint32(20, runCount, true);
  let at = HEADER_BYTES;
  const put = (value: number): void => {
    view.setUint32(at, value, true);
    at += 4;
  };
  for (const { paragraphs } of documents) put(paragraphs.length);
  for (const { id, format, root } of documents) {
    const code = format === undefined ? 0 : FORMAT_CODES.indexOf(format);
    if (code < 0) throw new Error(`sou: document ${id} has an unknown format ${String(format)}`);
    if (root !== undefined && !(Number.isSafeInteger(root) && root >= 0 && root <= MAX_ROOT)) throw new Error(`sou: document ${id} has a bad root ${root}`);
    put(code + (root === undefined ? 0 : root + 1) * 2 ** FORMAT_BITS);
  }
  for (const { runs } of perDocument) put(runs.length / 2);
  for (const { runs } of perDocument) runs.forEach(put);
  for (const { id, date } of documents) {
    if (date !== undefined && !Number.isFinite(date)) throw new Error(`sou: document ${id} has a bad date ${date}`);
    view.setFloat64(at, date ?? Number.NaN, true);
    at += 8;
  }
  for (const text of strings) put(text.length);
  // Buffer writes UTF-16LE whatever the platform's byte order; lone surrogates survive (no UTF-8 step).
  const textBytes = Buffer.from(out.buffer, out.byteOffset + at, 2 * units);
  let written = 0;
  for (const text of strings) written += textBytes.write(text, written, 'utf16le');
  if (written !== 2 * units) throw new Error('sou: the paragraph store could not be written whole');
  return out;
}

function parseLocation(text: string): ParagraphLocation {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('a paragraph location is not JSON');
  }
  const location = typeof value === 'object' && value !== null ? normalizeLocation(value as ParagraphLocation) : null;
  if (location === null || JSON.stringify(location) !== text) throw new Error('a paragraph location is malformed');
  return location;
}

/** Reads what encodeStore wrote; throws an Error with a plain reason when the bytes are not a store. */
export function decodeStore(bytes: Uint8Array): StoredDocument[] {
  if (bytes.length < HEADER_BYTES) throw new Error('paragraph store too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) throw new Error('not a paragraph store of this version');
  const documentCount = view.getUint32(8, true);
  const paragraphCount = view.getUint32(12, true);
  const locationCount = view.getUint32(16, true);
  const runCount = view.getUint32(20, true);
  const stringCount = 2 * documentCount + paragraphCount + locationCount;
  const metaStart = HEADER_BYTES + 4 * documentCount;
  const runCountStart = metaStart + 4 * documentCount;
  const runStart = runCountStart + 4 * documentCount;
  const dateStart = runStart + 8 * runCount;
  const lengthStart = dateStart + 8 * documentCount;
  const textStart = lengthStart + 4 * stringCount;
  if (textStart > bytes.length) throw new Error('paragraph store truncated');
  const u32 = (at: number): number => view.getUint32(at, true);
  let units = 0;
  let paragraphsListed = 0;
  let runsListed = 0;
  for (let d = 0; d < documentCount; d++) paragraphsListed += u32(HEADER_BYTES + 4 * d);
  for (let d = 0; d < documentCount; d++) runsListed += u32(runCountStart + 4 * d);
  for (let s = 0; s < stringCount; s++) units += u32(lengthStart + 4 * s);
  if (paragraphsListed !== paragraphCount || runsListed !== runCount) throw new Error('paragraph store counts do not add up');
  if (textStart + 2 * units !== bytes.length) throw new Error('paragraph store truncated or has trailing bytes');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + textStart, 2 * units).toString('utf16le');
  let lengthAt = lengthStart;
  let unit = 0;
  const next = (): string => {
    const length = u32(lengthAt);
    lengthAt += 4;
    return text.slice(unit, (unit += length));
  };
  // The locations' texts come after every document's strings: find where they start.
  let locationUnit = 0;
  for (let s = 0; s < stringCount - locationCount; s++) locationUnit += u32(lengthStart + 4 * s);
  const locations: ParagraphLocation[] = [];
  for (let s = stringCount - locationCount; s < stringCount; s++) {
    const length = u32(lengthStart + 4 * s);
    locations.push(parseLocation(text.slice(locationUnit, (locationUnit += length))));
  }
  const documents: StoredDocument[] = [];
  let runAt = runStart;
  for (let d = 0; d < documentCount; d++) {
    const count = u32(HEADER_BYTES + 4 * d);
    const meta = u32(metaStart + 4 * d);
    const formatCode = meta & ((1 << FORMAT_BITS) - 1);
    if (formatCode >= FORMAT_CODES.length) throw new Error('a document has an unknown format code');
    const format = FORMAT_CODES[formatCode];
    const rootPlusOne = meta >>> FORMAT_BITS;
    const id = next();
    const title = next();
    const paragraphs: string[] = [];
    for (let p = 0; p < count; p++) paragraphs.push(next());
    const runs = u32(runCountStart + 4 * d);
    let documentLocations: (ParagraphLocation | null)[] | undefined;
    if (runs > 0) {
      documentLocations = new Array<ParagraphLocation | null>(count).fill(null);
      let previousStart = -1;
      for (let r = 0; r < runs; r++, runAt += 8) {
        const start = u32(runAt);
        const number = u32(runAt + 4);
        const end = r + 1 < runs ? u32(runAt + 8) : count;
        if (start <= previousStart || start >= count || end > count) throw new Error('a location run is out of order or out of range');
        if (number !== NO_LOCATION && number >= locationCount) throw new Error('a location run names no location');
        const location = number === NO_LOCATION ? null : locations[number]!;
        documentLocations.fill(location, start, end);
        previousStart = start;
      }
    }
    const date = view.getFloat64(dateStart + 8 * d, true);
    documents.push({
      id,
      title,
      paragraphs,
      ...(Number.isNaN(date) ? {} : { date }),
      ...(documentLocations === undefined ? {} : { locations: documentLocations }),
      ...(format === undefined ? {} : { format }),
      ...(rootPlusOne === 0 ? {} : { root: rootPlusOne - 1 }),
    });
  }
  return documents;
}
