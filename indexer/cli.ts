// `npm run index -- [--corpus PATH]... [--out DIR] [--dict FILE] [--force] [--segment-chars N] [--watch [--rescan SECONDS]]`
import { parseArgs } from 'node:util';
import { runBuild, type BuildOptions } from './build-command.js';
import { DEFAULT_CORPUS, DEFAULT_INDEX } from './defaults.js';
import { DEFAULT_MERGE_POLICY, DEFAULT_SEGMENT_CHARACTERS } from './index/merge.js';
import { createReporter, fileSummaryLines } from './progress.js';
import { DEFAULT_RESCAN_SECONDS, parseRescanSeconds, type WatchSettings } from './watch/settings.js';

const USAGE = `usage: npm run index -- [--corpus PATH]... [--out DIR] [--dict FILE] [--force] [--segment-chars N] [--watch [--rescan SECONDS]]
  --corpus PATH  a folder (.txt, .md, .html, .pdf, .docx and .epub files, read recursively) or one file,
                 a .jsonl of many documents included; repeatable (default: corpus)
  --out DIR      where the index goes (default: data/index)
  --dict FILE    a jieba user dictionary (one "word [frequency] [tag]" per line)
  --force        rebuild everything, even when the index is up to date
  --segment-chars N
                 write a segment each time the documents to analyze reach N characters, and merge none
                 beyond N (default ${DEFAULT_SEGMENT_CHARACTERS.toLocaleString('en')}): a build's memory grows with N, not the corpus
  --watch        keep building as the corpus changes, until stopped (Ctrl-C)
  --rescan SECS  with --watch: also check the whole corpus this often (default ${DEFAULT_RESCAN_SECONDS}; 0: never)

On an existing index the build is incremental: unchanged files are not read again, only new or changed
documents are analyzed (into a new segment), and the answers are those of a full build.`;


/** Exit statuses: 0 built or up to date, 1 failed, 2 bad arguments, 3 built but some input was skipped. */
export function parseBuildArgs(argv: readonly string[]): (BuildOptions & { readonly watch: WatchSettings | null }) | { help: true } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      corpus: { type: 'string', multiple: true },
      out: { type: 'string' },
      dict: { type: 'string' },
      force: { type: 'boolean', default: false },
      'segment-chars': { type: 'string' },
      watch: { type: 'boolean', default: false },
      rescan: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  if (values.rescan !== undefined && !values.watch) throw new Error('--rescan goes with --watch');
  const segmentChars = values['segment-chars'];
  if (segmentChars !== undefined && !/^[1-9]\d*$/.test(segmentChars)) throw new Error(`--segment-chars takes a positive whole number of characters, not "${segmentChars}"`);
  const segmentCharacters = segmentChars === undefined ? DEFAULT_SEGMENT_CHARACTERS : Number(segmentChars);
  return Object.freeze({
    corpus: Object.freeze(values.corpus && values.corpus.length > 0 ? values.corpus : [DEFAULT_CORPUS]),
    out: values.out ?? DEFAULT_INDEX,
    userDict: values.dict ?? null,
    force: values.force ?? false,
    segmentCharacters,
    mergePolicy: Object.freeze({ ...DEFAULT_MERGE_POLICY, maxSegmentCharacters: segmentCharacters }),
    watch: values.watch ? Object.freeze(parseRescanSeconds(values.rescan, '--rescan')) : null,
  });
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

async function main(): Promise<number> {
  let options: ReturnType<typeof parseBuildArgs>;
  try {
    options = parseBuildArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ('help' in options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  // The watcher's modules load only for --watch: every other build starts without them.
  if (options.watch !== null) return (await import('./watch/watch-command.js')).runWatch(options, options.watch);
  const outcome = await runBuild(options, createReporter(process.stderr));
  if (outcome.status === 'up-to-date') {
    const { counts } = outcome.manifest;
    process.stdout.write(
      `index ${options.out} is up to date with its corpus (${counts.documents} documents, ${counts.paragraphs} paragraphs); use --force to rebuild\n`,
    );
    return 0;
  }
  const { counts, problems, files, seconds, bytes, update } = outcome;
  process.stdout.write(`files by type:\n${fileSummaryLines(files).join('\n')}\n`);
  if (!update.full) {
    process.stdout.write(
      `updated: ${update.filesRead} file(s) read, ${update.analyzed} document(s) analyzed, ${update.kept} kept, ${update.removed} removed or replaced; ` +
        `${update.segments} segment(s)${update.merged ? ' after a merge' : ''}\n`,
    );
  }
  process.stdout.write(
    `indexed ${counts.documents.toLocaleString('en')} documents, ${counts.paragraphs.toLocaleString('en')} paragraphs, ` +
      `${counts.characters.toLocaleString('en')} characters in ${seconds.toFixed(1)} s; index ${megabytes(bytes)} in ${options.out}\n`,
  );
  // Warnings (kept: indexed anyway) are named above but skip nothing.
  const skipped = problems.filter((problem) => problem.kept !== true).length;
  if (problems.length > skipped) process.stdout.write(`${problems.length - skipped} warning(s), each named above; nothing was skipped for them\n`);
  if (skipped > 0) {
    process.stdout.write(`${skipped} input(s) skipped, each named above with its reason\n`);
    return 3;
  }
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // Expected failures carry a "sou:" message; anything else is a bug worth its stack.
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(message.startsWith('sou:') ? `${message}\n` : `sou: build failed: ${error instanceof Error ? error.stack : message}\n`);
    process.exitCode = 1;
  },
);
