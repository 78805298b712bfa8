// Worker thread entry: answers AnalyzeRequest messages with the terms of each paragraph.
import { parentPort } from 'node:worker_threads';
import { analyzeBatch, type AnalyzeRequest } from './analyze-batch.js';

parentPort?.on('message', (message: { seq: number; request: AnalyzeRequest }) => {
  try {
    parentPort!.postMessage({ seq: message.seq, terms: analyzeBatch(message.request) });
  } catch (error) {
    parentPort!.postMessage({ seq: message.seq, error: error instanceof Error ? error.message : String(error) });
  }
});
