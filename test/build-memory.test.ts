// What a build holds for each line of a .jsonl too large to be read whole (streamed), while it analyzes the
// documents: the records it will write (an id and two hashes a line) and where each line starts, not the maps
// its scan of the file made. A regression test: the file's state kept the scan alive, about 300 bytes a line more
// for the whole build (docs/design.md §6.2, "One large .jsonl").
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild, type BuildReporter } from '../indexer/build-command.js';
import { seededRandom } from '../server/search/seeded-random.js';
import { collectGarbage } from './support/collect-garbage.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('build-memory');
const quiet: BuildReporter = { step() {}, progress() {}, problem() {} };

/** A .jsonl of `lines` documents of 30 characters each, the same for the same count. */
function writeJsonl(file: string, lines: number): void {
  const random = seededRandom(lines);
  const alphabet = '春眠不觉晓处处闻啼鸟夜来风雨声花落知多少床前明月光疑是地上霜';
  const text = (): string => Array.from({ length: 30 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  writeFileSync(file, Array.from({ length: lines }, (_, i) => JSON.stringify({ id: `p${i}`, text: text() })).join('\n') + '\n');
}

class Measured extends Error {}

/** The JS heap in use after a collection, once the build has written its second segment; the build stops there. */
async function heapAtSecondSegment(lines: number): Promise<number> {
  const dir = tempDir();
  const corpus = path.join(dir, 'lines.jsonl');
  writeJsonl(corpus, lines);
  let segments = 0;
  let heap = 0;
  const build = runBuild({ corpus: [corpus], out: path.join(dir, 'index'), userDict: null, force: true, jsonlWholeBytes: 1000, segmentCharacters: 20_000 }, quiet, {
    onCommitStep(step) {
      if (step !== 'segment-written' || ++segments < 2) return;
      collectGarbage();
      heap = process.memoryUsage().heapUsed;
      throw new Measured();
    },
  });
  await expect(build).rejects.toBeInstanceOf(Measured);
  return heap;
}

describe('the memory of a build of a streamed .jsonl', () => {
  it('holds about a hundred bytes a line while it analyzes, not the scan of the file', async () => {
    await heapAtSecondSegment(8_000); // compiles what the runs below run, so that both measure the same code
    const few = await heapAtSecondSegment(8_000);
    const many = await heapAtSecondSegment(48_000);
    // Both have analyzed the same two segments; the difference is what the 40,000 more lines cost.
    const perLine = (many - few) / 40_000;
    expect(perLine).toBeGreaterThan(0);
    expect(perLine).toBeLessThan(200);
  });
});
