import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { IsolatedFormat } from '../indexer/corpus/formats/index.js';
import { createReaderPool, readerWorkerFile, type ReaderPoolOptions, type ReadOutcome } from '../indexer/corpus/formats/pool.js';
import { documentFixture } from './support/document-text.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('pool');

/** A valid PDF of `count` blank pages, all one page object listed `count` times: small on disk, long to walk. */
function pdfOfPages(count: number): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${'3 0 R '.repeat(count)}] /Count ${count} >>`,
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

beforeAll(() => {
  if (!existsSync(readerWorkerFile())) throw new Error(`${readerWorkerFile()} is missing: run \`npm run build\` first (npm test does)`);
});

/** The outcome of reading one file on a fresh pool, closed afterwards. */
async function readOnce(file: string, format: IsolatedFormat, options: ReaderPoolOptions = {}): Promise<ReadOutcome> {
  const pool = createReaderPool({ threads: 1, ...options });
  try {
    return await pool.read(path.resolve(file), format);
  } finally {
    await pool.close();
  }
}

describe('the reader pool', () => {
  it('reads files of every format on its threads, in parallel', async () => {
    const pool = createReaderPool({ threads: 2 });
    try {
      const [pdf, html, docx, epub] = await Promise.all([
        pool.read(path.resolve(documentFixture('samples', 'simplified.pdf')), 'pdf'),
        pool.read(path.resolve(documentFixture('samples', 'simplified-gbk.html')), 'html'),
        pool.read(path.resolve(documentFixture('samples', 'simplified.docx')), 'docx'),
        pool.read(path.resolve(documentFixture('samples', 'simplified-epub3.epub')), 'epub'),
      ]);
      for (const outcome of [pdf, html, docx, epub]) {
        expect(outcome.ok).toBe(true);
        if (outcome.ok) expect(outcome.document.paragraphs.some((p) => p.text.includes('九省通衢'))).toBe(true);
      }
    } finally {
      await pool.close();
    }
  });

  it('stops a read that passes its time limit and names why; a new pool reads on', async () => {
    const slow = await readOnce(documentFixture('seed', 'alipay.pdf'), 'pdf', { timeoutMs: 1 });
    expect(slow).toEqual({ ok: false, reason: 'too large', message: 'reading it took longer than 0.001 s; stopped' });
    expect((await readOnce(documentFixture('samples', 'simplified.docx'), 'docx')).ok).toBe(true);
  });

  it('stops a read that passes its memory limit and names why', async () => {
    const big = await readOnce(documentFixture('seed', 'alipay.pdf'), 'pdf', { memoryMb: 12 });
    expect(big).toMatchObject({ ok: false, reason: 'too large', message: expect.stringMatching(/more than 12 MB of memory/) });
  });

  it('refuses a PDF of a million pages without walking them', async () => {
    const file = path.join(tempDir(), 'million.pdf');
    writeFileSync(file, pdfOfPages(1_000_000));
    expect(await readOnce(file, 'pdf')).toEqual({ ok: false, reason: 'too large', message: '1000000 pages, more than 20000' });
  });

  it('names a file that cannot be opened as unreadable', async () => {
    const outcome = await readOnce(path.join(tempDir(), 'missing.pdf'), 'pdf');
    expect(outcome).toMatchObject({ ok: false, reason: 'unreadable', message: expect.stringMatching(/^cannot read: ENOENT/) });
  });
});
