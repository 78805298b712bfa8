// words.bin: FlexSearch's export of the word index (flex.ts), in binary. FlexSearch exports JSON text parts:
// at 100k poems 24 MB, whose import took 1.0 s of a 3.2 s load. The same data here is varints and one UTF-16
// text of terms (9.5 MB), and decodes straight into the arrays FlexSearch's import takes.
//
// A part is "reg" (the ids FlexSearch has seen), "map" (term → posting slots → ids) or anything else, kept as
// its JSON text. Ids are whole numbers, written as zigzag varints of the difference from the previous id, so
// any order round-trips and ascending lists cost a byte or two an id.
//
// Layout: magic, version, part count (3 × u32 LE); per part: name (varint UTF-16 length, UTF-16LE), kind (one
// byte: 0 JSON, 1 reg, 2 map), payload length (varint), payload.
//   reg payload: count, ids.
//   map payload: entry count; UTF-16 length of the terms' text, the text (UTF-16LE); per entry: term length,
//   slot count, per slot: id count, ids.
import type { ExportedParts } from './flex.js';
import { VarintReader, writeVarint } from './varint.js';

const MAGIC = 0x57554f53; // "SOUW"
const VERSION = 1;
const KIND_JSON = 0;
const KIND_REG = 1;
const KIND_MAP = 2;

/** Growable byte output. */
class Output {
  bytes = new Uint8Array(1 << 16);
  length = 0;
  private reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }
  varint(value: number): void {
    this.reserve(8);
    this.length = writeVarint(this.bytes, this.length, value);
  }
  u32(value: number): void {
    this.reserve(4);
    new DataView(this.bytes.buffer).setUint32(this.length, value, true);
    this.length += 4;
  }
  utf16(text: string): void {
    this.reserve(2 * text.length);
    this.length += Buffer.from(this.bytes.buffer).write(text, this.length, 'utf16le');
  }
  bytesOf(other: Output): void {
    this.reserve(other.length);
    this.bytes.set(other.bytes.subarray(0, other.length), this.length);
    this.length += other.length;
  }
}

const zigzag = (n: number): number => (n >= 0 ? 2 * n : -2 * n - 1);
const unzigzag = (n: number): number => (n % 2 === 0 ? n / 2 : -(n + 1) / 2);
const isIdList = (value: unknown): value is number[] => Array.isArray(value) && value.every((id) => Number.isSafeInteger(id));

function writeIds(out: Output, ids: readonly number[]): void {
  out.varint(ids.length);
  let previous = 0;
  for (const id of ids) {
    out.varint(zigzag(id - previous));
    previous = id;
  }
}

type MapEntry = [string, number[][]];
const isMapData = (data: unknown): data is MapEntry[] =>
  Array.isArray(data) &&
  data.every((entry) => Array.isArray(entry) && entry.length === 2 && typeof entry[0] === 'string' && Array.isArray(entry[1]) && (entry[1] as unknown[]).every(isIdList));

function encodePart(name: string, data: unknown): { kind: number; payload: Output } {
  const payload = new Output();
  if (name.endsWith('reg') && isIdList(data)) {
    writeIds(payload, data);
    return { kind: KIND_REG, payload };
  }
  if (name.endsWith('map') && isMapData(data)) {
    payload.varint(data.length);
    const terms = data.map(([term]) => term).join('');
    payload.varint(terms.length);
    payload.utf16(terms);
    for (const [term, slots] of data) {
      payload.varint(term.length);
      payload.varint(slots.length);
      for (const slot of slots) writeIds(payload, slot);
    }
    return { kind: KIND_MAP, payload };
  }
  payload.utf16(JSON.stringify(data));
  return { kind: KIND_JSON, payload };
}

export function encodeWords(parts: ExportedParts): Uint8Array {
  const out = new Output();
  out.u32(MAGIC);
  out.u32(VERSION);
  out.u32(parts.size);
  for (const [name, data] of parts) {
    out.varint(name.length);
    out.utf16(name);
    const { kind, payload } = encodePart(name, data);
    out.varint(kind);
    out.varint(payload.length);
    out.bytesOf(payload);
  }
  return out.bytes.slice(0, out.length);
}

/** Reads what encodeWords wrote; throws an Error with a plain reason when the bytes are not a words file. */
export function decodeWords(bytes: Uint8Array): ExportedParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12) throw new Error('words file too short');
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) throw new Error('not a words file of this version');
  const reader = new VarintReader(bytes, 12, bytes.length, 'words file truncated');
  const varint = (): number => reader.read();
  const utf16 = (units: number): string => {
    if (reader.at + 2 * units > reader.end) throw new Error('words file truncated');
    return buffer.toString('utf16le', reader.at, (reader.at += 2 * units));
  };
  const ids = (): number[] => {
    const list = new Array<number>(varint());
    let previous = 0;
    for (let i = 0; i < list.length; i++) list[i] = previous += unzigzag(varint());
    return list;
  };
  const parts: ExportedParts = new Map();
  const partCount = view.getUint32(8, true);
  for (let p = 0; p < partCount; p++) {
    const name = utf16(varint());
    const kind = varint();
    const payloadLength = varint();
    const payloadEnd = reader.at + payloadLength;
    if (payloadEnd > bytes.length) throw new Error('words file truncated');
    reader.end = payloadEnd;
    if (kind === KIND_REG) parts.set(name, ids());
    else if (kind === KIND_MAP) {
      const entries: MapEntry[] = new Array(varint());
      const terms = utf16(varint());
      let unit = 0;
      for (let e = 0; e < entries.length; e++) {
        const term = terms.slice(unit, (unit += varint()));
        const slots: number[][] = new Array(varint());
        for (let s = 0; s < slots.length; s++) slots[s] = ids();
        entries[e] = [term, slots];
      }
      if (unit !== terms.length) throw new Error('words file terms do not add up');
      parts.set(name, entries);
    } else if (kind === KIND_JSON) {
      if ((payloadEnd - reader.at) % 2 !== 0) throw new Error(`words file part ${name} is cut in the middle of a character`);
      try {
        parts.set(name, JSON.parse(utf16((payloadEnd - reader.at) / 2)) as unknown);
      } catch {
        throw new Error(`words file part ${name} is not valid JSON`);
      }
    } else throw new Error(`words file part ${name} has an unknown kind ${kind}`);
    if (reader.at !== payloadEnd) throw new Error(`words file part ${name} has trailing bytes`);
    reader.end = bytes.length;
  }
  if (reader.at !== bytes.length) throw new Error('words file truncated or has trailing bytes');
  return parts;
}
