// Analyzes paragraphs on worker threads (jieba and n-gram extraction are the build's CPU cost) while the
// main thread adds finished batches to the index, in order. Small builds stay in-process.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeBatch, type AnalyzedBatch } from './analyze-batch.js';
import { THREADED_BUILD_MINIMUM } from './threads.js';

const BATCH = 1000;

// Only the compiled worker can run in a thread (tests run the TypeScript sources, which analyze in-process).
const workerFile = fileURLToPath(new URL('./analyze-worker.js', import.meta.url));

/** Calls `consume(firstIndex, batch)` for consecutive batches of `paragraphs`, in order. */
export async function analyzeAll(
  paragraphs: readonly string[],
  userDict: string | null,
  consume: (firstIndex: number, batch: AnalyzedBatch) => void,
): Promise<void> {
  const threads = Math.min(availableParallelism(), 4);
  if (paragraphs.length < THREADED_BUILD_MINIMUM || threads < 2 || !existsSync(workerFile)) {
    for (let start = 0; start < paragraphs.length; start += BATCH) {
      consume(start, analyzeBatch({ userDict, paragraphs: paragraphs.slice(start, start + BATCH) }));
    }
    return;
  }
  const workers = Array.from({ length: threads }, () => new Worker(workerFile));
  try {
    await runPool(workers, paragraphs, userDict, consume);
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

function runPool(
  workers: Worker[],
  paragraphs: readonly string[],
  userDict: string | null,
  consume: (firstIndex: number, batch: AnalyzedBatch) => void,
): Promise<void> {
  const batches = Math.ceil(paragraphs.length / BATCH);
  const done = new Map<number, AnalyzedBatch>();
  let sent = 0;
  let next = 0; // next batch to hand to consume, keeping ids in corpus order
  return new Promise((resolve, reject) => {
    const send = (worker: Worker): void => {
      if (sent >= batches) return;
      const seq = sent++;
      const slice = paragraphs.slice(seq * BATCH, (seq + 1) * BATCH);
      worker.postMessage({ seq, request: { userDict, paragraphs: slice } });
    };
    for (const worker of workers) {
      worker.on('error', reject);
      worker.on('message', (message: { seq: number; batch?: AnalyzedBatch; error?: string }) => {
        if (message.error !== undefined || message.batch === undefined) {
          reject(new Error(`sou: analysis failed in a worker: ${message.error ?? 'no result'}`));
          return;
        }
        done.set(message.seq, message.batch);
        try {
          while (done.has(next)) {
            consume(next * BATCH, done.get(next)!);
            done.delete(next++);
          }
        } catch (error) {
          reject(error);
          return;
        }
        if (next >= batches) resolve();
        else send(worker);
      });
      // Two batches in flight per worker keep it busy while the main thread indexes.
      send(worker);
      send(worker);
    }
  });
}
