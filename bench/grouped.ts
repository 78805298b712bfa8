// `npm run bench:grouped -- [--sizes 311k] [--poetry PATH] [--quick] [--reuse-index]`: filtered and grouped queries (issue 24).
// The poems of data/bench-<size>.jsonl (bench/corpus.ts) are put into documents of DOCUMENT_POEMS poems each,
// in folders by dynasty and by block of documents, each dated (a synthetic year, so that the date filters and the
// year facet have something to choose from), and built with the CLI. Then, in process as bench/sou.ts does, the
// sampled queries (bench/queries.ts) are asked grouped by document with the page's facets, each with one of the
// FILTERS, and plain for comparison; the time is each response's own `tookMs`. Prints a Markdown table and writes
// it to data/bench-grouped-<time>.md. --reuse-index keeps an index this command built before (data/bench-<size>-documents)
// instead of building it again, for measuring query-side changes.
import { existsSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher, type SearchOptions } from '../server/search/engine.js';
import { findProjectRoot } from '../server/project-root.js';
import { measureBuild } from './build.js';
import { parseSizes, prepareCorpus, readCorpus, type BenchSize, type CorpusDocument } from './corpus.js';
import { sampleClasses } from './queries.js';
import { createScan } from './scan.js';
import { summarize, type Summary } from './stats.js';
import { exitWith } from './process.js';

const ROOT = findProjectRoot(fileURLToPath(import.meta.url));
const USAGE = 'usage: npm run bench:grouped -- [--sizes 311k] [--poetry PATH] [--quick] [--reuse-index]';
const SEED = 1;
const WARMUP_SEED = 2;
/** Poems a document: the issue's split of the poetry corpus into documents. */
const DOCUMENT_POEMS = 100;
/** Documents a second-level folder: `tang/003` holds documents 30 to 39 of the Tang poems. */
const FOLDER_DOCUMENTS = 10;
/** The synthetic dates cycle through these years. */
const FIRST_YEAR = 2015;
const YEARS = 10;

/** The filters the timed queries take in turn: a dynasty, a folder, a year, a date range, a title word. */
const FILTERS = ['in:tang', 'in:song/001', 'year:2020', 'after:2017-06-01 before:2021', 'in:song year:2018', ''] as const;

/** Documents of DOCUMENT_POEMS poems, as .jsonl lines: folders by dynasty (the poem id's second part). */
function documentLines(poems: readonly CorpusDocument[]): string[] {
  const lines: string[] = [];
  const counters = new Map<string, number>();
  for (let start = 0; start < poems.length; start += DOCUMENT_POEMS) {
    const part = poems.slice(start, start + DOCUMENT_POEMS);
    const dynasty = /^poem:([a-z]+):/.exec(part[0]!.id)?.[1] ?? 'other';
    const n = counters.get(dynasty) ?? 0;
    counters.set(dynasty, n + 1);
    const id = `${dynasty}/${String(Math.floor(n / FOLDER_DOCUMENTS)).padStart(3, '0')}/${String(n).padStart(5, '0')}`;
    const date = `${FIRST_YEAR + (lines.length % YEARS)}-${String((lines.length % 12) + 1).padStart(2, '0')}-15`;
    // One poem a paragraph: blank lines between them (splitParagraphs).
    lines.push(JSON.stringify({ id, title: part[0]!.title, date, text: part.map((poem) => poem.text).join('\n\n') }));
  }
  return lines;
}

interface Options {
  readonly sizes: readonly BenchSize[];
  readonly poetry: string;
  readonly quick: boolean;
  readonly reuseIndex: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string' },
      poetry: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'reuse-index': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  return {
    sizes: parseSizes(values.sizes ?? '311k'),
    poetry: values.poetry === undefined ? join(ROOT, '..', 'shared', 'bench', 'poetry.jsonl.gz') : resolve(values.poetry),
    quick: values.quick ?? false,
    reuseIndex: values['reuse-index'] ?? false,
  };
}

const log = (line: string): void => void process.stderr.write(`bench: ${line}\n`);
const ms = (value: number): string => value.toFixed(2);

interface Row {
  readonly name: string;
  readonly grouped: Summary;
  readonly plain: Summary;
}

async function benchSize(size: BenchSize, options: Options): Promise<{ rows: Row[]; documents: number; paragraphs: number; buildSeconds: number | null }> {
  const poemsRel = `data/bench-${size.label}.jsonl`;
  const corpusRel = `data/bench-${size.label}-documents.jsonl`;
  const indexRel = `data/bench-${size.label}-documents`;
  await prepareCorpus(options.poetry, size, join(ROOT, poemsRel));
  const poems = await readCorpus(join(ROOT, poemsRel));
  let buildSeconds: number | null = null;
  if (options.reuseIndex && existsSync(join(ROOT, indexRel, 'manifest.json'))) {
    log(`${size.label}: reusing ${indexRel}`);
  } else {
    writeFileSync(join(ROOT, corpusRel), `${documentLines(poems).join('\n')}\n`);
    log(`${size.label}: building ${indexRel} (${poems.length.toLocaleString('en')} poems, ${DOCUMENT_POEMS} a document)`);
    const build = await measureBuild(ROOT, corpusRel, indexRel);
    buildSeconds = build.seconds;
    log(`${size.label}: built in ${build.seconds.toFixed(1)} s`);
  }

  const texts = poems.map((poem) => poem.text);
  const scan = createScan(texts);
  // Questions need the eval set: the grouped run keeps to the classes sampled from the texts (a placeholder
  // question is sampled, and its class dropped).
  const sources = { texts, questions: ['?'], occurs: (q: string) => scan.occurs(q) };
  const perClass = options.quick ? 50 : 200;
  const classes = sampleClasses(sources, perClass, SEED).filter((c) => c.name !== 'question');
  const warmup = sampleClasses(sources, 20, WARMUP_SEED).filter((c) => c.name !== 'question');

  const searcher = createSearcher(await loadIndex(join(ROOT, indexRel)));
  await searcher.warm();
  const grouped = (query: string, i: number): number => {
    const filter = FILTERS[i % FILTERS.length]!;
    const options: SearchOptions = { limit: 10, offset: 0, group: 'doc', facets: ['folder', 'type', 'year'] };
    return searcher.search(filter === '' ? query : `${query} ${filter}`, options).tookMs;
  };
  const plain = (query: string): number => searcher.search(query, { limit: 10, offset: 0 }).tookMs;
  for (const { queries } of warmup) queries.forEach((query, i) => (grouped(query, i), plain(query)));
  const rows: Row[] = [];
  const all = { grouped: [] as number[], plain: [] as number[] };
  for (const { label, queries } of classes) {
    const g = queries.map(grouped);
    const p = queries.map(plain);
    all.grouped.push(...g);
    all.plain.push(...p);
    rows.push({ name: label, grouped: summarize(g), plain: summarize(p) });
  }
  rows.push({ name: 'all', grouped: summarize(all.grouped), plain: summarize(all.plain) });
  const { documents, paragraphs } = searcher.index.manifest.counts;
  return { rows, documents, paragraphs, buildSeconds };
}

async function main(): Promise<number> {
  let options: Options | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message.replace(/^sou: /, '')}\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sections: string[] = [];
  for (const size of options.sizes) {
    const result = await benchSize(size, options);
    sections.push(
      [
        `### Filtered and grouped queries, ${size.label} poems in documents of ${DOCUMENT_POEMS} (${result.documents.toLocaleString('en')} documents, ${result.paragraphs.toLocaleString('en')} paragraphs)`,
        '',
        `Grouped by document with facets folder, type and year, each query with one of: ${FILTERS.map((f) => (f === '' ? '(none)' : `\`${f}\``)).join(', ')}. Plain: the same query, ungrouped, unfiltered. tookMs in ms.`,
        '',
        '| class | n | grouped p50 | grouped p99 | grouped max | plain p50 | plain p99 |',
        '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
        ...result.rows.map((r) => `| ${r.name} | ${r.grouped.n} | ${ms(r.grouped.p50)} | ${ms(r.grouped.p99)} | ${ms(r.grouped.max)} | ${ms(r.plain.p50)} | ${ms(r.plain.p99)} |`),
        '',
      ].join('\n'),
    );
  }
  const text = sections.join('\n');
  process.stdout.write(`\n${text}`);
  const reportPath = join(ROOT, 'data', `bench-grouped-${new Date().toISOString().replace(/[:.]/g, '-')}.md`);
  writeFileSync(reportPath, text);
  log(`wrote the report to ${relative(process.cwd(), reportPath) || reportPath}`);
  return 0;
}

exitWith(main());
