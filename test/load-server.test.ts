// The server of `npm run load` (bench/load-server.ts): it reports itself ready only once warm, so that the load and
// the memory target start from a warm server, as a load balancer's traffic does.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { LoadServerMessage } from '../bench/load-server.js';
import { ROOT } from './support/search-index.js';

const LOAD_SERVER = path.join(ROOT, 'dist', 'bench', 'load-server.js');

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child?.connected === true) {
    const exited = once(child, 'exit');
    child.disconnect();
    await exited;
  }
});

describe('the load server', () => {
  it('says it is ready only once /readyz answers 200 (warm), with its warm-up time and memory', async () => {
    const dir = inject('seedAndSampleIndexDir');
    child = fork(LOAD_SERVER, [dir, '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const exited = once(child, 'exit').then(([code]) => `the load server exited (${String(code)}) before it was ready`);
    const first = await Promise.race([once(child, 'message').then(([message]) => message as LoadServerMessage), exited]);
    if (typeof first === 'string') throw new Error(first);
    const ready = first;
    expect(ready.type).toBe('ready');
    if (ready.type !== 'ready') return;
    expect(ready.warmSeconds).toBeGreaterThan(0);
    expect(ready.memory.rss).toBeGreaterThan(0);
    const readyz = await fetch(`http://127.0.0.1:${ready.port}/readyz`);
    expect(readyz.status).toBe(200);
  }, 60_000);
});
