// The offline build: index files round trip through disk, the command line, atomic replacement of an index when a
// build is killed, and refusing an index that cannot be used.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANALYZER_VERSION, foldKeepsOffsets, foldString, indexableLength, paragraphTerms, requiredTerms, titleTerms, wordTerm } from '../indexer/analyzer/index.js';
import type { SourceDocument } from '../indexer/corpus/index.js';
import { GRAMS_FILE, INDEX_FORMAT, MANIFEST_FILE, STORE_FILE, WORDS_FILE, type Manifest } from '../indexer/index/format.js';
import { IndexLoadError, loadIndex, type LoadedIndex } from '../indexer/index/load.js';
import { mixedText } from './support/arbitraries.js';
import { writeDocumentsIndex } from './support/write-index.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { allTexts } from './support/texts.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'indexer', 'cli.js');
const SAMPLE = path.join(ROOT, 'test', 'fixtures', 'eval-sample');

const tempDir = tempDirFactory('build');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the compiled build command (npm test compiles first; alone: `npm run build`). */
function cli(...args: string[]): Run {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
function requireDist(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
const generations = (dir: string): string[] => readdirSync(dir).filter((entry) => entry.startsWith('gen-'));
const codePoints = (text: string): number => [...text].length;

const DOCUMENTS: SourceDocument[] = [
  { id: 'alipay.txt', title: '支付寶的十五年', paragraphs: ['支付寶在2004年上線。', '淘寶和天貓的交易越來越多。', '用支付宝付款很方便。'] },
  { id: 'notes/cto.md', title: 'CTO Notes', paragraphs: ['ＣＴＯ程立說：iPad 64K。', '繻𠮷😀 mixed\u200b text'] },
];
const ALL_PARAGRAPHS = DOCUMENTS.flatMap((d) => d.paragraphs);

async function writeSmallIndex(dir: string, documents: readonly SourceDocument[] = DOCUMENTS): Promise<Manifest> {
  return writeDocumentsIndex(dir, documents);
}

/** The load error of `dir` (fails the test when it loads). */
async function loadError(dir: string): Promise<IndexLoadError> {
  const error = await loadIndex(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IndexLoadError);
  return error as IndexLoadError;
}

describe('index round trip', () => {
  let dir: string;
  let written: Manifest;
  let index: LoadedIndex;
  beforeAll(async () => {
    dir = tempDir();
    written = await writeSmallIndex(dir);
    index = await loadIndex(dir);
  });

  it('loads the counts, the manifest and the analyzer version it was written with', () => {
    expect(index.manifest).toEqual(written);
    expect(index.manifest.analyzer.analyzer).toBe(ANALYZER_VERSION);
    expect(index.manifest.counts).toEqual({
      documents: 2,
      paragraphs: 5,
      characters: ALL_PARAGRAPHS.reduce((sum, p) => sum + codePoints(p), 0),
    });
    expect(index.documents.map((d) => [d.id, d.title, d.firstParagraph, d.paragraphCount])).toEqual([
      ['alipay.txt', '支付寶的十五年', 0, 3],
      ['notes/cto.md', 'CTO Notes', 3, 2],
    ]);
    expect(index.documentById.get('notes/cto.md')).toBe(1);
    expect([...index.paragraphDocument]).toEqual([0, 0, 0, 1, 1]);
  });

  it('keeps every paragraph text exactly as given, astral characters and U+200B included', () => {
    expect(allTexts(index)).toEqual(ALL_PARAGRAPHS);
    expect(allTexts(index).map((_, id) => index.foldedParagraph(id))).toEqual(ALL_PARAGRAPHS.map(foldString));
    expect(Array.from(index.paragraphLength)).toEqual(ALL_PARAGRAPHS.map((text) => indexableLength(foldString(text))));
  });

  it('knows which paragraphs fold without moving an offset, asked before and after warm()', async () => {
    const expected = ALL_PARAGRAPHS.map(foldKeepsOffsets);
    expect(expected).toContain(true);
    expect(expected).toContain(false); // the astral character and U+200B move offsets
    expect(allTexts(index).map((_, id) => index.foldKeepsOffsets(id))).toEqual(expected);
    const fresh = await loadIndex(dir);
    await fresh.warm();
    expect(allTexts(fresh).map((_, id) => fresh.foldKeepsOffsets(id))).toEqual(expected);
  });

  it('finds the postings of n-grams and words, Traditional and Simplified alike', () => {
    expect(Array.from(index.terms.postings('支付'))).toEqual([0, 2]);
    expect(Array.from(index.terms.postings('付宝'))).toEqual([0, 2]);
    expect(Array.from(index.terms.postings(wordTerm('支付宝')))).toEqual([0, 2]);
    expect(Array.from(index.terms.postings('天猫'))).toEqual([1]);
    expect(Array.from(index.terms.postings('ct'))).toEqual([3]);
    expect(Array.from(index.terms.postings(wordTerm('64k')))).toEqual([3]); // a word of one paragraph (words.bin)
    expect(Array.from(index.terms.postings('𦈡𠮷'))).toEqual([4]);
    expect(Array.from(index.terms.postings('不在'))).toEqual([]);
  });

  it('indexes titles by document', () => {
    expect(Array.from(index.titles.postings('十五'))).toEqual([0]);
    expect(Array.from(index.titles.postings('宝'))).toEqual([0]);
    expect(Array.from(index.titles.postings('no'))).toEqual([1]);
    expect(Array.from(index.titles.postings('支付'))).toEqual([0]);
    expect(Array.from(index.titles.postings('mi'))).toEqual([]); // paragraph text is not title text
  });

  it('replaces the index with the next one written and removes the old generation', async () => {
    const other = tempDir();
    const first = await writeSmallIndex(other);
    const second = await writeSmallIndex(other, [DOCUMENTS[1]!]);
    expect(second.generation).not.toBe(first.generation);
    expect(generations(other)).toEqual([second.generation]);
    const loaded = await loadIndex(other);
    expect(loaded.manifest.counts.paragraphs).toBe(2);
    expect(Array.from(loaded.terms.postings('支付'))).toEqual([]);
  });
});

describe('index round trip (properties)', () => {
  const documents = fc
    .array(fc.record({ title: mixedText, paragraphs: fc.array(mixedText.filter((p) => p !== ''), { minLength: 1, maxLength: 4 }) }), {
      minLength: 1,
      maxLength: 5,
    })
    .map((docs) => docs.map((d, i): SourceDocument => ({ id: `doc-${i}`, title: d.title, paragraphs: d.paragraphs })));

  /** Ids (in order) of the items whose terms include `term`. */
  const holders = (termLists: readonly (readonly string[])[], term: string): number[] =>
    termLists.flatMap((terms, id) => (terms.includes(term) ? [id] : []));

  it('gives back, from disk, exactly the paragraphs and titles that have each term, whatever the text', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(documents, async (docs) => {
        await writeSmallIndex(dir, docs);
        const index = await loadIndex(dir);
        const paragraphs = docs.flatMap((d) => d.paragraphs);
        expect(allTexts(index)).toEqual(paragraphs);
        expect(index.documents.map((d) => d.title)).toEqual(docs.map((d) => d.title));
        const paragraphTermLists = paragraphs.map(paragraphTerms);
        for (const term of new Set(paragraphTermLists.flat())) {
          expect(Array.from(index.terms.postings(term)), JSON.stringify(term)).toEqual(holders(paragraphTermLists, term));
        }
        const titleTermLists = docs.map((d) => titleTerms(d.title));
        for (const term of new Set(titleTermLists.flat())) {
          expect(Array.from(index.titles.postings(term)), JSON.stringify(term)).toEqual(holders(titleTermLists, term));
        }
      }),
      { numRuns: Number(process.env.SOU_PROPERTY_RUNS ?? 60) },
    );
  });

  it('finds every paragraph that contains a query in the postings of all its required terms', async () => {
    const dir = tempDir();
    await fc.assert(
      fc.asyncProperty(documents, fc.nat(), fc.nat(), fc.nat(), async (docs, pick, a, b) => {
        await writeSmallIndex(dir, docs);
        const index = await loadIndex(dir);
        const source = index.paragraphText(pick % index.paragraphCount);
        const i = a % (source.length + 1);
        const query = foldString(source.slice(i, i + (b % 12)));
        const containing = allTexts(index).map((_, id) => index.foldedParagraph(id)).flatMap((text, id) => (text.includes(query) ? [id] : []));
        for (const term of requiredTerms(query)) {
          const postings = new Set(Array.from(index.terms.postings(term)));
          for (const id of containing) expect(postings.has(id), `${JSON.stringify(term)} of ${JSON.stringify(query)}`).toBe(true);
        }
      }),
      { numRuns: Number(process.env.SOU_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe('index load errors', () => {
  const expectRebuildHint = (error: IndexLoadError, file: string): void => {
    expect(error.file).toBe(file);
    expect(error.message).toContain(file);
    expect(error.message).toContain('npm run index');
  };

  it('refuses an index built by another analyzer version, naming the manifest', async () => {
    const dir = tempDir();
    const manifest = await writeSmallIndex(dir);
    const file = path.join(dir, MANIFEST_FILE);
    writeFileSync(file, JSON.stringify({ ...manifest, analyzer: { ...manifest.analyzer, analyzer: ANALYZER_VERSION + 1 } }));
    const error = await loadError(dir);
    expectRebuildHint(error, file);
    expect(error.message).toContain('analyzer');
  });

  it('refuses a truncated or altered paragraph store, naming it', async () => {
    const dir = tempDir();
    const manifest = await writeSmallIndex(dir);
    const file = path.join(dir, manifest.segments[0]!.name, STORE_FILE);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 7));
    expectRebuildHint(await loadError(dir), file);
    // Same length, one byte changed: still refused.
    const altered = Buffer.from(bytes);
    const at = altered.indexOf(Buffer.from('支', 'utf16le')); // the store holds UTF-16
    expect(at).toBeGreaterThan(0);
    altered[at] = altered[at]! ^ 0x01;
    writeFileSync(file, altered);
    expectRebuildHint(await loadError(dir), file);
  });

  it.each([WORDS_FILE, GRAMS_FILE])('refuses an index whose postings file %s is missing, naming it', async (name) => {
    const dir = tempDir();
    const manifest = await writeSmallIndex(dir);
    const file = path.join(dir, manifest.segments[0]!.name, name);
    rmSync(file);
    expectRebuildHint(await loadError(dir), file);
  });

  it('refuses an index of the previous format (no locations, no corpus roots) for its format, with the rebuild command', async () => {
    const dir = tempDir();
    const manifest = await writeSmallIndex(dir);
    const { roots: _roots, ...corpus } = manifest.corpus;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, format: INDEX_FORMAT - 1, corpus }));
    const error = await loadError(dir);
    expectRebuildHint(error, path.join(dir, MANIFEST_FILE));
    expect(error.message).toContain(`index format ${INDEX_FORMAT - 1}, this Sou reads format ${INDEX_FORMAT}`);
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...manifest, corpus: { ...corpus, roots: ['relative/path'] } }));
    expect((await loadError(dir)).message).toContain('incomplete (corpus roots)');
  });

  it('refuses an index of an older layout (format 5: no segments) for its format, not as incomplete', async () => {
    const dir = tempDir();
    const manifest = await writeSmallIndex(dir);
    const { generation: _generation, segments: _segments, ...older } = manifest;
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify({ ...older, format: 5 }));
    const error = await loadError(dir);
    expectRebuildHint(error, path.join(dir, MANIFEST_FILE));
    expect(error.message).toContain(`index format 5, this Sou reads format ${INDEX_FORMAT}`);
  });

  it('refuses a folder without a manifest, naming manifest.json', async () => {
    const dir = tempDir();
    expectRebuildHint(await loadError(dir), path.join(dir, MANIFEST_FILE));
    writeFileSync(path.join(dir, MANIFEST_FILE), '{"format": 1, "generat');
    expectRebuildHint(await loadError(dir), path.join(dir, MANIFEST_FILE));
  });
});

describe('index command line', () => {
  beforeAll(requireDist);

  /** The numbers of the summary line `indexed D documents, P paragraphs, C characters in S s; index N MB in OUT`. */
  function summary(stdout: string): { documents: number; paragraphs: number; characters: number; seconds: number } {
    const match = /indexed ([\d,]+) documents?, ([\d,]+) paragraphs?, ([\d,]+) characters? in (\d+(?:\.\d+)?) s; index (\d+(?:\.\d+)?) [KMG]?B in /.exec(stdout);
    if (match === null) throw new Error(`no summary line in: ${stdout}`);
    const n = (i: number): number => Number(match[i]!.replaceAll(',', ''));
    return { documents: n(1), paragraphs: n(2), characters: n(3), seconds: n(4) };
  }

  it('builds the seed corpus, then says it is up to date, and rebuilds with --force', async () => {
    const out = path.join(tempDir(), 'index');
    const first = cli('--corpus', 'corpus', '--out', out);
    expect(first.status, first.stderr).toBe(0);
    const counts = summary(first.stdout);
    const index = await loadIndex(out);
    expect(counts).toMatchObject(index.manifest.counts);
    expect(counts.documents).toBe(readdirSync(path.join(ROOT, 'corpus')).length);
    expect(counts.paragraphs).toBeGreaterThan(100);
    expect(first.stdout).toContain(out);

    const again = cli('--corpus', 'corpus', '--out', out);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    expect(readManifest(out)).toEqual(index.manifest);

    const forced = cli('--corpus', 'corpus', '--out', out, '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(summary(forced.stdout)).toMatchObject(index.manifest.counts);
    const rebuilt = readManifest(out);
    expect(rebuilt.generation).not.toBe(index.manifest.generation);
    expect(generations(out)).toEqual([rebuilt.generation]);
  });

  it('skips an undecodable file, names it, builds the rest and exits 3', async () => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'good.txt'), '第一段。\n\n第二段。\n');
    writeFileSync(path.join(corpus, 'broken.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x63, 0x72, 0xe8, 0x6d, 0x65, 0x0a])); // Latin-1
    const out = path.join(dir, 'index');
    const run = cli('--corpus', corpus, '--out', out);
    expect(run.status).toBe(3);
    expect(run.stdout + run.stderr).toContain('broken.txt');
    expect(run.stdout + run.stderr).not.toContain('good.txt:');
    const index = await loadIndex(out);
    expect(index.documents.map((d) => d.id)).toEqual(['good.txt']);
    expect(index.manifest.corpus.problems).toBe(1);
  });

  it('fails with a one-line sou: message and exit 1 for a corpus path that does not exist', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'no-such-corpus');
    const out = path.join(dir, 'index');
    const run = cli('--corpus', missing, '--out', out);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sou: .*no-such-corpus/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(path.join(out, MANIFEST_FILE))).toBe(false);
  });

  it('rejects an unknown flag with exit 2 and the usage', () => {
    const run = cli('--corpsu', 'corpus');
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^sou: .*--corpsu/);
    expect(run.stderr).toContain('usage:');
    expect(cli('--out').status).toBe(2); // a flag without its value
  });

  it('builds the committed eval sample (.jsonl): one document of one paragraph per line', async () => {
    const lines = readFileSync(path.join(SAMPLE, 'corpus.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { id: string; title: string; text: string });
    expect(lines).toHaveLength(300);
    const out = path.join(tempDir(), 'index');
    const run = cli('--corpus', path.join(SAMPLE, 'corpus.jsonl'), '--out', out);
    expect(run.status, run.stderr).toBe(0);
    const index = await loadIndex(out);
    expect(index.manifest.counts).toEqual({
      documents: 300,
      paragraphs: 300,
      characters: lines.reduce((sum, line) => sum + codePoints(line.text), 0),
    });
    expect(index.documents.map((d) => d.id)).toEqual(lines.map((line) => line.id));
    expect(index.documents.map((d) => d.title)).toEqual(lines.map((line) => line.title));
    expect(allTexts(index)).toEqual(lines.map((line) => line.text));
    // Every gold paragraph of the sample queries is in the sample.
    for (const file of ['queries-drcd-sample.jsonl', 'queries-cmrc-sample.jsonl']) {
      const queries = readFileSync(path.join(SAMPLE, file), 'utf8').trim().split('\n');
      expect(queries.length).toBeGreaterThan(100);
      for (const query of queries) {
        for (const gold of (JSON.parse(query) as { gold: string[] }).gold) expect(index.documentById.has(gold)).toBe(true);
      }
    }
  });
});

describe('atomic replacement', () => {
  beforeAll(requireDist);

  /** A .jsonl corpus of `count` paragraphs cut from the eval sample (deterministic). */
  function generatedCorpus(dir: string, count: number): string {
    const source = readFileSync(path.join(SAMPLE, 'corpus.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { text: string }).text)
      .join('');
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = Math.floor(random() * (source.length - 200));
      lines.push(JSON.stringify({ id: `gen:${i}`, title: `生成 ${i}`, text: source.slice(at, at + 60 + Math.floor(random() * 80)).trim() || '空' }));
    }
    const file = path.join(dir, 'generated.jsonl');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  interface KillPoint {
    readonly name: string;
    /** Kill once a stderr line matches (then after `delayMs`); without it, `delayMs` after the start. */
    readonly line?: RegExp;
    readonly delayMs: number;
  }

  interface Killed {
    readonly stderr: string;
    /** False when the build finished before the kill landed. */
    readonly killed: boolean;
  }

  /**
   * Starts a build of `corpus` into `out` and SIGKILLs it at `point`, or (`point` 'writing') as soon as a new
   * generation folder appears in `out`, that is while the build writes its files.
   */
  function buildAndKill(corpus: string, out: string, point: KillPoint | 'writing'): Promise<Killed> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, '--corpus', corpus, '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let timer: NodeJS.Timeout | undefined;
      const kill = (delayMs: number): void => {
        timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
      };
      const existing = new Set(generations(out));
      const watcher =
        point === 'writing'
          ? watch(out, (_event, name) => {
              if (name?.startsWith('gen-') && !existing.has(name)) child.kill('SIGKILL');
            })
          : undefined;
      if (point !== 'writing' && point.line === undefined) kill(point.delayMs);
      createInterface({ input: child.stderr }).on('line', (line) => {
        stderr += `${line}\n`;
        if (point !== 'writing' && point.line?.test(line)) kill(point.delayMs);
      });
      child.stdout.resume();
      child.on('error', reject);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        watcher?.close();
        if (signal === 'SIGKILL') resolve({ stderr, killed: true });
        else if (point === 'writing' && code === 0) resolve({ stderr, killed: false });
        else reject(new Error(`the build ended (${code}) before the kill at ${point === 'writing' ? point : point.name}\n${stderr}`));
      });
    });
  }

  it('leaves the previous index loadable when a build is killed at any phase; the next build succeeds and cleans up', async () => {
    const dir = tempDir();
    const small = path.join(dir, 'small');
    mkdirSync(small);
    writeFileSync(path.join(small, 'a.txt'), '支付寶的系統。\n\n第二段，CTO程立。\n');
    writeFileSync(path.join(small, 'b.md'), '# 標題\n\n雙11當天。\n');
    const out = path.join(dir, 'index');
    expect(cli('--corpus', small, '--out', out).status).toBe(0);
    const before = await loadIndex(out);
    expect(before.manifest.counts).toMatchObject({ documents: 2, paragraphs: 4 }); // the heading is a paragraph too
    const expectIndexA = async (when: string): Promise<void> => {
      const after = await loadIndex(out);
      expect(after.manifest, when).toEqual(before.manifest);
      expect(allTexts(after), when).toEqual(allTexts(before));
      expect(Array.from(after.terms.postings('支付')), when).toEqual([0]);
    };

    // 6,000 paragraphs: analyzed on worker threads (from 5,000 on), a few seconds of build.
    const big = generatedCorpus(dir, 6_000);
    const points: KillPoint[] = [
      { name: 'start-up', delayMs: 200 },
      { name: 'workers starting', line: /^analyzing/, delayMs: 300 },
      { name: 'mid-analysis', line: /\b[3-6]0% \(\d+\/\d+ paragraphs\)/, delayMs: 0 },
    ];
    for (const point of points) {
      const { stderr, killed } = await buildAndKill(big, out, point);
      expect(killed, point.name).toBe(true);
      if (point.line !== undefined) expect(stderr.split('\n').some((line) => point.line!.test(line)), point.name).toBe(true);
      await expectIndexA(point.name);
    }
    // A killed build never replaces the index: the small corpus is still up to date.
    expect(cli('--corpus', small, '--out', out).stdout).toMatch(/up to date/);

    // Killed while writing its generation folder: the manifest still names the old one.
    const writing = await buildAndKill(big, out, 'writing');
    expect(writing.stderr).toMatch(/^writing the index/m);
    if (writing.killed && readManifest(out).generation === before.manifest.generation) {
      await expectIndexA('writing');
      expect(generations(out).length).toBe(2); // the old generation and the partial new one
    } else {
      // The kill landed after the manifest was replaced (a very slow test process): the new index is complete.
      const replaced = await loadIndex(out);
      expect(replaced.manifest.counts.paragraphs).toBe(6_000);
    }

    // Whatever the killed builds left behind (a partial generation folder when killed while writing), the next
    // build completes and cleans it up. Its paragraphs were analyzed on worker threads, batch by batch, and its
    // gram postings laid out on a thread of their own (gram-encode.ts): the postings are the same as analysis in
    // this process gives.
    const done = cli('--corpus', big, '--out', out);
    expect(done.status, done.stderr).toBe(0);
    const rebuilt = await loadIndex(out);
    expect(rebuilt.manifest.counts).toMatchObject({ documents: 6_000, paragraphs: 6_000 });
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, rebuilt.manifest.generation, ...rebuilt.manifest.segments.map((segment) => segment.name)].sort());
    const expected = new Map<string, number[]>();
    allTexts(rebuilt).forEach((text, id) => {
      for (const term of paragraphTerms(text)) expected.set(term, [...(expected.get(term) ?? []), id]);
    });
    const sample = [...expected.keys()].filter((_, i) => i % 97 === 0);
    for (const term of sample) expect(Array.from(rebuilt.terms.postings(term)), JSON.stringify(term)).toEqual(expected.get(term));
  }, 120_000);

  it('builds over a leftover partial generation and manifest temp file, and removes them', async () => {
    const dir = tempDir();
    const first = await writeSmallIndex(dir);
    // What a build killed while writing leaves: a generation folder with a half-written file, a manifest temp file.
    const leftover = path.join(dir, 'gen-0-1');
    mkdirSync(path.join(leftover, 'terms'), { recursive: true });
    writeFileSync(path.join(leftover, STORE_FILE), '{"documents":[{"id":"half');
    writeFileSync(path.join(dir, `${MANIFEST_FILE}.4242.tmp`), '{"format":');
    expect((await loadIndex(dir)).manifest).toEqual(first);

    const second = await writeSmallIndex(dir, [DOCUMENTS[0]!]);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, second.generation, second.segments[0]!.name].sort());
    const loaded = await loadIndex(dir);
    expect(loaded.manifest).toEqual(second);
    expect(allTexts(loaded)).toEqual(DOCUMENTS[0]!.paragraphs);
  });
});
