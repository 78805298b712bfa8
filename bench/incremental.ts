// Incremental builds in `npm run bench` (issue 22): on a copy of the size's corpus, a full build with the CLI,
// then an incremental build after changing one document, then one after changing 1% of the documents, each
// timed as a child process like the full build, with the ratio to the full build's time.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBuild } from './build.js';

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

/** Measures on `data/bench-<label>-incremental/` (removed after), a copy of `corpusRel` (a .jsonl, relative to `root`). */
export async function measureIncremental(root: string, label: string, corpusRel: string, documents: number, log: (line: string) => void): Promise<IncrementalMeasure> {
  const scratchRel = `data/bench-${label}-incremental`;
  const corpus = `${scratchRel}/corpus.jsonl`;
  const out = `${scratchRel}/index`;
  rmSync(join(root, scratchRel), { recursive: true, force: true });
  mkdirSync(join(root, scratchRel), { recursive: true });
  try {
    cpSync(join(root, corpusRel), join(root, corpus));
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
