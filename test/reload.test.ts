// Live index swaps: the index holder in-process (concurrent reloads, broken builds, forced reloads), then the
// real server under continuous load while its index is rebuilt, SIGHUP'd and replaced by a broken generation.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SourceDocument } from '../indexer/corpus/index.js';
import { MANIFEST_FILE, STORE_FILE, type Manifest } from '../indexer/index/format.js';
import { openIndexHolder } from '../server/index-holder.js';
import type { Logger } from '../server/logger.js';
import { writeDocumentsIndex } from './support/write-index.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { breakWarmUp } from './support/warm-up-failure.js';
import { SERVER, startServer } from './support/server-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX_CLI = path.join(ROOT, 'dist', 'indexer', 'cli.js');
const SEED_CORPUS = path.join(ROOT, 'corpus');
const SAMPLE_CORPUS = path.join(ROOT, 'test', 'fixtures', 'eval-sample', 'corpus.jsonl');

const tempDir = tempDirFactory('reload');

async function writeDocuments(dir: string, documents: readonly SourceDocument[]): Promise<Manifest> {
  return writeDocumentsIndex(dir, documents);
}

const docs = (n: number): SourceDocument[] => Array.from({ length: n }, (_, i) => ({ id: `d${i}.txt`, title: `第${i}篇`, paragraphs: [`支付寶第${i}段。`] }));

/**
 * Makes the index in `dir` point to a copy of its segment whose paragraph store is truncated, by the same steps
 * as a build (a new segment folder, the manifest replaced by rename). Returns the damaged file.
 */
function writeBrokenGeneration(dir: string): string {
  const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  const [segment] = manifest.segments;
  const name = `seg-broken-${Date.now().toString(36)}`;
  cpSync(path.join(dir, segment!.name), path.join(dir, name), { recursive: true });
  const store = path.join(dir, name, STORE_FILE);
  truncateSync(store, Math.floor(manifest.files[`${segment!.name}/${STORE_FILE}`]!.bytes / 2));
  const prefix = `${segment!.name}/`;
  const files = Object.fromEntries(Object.entries(manifest.files).map(([file, record]) => [file.startsWith(prefix) ? `${name}/${file.slice(prefix.length)}` : file, record]));
  const temporary = path.join(dir, `${MANIFEST_FILE}.broken.tmp`);
  writeFileSync(temporary, JSON.stringify({ ...manifest, segments: [{ ...segment, name }], files, builtAt: new Date().toISOString() }, null, 2));
  renameSync(temporary, path.join(dir, MANIFEST_FILE));
  return store;
}

function recordingLogger(): Logger & { readonly entries: { level: string; message: string; object: Record<string, unknown> }[] } {
  const entries: { level: string; message: string; object: Record<string, unknown> }[] = [];
  const record = (level: string) => (object: object, message?: string) => void entries.push({ level, message: message ?? '', object: object as Record<string, unknown> });
  return { entries, info: record('info'), warn: record('warn'), error: record('error') };
}

describe('index holder', () => {
  it('runs concurrent reloads one after the other and ends up serving the newest build', async () => {
    const dir = tempDir();
    await writeDocuments(dir, docs(1));
    const logger = recordingLogger();
    const holder = await openIndexHolder(dir, logger);
    await writeDocuments(dir, docs(2));
    const first = holder.reload('first');
    const second = holder.reload('second');
    await writeDocuments(dir, docs(3)); // lands while the first reload may still be loading
    const third = holder.reload('third');
    expect(await Promise.all([first, second, third])).toContain(true);
    expect(holder.searcher().index.manifest.counts.documents).toBe(3);
    // Nothing changed since: another reload does nothing.
    expect(await holder.reload('again')).toBe(false);
    expect(logger.entries.filter((e) => e.level === 'error')).toEqual([]);
  });

  it('keeps serving the old index when the new build does not load, logs why once, and retries on a forced reload', async () => {
    const dir = tempDir();
    await writeDocuments(dir, docs(2));
    const logger = recordingLogger();
    const holder = await openIndexHolder(dir, logger);
    const served = holder.searcher();
    const store = writeBrokenGeneration(dir);

    expect(await holder.reload('manifest changed')).toBe(false);
    expect(holder.searcher()).toBe(served);
    const errors = (): typeof logger.entries => logger.entries.filter((e) => e.level === 'error');
    expect(errors()).toHaveLength(1);
    expect(errors()[0]!.message).toMatch(/still serving the previous one/);
    expect(String(errors()[0]!.object.error)).toContain(store);
    expect(holder.searcher().search('支付', { limit: 10, offset: 0 }).total).toBe(2);

    // The watcher's next look at the same broken manifest does not load (nor log) it again.
    expect(await holder.reload('manifest changed')).toBe(false);
    expect(errors()).toHaveLength(1);

    // The operator repairs the generation and sends SIGHUP: a forced reload loads it.
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
    const good = readdirGeneration(dir, manifest.segments[0]!.name);
    cpSync(path.join(good, STORE_FILE), store);
    expect(await holder.reload('SIGHUP', { force: true })).toBe(true);
    expect(holder.searcher()).not.toBe(served);
    expect(holder.searcher().index.manifest.generation).toBe(manifest.generation);
  });
});

describe('index holder warm-up', () => {
  it("warms a burst of watch updates once, the last index, when they are quiet (regression: a warm-up per update, each the whole index's vocabulary, made every save slower)", async () => {
    const dir = tempDir();
    await writeDocuments(dir, docs(40));
    const holder = await openIndexHolder(dir, recordingLogger(), { updateWarmQuietMs: 300 });
    await vi.waitFor(() => expect(holder.warmth()).toBe('warm'), { timeout: 30_000 });
    const first = holder.searcher();
    const firstVocabulary = first.vocabularyNow();
    expect(firstVocabulary).not.toBeNull();
    const updated: (typeof first)[] = [];
    for (let n = 0; n < 4; n++) {
      expect(await holder.reload('index updated', { force: true, warmAfter: true })).toBe(true);
      updated.push(holder.searcher());
    }
    expect(new Set(updated).size).toBe(4);
    // The last one's own vocabulary is built once the reloads are quiet; those it replaced never built theirs.
    await vi.waitFor(() => expect(holder.searcher().vocabularyNow()).not.toBe(firstVocabulary), { timeout: 30_000 });
    expect(holder.searcher()).toBe(updated[3]);
    for (const searcher of updated.slice(0, 3)) expect(searcher.vocabularyNow()).toBe(firstVocabulary);
    holder.close();
  });

  it('waits for a reload under way before it warms (regression: a reload longer than the quiet time warmed the index it was replacing)', async () => {
    const dir = tempDir();
    await writeDocuments(dir, docs(40));
    // A quiet time far shorter than any load: it runs out while the second reload is loading.
    const holder = await openIndexHolder(dir, recordingLogger(), { updateWarmQuietMs: 1 });
    await vi.waitFor(() => expect(holder.warmth()).toBe('warm'), { timeout: 30_000 });
    const firstVocabulary = holder.searcher().vocabularyNow();
    const replaced = holder.reload('index updated', { force: true, warmAfter: true }).then(() => holder.searcher());
    const last = holder.reload('index updated', { force: true, warmAfter: true }).then(() => holder.searcher());
    const [a, b] = await Promise.all([replaced, last]);
    expect(a).not.toBe(b);
    await vi.waitFor(() => expect(b.vocabularyNow()).not.toBe(firstVocabulary), { timeout: 30_000 });
    expect(a.vocabularyNow()).toBe(firstVocabulary);
    holder.close();
  });

  it('logs a warm-up that fails and goes on serving (regression: the failure ended the process as an unhandled rejection)', async () => {
    const dir = tempDir();
    await writeDocuments(dir, docs(60));
    const manifest = breakWarmUp(dir);
    const logger = recordingLogger();
    const holder = await openIndexHolder(dir, logger);
    // Not vi.waitFor's default 1 s deadline: the warm-up runs in time slices, slower on a busy machine.
    await vi.waitFor(() => expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(1), { timeout: 30_000 });
    const [failure] = logger.entries.filter((e) => e.level === 'error');
    expect(failure!.message).toMatch(/warm-up failed/);
    expect(String(failure!.object.error)).toMatch(/gram index postings/);
    expect(holder.searcher().index.manifest.generation).toBe(manifest.generation);
  });
});

/** The segment folder other than `broken` (the one the broken copy was made from). */
function readdirGeneration(dir: string, broken: string): string {
  const other = readdirSync(dir).find((e) => e.startsWith('seg-') && e !== broken);
  if (other === undefined) throw new Error(`no other segment in ${dir}`);
  return path.join(dir, other);
}

describe('live index swap in the running server', () => {
  beforeAll(() => {
    for (const file of [INDEX_CLI, SERVER]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
  });

  /** Runs the build command without blocking this process, so the request loops go on during the build. */
  async function cli(...args: string[]): Promise<void> {
    const child = spawn(process.execPath, [INDEX_CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`index build failed (${code}): ${stderr}`);
  }

  /** JSON log lines and plain lines of the server's stdout, and a way to wait for one. */
  it('switches to a rebuilt index, reloads on SIGHUP and keeps the old index over a broken one, without one failed request', async () => {
    const dir = path.join(tempDir(), 'index');
    await cli('--corpus', SEED_CORPUS, '--out', dir);
    const server = startServer(dir);
    const { child, lines, waitFor } = server;
    const json = (line: string): Record<string, unknown> | null => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return null;
      }
    };
    const loggedAfter = (from: number, message: RegExp, extra: (entry: Record<string, unknown>) => boolean = () => true) => {
      const startCount = from;
      return waitFor((line) => {
        const entry = json(line);
        return entry !== null && message.test(String(entry.msg)) && extra(entry) && lines.indexOf(line) >= startCount;
      });
    };

    // 8 loops of searches, each request recorded with the phase it was sent in.
    let phase = 'initial';
    let running = true;
    const results: { phase: string; status: number | string }[] = [];
    const queries = ['支付', '系统', '梵語', 'CTO', '的', '"支付宝"', '北京 -上海', '雙11'];
    let base = '';
    const loop = async (i: number): Promise<void> => {
      for (let n = 0; running; n++) {
        const sentIn = phase;
        const q = encodeURIComponent(queries[(i + n) % queries.length]!);
        try {
          const response = await fetch(`${base}/api/search?q=${q}&limit=5`);
          await response.arrayBuffer();
          results.push({ phase: sentIn, status: response.status });
        } catch (error) {
          results.push({ phase: sentIn, status: `error: ${(error as Error).message}` });
        }
      }
    };
    const health = async (): Promise<{ documents: number; paragraphs: number; builtAt: string }> =>
      (await (await fetch(`${base}/healthz`)).json()) as { documents: number; paragraphs: number; builtAt: string };
    const requestsIn = (name: string): number => results.filter((r) => r.phase === name).length;
    /** Waits until the loops have sent a few requests in the current phase. */
    const someRequests = async (): Promise<void> => {
      while (requestsIn(phase) < 40) await new Promise((resolve) => setTimeout(resolve, 10));
    };

    try {
      base = await server.baseUrl();
      const before = await health();
      const loops = Array.from({ length: 8 }, (_, i) => loop(i));
      await someRequests();

      // 1. A rebuild with another corpus into the same folder: the watcher swaps it in.
      phase = 'rebuild';
      let mark = lines.length;
      await cli('--corpus', SAMPLE_CORPUS, '--out', dir, '--force');
      await loggedAfter(mark, /^index reloaded$/, (e) => e.reason === 'manifest changed');
      const rebuilt = await health();
      expect(rebuilt.documents).toBe(300);
      expect(rebuilt.documents).not.toBe(before.documents);
      phase = 'after-rebuild';
      await someRequests();

      // 2. SIGHUP: the same index is loaded again.
      phase = 'sighup';
      mark = lines.length;
      child.kill('SIGHUP');
      await loggedAfter(mark, /^index reloaded$/, (e) => e.reason === 'SIGHUP');
      await someRequests();
      expect(await health()).toMatchObject({ documents: 300, paragraphs: rebuilt.paragraphs });

      // 3. A broken generation: the old index keeps serving, and the log says why.
      phase = 'broken';
      mark = lines.length;
      const store = writeBrokenGeneration(dir);
      const refusal = json(await loggedAfter(mark, /still serving the previous one/))!;
      expect(refusal.level).toBe(50);
      expect(String(refusal.error)).toContain(store);
      expect(String(refusal.error)).toMatch(/truncated or corrupted.*npm run index/);
      await someRequests();
      expect(await health()).toEqual({ status: 'ok', documents: 300, paragraphs: rebuilt.paragraphs, builtAt: rebuilt.builtAt });

      running = false;
      await Promise.all(loops);
    } finally {
      running = false;
      child.kill('SIGTERM');
    }
    const [code] = await server.exited;
    const failed = results.filter((r) => r.status !== 200);
    expect(failed.slice(0, 5)).toEqual([]);
    for (const name of ['initial', 'rebuild', 'after-rebuild', 'sighup', 'broken']) expect(requestsIn(name), name).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(server.stderr()).toBe('');
  });
});
