// A query worker of the pool (query-pool.ts): loads each index generation it is given (its segment files opened
// here, the corpus order and the word postings from the HTTP thread's shared bytes), without jieba, and answers
// analyzed queries with the engine's data and, when asked, the hits' JSON text.
import { parentPort, workerData } from 'node:worker_threads';
import { loadIndex } from '../indexer/index/load.js';
import { afterTook } from './answer-json.js';
import { SHARED_SEGMENT_FILES, type FromWorker, type PoolIndex, type ToWorker, type WorkerSettings } from './query-pool.js';
import { createSearcher, type AnalyzedQuery, type Searcher } from './search/engine.js';
import { FilterError } from './search/filters.js';

const port = parentPort;
if (port === null) throw new Error('sou: query-worker.ts runs in a worker thread of the query pool');

const { postingsCacheIds } = workerData as WorkerSettings;

const searchers = new Map<number, Searcher>();
/** Per generation: its warm-up queries, once the HTTP thread has sent them (they may come before or after the load). */
const warmUps = new Map<number, { queries: Promise<readonly AnalyzedQuery[]>; give: (queries: readonly AnalyzedQuery[]) => void }>();
const warmUpOf = (generation: number): NonNullable<ReturnType<typeof warmUps.get>> => {
  let entry = warmUps.get(generation);
  if (entry === undefined) {
    let give: (queries: readonly AnalyzedQuery[]) => void = () => {};
    const queries = new Promise<readonly AnalyzedQuery[]>((resolve) => (give = resolve));
    warmUps.set(generation, (entry = { queries, give }));
  }
  return entry;
};
/** The generation loaded last: the next load reuses its segments, as the HTTP thread's load does. */
let latest: Searcher | undefined;

const post = (message: FromWorker): void => port.postMessage(message);
const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function load({ generation, dir, manifest, files, searcherOptions }: PoolIndex): Promise<void> {
  let searcher: Searcher;
  try {
    const read = async (name: string): Promise<Buffer> => {
      const bytes = files.get(name);
      if (bytes === undefined) throw new Error(`the HTTP thread did not share ${name}`);
      return Buffer.from(bytes);
    };
    const index = await loadIndex(dir, latest?.index, { manifest, read, analyzer: false, postingsCacheIds, wholeFiles: SHARED_SEGMENT_FILES });
    searcher = createSearcher(index, searcherOptions);
  } catch (error) {
    return post({ type: 'load-failed', generation, error: reason(error) });
  }
  searchers.set(generation, searcher);
  latest = searcher;
  post({ type: 'loaded', generation });
  try {
    await searcher.warmData();
    // Released meanwhile: nothing to warm, and nothing to wait for.
    if (searchers.get(generation) !== searcher) return;
    const queries = await warmUpOf(generation).queries;
    warmUps.delete(generation);
    if (searchers.get(generation) === searcher) await searcher.warmUp(queries);
    post({ type: 'warm', generation });
  } catch (error) {
    post({ type: 'warm-failed', generation, error: reason(error) });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'load') return void load(message.index);
  if (message.type === 'warm-up') return warmUpOf(message.generation).give(message.queries);
  if (message.type === 'release') {
    const released = searchers.get(message.generation);
    searchers.delete(message.generation);
    warmUps.get(message.generation)?.give([]);
    warmUps.delete(message.generation);
    if (released === latest) latest = undefined;
    return;
  }
  const { id, generation, analyzed, options, json } = message;
  try {
    const searcher = searchers.get(generation);
    if (searcher === undefined) throw new Error(`index generation ${generation} is not loaded here`);
    const response = searcher.searchAnalyzed(analyzed, options);
    if (json === false) return post({ type: 'answer', id, answer: { response } });
    const text = afterTook(response);
    if (json === 'data+json') return post({ type: 'answer', id, answer: { response, afterTook: text } });
    // The JSON text alone: its hits are not cloned a second time as data (AnswerForm).
    const { hits: _hits, groups: _groups, ...head } = response;
    post({ type: 'answer', id, answer: { response: { ...head, hits: [] }, afterTook: text } });
  } catch (error) {
    post({ type: 'failed', id, error: reason(error), filter: error instanceof FilterError });
  }
});
