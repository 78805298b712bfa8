// Lays out the gram postings (grams.ts) on a thread of its own while the main thread finishes the rest of a
// build: at 100k poems the layout is 2.1 s of CPU and, once the paragraphs are analysed, FlexSearch's export
// and the other files take the main thread another 1.5 s, with the second core idle. Small builds, and the
// TypeScript sources the tests run, lay it out in-process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createGramIndexBuilder, type GramBatch } from './grams.js';
import { THREADED_BUILD_MINIMUM } from './threads.js';

export interface NumberedGramBatch {
  readonly first: number;
  readonly batch: GramBatch;
}

const workerFile = fileURLToPath(new URL('./gram-encode-worker.js', import.meta.url));

/** The encoded gram index of `batches` (the same bytes wherever it is computed). */
export function encodeGramBatches(batches: readonly NumberedGramBatch[]): Uint8Array {
  const builder = createGramIndexBuilder();
  for (const { first, batch } of batches) builder.add(first, batch);
  return builder.encode();
}

/**
 * encodeGramBatches on a worker thread when the build is large enough. The batches' buffers move to the
 * worker: the caller must not read them afterwards.
 */
export function encodeGramBatchesOffThread(batches: readonly NumberedGramBatch[], paragraphs: number): Promise<Uint8Array> {
  if (paragraphs < THREADED_BUILD_MINIMUM || !existsSync(workerFile)) return Promise.resolve(encodeGramBatches(batches));
  const transfer = new Set<ArrayBuffer>();
  for (const { batch } of batches) transfer.add(batch.keys.buffer as ArrayBuffer).add(batch.counts.buffer as ArrayBuffer);
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    let settled = false;
    const settle = (done: () => void): void => {
      if (settled) return;
      settled = true;
      done();
      void worker.terminate();
    };
    const failed = (why: string): Error => new Error(why.startsWith('sou:') ? why : `sou: laying out the gram postings failed: ${why}`);
    worker.once('error', (error) => settle(() => reject(failed(error.message))));
    worker.once('exit', (code) => settle(() => reject(failed(`the thread exited (${code}) without an answer`))));
    worker.once('message', (message: { bytes?: Uint8Array; error?: string }) =>
      settle(() => (message.bytes !== undefined ? resolve(message.bytes) : reject(failed(message.error ?? 'no result')))),
    );
    worker.postMessage(batches, [...transfer]);
  });
}
