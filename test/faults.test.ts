// Faults on disk, through the real commands: a damaged index makes the server refuse to start in one line that
// names the file and the rebuild command; corpus files that cannot be indexed are named and skipped by the build
// (exit 3) while the rest is indexed. (corpus.test.ts covers the same corpus faults in-process, build.test.ts a
// Latin-1 file through the command line.)
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_FILE, ORDER_FILE, STORE_FILE, type Manifest } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import { tempDirFactory } from './support/temp-dirs.js';
import { allTexts } from './support/texts.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const INDEX_CLI = path.join(ROOT, 'dist', 'indexer', 'cli.js');
const SERVER = path.join(ROOT, 'dist', 'server', 'main.js');

const tempDir = tempDirFactory('faults');

interface Run {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(script: string, args: readonly string[], options: { uid?: number; gid?: number; timeoutMs?: number } = {}): Run {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
    env: { ...process.env, LOG_LEVEL: 'info' },
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid }),
  });
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  for (const file of [INDEX_CLI, SERVER]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first (npm test does)`);
});

describe('server start-up with a damaged index', () => {
  let pristine: string;
  let manifest: Manifest;

  beforeAll(() => {
    const dir = tempDir();
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    writeFileSync(path.join(corpus, 'a.txt'), '支付寶的系統經歷了雙11的考驗。\n\n第二段，CTO程立。\n');
    writeFileSync(path.join(corpus, 'b.md'), '# 標題\n\n淘寶和天貓。\n');
    pristine = path.join(dir, 'index');
    const built = run(INDEX_CLI, ['--corpus', corpus, '--out', pristine]);
    expect(built.status, built.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(pristine, MANIFEST_FILE), 'utf8')) as Manifest;
  });

  /** A copy of the good index, damaged by `damage(dir)`; returns the copy and the file the error must name. */
  function damaged(damage: (dir: string) => string): { dir: string; file: string } {
    const dir = path.join(tempDir(), 'index');
    cpSync(pristine, dir, { recursive: true });
    return { dir, file: damage(dir) };
  }

  function expectOneLineRefusal(dir: string, file: string): void {
    // --port 0: if the server wrongly starts, it listens until the timeout kills it (status null) and this fails.
    const started = run(SERVER, ['--index', dir, '--port', '0', '--host', '127.0.0.1'], { timeoutMs: 20_000 });
    expect(started.signal, `the server started on a damaged index:\n${started.stdout}`).toBeNull();
    expect(started.status).not.toBe(0);
    const lines = started.stderr.trimEnd().split('\n');
    expect(lines, started.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^sou: /);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(`npm run index -- `);
    expect(lines[0]).toContain(`--out ${dir} --force`);
    expect(started.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
  }

  it('refuses a truncated paragraph store, naming it and the rebuild command', () => {
    const { dir, file } = damaged((d) => {
      const store = path.join(d, manifest.segments[0]!.name, STORE_FILE);
      const bytes = readFileSync(store);
      writeFileSync(store, bytes.subarray(0, Math.floor(bytes.length / 2)));
      return store;
    });
    expectOneLineRefusal(dir, file);
  });

  it('refuses a postings file with one corrupted byte, naming it', () => {
    const { dir, file } = damaged((d) => {
      const name = 'grams.bin';
      const part = path.join(d, manifest.segments[0]!.name, name);
      const bytes = readFileSync(part);
      const at = bytes.length >> 1;
      bytes[at] = bytes[at]! ^ 0x20;
      writeFileSync(part, bytes);
      return part;
    });
    expectOneLineRefusal(dir, file);
  });

  it('refuses a truncated manifest.json, naming it', () => {
    const { dir, file } = damaged((d) => {
      const path_ = path.join(d, MANIFEST_FILE);
      writeFileSync(path_, readFileSync(path_, 'utf8').slice(0, 200));
      return path_;
    });
    expectOneLineRefusal(dir, file);
  });

  it('refuses a valid-JSON manifest that lacks its file list or counts, naming it', () => {
    for (const drop of ['files', 'counts'] as const) {
      const { dir, file } = damaged((d) => {
        const path_ = path.join(d, MANIFEST_FILE);
        const edited: Partial<Manifest> = { ...manifest };
        delete edited[drop];
        writeFileSync(path_, JSON.stringify(edited));
        return path_;
      });
      expectOneLineRefusal(dir, file);
    }
  });

  it('refuses an index whose segment folder is gone, naming the missing file', () => {
    const { dir, file } = damaged((d) => {
      rmSync(path.join(d, manifest.segments[0]!.name), { recursive: true });
      return path.join(d, manifest.segments[0]!.name, STORE_FILE);
    });
    expectOneLineRefusal(dir, file);
  });

  it('refuses an index whose generation folder (the corpus order) is gone, naming the missing file', () => {
    const { dir, file } = damaged((d) => {
      rmSync(path.join(d, manifest.generation), { recursive: true });
      return path.join(d, manifest.generation, ORDER_FILE);
    });
    expectOneLineRefusal(dir, file);
  });
});

describe('corpus faults through the build command', () => {
  const GOOD = '支付寶的系統經歷了雙11的考驗。\n\n第二段。\n';

  /** Builds `corpus` (a folder or file) into a fresh index; returns the run, the combined output and the index's document ids. */
  async function build(corpus: string, options: { uid?: number; gid?: number; out?: string } = {}): Promise<{ run: Run; output: string; ids: string[] }> {
    const out = options.out ?? path.join(tempDir(), 'index');
    const result = run(INDEX_CLI, ['--corpus', corpus, '--out', out], options);
    const ids = existsSync(path.join(out, MANIFEST_FILE)) ? (await loadIndex(out)).documents.map((d) => d.id) : [];
    return { run: result, output: result.stdout + result.stderr, ids };
  }

  function corpusWith(files: Record<string, string | Buffer>): string {
    const dir = path.join(tempDir(), 'corpus');
    mkdirSync(dir);
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return dir;
  }

  const skippedLine = (output: string, name: string): string | undefined =>
    output.split('\n').find((line) => line.startsWith('skipped ') && line.includes(name));

  it('skips a binary file, names it, indexes the rest and exits 3', async () => {
    const corpus = corpusWith({ 'good.txt': GOOD, 'image.txt': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]) });
    const { run: result, output, ids } = await build(corpus);
    expect(result.status, output).toBe(3);
    expect(skippedLine(output, 'image.txt')).toMatch(/binary file/);
    expect(ids).toEqual(['good.txt']);
  });

  it('skips files with invalid UTF-8 (a cut-off sequence, overlong bytes), names each, exits 3', async () => {
    const corpus = corpusWith({
      'good.txt': GOOD,
      'cut.txt': Buffer.concat([Buffer.from('支付宝的系统经历了双11的洪峰考验。\n'), Buffer.from([0xe4, 0xb8])]),
      'overlong.txt': Buffer.concat([Buffer.from('第一段'), Buffer.from([0xc0, 0xae, 0xc0, 0xae]), Buffer.from('第二段')]),
    });
    const { run: result, output, ids } = await build(corpus);
    expect(result.status, output).toBe(3);
    expect(skippedLine(output, 'cut.txt')).toMatch(/not valid UTF-8/);
    expect(skippedLine(output, 'overlong.txt')).toMatch(/not valid UTF-8/);
    expect(ids).toEqual(['good.txt']);
  });

  it('skips an empty file and a file of blank lines, names them, exits 3', async () => {
    const corpus = corpusWith({ 'good.txt': GOOD, 'empty.txt': '', 'blank.md': '\n \n\u3000\n' });
    const { run: result, output, ids } = await build(corpus);
    expect(result.status, output).toBe(3);
    expect(skippedLine(output, 'empty.txt')).toMatch(/empty/);
    expect(skippedLine(output, 'blank.md')).toMatch(/empty/);
    expect(ids).toEqual(['good.txt']);
  });

  it('keeps the first of two .jsonl lines with the same id, reports the second by line number, exits 3', async () => {
    const file = path.join(tempDir(), 'docs.jsonl');
    const line = (id: string, text: string): string => JSON.stringify({ id, text });
    writeFileSync(file, [line('a', '第一份。'), line('b', '另一篇。'), line('a', '第二份。')].join('\n') + '\n');
    const out = path.join(tempDir(), 'index');
    const { run: result, output, ids } = await build(file, { out });
    expect(result.status, output).toBe(3);
    expect(skippedLine(output, 'docs.jsonl')).toMatch(/line 3: duplicate id "a"/);
    expect(ids).toEqual(['a', 'b']);
    expect(allTexts(await loadIndex(out))).toEqual(['第一份。', '另一篇。']);
  });

  // root reads any file: as root, the build runs as the unprivileged user nobody, which needs to reach the project.
  const asRoot = process.getuid?.() === 0;
  const nobodyReachesProject =
    asRoot &&
    spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(path.join(ROOT, 'package.json'))}, 4)`], { uid: 65534, gid: 65534 })
      .status === 0;

  it.skipIf(asRoot && !nobodyReachesProject)('skips a file it has no permission to read, names it, exits 3', async () => {
    const corpus = corpusWith({ 'good.txt': GOOD, 'locked.txt': '锁住的文件。' });
    chmodSync(path.join(corpus, 'locked.txt'), 0o000);
    const out = path.join(tempDir(), 'index');
    if (asRoot) {
      for (const dir of [path.dirname(corpus), corpus, path.dirname(out)]) chmodSync(dir, 0o777);
    }
    const { run: result, output, ids } = await build(corpus, asRoot ? { uid: 65534, gid: 65534, out } : { out });
    expect(result.status, output).toBe(3);
    expect(skippedLine(output, 'locked.txt')).toMatch(/cannot read: EACCES/);
    expect(ids).toEqual(['good.txt']);
  });

  it('indexes a multi-megabyte file of one line as one paragraph', async () => {
    // ~4 MB, half a million jieba words in one paragraph: enough to overflow the stack of a spread push().
    const sentence = '支付宝的系统经历了双11的洪峰考验 Alipay 2135 亿。';
    const text = sentence.repeat(Math.ceil((4 * 1024 * 1024) / Buffer.byteLength(sentence)));
    const corpus = corpusWith({ 'good.txt': GOOD, 'huge.txt': text });
    const out = path.join(tempDir(), 'index');
    const { run: result, output, ids } = await build(corpus, { out });
    expect(result.status, output).toBe(0);
    expect(ids).toEqual(['good.txt', 'huge.txt']);
    const index = await loadIndex(out);
    expect(index.paragraphText(2)).toBe(text);
    expect(readdirSync(out)).toContain(MANIFEST_FILE);
  });
});
