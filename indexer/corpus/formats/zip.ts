// The zip adapter: the only module that imports fflate. Reads the central directory itself so every entry's
// declared size is checked before inflating, and the inflated bytes are counted as they come, so neither a
// lying header nor a zip bomb gets past the caps.
import { Inflate } from 'fflate';
import { READ_LIMITS, UnreadableDocument, type ReadLimits } from './types.js';

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly declaredSize: number;
  readonly localHeaderOffset: number;
}

export interface ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  /** The entry's bytes, or undefined when there is no such entry. Throws UnreadableDocument when over a cap. */
  read(name: string): Uint8Array | undefined;
  /** read() decoded as UTF-8 (the XML of EPUB and DOCX). */
  readText(name: string): string | undefined;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const CHUNK = 64 * 1024;

function corrupt(what: string): UnreadableDocument {
  return new UnreadableDocument('corrupt', `not a readable zip file: ${what}`);
}

export function openZip(bytes: Uint8Array, limits: ReadLimits = READ_LIMITS): ZipArchive {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (at: number): number => (at + 4 <= bytes.length ? view.getUint32(at, true) : Number.NaN);
  const u16 = (at: number): number => (at + 2 <= bytes.length ? view.getUint16(at, true) : Number.NaN);
  // The end-of-central-directory record is in the last 22 + 65535 bytes (after a comment of up to 64 KB).
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (u32(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw corrupt('no end of central directory (truncated?)');
  const count = u16(eocd + 10);
  const directoryOffset = u32(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new UnreadableDocument('too large', 'a ZIP64 archive, which is not read');
  if (count > limits.zipEntries) throw new UnreadableDocument('too large', `${count} zip entries, more than ${limits.zipEntries}`);
  const entries = new Map<string, ZipEntry>();
  let at = directoryOffset;
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (u32(at) !== CENTRAL_SIGNATURE) throw corrupt('a damaged central directory');
    const nameLength = u16(at + 28);
    const entry: ZipEntry = {
      flags: u16(at + 8),
      method: u16(at + 10),
      compressedSize: u32(at + 20),
      declaredSize: u32(at + 24),
      localHeaderOffset: u32(at + 42),
      name: decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    };
    entries.set(entry.name, entry);
    at += 46 + nameLength + u16(at + 30) + u16(at + 32);
  }
  let inflatedTotal = 0;
  const read = (name: string): Uint8Array | undefined => {
    const entry = entries.get(name);
    if (entry === undefined) return undefined;
    if ((entry.flags & 1) !== 0) throw new UnreadableDocument('encrypted', `the zip entry ${name} is encrypted`);
    if (entry.declaredSize > limits.zipEntryBytes) {
      throw new UnreadableDocument('too large', `the zip entry ${name} declares ${entry.declaredSize} bytes, more than ${limits.zipEntryBytes}`);
    }
    const local = entry.localHeaderOffset;
    if (u32(local) !== LOCAL_SIGNATURE) throw corrupt(`a damaged entry ${name}`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    const end = start + entry.compressedSize;
    if (end > bytes.length) throw corrupt(`the entry ${name} runs past the end of the file (truncated?)`);
    const data = bytes.subarray(start, end);
    if (entry.method === 0) return accept(data, name, entry);
    if (entry.method !== 8) throw new UnreadableDocument('corrupt', `the zip entry ${name} uses compression method ${entry.method}, which is not read`);
    return accept(inflateCapped(data, name, Math.min(entry.declaredSize, limits.zipEntryBytes)), name, entry);
  };
  const accept = (data: Uint8Array, name: string, entry: ZipEntry): Uint8Array => {
    if (data.length !== entry.declaredSize) throw corrupt(`the entry ${name} is ${data.length} bytes, not the ${entry.declaredSize} it declares`);
    inflatedTotal += data.length;
    if (inflatedTotal > limits.zipTotalBytes) throw new UnreadableDocument('too large', `more than ${limits.zipTotalBytes} bytes once unzipped`);
    return data;
  };
  return {
    entries,
    read,
    readText(name) {
      const data = read(name);
      return data === undefined ? undefined : decoder.decode(data);
    },
  };
}

/** Inflates in chunks and stops as soon as the output passes `cap`: a bomb is never inflated whole. */
function inflateCapped(data: Uint8Array, name: string, cap: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > cap) throw new UnreadableDocument('too large', `the zip entry ${name} inflates to more than it declares (${cap} bytes)`);
    chunks.push(chunk);
  });
  try {
    for (let at = 0; at < data.length; at += CHUNK) inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (error) {
    if (error instanceof UnreadableDocument) throw error;
    throw corrupt(`the entry ${name} does not inflate (${(error as Error).message})`);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
