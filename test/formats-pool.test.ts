import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReaderPool, readerWorkerFile } from '../indexer/corpus/formats/pool.js';
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
    const pool = createReaderPool({ threads: 1, timeoutMs: 1 });
    try {
      const slow = await pool.read(path.resolve(documentFixture('seed', 'alipay.pdf')), 'pdf');
      expect(slow).toEqual({ ok: false, reason: 'too large', message: 'reading it took longer than 0.001 s; stopped' });
    } finally {
      await pool.close();
    }
    const patient = createReaderPool({ threads: 1 });
    try {
      expect((await patient.read(path.resolve(documentFixture('samples', 'simplified.docx')), 'docx')).ok).toBe(true);
    } finally {
      await patient.close();
    }
  });

  it('stops a read that passes its memory limit and names why', async () => {
    const pool = createReaderPool({ threads: 1, memoryMb: 12 });
    try {
      const big = await pool.read(path.resolve(documentFixture('seed', 'alipay.pdf')), 'pdf');
      expect(big).toMatchObject({ ok: false, reason: 'too large', message: expect.stringMatching(/more than 12 MB of memory/) });
    } finally {
      await pool.close();
    }
  });

  it('refuses a PDF of a million pages without walking them', async () => {
    const file = path.join(tempDir(), 'million.pdf');
    writeFileSync(file, pdfOfPages(1_000_000));
    const pool = createReaderPool({ threads: 1 });
    try {
      expect(await pool.read(file, 'pdf')).toEqual({ ok: false, reason: 'too large', message: '1000000 pages, more than 20000' });
    } finally {
      await pool.close();
    }
  });

  it('names a file that cannot be opened as unreadable', async () => {
    const pool = createReaderPool({ threads: 1 });
    try {
      expect(await pool.read(path.join(tempDir(), 'missing.pdf'), 'pdf')).toMatchObject({ ok: false, reason: 'unreadable', message: expect.stringMatching(/^cannot read: ENOENT/) });
    } finally {
      await pool.close();
    }
  });
});
