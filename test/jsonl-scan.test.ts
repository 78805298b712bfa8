// readJsonl: a .jsonl read in a build gives the corpus reader's documents and problems, read whole or streamed,
// and its scan holds a few columns a line, not an object with two hash strings (docs/design.md §6.2).
import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCorpus, type CorpusFile, type CorpusProblem } from '../indexer/corpus/index.js';
import type { FileState } from '../indexer/file-state.js';
import { HASH_CHARS } from '../indexer/index/sources.js';
import { readJsonl, scanJsonl, type JsonlLimits } from '../indexer/jsonl-scan.js';
import { collectGarbage } from './support/collect-garbage.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('jsonl-scan');
const WHOLE: JsonlLimits = { wholeBytes: 256 * 1024 * 1024, lineBytes: 1024 * 1024 };
const STREAMED: JsonlLimits = { wholeBytes: 100, lineBytes: 1024 * 1024 };

function corpusFile(file: string): CorpusFile {
  const { size, mtimeMs } = statSync(file);
  return { path: file, absolutePath: file, size, mtimeMs, format: 'jsonl' }; // shown as readCorpus shows it
}

function writeLines(lines: readonly string[]): CorpusFile {
  const file = path.join(tempDir(), 'lines.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return corpusFile(file);
}

function documentsOf(state: FileState): unknown[] {
  const documents = state.record.ids.map((_, k) => state.read!.get(k));
  state.read!.release?.();
  return documents;
}

const MIXED = [
  JSON.stringify({ id: 'a', title: '春晓', text: '春眠不觉晓\n\n处处闻啼鸟' }),
  '',
  '{"id": "b", "text": "夜来风雨声"',
  JSON.stringify({ id: 'c', text: '花落知多少', date: 'not a date' }),
  JSON.stringify({ id: 'a', text: '床前明月光' }),
  '   ',
  JSON.stringify({ text: '无 id 的一行' }),
  JSON.stringify({ id: 'd', text: '疑是地上霜' }),
];

describe('readJsonl', () => {
  for (const [name, limits] of [
    ['read whole', WHOLE],
    ['streamed', STREAMED],
  ] as const) {
    it(`gives the corpus reader's documents and problems, ${name}`, async () => {
      const file = writeLines(MIXED);
      const state = await readJsonl(file, undefined, limits);
      const reader = await readCorpus([file.absolutePath]);
      expect(state).not.toBeNull();
      expect(documentsOf(state!)).toEqual(reader.documents);
      expect(state!.record.ids).toEqual(['a', 'c', 'd']);
      expect(state!.record.lines).toEqual([0, 3, 7]);
      expect(state!.record.hashes).toHaveLength(3 * HASH_CHARS);
      expect(state!.record.lineHashes).toHaveLength(3 * HASH_CHARS);
      expect(state!.linesParsed).toBe(6);
      // The reader's problems (it reports a duplicate id after the file's other problems).
      const byLine = (problems: readonly CorpusProblem[]): CorpusProblem[] => [...problems].sort((a, b) => a.line! - b.line!);
      expect(byLine(state!.record.problems)).toEqual(byLine(reader.problems));
    });
  }

  it('gives the hashes of a full build to an update that finds every line unchanged or moved', async () => {
    const file = writeLines(MIXED);
    const first = (await readJsonl(file, undefined, STREAMED))!;
    // The same lines, the first two documents' lines swapped: found again by their bytes, none parsed.
    const moved = writeLines([MIXED[3]!, MIXED[1]!, MIXED[2]!, MIXED[0]!, ...MIXED.slice(4)]);
    const again = (await readJsonl(moved, first.record, STREAMED))!;
    expect(again.record.ids).toEqual(['c', 'a', 'd']);
    expect(Array.from(again.previousIndex!)).toEqual([1, 0, 2]);
    const full = (await readJsonl(moved, undefined, STREAMED))!;
    expect(again.record.hashes).toBe(full.record.hashes);
    expect(again.record.lineHashes).toBe(full.record.lineHashes);
    expect(again.linesParsed).toBe(3); // the bad lines are parsed again: they are no document of the last version
  });
});

describe('scanJsonl', () => {
  /** A streamed .jsonl of `lines` documents of 30 characters each. */
  function manyLines(lines: number): CorpusFile {
    const alphabet = '春眠不觉晓处处闻啼鸟夜来风雨声花落知多少床前明月光疑是地上霜';
    return writeLines(Array.from({ length: lines }, (_, i) => JSON.stringify({ id: `p${i}`, text: Array.from({ length: 30 }, (_, k) => alphabet[(i * 7 + k * 3) % alphabet.length]).join('') })));
  }

  /** The memory (JS heap and array buffers) held with a scan of `file`, after a collection. */
  async function heldWithScan(file: CorpusFile): Promise<number> {
    collectGarbage();
    const before = process.memoryUsage();
    const scan = await scanJsonl(file, undefined, STREAMED);
    collectGarbage();
    const after = process.memoryUsage();
    expect(scan).not.toBeNull();
    scan!.release?.();
    return after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
  }

  it('holds the lines of a full build in columns, about 120 bytes a line (a regression test)', async () => {
    await heldWithScan(manyLines(10_000)); // compiles what the runs below run
    const few = await heldWithScan(manyLines(10_000));
    const many = await heldWithScan(manyLines(60_000));
    const perLine = (many - few) / 50_000;
    // 120 here; an object a line with two hash strings held about 300 (306 on the code before the columns).
    expect(perLine).toBeGreaterThan(0);
    expect(perLine).toBeLessThan(180);
  });
});
