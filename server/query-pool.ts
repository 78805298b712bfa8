// Queries on every core: a pool of worker threads (query-worker.ts) that match, rank and make snippets of queries
// the HTTP thread has analyzed (engine.ts AnalyzedQuery: jieba and the vocabulary stay on the HTTP thread, one
// copy of each). Every worker opens the index's segment files for itself (their texts and postings are read when
// asked: the page cache holds one copy); the corpus order and the word postings, read and checked once here, are
// handed over in shared memory (docs/design.md §11.9 says what is shared and what each thread holds).
//
// An index generation is loaded by every worker before the holder serves it (index-holder.ts); a request names
// the generation it was given, so it is answered by that one index, never a mix; a retired generation is
// released by the workers once its last request is answered. A worker that dies is replaced and loads the
// generations still served; its requests in flight are asked once more of another worker (a search is
// idempotent), or fail with PoolWorkerError (a 503 for the client). A worker is given WORKER_MAX_IN_FLIGHT
// requests at most; past that the HTTP thread searches itself, so that the HTTP thread's core is not left to wait
// while the workers queue.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WORDS_FILE, type Manifest } from '../indexer/index/format.js';
import { POSTINGS_CACHE_IDS, readIndexFile } from '../indexer/index/load.js';
import type { Logger } from './logger.js';
import type { AnalyzedQuery, SearcherOptions } from './search/engine.js';
import { FilterError } from './search/filters.js';
import type { SearchOptions, SearchResponse } from './search/types.js';

/** The files of one loaded index as shared bytes, by their name in the index folder (`seg-…/grams.bin`). */
export type SharedFiles = ReadonlyMap<string, SharedArrayBuffer>;

/** One index generation as the workers load it. */
export interface PoolIndex {
  /** Numbered by the holder, from 1; a request names the generation it is for. */
  readonly generation: number;
  readonly dir: string;
  readonly manifest: Manifest;
  readonly files: SharedFiles;
  readonly searcherOptions: SearcherOptions;
}

/**
 * What a search asks of the worker: the engine's data (`false`), the data and its hits' JSON text (`'data+json'`:
 * an answer that may be cached, whose data a results page may read again), or the JSON text alone (`'json'`: the
 * hits and groups are then left out of the data, which the HTTP thread reads only for the head of the JSON and the
 * correction; cloning them was most of the bytes an answer crossed the threads with).
 */
export type AnswerForm = false | 'data+json' | 'json';

/** A worker's answer: the engine's, with `suggestion` null (the HTTP thread adds it), and its hits as JSON when asked. */
export interface PooledAnswer {
  readonly response: SearchResponse;
  /** answer-json.ts afterTook of the response, when asked for as JSON. */
  readonly afterTook?: string;
}

/** A request whose worker died, asked again once, and that could not be answered. */
export class PoolWorkerError extends Error {
  constructor(reason: string) {
    super(`sou: a query worker failed: ${reason}`);
    this.name = 'PoolWorkerError';
  }
}

export type ToWorker =
  | { readonly type: 'load'; readonly index: PoolIndex }
  /** Asked by the worker once its data is warm (engine.ts warmUp); none for a quick reload. */
  | { readonly type: 'warm-up'; readonly generation: number; readonly queries: readonly AnalyzedQuery[] }
  | { readonly type: 'search'; readonly id: number; readonly generation: number; readonly analyzed: AnalyzedQuery; readonly options: SearchOptions; readonly json: AnswerForm }
  | { readonly type: 'release'; readonly generation: number };

export type FromWorker =
  | { readonly type: 'loaded' | 'warm'; readonly generation: number }
  | { readonly type: 'load-failed' | 'warm-failed'; readonly generation: number; readonly error: string }
  | { readonly type: 'answer'; readonly id: number; readonly answer: PooledAnswer }
  | { readonly type: 'failed'; readonly id: number; readonly error: string; readonly filter: boolean };

export interface QueryPool {
  /** How many workers the pool keeps. */
  readonly size: number;
  /**
   * Loads the generation in every worker: `loaded` resolves when each has loaded it, `warm` when each has also
   * warmed it, after its warm-up queries (warmUp). Both reject when a worker cannot.
   */
  load(index: PoolIndex): { readonly loaded: Promise<void>; readonly warm: Promise<void> };
  /** The generation's warm-up queries, which its workers ask once their data is warm (none: warm at once). */
  warmUp(generation: number, queries: readonly AnalyzedQuery[]): void;
  /** Workers that hold the generation now (0: the caller answers on its own thread). */
  holders(generation: number): number;
  /** Requests in flight on each worker, by slot. */
  busy(): number[];
  /**
   * Searches on the least busy worker that holds the generation; null when none does, or when each that does
   * already has `maxInFlight` requests (the caller then answers on its own thread).
   */
  search(generation: number, analyzed: AnalyzedQuery, options: SearchOptions, json: AnswerForm): Promise<PooledAnswer> | null;
  /** The generation is no longer served: released by every worker once its last request is answered. */
  retire(generation: number): void;
  /** Ends a worker as a crash would (tests; an operator has no use for it). */
  crashWorker(slot: number): Promise<void>;
  /** Waits for the requests in flight, then ends the workers. */
  close(): Promise<void>;
}

/** The compiled worker beside this module (tests, which run the TypeScript sources, pass the compiled one). */
export const QUERY_WORKER_FILE = fileURLToPath(new URL('./query-worker.js', import.meta.url));

/**
 * A worker's young generation, in MB. V8's default keeps tens of megabytes committed in each isolate between
 * scavenges, and a worker's searches allocate little that lives: a small young generation is most of what a
 * worker can give back without sharing its decoded index (docs/design.md §11.9).
 */
export const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Segment files the HTTP thread reads whole into shared memory for the workers, rather than each thread opening
 * them (LoadHooks.wholeFiles): the word postings' table is viewed in its file's bytes, not decoded, so every thread
 * reads one copy of it (the gram tables are decoded from varints: sharing their bytes would save nothing).
 */
export const SHARED_SEGMENT_FILES: readonly string[] = Object.freeze([WORDS_FILE]);

/** What a worker is started with (its workerData). */
export interface WorkerSettings {
  /** Its postings cache's budget in ids: the pool's workers share one thread's budget (load.ts POSTINGS_CACHE_IDS). */
  readonly postingsCacheIds: number;
}

/** A worker that dies before it ever loaded an index this many times running is not started again. */
const MAX_FAILED_STARTS = 3;

interface Pending {
  readonly generation: number;
  readonly message: Extract<ToWorker, { type: 'search' }>;
  readonly resolve: (answer: PooledAnswer) => void;
  readonly reject: (error: Error) => void;
  retried: boolean;
}

interface Slot {
  worker: Worker;
  /** Generations this worker has loaded. */
  readonly loaded: Set<number>;
  readonly inFlight: Map<number, Pending>;
  /** Its own lifetime: a replacement gets a new slot state. */
  alive: boolean;
}

interface Live {
  readonly index: PoolIndex;
  warmUpQueries: readonly AnalyzedQuery[] | null;
  retired: boolean;
  /** Requests of this generation not answered yet. */
  inFlight: number;
  /** Per worker slot: called when that worker has loaded / warmed the generation, or failed to. */
  readonly waiting: Map<Slot, { loaded?: (error?: string) => void; warm?: (error?: string) => void }>;
}

/**
 * Requests a worker is given at most before the HTTP thread answers the next ones itself: enough that a worker
 * always has the next request while the HTTP thread is busy with a turn of others, few enough that a busy pool
 * leaves the rest of the searches to the HTTP thread's core rather than queueing them (docs/design.md §11.9).
 */
export const WORKER_MAX_IN_FLIGHT = 4;

export interface QueryPoolOptions {
  readonly workers: number;
  /** WORKER_MAX_IN_FLIGHT unless given. */
  readonly maxInFlight?: number;
  readonly logger: Logger;
  readonly workerFile?: string;
}

export function createQueryPool({ workers: size, logger, workerFile = QUERY_WORKER_FILE, maxInFlight = WORKER_MAX_IN_FLIGHT }: QueryPoolOptions): QueryPool {
  if (!Number.isSafeInteger(size) || size < 1) throw new Error(`sou: a query pool has 1 or more workers, not ${size}`);
  if (!(maxInFlight >= 1)) throw new Error(`sou: a query worker takes 1 or more requests at a time, not ${maxInFlight}`);
  if (!existsSync(workerFile)) throw new Error(`sou: the query worker ${workerFile} is missing (build with npm run build)`);
  const live = new Map<number, Live>();
  const slots: Slot[] = [];
  let nextId = 1;
  let closing = false;
  let failedStarts = 0;
  let turn = 0;
  const settings: WorkerSettings = { postingsCacheIds: Math.floor(POSTINGS_CACHE_IDS / size) };

  const send = (slot: Slot, message: ToWorker): void => slot.worker.postMessage(message);

  /** While closing: called when a request is answered, to check whether any are left. */
  let drained = (): void => {};
  const settle = (pending: Pending): void => {
    if (closing) drained();
    const generation = live.get(pending.generation);
    if (generation === undefined) return;
    generation.inFlight--;
    releaseIfDone(generation);
  };

  const releaseIfDone = (generation: Live): void => {
    if (!generation.retired || generation.inFlight > 0) return;
    live.delete(generation.index.generation);
    for (const slot of slots) {
      if (slot.alive && slot.loaded.delete(generation.index.generation)) send(slot, { type: 'release', generation: generation.index.generation });
    }
  };

  /** The least busy worker holding the generation (round robin among equals), but `not`; with `limit`, one with fewer in flight. */
  const choose = (generation: number, not?: Slot, limit = Infinity): Slot | undefined => {
    let best: Slot | undefined;
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[(turn + k) % slots.length]!;
      if (slot === not || !slot.alive || !slot.loaded.has(generation) || slot.inFlight.size >= limit) continue;
      if (best === undefined || slot.inFlight.size < best.inFlight.size) best = slot;
    }
    turn = (turn + 1) % Math.max(1, slots.length);
    return best;
  };

  const dispatch = (slot: Slot, pending: Pending): void => {
    slot.inFlight.set(pending.message.id, pending);
    send(slot, pending.message);
  };

  function onMessage(slot: Slot, message: FromWorker): void {
    if (message.type === 'answer' || message.type === 'failed') {
      const pending = slot.inFlight.get(message.id);
      if (pending === undefined) return;
      slot.inFlight.delete(message.id);
      settle(pending);
      if (message.type === 'answer') pending.resolve(message.answer);
      else pending.reject(message.filter ? new FilterError(message.error) : new Error(message.error));
      return;
    }
    const generation = live.get(message.generation);
    if (message.type === 'loaded') {
      failedStarts = 0;
      // A generation retired while this worker loaded it: release it at once.
      if (generation === undefined) return send(slot, { type: 'release', generation: message.generation });
      slot.loaded.add(message.generation);
    }
    const failed = message.type === 'load-failed' || message.type === 'warm-failed';
    if (failed) logger.error({ generation: message.generation, error: message.error }, 'a query worker could not load or warm an index');
    const waiter = generation?.waiting.get(slot);
    if (waiter === undefined) return;
    if (message.type === 'loaded') {
      waiter.loaded?.();
      delete waiter.loaded;
      return;
    }
    generation!.waiting.delete(slot);
    waiter.loaded?.(failed ? message.error : undefined);
    waiter.warm?.(failed ? message.error : undefined);
  }

  function onExit(slot: Slot, why: string): void {
    if (!slot.alive) return;
    slot.alive = false;
    if (slot.loaded.size === 0) failedStarts++;
    // Its loads will never finish: those waiting hear so.
    for (const generation of live.values()) {
      const waiter = generation.waiting.get(slot);
      generation.waiting.delete(slot);
      waiter?.loaded?.(`the worker ended (${why})`);
      waiter?.warm?.(`the worker ended (${why})`);
    }
    const orphans = [...slot.inFlight.values()];
    slot.inFlight.clear();
    const index = slots.indexOf(slot);
    if (!closing) {
      logger.error({ worker: index, reason: why, requests: orphans.length }, 'a query worker ended; starting another');
      if (failedStarts < MAX_FAILED_STARTS) slots[index] = start(live.values());
      else logger.error({ worker: index, failedStarts }, 'query workers keep failing before loading an index; not starting more');
    }
    for (const pending of orphans) {
      const other = pending.retried ? undefined : choose(pending.generation, slot);
      if (other !== undefined && !closing) {
        pending.retried = true;
        dispatch(other, pending);
      } else {
        settle(pending);
        pending.reject(new PoolWorkerError(why));
      }
    }
  }

  /** A new worker, given every generation still served. */
  function start(generations: Iterable<Live>): Slot {
    const worker = new Worker(workerFile, { workerData: settings, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const slot: Slot = { worker, loaded: new Set(), inFlight: new Map(), alive: true };
    worker.on('message', (message: FromWorker) => onMessage(slot, message));
    worker.on('error', (error: Error) => onExit(slot, error.message));
    worker.on('exit', (code: number) => onExit(slot, `exit code ${code}`));
    for (const generation of generations) {
      if (generation.retired) continue;
      send(slot, { type: 'load', index: generation.index });
      if (generation.warmUpQueries !== null) send(slot, { type: 'warm-up', generation: generation.index.generation, queries: generation.warmUpQueries });
    }
    return slot;
  }

  for (let n = 0; n < size; n++) slots.push(start([]));

  return {
    size,
    load(index) {
      const generation: Live = { index, warmUpQueries: null, retired: false, inFlight: 0, waiting: new Map() };
      live.set(index.generation, generation);
      const loaded: Promise<void>[] = [];
      const warm: Promise<void>[] = [];
      const settled = (resolve: () => void, reject: (error: Error) => void) => (error?: string) => (error === undefined ? resolve() : reject(new Error(error)));
      for (const slot of slots) {
        if (!slot.alive) continue;
        const waiter: { loaded?: (error?: string) => void; warm?: (error?: string) => void } = {};
        loaded.push(new Promise<void>((resolve, reject) => (waiter.loaded = settled(resolve, reject))));
        warm.push(new Promise<void>((resolve, reject) => (waiter.warm = settled(resolve, reject))));
        generation.waiting.set(slot, waiter);
        send(slot, { type: 'load', index });
      }
      const all = (promises: Promise<void>[]): Promise<void> => Promise.all(promises).then(() => undefined);
      const outcome = { loaded: all(loaded), warm: all(warm) };
      outcome.loaded.catch(() => {}); // the caller may await only one of them
      outcome.warm.catch(() => {});
      return outcome;
    },
    warmUp(generationNumber, queries) {
      const generation = live.get(generationNumber);
      if (generation === undefined) return;
      generation.warmUpQueries = queries;
      for (const slot of slots) if (slot.alive) send(slot, { type: 'warm-up', generation: generationNumber, queries });
    },
    busy() {
      return slots.map((slot) => (slot.alive ? slot.inFlight.size : 0));
    },
    holders(generation) {
      return slots.filter((slot) => slot.alive && slot.loaded.has(generation)).length;
    },
    search(generationNumber, analyzed, options, json) {
      const generation = live.get(generationNumber);
      const slot = generation === undefined || closing ? undefined : choose(generationNumber, undefined, maxInFlight);
      if (generation === undefined || slot === undefined) return null;
      return new Promise<PooledAnswer>((resolve, reject) => {
        generation.inFlight++;
        dispatch(slot, { generation: generationNumber, message: { type: 'search', id: nextId++, generation: generationNumber, analyzed, options, json }, resolve, reject, retried: false });
      });
    },
    retire(generationNumber) {
      const generation = live.get(generationNumber);
      if (generation === undefined) return;
      generation.retired = true;
      releaseIfDone(generation);
    },
    async crashWorker(n) {
      const slot = slots[n];
      if (slot === undefined) throw new RangeError(`sou: no query worker ${n}`);
      await slot.worker.terminate();
    },
    async close() {
      closing = true;
      // Requests in flight are answered first (shutdown.ts waits for them, and so does this).
      while (slots.some((slot) => slot.alive && slot.inFlight.size > 0)) await new Promise<void>((resolve) => (drained = resolve));
      await Promise.all(
        slots.map((slot) => {
          slot.alive = false;
          return slot.worker.terminate();
        }),
      );
    },
  };
}

/**
 * The load hook (load.ts LoadHooks.read) that reads each file of an index once, checked, into shared memory, and
 * the files it read; with `previous`, the files of the index loaded before, whose unchanged ones (the segments a
 * reload reuses and does not read) are added to `files` by `complete`.
 */
export function shareIndexFiles(dir: string): {
  read: (name: string, manifest: Manifest) => Promise<Buffer>;
  complete(manifest: Manifest, previous?: { readonly manifest: Manifest; readonly files: SharedFiles }): SharedFiles;
} {
  const files = new Map<string, SharedArrayBuffer>();
  return {
    async read(name, manifest) {
      const data = await readIndexFile(dir, manifest, name);
      const shared = new SharedArrayBuffer(data.length);
      new Uint8Array(shared).set(data);
      files.set(name, shared);
      return Buffer.from(shared);
    },
    complete(manifest, previous) {
      if (previous !== undefined) {
        for (const [name, record] of Object.entries(manifest.files)) {
          const bytes = previous.files.get(name);
          if (!files.has(name) && bytes !== undefined && previous.manifest.files[name]?.sha256 === record.sha256) files.set(name, bytes);
        }
      }
      return files;
    },
  };
}
