// The build names every file it does not index, with the reason, and exits 3; the seed article reads the same
// in every format.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { readCorpus, summarizeFiles, type SourceDocument } from '../indexer/corpus/index.js';
import { loadIndex } from '../indexer/index/load.js';
import { fileSummaryLines } from '../indexer/progress.js';
import { documentFixture } from './support/document-text.js';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX_CLI = path.join(ROOT, 'dist', 'indexer', 'cli.js');
const tempDir = tempDirFactory('build-summary');

beforeAll(() => {
  if (!existsSync(INDEX_CLI)) throw new Error(`${INDEX_CLI} is missing: run \`npm run build\` first (npm test does)`);
});

/** Copies a fixture folder to a path with a space, CJK and a dot folder in it, as users' folders have. */
function copied(folder: string): string {
  const target = path.join(tempDir(), '.hidden parent', '文档 folder');
  cpSync(documentFixture(folder), target, { recursive: true });
  return target;
}

describe('the build over a folder of good and bad files', () => {
  it('names every bad file with its reason, exits 3, and indexes the good files', async () => {
    const corpus = copied('bad');
    const out = path.join(tempDir(), 'index');
    const result = spawnSync(process.execPath, [INDEX_CLI, '--corpus', corpus, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    const output = result.stdout + result.stderr;
    expect(result.status, output).toBe(3);
    const skipped = (name: string): string | undefined => output.split('\n').find((line) => line.startsWith('skipped ') && line.includes(name));
    expect(skipped('encrypted.pdf')).toMatch(/\(encrypted\): an encrypted PDF/);
    expect(skipped('scan.pdf')).toMatch(/\(no text layer\)/);
    expect(skipped('corrupt.docx')).toMatch(/\(corrupt\): not a readable zip file/);
    expect(skipped('bomb.epub')).toMatch(/\(too large\): the zip entry c1\.xhtml declares/);
    expect(skipped('binary.html')).toMatch(/\(corrupt\): not HTML: a binary file/);
    // Issue 20: a file of a type Sou does not read used to be dropped without a word.
    expect(skipped('table.csv')).toMatch(/\(unsupported type\): unsupported file type \.csv/);
    expect(output).toMatch(/^ {2}pdf +1 indexed, 2 skipped \(1 encrypted, 1 no text layer\); read in /m);
    expect(output).toMatch(/^ {2}\.csv +0 indexed, 1 skipped \(1 unsupported type\)$/m);
    expect(output).toMatch(/6 input\(s\) skipped/);
    const index = await loadIndex(out);
    expect(index.documents.map((d) => d.id).sort()).toEqual(['good.docx', 'good.md', 'good.pdf']);
  });

  it('ignores hidden dot-files without counting them as skipped', async () => {
    const corpus = copied('bad');
    cpSync(documentFixture('bad', 'table.csv'), path.join(corpus, '.DS_Store'));
    const { outcomes } = await readCorpus([corpus]);
    expect(outcomes.some((o) => o.file.includes('.DS_Store'))).toBe(false);
    expect(outcomes).toHaveLength(9);
  });
});

describe('summarizeFiles and its lines', () => {
  it('counts files by type, indexed and skipped by reason', () => {
    const summary = summarizeFiles([
      { file: 'a.pdf', type: 'pdf', ms: 1000 },
      { file: 'b.pdf', type: 'pdf', skipped: 'encrypted', ms: 0 },
      { file: 'c.pdf', type: 'pdf', skipped: 'encrypted', ms: 0 },
      { file: 'd.csv', type: '.csv', skipped: 'unsupported type', ms: 0 },
    ]);
    expect(summary).toEqual([
      { type: 'pdf', indexed: 1, skipped: { encrypted: 2 }, seconds: 1 },
      { type: '.csv', indexed: 0, skipped: { 'unsupported type': 1 }, seconds: 0 },
    ]);
    expect(fileSummaryLines(summary)).toEqual(['  pdf   1 indexed, 2 skipped (2 encrypted); read in 1.00 s', '  .csv  0 indexed, 1 skipped (1 unsupported type)']);
  });
});

describe('the seed article in every format', () => {
  it('gives the same paragraphs for 支付宝 and 程立 from .md, .html (GBK), .pdf, .docx and .epub, each with a location', async () => {
    const { documents, problems } = await readCorpus([documentFixture('seed')]);
    expect(problems).toEqual([]);
    const byFormat = new Map<string, SourceDocument>(documents.map((d) => [d.format ?? '', d]));
    expect([...byFormat.keys()].sort()).toEqual(['docx', 'epub', 'html', 'md', 'pdf']);
    const matching = (document: SourceDocument): string[] =>
      document.paragraphs.map((p) => foldString(p)).filter((p) => p.includes('支付宝') && p.includes('程立'));
    const expected = matching(byFormat.get('md')!);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const [format, document] of byFormat) {
      expect(matching(document), format).toEqual(expected);
      const located = document.paragraphs.flatMap((p, i) => (foldString(p).includes('程立') ? [document.locations?.[i]] : []));
      expect(located.every((location) => location !== undefined && Object.keys(location).length > 0), format).toBe(true);
    }
  });
});
