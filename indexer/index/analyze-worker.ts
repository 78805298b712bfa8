// Worker thread entry: answers AnalyzeRequest messages with the analysed batch.
import { parentPort } from 'node:worker_threads';
import { analyzeBatch, type AnalyzeRequest } from './analyze-batch.js';

parentPort?.on('message', (message: { seq: number; request: AnalyzeRequest }) => {
  try {
    const batch = analyzeBatch(message.request);
    // The typed arrays move to the main thread instead of being copied.
    parentPort!.postMessage({ seq: message.seq, batch }, [batch.grams.keys.buffer as ArrayBuffer, batch.grams.counts.buffer as ArrayBuffer, batch.lengths.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort!.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : String(error) });
  }
});
