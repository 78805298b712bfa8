import { decodeLegacy } from './legacy-encodings.js';

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly encoding: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Decodes a corpus file's bytes to text with LF line ends, or says why it cannot.
 * Order of trust: a byte order mark, then strict UTF-8, then GB18030 / Big5 (see legacy-encodings.ts).
 * Never returns text with replacement characters: a partial decode is a mangled one.
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  const result = decodeRaw(bytes);
  return result.ok ? { ...result, text: result.text.replace(/\r\n?/g, '\n') } : result;
}

function decodeRaw(bytes: Uint8Array): DecodeResult {
  if (bytes.length === 0) return { ok: true, text: '', encoding: 'UTF-8' };
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    return { ok: false, reason: 'UTF-32 is not supported; save the file as UTF-8' };
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    const body = bytes.subarray(3);
    if (looksBinary(body)) return BINARY;
    const text = strictDecode('utf-8', body);
    if (text !== undefined) return { ok: true, text, encoding: 'UTF-8' };
    return { ok: false, reason: `starts with a UTF-8 byte order mark but is not valid UTF-8 (${utf8ErrorPlace(body)})` };
  }
  if (startsWith(bytes, [0xff, 0xfe])) return decodeUtf16('utf-16le', bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return decodeUtf16('utf-16be', bytes.subarray(2));

  // NUL or control bytes never occur inside UTF-8, GB18030 or Big5 multi-byte sequences, so a byte
  // scan is a character scan for all three.
  if (looksBinary(bytes)) return BINARY;
  const text = strictDecode('utf-8', bytes);
  if (text !== undefined) return { ok: true, text, encoding: 'UTF-8' };
  const legacy = decodeLegacy(bytes);
  if (legacy.ok) return legacy;
  const hint = legacy.guess === undefined ? '' : `; it looks like ${legacy.guess}, which is not supported`;
  return { ok: false, reason: `not valid UTF-8 (${utf8ErrorPlace(bytes)}) and not recognisable as GB18030 or Big5${hint}` };
}

const BINARY: DecodeResult = { ok: false, reason: 'binary file' };

function decodeUtf16(encoding: 'utf-16le' | 'utf-16be', body: Uint8Array): DecodeResult {
  const name = encoding.toUpperCase();
  const text = strictDecode(encoding, body);
  if (text === undefined) {
    return { ok: false, reason: `starts with a ${name} byte order mark but is not valid ${name} (truncated or corrupt)` };
  }
  const units = { length: text.length, at: (i: number) => text.charCodeAt(i) };
  if (looksBinaryUnits(units)) return BINARY;
  return { ok: true, text, encoding: name };
}

/** Returns undefined rather than a text with replacement characters. */
export function strictDecode(encoding: string, bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

export function looksBinary(bytes: Uint8Array): boolean {
  return looksBinaryUnits({ length: bytes.length, at: (i) => bytes[i] ?? 0 });
}

/** Any NUL, or more than 1% C0 controls other than \t \n \v \f \r (and DEL): not a text file. */
function looksBinaryUnits(units: { length: number; at: (i: number) => number }): boolean {
  let controls = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units.at(i);
    if (u === 0) return true;
    if ((u < 0x20 && (u < 0x09 || u > 0x0d)) || u === 0x7f) controls++;
  }
  return controls * 100 > units.length;
}

/** Where the first invalid UTF-8 sequence is, as "line L, byte B", for the user to find it. */
function utf8ErrorPlace(bytes: Uint8Array): string {
  const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let byteOffset = 0;
  let from = 0;
  for (let at = lossy.indexOf('\uFFFD'); at >= 0; at = lossy.indexOf('\uFFFD', at + 1)) {
    byteOffset += Buffer.byteLength(lossy.slice(from, at));
    from = at;
    // A literal U+FFFD in the file is valid UTF-8 (EF BF BD); keep looking past it.
    if (bytes[byteOffset] !== 0xef || bytes[byteOffset + 1] !== 0xbf || bytes[byteOffset + 2] !== 0xbd) {
      const line = (lossy.slice(0, at).match(/\n/g)?.length ?? 0) + 1;
      return `line ${line}, byte ${byteOffset}`;
    }
  }
  return 'at the end';
}
