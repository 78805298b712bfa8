// Worker thread entry of gram-encode.ts: one message of numbered batches in, the encoded gram index out.
import { parentPort } from 'node:worker_threads';
import { encodeGramBatches, type NumberedGramBatch } from './gram-encode.js';

parentPort?.once('message', (batches: NumberedGramBatch[]) => {
  try {
    const bytes = encodeGramBatches(batches);
    parentPort!.postMessage({ bytes }, [bytes.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
