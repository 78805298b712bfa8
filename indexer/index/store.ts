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
// the length in UTF-16 code units (u32) of every document's id, then every title, then every location's JSON
// text, then every paragraph; the same strings' UTF-16LE code units, concatenated in that order. Everything but
// the paragraphs comes first, so that a server reads that part when it opens the store and each paragraph's
// text only when it shows it (openStore); a build reads the whole file (decodeStore).
import type { DocumentFormat, ParagraphLocation } from '../corpus/index.js';
import { memorySource, type ByteSource } from './byte-source.js';
import type { StoredDocument } from './format.js';

const MAGIC = 0x53554f53; // "SOUS"
const VERSION = 4;
const HEADER_BYTES = 24;
const NO_LOCATION = 0xffffffff;
/** Format codes: the position in this list, 0 meaning not recorded. Append only (the code is on disk). */
const FORMAT_CODES: readonly (DocumentFormat | undefined)[] = [undefined, 'txt', 'md', 'jsonl', 'html', 'pdf', 'docx', 'epub'];
const FORMAT_BITS = 4;
const MAX_ROOT = 2 ** (32 - FORMAT_BITS) - 2;
/** Paragraph offsets are u32s of UTF-16 units. */
const MAX_UNITS = 2 ** 32 - 1;

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
  const paragraphCount = documents.reduce((sum, { paragraphs }) => sum + paragraphs.length, 0);
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
  // Ids, titles and locations first, the paragraphs last (the layout above).
  const strings: string[] = [...documents.map(({ id }) => id), ...documents.map(({ title }) => title), ...locationTexts];
  for (const { paragraphs } of documents) for (const text of paragraphs) strings.push(text);
  if (strings.reduce((sum, text) => sum + text.length, 0) > MAX_UNITS) throw new Error('sou: a segment holds at most 2^32 − 1 UTF-16 units of text');
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

/** A store opened for reading: documents' fields in columns, paragraph texts read when asked. */
export interface OpenedStore {
  readonly documentCount: number;
  readonly paragraphCount: number;
  readonly ids: readonly string[];
  readonly titles: readonly string[];
  /** Per document: its first paragraph; one entry more, the paragraph count. */
  readonly firstParagraph: Uint32Array;
  format(document: number): DocumentFormat | undefined;
  /** The position of its corpus root in the segment's roots, or undefined. */
  root(document: number): number | undefined;
  date(document: number): number | undefined;
  /** Parallel to the document's paragraphs; undefined when none has a location. */
  locations(document: number): readonly (ParagraphLocation | null)[] | undefined;
  /** The original text of paragraph p, read from the store. */
  paragraph(p: number): string;
  /** The original texts of paragraphs [first, end), in one read. */
  paragraphs(first: number, end: number): string[];
}

/** A u32 of the tables (a function of its own: a closure over the view would keep the tables in memory). */
const u32 = (view: DataView, at: number): number => view.getUint32(at, true);

/**
 * Reads the store's tables, ids, titles and locations (everything but the paragraph texts) from `source`;
 * throws an Error with a plain reason when the bytes are not a store.
 */
export function openStore(source: ByteSource): OpenedStore {
  if (source.length < HEADER_BYTES) throw new Error('paragraph store too short');
  const header = source.read(0, HEADER_BYTES);
  const headerView = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (headerView.getUint32(0, true) !== MAGIC || headerView.getUint32(4, true) !== VERSION) throw new Error('not a paragraph store of this version');
  const documentCount = headerView.getUint32(8, true);
  const paragraphCount = headerView.getUint32(12, true);
  const locationCount = headerView.getUint32(16, true);
  const runCount = headerView.getUint32(20, true);
  const metaStrings = 2 * documentCount + locationCount;
  const metaStart = HEADER_BYTES + 4 * documentCount;
  const runCountStart = metaStart + 4 * documentCount;
  const runStart = runCountStart + 4 * documentCount;
  const dateStart = runStart + 8 * runCount;
  const lengthStart = dateStart + 8 * documentCount;
  const paragraphLengthStart = lengthStart + 4 * metaStrings;
  const textStart = paragraphLengthStart + 4 * paragraphCount;
  if (textStart > source.length) throw new Error('paragraph store truncated');
  const tables = source.read(0, textStart);
  const view = new DataView(tables.buffer, tables.byteOffset, tables.byteLength);
  const firstParagraph = new Uint32Array(documentCount + 1);
  let runsListed = 0;
  for (let d = 0; d < documentCount; d++) firstParagraph[d + 1] = firstParagraph[d]! + u32(view, HEADER_BYTES + 4 * d);
  for (let d = 0; d < documentCount; d++) runsListed += u32(view, runCountStart + 4 * d);
  if (firstParagraph[documentCount] !== paragraphCount || runsListed !== runCount) throw new Error('paragraph store counts do not add up');
  let metaUnits = 0;
  for (let s = 0; s < metaStrings; s++) metaUnits += u32(view, lengthStart + 4 * s);
  // Where each paragraph's text starts, in UTF-16 units after the meta strings; one entry more, the end.
  const paragraphStart = new Uint32Array(paragraphCount + 1);
  for (let p = 0; p < paragraphCount; p++) {
    const end = paragraphStart[p]! + u32(view, paragraphLengthStart + 4 * p);
    if (end > MAX_UNITS) throw new Error('paragraph store texts too long');
    paragraphStart[p + 1] = end;
  }
  const paragraphsAt = textStart + 2 * metaUnits;
  if (paragraphsAt + 2 * paragraphStart[paragraphCount]! !== source.length) throw new Error('paragraph store truncated or has trailing bytes');
  const read = source.read(textStart, 2 * metaUnits);
  const metaBytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
  // Each a string of its own, not a slice of one text of them all: V8 makes a string of Latin-1 ids one byte a
  // character (a slice of a text with Chinese titles in it is two), and no text of them all stays in memory.
  const strings: string[] = [];
  for (let s = 0, unit = 0; s < metaStrings; s++) {
    const length = u32(view, lengthStart + 4 * s);
    strings.push(metaBytes.toString('utf16le', 2 * unit, 2 * (unit += length)));
  }
  const ids = strings.slice(0, documentCount);
  const titles = strings.slice(documentCount, 2 * documentCount);
  const locationTable = strings.slice(2 * documentCount).map(parseLocation);
  const metaCodes = new Uint32Array(documentCount);
  const dates = new Float64Array(documentCount);
  const located: ((ParagraphLocation | null)[] | undefined)[] = new Array(documentCount);
  let runAt = runStart;
  for (let d = 0; d < documentCount; d++) {
    const count = firstParagraph[d + 1]! - firstParagraph[d]!;
    const meta = u32(view, metaStart + 4 * d);
    if ((meta & ((1 << FORMAT_BITS) - 1)) >= FORMAT_CODES.length) throw new Error('a document has an unknown format code');
    metaCodes[d] = meta;
    dates[d] = view.getFloat64(dateStart + 8 * d, true);
    const runs = u32(view, runCountStart + 4 * d);
    if (runs === 0) continue;
    const documentLocations = new Array<ParagraphLocation | null>(count).fill(null);
    let previousStart = -1;
    for (let r = 0; r < runs; r++, runAt += 8) {
      const start = u32(view, runAt);
      const number = u32(view, runAt + 4);
      const end = r + 1 < runs ? u32(view, runAt + 8) : count;
      if (start <= previousStart || start >= count || end > count) throw new Error('a location run is out of order or out of range');
      if (number !== NO_LOCATION && number >= locationCount) throw new Error('a location run names no location');
      documentLocations.fill(number === NO_LOCATION ? null : locationTable[number]!, start, end);
      previousStart = start;
    }
    located[d] = documentLocations;
  }
  const paragraphs = (first: number, end: number): string[] => {
    if (!(first >= 0 && first <= end && end <= paragraphCount)) throw new RangeError(`paragraph store: no paragraphs ${first}–${end}`);
    const base = paragraphStart[first]!;
    const read = source.peek(paragraphsAt + 2 * base, 2 * (paragraphStart[end]! - base));
    const bytes = Buffer.from(read.buffer, read.byteOffset, read.byteLength);
    // Each a string of its own: a slice of one string of them all would keep all of them in memory as long as
    // any one is kept (a folded text that is its original).
    const out: string[] = [];
    for (let p = first; p < end; p++) out.push(bytes.toString('utf16le', 2 * (paragraphStart[p]! - base), 2 * (paragraphStart[p + 1]! - base)));
    return out;
  };
  return {
    documentCount,
    paragraphCount,
    ids,
    titles,
    firstParagraph,
    format: (d) => FORMAT_CODES[metaCodes[d]! & ((1 << FORMAT_BITS) - 1)],
    root(d) {
      const rootPlusOne = metaCodes[d]! >>> FORMAT_BITS;
      return rootPlusOne === 0 ? undefined : rootPlusOne - 1;
    },
    date: (d) => (Number.isNaN(dates[d]!) ? undefined : dates[d]!),
    locations: (d) => located[d],
    paragraph: (p) => paragraphs(p, p + 1)[0]!,
    paragraphs,
  };
}

/** Every document of an opened store with its texts (one read of them all): what a merge re-encodes. */
export function storedDocuments(store: OpenedStore): StoredDocument[] {
  const texts = store.paragraphs(0, store.paragraphCount);
  const documents: StoredDocument[] = [];
  for (let d = 0; d < store.documentCount; d++) {
    const date = store.date(d);
    const locations = store.locations(d);
    const format = store.format(d);
    const root = store.root(d);
    documents.push({
      id: store.ids[d]!,
      title: store.titles[d]!,
      paragraphs: texts.slice(store.firstParagraph[d]!, store.firstParagraph[d + 1]!),
      ...(date === undefined ? {} : { date }),
      ...(locations === undefined ? {} : { locations }),
      ...(format === undefined ? {} : { format }),
      ...(root === undefined ? {} : { root }),
    });
  }
  return documents;
}

/** Reads what encodeStore wrote, texts and all; throws an Error with a plain reason when the bytes are not a store. */
export function decodeStore(bytes: Uint8Array): StoredDocument[] {
  return storedDocuments(openStore(memorySource(bytes)));
}
