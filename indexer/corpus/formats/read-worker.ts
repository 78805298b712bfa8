// Worker thread entry: reads one file with its format's reader and posts the document or why it failed.
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { UnreadableDocument, type IsolatedFormat } from './index.js';
import { READERS } from './readers.js';
import type { ReadRequest, ReadResponse } from './pool.js';

parentPort?.on('message', (request: ReadRequest) => {
  void answer(request).then((response) => parentPort!.postMessage(response));
});

async function answer(request: ReadRequest): Promise<ReadResponse> {
  const started = performance.now();
  try {
    const bytes = await readFile(request.absolutePath);
    const document = await READERS[request.format as IsolatedFormat](bytes);
    return { id: request.id, ok: true, document, ms: performance.now() - started };
  } catch (error) {
    if (error instanceof UnreadableDocument) return { id: request.id, ok: false, reason: error.reason, message: error.message };
    if (typeof (error as NodeJS.ErrnoException).code === 'string' && (error as NodeJS.ErrnoException).syscall !== undefined) {
      return { id: request.id, ok: false, reason: 'unreadable', message: `cannot read: ${(error as Error).message}` };
    }
    const message = error instanceof Error ? error.message : String(error);
    // A reader's own bug or a library's on a file it cannot parse: the file is what is named as corrupt.
    return { id: request.id, ok: false, reason: 'corrupt', message: `cannot be read: ${message}` };
  }
}
