// Analyzes paragraphs on worker threads (jieba and n-gram extraction are the build's CPU cost) while the
// main thread adds finished batches to the index, in order. Small builds stay in-process. A build that writes
// several segments keeps one pool for all of them: each worker loads jieba's dictionary once.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { analyzeBatch, type AnalyzedBatch } from './analyze-batch.js';
import { THREADED_BUILD_MINIMUM } from './threads.js';

const BATCH = 1000;

// Only the compiled worker can run in a thread (tests run the TypeScript sources, which analyze in-process).
const workerFile = fileURLToPath(new URL('./analyze-worker.js', import.meta.url));

export type ConsumeBatch = (firstIndex: number, batch: AnalyzedBatch) => void;

/** Analysis of paragraphs, batch by batch, on threads started at the first large call and kept until close. */
export interface AnalyzePool {
  /** Calls `consume(firstIndex, batch)` for consecutive batches of `paragraphs`, in order. */
  analyze(paragraphs: readonly string[], consume: ConsumeBatch): Promise<void>;
  close(): Promise<void>;
}

export function createAnalyzePool(userDict: string | null): AnalyzePool {
  const threads = Math.min(availableParallelism(), 4);
  let workers: Worker[] | undefined;
  let failure: Error | undefined; // a worker that failed between calls fails the next one
  const startWorkers = (): Worker[] =>
    Array.from({ length: threads }, () => {
      const worker = new Worker(workerFile);
      worker.on('error', (error) => (failure ??= error)).on('exit', (code) => (failure ??= new Error(`sou: an analysis thread exited (${code})`)));
      return worker;
    });
  return {
    async analyze(paragraphs, consume) {
      if (paragraphs.length < THREADED_BUILD_MINIMUM || threads < 2 || !existsSync(workerFile)) {
        for (let start = 0; start < paragraphs.length; start += BATCH) {
          consume(start, analyzeBatch({ userDict, paragraphs: paragraphs.slice(start, start + BATCH) }));
        }
        return;
      }
      workers ??= startWorkers();
      if (failure !== undefined) throw new Error(`sou: analysis failed in a worker: ${failure.message}`);
      await runPool(workers, paragraphs, userDict, consume);
    },
    async close() {
      const started = workers ?? [];
      workers = undefined;
      for (const worker of started) worker.removeAllListeners('exit');
      await Promise.all(started.map((worker) => worker.terminate()));
    },
  };
}

/** Calls `consume(firstIndex, batch)` for consecutive batches of `paragraphs`, in order (a pool for one call). */
export async function analyzeAll(paragraphs: readonly string[], userDict: string | null, consume: ConsumeBatch): Promise<void> {
  const pool = createAnalyzePool(userDict);
  try {
    await pool.analyze(paragraphs, consume);
  } finally {
    await pool.close();
  }
}

function runPool(workers: readonly Worker[], paragraphs: readonly string[], userDict: string | null, consume: ConsumeBatch): Promise<void> {
  const batches = Math.ceil(paragraphs.length / BATCH);
  const done = new Map<number, AnalyzedBatch>();
  let sent = 0;
  let next = 0; // next batch to hand to consume, keeping ids in corpus order
  const listeners: { worker: Worker; message: (message: WorkerAnswer) => void; error: (error: Error) => void; exit: (code: number) => void }[] = [];
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      // The workers stay for the next call: this call's listeners go.
      for (const { worker, message, error: onError, exit } of listeners) worker.off('message', message).off('error', onError).off('exit', exit);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const send = (worker: Worker): void => {
      if (sent >= batches) return;
      const seq = sent++;
      const slice = paragraphs.slice(seq * BATCH, (seq + 1) * BATCH);
      worker.postMessage({ seq, request: { userDict, paragraphs: slice } });
    };
    for (const worker of workers) {
      const message = (answer: WorkerAnswer): void => {
        if (settled) return;
        if (answer.error !== undefined || answer.batch === undefined) {
          finish(new Error(`sou: analysis failed in a worker: ${answer.error ?? 'no result'}`));
          return;
        }
        done.set(answer.seq, answer.batch);
        try {
          while (done.has(next)) {
            consume(next * BATCH, done.get(next)!);
            done.delete(next++);
          }
        } catch (error) {
          finish(error);
          return;
        }
        if (next >= batches) finish();
        else send(worker);
      };
      const error = (error: Error): void => finish(error);
      const exit = (code: number): void => finish(new Error(`sou: an analysis thread exited (${code}) during the analysis`));
      listeners.push({ worker, message, error, exit });
      worker.on('message', message).on('error', error).on('exit', exit);
    }
    // Two batches in flight per worker keep it busy while the main thread indexes.
    for (const worker of workers) {
      send(worker);
      send(worker);
    }
  });
}

interface WorkerAnswer {
  readonly seq: number;
  readonly batch?: AnalyzedBatch;
  readonly error?: string;
}
