// The source records' line comparison (sources.ts): a .jsonl's lines found and hashed on its bytes, before any
// decoding, are exactly the lines the corpus reader decodes, or the file is left to the reader's decoding.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../indexer/corpus/index.js';
import { BLOCK_LINES, blockHashes, documentHash, jsonlByteLines, lineHash } from '../indexer/index/sources.js';

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The reader's lines of a file (decode.ts, then parseJsonl's split), or null when it cannot decode it. */
function readerLines(bytes: Uint8Array): string[] | null {
  const decoded = decodeBytes(bytes);
  return decoded.ok ? decoded.text.split(/\r\n|\r|\n/) : null;
}

function byteLines(bytes: Buffer): string[] | null {
  const lines = jsonlByteLines(bytes);
  return lines === null ? null : lines.starts.map((start, n) => bytes.toString('utf8', start, lines.ends[n]));
}

describe('jsonlByteLines', () => {
  it('finds the lines of plain UTF-8, a byte order mark skipped', () => {
    const text = '{"id":"a","text":"漢字"}\n\n{"id":"b","text":"𦈡 x"}\n';
    expect(byteLines(utf8(text))).toEqual(text.split('\n'));
    expect(byteLines(Buffer.concat([BOM, utf8(text)]))).toEqual(text.split('\n'));
    expect(lineHash(utf8('a'))).not.toBe(lineHash(utf8('b')));
    expect(lineHash(utf8('ab'), 1, 2)).toBe(lineHash(utf8('b')));
  });

  it('leaves to the reader what it decodes otherwise: carriage returns, UTF-16, invalid UTF-8, binary', () => {
    expect(jsonlByteLines(utf8('a\r\nb'))).toBeNull();
    expect(jsonlByteLines(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\n', 'utf16le')]))).toBeNull();
    expect(jsonlByteLines(Buffer.from([0x61, 0xc3, 0x0a]))).toBeNull();
    expect(jsonlByteLines(utf8('a\u0000b'))).toBeNull();
    expect(jsonlByteLines(utf8('\u0001'.repeat(3) + 'a'.repeat(100)))).toBeNull(); // over 1% control characters
    expect(jsonlByteLines(utf8('\u0001' + 'a'.repeat(200)))).not.toBeNull();
  });

  it('agrees with the reader on every file it takes, and takes every plain UTF-8 file without carriage returns', () => {
    const unit = fc.constantFrom('a', '{', '"', '\n', '\r', ' ', '\u3000', '漢', '語', '𦈡', '\uFEFF', '\u0001', '\u0000', '\t', 'é');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 60 }), fc.boolean(), fc.boolean(), (units, bom, cut) => {
        const text = units.join('');
        let bytes = Buffer.concat([bom ? BOM : Buffer.alloc(0), utf8(text)]);
        if (cut && bytes.length > 0 && bytes[bytes.length - 1]! >= 0x80) bytes = bytes.subarray(0, bytes.length - 1); // maybe an invalid end
        const lines = byteLines(bytes);
        if (lines !== null) expect(lines).toEqual(readerLines(bytes));
        const plain = !cut && !text.includes('\r') && !/[\u0000\u0001]/.test(text);
        if (plain) expect(lines).not.toBeNull();
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('blockHashes', () => {
  it('change with the bytes of their block only, and cover every line', () => {
    const lines = Array.from({ length: 3 * BLOCK_LINES + 5 }, (_, n) => `{"id":"${n}","text":"第${n}行"}`);
    const hashesOf = (all: readonly string[]): string[] => {
      const bytes = utf8(all.join('\n'));
      return blockHashes(bytes, jsonlByteLines(bytes)!);
    };
    const before = hashesOf(lines);
    expect(before).toHaveLength(4);
    const changed = [...lines];
    changed[BLOCK_LINES + 3] += ' ';
    const after = hashesOf(changed);
    expect(after.map((hash, block) => hash === before[block])).toEqual([true, false, true, true]);
    expect(hashesOf([...lines, 'more']).slice(0, 3)).toEqual(before.slice(0, 3));
  });
});

describe('documentHash', () => {
  it('changes with anything the store keeps of a document', () => {
    const document = { id: 'a', title: 't', paragraphs: ['x', 'y'] };
    const hash = documentHash(document, undefined);
    expect(documentHash({ ...document }, undefined)).toBe(hash);
    for (const changed of [{ ...document, id: 'b' }, { ...document, title: 'u' }, { ...document, paragraphs: ['xy'] }, { ...document, date: 1 }, { ...document, format: 'txt' as const }]) {
      expect(documentHash(changed, undefined)).not.toBe(hash);
    }
    expect(documentHash(document, '/root')).not.toBe(hash);
  });

  // The records of every index built hold these texts: another text for the same document would have the first
  // build after an upgrade analyze the whole corpus again.
  it('gives the same 16 hex digits as the indexes already built', () => {
    const document = { id: 'a.txt', title: '春晓', paragraphs: ['春眠不觉晓', '处处闻啼鸟'] };
    expect(documentHash(document, undefined)).toBe('5de5d271b8e89415');
    expect(documentHash({ ...document, date: 0 }, '/root')).toBe('74b51233f1a4a1e9');
    expect(lineHash(utf8('{"id":"a","text":"春眠不觉晓"}'))).toBe('105bec65c2cc2e2f');
    expect(lineHash(utf8(''))).toBe('0578ab1bf763c50b');
  });
});
