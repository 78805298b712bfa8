// Reads non-text files on worker threads, one per core, each read with a time and a memory limit: a hostile
// or broken file (a zip bomb, a PDF of a million pages, HTML nested a million deep) costs its worker, which is
// replaced, and the file is named and skipped; the build goes on.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SkipReason } from '../types.js';
import type { IsolatedFormat, ReadDocument } from './index.js';

export interface ReadRequest {
  readonly id: number;
  readonly absolutePath: string;
  readonly format: IsolatedFormat;
}

export type ReadOutcome =
  /** ms: how long the worker took to read and parse the file. */
  | { readonly ok: true; readonly document: ReadDocument; readonly ms: number }
  | { readonly ok: false; readonly reason: SkipReason; readonly message: string };

export type ReadResponse = ReadOutcome & { readonly id: number };

export interface ReaderPoolOptions {
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** Longest one file may take to read. */
  readonly timeoutMs?: number;
  /** Heap one read may use. */
  readonly memoryMb?: number;
}

export interface ReaderPool {
  read(absolutePath: string, format: IsolatedFormat): Promise<ReadOutcome>;
  close(): Promise<void>;
}

export const DEFAULT_READ_TIMEOUT_MS = 60_000;
export const DEFAULT_READ_MEMORY_MB = 1024;

/**
 * The compiled worker beside this module; when this module runs from its TypeScript source (tests), the one the
 * build put in dist/, since a worker thread on Node 20 runs JavaScript only.
 */
export function readerWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = path.join(path.dirname(here), 'read-worker.js');
  if (here.endsWith('.js')) return sibling;
  const root = path.resolve(path.dirname(here), '..', '..', '..');
  return path.join(root, 'dist', 'indexer', 'corpus', 'formats', 'read-worker.js');
}

interface Task {
  readonly request: ReadRequest;
  readonly resolve: (outcome: ReadOutcome) => void;
}

interface Slot {
  worker?: Worker;
  task?: Task;
  timer?: NodeJS.Timeout;
}

export function createReaderPool(options: ReaderPoolOptions = {}): ReaderPool {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const timeoutMs = options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  const memoryMb = options.memoryMb ?? DEFAULT_READ_MEMORY_MB;
  const workerFile = readerWorkerFile();
  if (!existsSync(workerFile)) throw new Error(`sou: the document reader worker ${workerFile} is missing; run npm run build`);
  const slots: Slot[] = Array.from({ length: threads }, () => ({}));
  const queue: Task[] = [];
  let nextId = 0;
  let closed = false;

  const finish = (slot: Slot, outcome: ReadOutcome, workerLost: boolean): void => {
    const task = slot.task;
    clearTimeout(slot.timer);
    slot.task = undefined;
    slot.timer = undefined;
    if (workerLost) {
      const worker = slot.worker;
      slot.worker = undefined;
      void worker?.terminate();
    }
    task?.resolve(outcome);
    dispatch();
  };

  const start = (slot: Slot): Worker => {
    const worker = new Worker(workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
    });
    worker.unref();
    worker.on('message', (response: ReadResponse) => {
      if (slot.worker !== worker || slot.task?.request.id !== response.id) return;
      const { id: _id, ...outcome } = response;
      finish(slot, outcome, false);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      finish(
        slot,
        outOfMemory
          ? { ok: false, reason: 'too large', message: `reading it needed more than ${memoryMb} MB of memory; stopped` }
          : { ok: false, reason: 'corrupt', message: `its reader crashed: ${error.message}` },
        true,
      );
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      if (slot.task !== undefined) finish(slot, { ok: false, reason: 'corrupt', message: 'its reader stopped unexpectedly' }, false);
    });
    return worker;
  };

  const dispatch = (): void => {
    for (const slot of slots) {
      if (closed || queue.length === 0) return;
      if (slot.task !== undefined) continue;
      const task = queue.shift()!;
      slot.task = task;
      const worker = slot.worker ?? start(slot);
      slot.worker = worker;
      slot.timer = setTimeout(() => {
        finish(slot, { ok: false, reason: 'too large', message: `reading it took longer than ${timeoutMs / 1000} s; stopped` }, true);
      }, timeoutMs);
      worker.postMessage(task.request);
    }
  };

  return {
    read(absolutePath, format) {
      if (closed) return Promise.reject(new Error('sou: the reader pool is closed'));
      return new Promise((resolve) => {
        queue.push({ request: { id: nextId++, absolutePath, format }, resolve });
        dispatch();
      });
    },
    async close() {
      closed = true;
      for (const task of queue.splice(0)) task.resolve({ ok: false, reason: 'unreadable', message: 'the build stopped before it was read' });
      await Promise.all(
        slots.map(async (slot) => {
          clearTimeout(slot.timer);
          const worker = slot.worker;
          slot.worker = undefined;
          await worker?.terminate();
        }),
      );
    },
  };
}
