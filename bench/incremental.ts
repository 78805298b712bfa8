// Incremental builds in `npm run bench` (issue 22): on a copy of the size's corpus, a full build with the CLI,
// then an incremental build after changing one document, then one after changing 1% of the documents, each
// timed as a child process like the full build, with the ratio to the full build's time.
//
// Alone: `node dist/bench/incremental.js --corpus PATH.jsonl [--corpus PATH.jsonl …] [--rounds N]` measures the
// three builds N times for each corpus (a full build beside its incremental ones; each round takes every corpus in
// turn) and prints a table per corpus with the load average before and after each measurement.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findProjectRoot } from '../server/project-root.js';
import { measureBuild } from './build.js';
import { exitWith } from './process.js';

export interface IncrementalRun {
  /** Documents whose text the run changed. */
  readonly changed: number;
  readonly seconds: number;
  readonly peakRssBytes: number;
  /** seconds ÷ the full build's seconds. */
  readonly ratio: number;
  /** The CLI's line saying what it read, analyzed and kept. */
  readonly summary: string;
}

export interface IncrementalMeasure {
  readonly fullSeconds: number;
  readonly oneDocument: IncrementalRun;
  readonly onePercent: IncrementalRun;
}

/** Changes the text of the documents on the given lines of a .jsonl (a character added to each). */
function changeLines(file: string, lines: readonly number[]): void {
  const text = readFileSync(file, 'utf8').split('\n');
  for (const line of lines) {
    const document = JSON.parse(text[line]!) as { text: string };
    text[line] = JSON.stringify({ ...document, text: `${document.text}改` });
  }
  writeFileSync(file, text.join('\n'));
}

/** Measures on `data/bench-<label>-incremental/` (removed after), a copy of `corpusRel` (a .jsonl, relative to `root` or absolute). */
export async function measureIncremental(root: string, label: string, corpusRel: string, documents: number, log: (line: string) => void): Promise<IncrementalMeasure> {
  const scratchRel = `data/bench-${label}-incremental`;
  const corpus = `${scratchRel}/corpus.jsonl`;
  const out = `${scratchRel}/index`;
  rmSync(join(root, scratchRel), { recursive: true, force: true });
  mkdirSync(join(root, scratchRel), { recursive: true });
  try {
    cpSync(resolve(root, corpusRel), join(root, corpus));
    const full = await measureBuild(root, corpus, out);
    const run = async (lines: readonly number[]): Promise<IncrementalRun> => {
      changeLines(join(root, corpus), lines);
      const measured = await measureBuild(root, corpus, out, false);
      return {
        changed: lines.length,
        seconds: measured.seconds,
        peakRssBytes: measured.peakRssBytes,
        ratio: measured.seconds / full.seconds,
        summary: measured.summary.split('\n').find((line) => line.startsWith('updated:')) ?? measured.summary,
      };
    };
    const oneDocument = await run([Math.floor(documents / 2)]);
    log(`${label}: one document changed: ${oneDocument.seconds.toFixed(2)} s (${(100 * oneDocument.ratio).toFixed(1)}% of the full build's ${full.seconds.toFixed(1)} s)`);
    const step = 100;
    const onePercent = await run(Array.from({ length: Math.floor(documents / step) }, (_, i) => i * step + 7).filter((line) => line < documents));
    log(`${label}: 1% of the documents changed: ${onePercent.seconds.toFixed(2)} s (${(100 * onePercent.ratio).toFixed(1)}%)`);
    return { fullSeconds: full.seconds, oneDocument, onePercent };
  } finally {
    rmSync(join(root, scratchRel), { recursive: true, force: true });
  }
}

const USAGE = 'usage: node dist/bench/incremental.js --corpus PATH.jsonl [--corpus PATH.jsonl …] [--rounds N]';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { corpus: { type: 'string', multiple: true }, rounds: { type: 'string', default: '3' } }, strict: true });
  const rounds = Number(values.rounds);
  if (values.corpus === undefined || values.corpus.length === 0 || !Number.isInteger(rounds) || rounds < 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const root = findProjectRoot(fileURLToPath(import.meta.url));
  const corpora = values.corpus.map((given) => {
    const corpus = resolve(given);
    const documents = readFileSync(corpus, 'utf8').split('\n').filter((line) => line.trim() !== '').length;
    return { corpus, documents, label: `${Math.round(documents / 1000)}k` };
  });
  // Each round measures every corpus in turn, so the sizes are side by side under the same load.
  const rows = new Map(corpora.map(({ label }) => [label, [] as string[]]));
  for (let round = 1; round <= rounds; round++) {
    for (const { corpus, documents, label } of corpora) {
      const load = loadavg().map((n) => n.toFixed(2)).join(' ');
      const log = (line: string): void => void process.stdout.write(`round ${round}: ${line}\n`);
      log(`${label}: load average ${load}`);
      const measured = await measureIncremental(root, label, corpus, documents, log);
      const after = loadavg().map((n) => n.toFixed(2)).join(' ');
      const cell = (run: IncrementalRun): string => `${run.seconds.toFixed(2)} s (${(100 * run.ratio).toFixed(1)}%)`;
      rows.get(label)!.push(`| ${round} | ${load} → ${after} | ${measured.fullSeconds.toFixed(1)} s | ${cell(measured.oneDocument)} | ${cell(measured.onePercent)} |`);
    }
  }
  for (const { documents, label } of corpora) {
    process.stdout.write(['', `${label}: ${documents} documents`, '| round | load average (1, 5, 15 min), before → after | full build | one document changed | 1% changed |', '| --- | --- | ---: | ---: | ---: |', ...rows.get(label)!, ''].join('\n'));
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) exitWith(main());
