// `node --expose-gc --v8-pool-size=1 dist/bench/memory.js --index DIR`: where a serving process's memory goes.
// It loads the index as the server does, one stage at a time (jieba's dictionary, the index, its warm-up, the
// vocabulary, the searcher's warm-up), and after each collects garbage and prints the process's RSS, V8's heap
// and the memory outside it (array buffers, native), so each stage's share is the difference from the stage
// before. The index's own structures are sized from what it holds (texts, folded texts, file bytes). The
// table goes into docs/design.md ("Serving memory").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { loadJiebaAsync } from '../indexer/analyzer/index.js';
import { MANIFEST_FILE, type Manifest } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import { limitHeapGrowth } from '../server/heap-growth-limit.js';
import { createSearcher } from '../server/search/engine.js';
import { exitWith } from './process.js';

const USAGE = 'usage: node --expose-gc dist/bench/memory.js --index DIR';
const MB = 2 ** 20;

interface Stage {
  readonly name: string;
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly largeObjects: number;
  readonly seconds: number;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { index: { type: 'string' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.index === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  limitHeapGrowth(); // as the server runs
  const stages: Stage[] = [];
  let started = performance.now();
  const mark = (name: string): void => {
    const seconds = (performance.now() - started) / 1000;
    collect();
    const usage = process.memoryUsage();
    const largeObjects = getHeapSpaceStatistics().find((space) => space.space_name === 'large_object_space')?.space_used_size ?? 0;
    stages.push({ name, rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers, largeObjects, seconds });
    started = performance.now();
  };
  mark('node and Sou’s modules');
  const manifest = JSON.parse(await readFile(join(values.index, MANIFEST_FILE), 'utf8')) as Pick<Manifest, 'userDict' | 'counts'>;
  await loadJiebaAsync(manifest.userDict);
  mark('jieba’s dictionary');
  const index = await loadIndex(values.index);
  mark('loadIndex');
  await index.warm();
  mark('index.warm()');
  const searcher = createSearcher(index);
  await searcher.prepareVocabulary();
  mark('createSearcher + vocabulary');
  await searcher.warm();
  mark('searcher.warm() (champion lists, bitmaps, warm-up queries)');

  const { counts } = manifest;
  process.stdout.write(`${values.index}: ${counts.documents.toLocaleString('en')} documents, ${counts.paragraphs.toLocaleString('en')} paragraphs, ${counts.characters.toLocaleString('en')} characters\n\n`);
  process.stdout.write('| stage | seconds | RSS MB | Δ RSS | V8 heap used MB | Δ heap | heap committed MB | large objects MB | external MB | array buffers MB |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n');
  stages.forEach((stage, i) => {
    const before = stages[i - 1];
    const delta = (now: number, then: number | undefined): string => (then === undefined ? '' : ((now - then) / MB).toFixed(1));
    process.stdout.write(
      `| ${stage.name} | ${stage.seconds.toFixed(2)} | ${(stage.rss / MB).toFixed(1)} | ${delta(stage.rss, before?.rss)} | ${(stage.heapUsed / MB).toFixed(1)} | ${delta(stage.heapUsed, before?.heapUsed)} | ${(stage.heapTotal / MB).toFixed(1)} | ${(stage.largeObjects / MB).toFixed(1)} | ${(stage.external / MB).toFixed(1)} | ${(stage.arrayBuffers / MB).toFixed(1)} |\n`,
    );
  });
  const last = stages[stages.length - 1]!;
  process.stdout.write(`\nRSS per character: ${(last.rss / counts.characters).toFixed(2)} bytes\n`);
  // What the texts themselves take, as V8 holds a two-byte string: 2 bytes a UTF-16 unit.
  let units = 0;
  let foldedUnits = 0;
  let foldedDiffer = 0;
  for (let id = 0; id < index.paragraphCount; id++) {
    const text = index.paragraphText(id);
    const folded = index.foldedParagraph(id);
    units += text.length;
    if (folded !== text) {
      foldedDiffer++;
      foldedUnits += folded.length;
    }
  }
  process.stdout.write(`texts: ${(units / 1e6).toFixed(2)} M UTF-16 units (${((2 * units) / MB).toFixed(1)} MB as two-byte strings); folded texts that differ from the original: ${foldedDiffer.toLocaleString('en')} of ${index.paragraphCount.toLocaleString('en')} (${((2 * foldedUnits) / MB).toFixed(1)} MB)\n`);
  return 0;
}

exitWith(main());
