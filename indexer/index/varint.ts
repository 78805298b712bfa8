// Little-endian base-128 varints, shared by the index's binary files (grams.ts, word-postings.ts). Values are whole
// numbers below 2^53, so the arithmetic avoids 32-bit bit operations.

/** Writes `value` at `at`; returns the position after it. */
export function writeVarint(out: Uint8Array, at: number, value: number): number {
  while (value >= 0x80) {
    out[at++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[at++] = value;
  return at;
}

/** Reads varints from `at` on, never at or past `end`: there it throws an Error with the message `truncated`. */
export class VarintReader {
  constructor(
    private readonly bytes: Uint8Array,
    public at: number,
    public end: number,
    private readonly truncated: string,
  ) {}

  read(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.end) throw new Error(this.truncated);
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }
}
