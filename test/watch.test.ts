// Watch mode end to end: the real server (`--watch --corpus DIR`, its indexer child) on a corpus folder in the
// OS's temporary folder, under a small continuous load. Each change is made the way editors and file managers
// make it, then the HTTP endpoint is polled until the answer shows it (a generous deadline, no timing asserted):
// a save is found, a delete vanishes, a rename moves, write-to-temp-and-rename and truncate-then-write lose
// nothing, 200 files copied at once are all found, a bad file is skipped and logged, a killed indexer child is
// started again, a corpus that is gone fails the build and the old index keeps serving. No request fails meanwhile.
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOnNewConnection, startServer, type ServerProcess } from './support/server-process.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('watch');
const INDEX_CLI = path.join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'indexer', 'cli.js');
/** How long a change may take to show: generous, for a shared machine; the test asserts only that it shows. */
const SHOWS_WITHIN = { timeout: 60_000, interval: 100 };

interface Answer {
  readonly total: number;
  readonly hits: readonly { readonly docId: string }[];
}

describe('watch mode: the served index follows its corpus folder', () => {
  let corpus = '';
  let server: ServerProcess;
  let base = '';
  let loading = true;
  const failures: string[] = [];
  let requests = 0;
  let load: Promise<void> = Promise.resolve();

  const search = async (q: string): Promise<Answer> => {
    const response = await getOnNewConnection(`${base}/api/search?q=${encodeURIComponent(q)}&limit=50`);
    if (response.status !== 200) throw new Error(`search ${q}: HTTP ${response.status}`);
    return JSON.parse(response.text) as Answer;
  };
  const docsOf = async (q: string): Promise<string[]> => [...new Set((await search(q)).hits.map((hit) => hit.docId))].sort();
  const health = async (): Promise<Record<string, unknown>> => JSON.parse((await getOnNewConnection(`${base}/healthz`)).text) as Record<string, unknown>;
  const write = (name: string, text: string): void => {
    mkdirSync(path.dirname(path.join(corpus, name)), { recursive: true });
    writeFileSync(path.join(corpus, name), text);
  };

  beforeAll(async () => {
    // A folder name with a space, CJK and a dot folder above it: the watcher and the listing must agree on it.
    corpus = path.join(tempDir(), '.notes', '语料 folder');
    mkdirSync(corpus, { recursive: true });
    write('start.txt', '开始的文件写着松鼠。');
    // The manifest poll at its quickest: it would see each build before the indexer's report does (a regression test below).
    server = startServer(path.join(tempDir(), 'index'), { args: ['--watch', '--corpus', corpus, '--rescan', '0'], env: { SOU_MANIFEST_POLL_MS: '10' } });
    base = await server.baseUrl();
    // A small continuous load for the whole suite: four clients, one request after another.
    const client = async (i: number): Promise<void> => {
      const queries = ['松鼠', '文件', '蜂鸟', '"写着"', '河马 -松鼠'];
      for (let n = 0; loading; n++) {
        const q = encodeURIComponent(queries[(i + n) % queries.length]!);
        try {
          const response = await getOnNewConnection(`${base}/api/search?q=${q}`);
          requests++;
          if (response.status !== 200) failures.push(`HTTP ${response.status}`);
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    load = Promise.all([0, 1, 2, 3].map(client)).then(() => undefined);
  });

  afterAll(async () => {
    loading = false;
    await load;
    server?.child.kill('SIGTERM');
    await server?.exited;
  });

  it('serves the corpus as it was at start, and says so in /healthz and the page', async () => {
    expect(await docsOf('松鼠')).toEqual(['start.txt']);
    const healthz = await health();
    expect(healthz).toMatchObject({ status: 'ok', documents: 1, watch: { building: expect.any(Boolean), failedAt: null } });
    expect(typeof (healthz.watch as { checkedAt: unknown }).checkedAt).toBe('string');
    const page = (await getOnNewConnection(`${base}/`)).text;
    expect(page).toContain(`索引更新于 <time datetime="${String(healthz.builtAt)}">`);
  });

  it('finds a saved file', async () => {
    write('saved.txt', '新保存的文件里有蝾螈。');
    await expect.poll(() => docsOf('蝾螈'), SHOWS_WITHIN).toEqual(['saved.txt']);
  });

  it('drops a deleted file', async () => {
    rmSync(path.join(corpus, 'saved.txt'));
    await expect.poll(() => docsOf('蝾螈'), SHOWS_WITHIN).toEqual([]);
  });

  it('moves a renamed file', async () => {
    write('before.txt', '改名之前的鸬鹚。');
    await expect.poll(() => docsOf('鸬鹚'), SHOWS_WITHIN).toEqual(['before.txt']);
    renameSync(path.join(corpus, 'before.txt'), path.join(corpus, 'after.txt'));
    await expect.poll(() => docsOf('鸬鹚'), SHOWS_WITHIN).toEqual(['after.txt']);
  });

  it('follows a save that writes a temporary file and renames it over the old one', async () => {
    write('draft.md', '# 草稿\n\n第一版写着犰狳。');
    await expect.poll(() => docsOf('犰狳'), SHOWS_WITHIN).toEqual(['draft.md']);
    write('draft.md.tmp-4913', '# 草稿\n\n第二版写着鼹鼠。');
    renameSync(path.join(corpus, 'draft.md.tmp-4913'), path.join(corpus, 'draft.md'));
    await expect.poll(() => docsOf('鼹鼠'), SHOWS_WITHIN).toEqual(['draft.md']);
    expect(await docsOf('犰狳')).toEqual([]);
  });

  it('follows a save that truncates the file and then writes it', async () => {
    write('journal.txt', '日记的第一版写着獾。');
    await expect.poll(() => docsOf('獾'), SHOWS_WITHIN).toEqual(['journal.txt']);
    truncateSync(path.join(corpus, 'journal.txt'), 0);
    await new Promise((resolve) => setTimeout(resolve, 30));
    appendFileSync(path.join(corpus, 'journal.txt'), '日记的第二版写着刺猬。');
    await expect.poll(() => docsOf('刺猬'), SHOWS_WITHIN).toEqual(['journal.txt']);
    expect(await docsOf('獾')).toEqual([]);
  });

  it('finds every one of 200 files copied in at once, into a new folder', async () => {
    const staging = tempDir();
    for (let i = 0; i < 200; i++) writeFileSync(path.join(staging, `bulk-${String(i).padStart(3, '0')}.txt`), `批量复制的第${i}个文件，写着蜂鸟。`);
    cpSync(staging, path.join(corpus, 'bulk'), { recursive: true });
    await expect.poll(async () => (await search('蜂鸟')).total, SHOWS_WITHIN).toBe(200);
    const docs = await docsOf('蜂鸟');
    expect(docs.every((id) => /^bulk\/bulk-\d{3}\.txt$/.test(id))).toBe(true);
  });

  it('skips a bad file with a logged reason and indexes the rest', async () => {
    const mark = server.lines.length;
    write('broken.docx', 'not a zip at all');
    write('good.txt', '坏文件旁边的好文件写着河马。');
    await expect.poll(() => docsOf('河马'), SHOWS_WITHIN).toEqual(['good.txt']);
    const skipped = await server.waitFor((line) => server.lines.indexOf(line) >= mark && line.includes('inputs skipped by the update'));
    expect(skipped).toContain('broken.docx');
  });

  it('starts the indexer child again when it dies, and goes on following the folder', async () => {
    const pid = server.child.pid!;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    expect(children).toHaveLength(1);
    const mark = server.lines.length;
    process.kill(children[0]!, 'SIGKILL');
    await server.waitFor((line) => server.lines.indexOf(line) >= mark && line.includes('indexer process exited; starting it again'));
    write('after-crash.txt', '重启之后写着海豹。');
    await expect.poll(() => docsOf('海豹'), SHOWS_WITHIN).toEqual(['after-crash.txt']);
  });

  it('keeps serving the old index, and says the update failed, when the corpus folder is gone', async () => {
    // A build still under way from the tests before (the restarted child's reconciling build) lands first: the
    // index read as "before" is one that no build is about to replace (a race seen under load).
    let seen = '';
    await expect
      .poll(async () => {
        const { builtAt, watch } = await health();
        const now = JSON.stringify([builtAt, (watch as { building: boolean }).building]);
        const settled = now === seen && (watch as { building: boolean }).building === false;
        seen = now;
        return settled;
      }, { timeout: 60_000, interval: 500 })
      .toBe(true);
    const mark = server.lines.length;
    const before = await health();
    rmSync(corpus, { recursive: true, force: true });
    const failed = await server.waitFor((line) => server.lines.indexOf(line) >= mark && line.includes('index update failed'));
    expect(failed).toContain('corpus path not found');
    expect(await docsOf('河马')).toEqual(['good.txt']);
    const after = await health();
    expect(after.builtAt).toBe(before.builtAt);
    expect(typeof (after.watch as { failedAt: unknown }).failedAt).toBe('string');
  });

  // Regression: the manifest poll also saw each build and reloaded it with a full warm-up first, ahead of the
  // indexer's report in the reload queue; at 100k paragraphs under steady requests a save then took over a minute.
  it("reloads on its indexer's reports alone, never through the manifest poll", () => {
    const reloads = server.lines.filter((line) => line.includes('"index reloaded"'));
    expect(reloads.length).toBeGreaterThan(0);
    expect(reloads.filter((line) => !line.includes('"reason":"index updated"'))).toEqual([]);
  });

  it('failed no request meanwhile', async () => {
    loading = false;
    await load;
    expect(requests).toBeGreaterThan(0);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(server.stderr()).toBe('');
  });
});

describe('npm run index -- --watch', () => {
  it('builds at start, again on a change, prints a line for each build and stops on SIGTERM', async () => {
    const corpus = tempDir();
    writeFileSync(path.join(corpus, 'a.txt'), '第一篇。');
    const child = spawn(process.execPath, [INDEX_CLI, '--corpus', corpus, '--out', path.join(tempDir(), 'index'), '--watch', '--rescan', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let seen: (() => void) | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      seen?.();
    });
    const waitForLines = (n: number): Promise<void> =>
      new Promise((resolve) => {
        seen = () => lines.length >= n && resolve();
        seen();
      });
    await waitForLines(1);
    expect(lines[0]).toMatch(/indexed 1 documents, 1 paragraphs in .* s into /);
    writeFileSync(path.join(corpus, 'b.txt'), '第二篇。');
    await waitForLines(2);
    expect(lines[1]).toMatch(/indexed 2 documents, 2 paragraphs/);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('refuses --rescan without --watch, and a corpus that does not exist', () => {
    const rescan = spawnSync(process.execPath, [INDEX_CLI, '--rescan', '5'], { encoding: 'utf8' });
    expect(rescan.status).toBe(2);
    expect(rescan.stderr).toContain('--rescan goes with --watch');
    const missing = spawnSync(process.execPath, [INDEX_CLI, '--watch', '--corpus', path.join(tempDir(), 'nowhere'), '--out', path.join(tempDir(), 'index')], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('corpus path not found');
  });
});
