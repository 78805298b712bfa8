// Build measurement of `npm run bench`: the real CLI as a child process (`node dist/indexer/cli.js --corpus …
// --out … --force`), its wall time, its peak RSS (GNU time's %M when /usr/bin/time is there, else VmHWM polled from
// /proc/<pid>/status) and the index size on disk (the manifest's file sizes plus the manifest itself).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../indexer/index/format.js';
import { procStatusBytes } from './process.js';

const GNU_TIME = '/usr/bin/time';

export interface IndexSize {
  readonly bytes: number;
  /** Bytes by file: store.bin, grams.bin, words.bin, titles.bin, lengths.bin, manifest.json (a folder counts as one part). */
  readonly parts: Readonly<Record<string, number>>;
}

export interface BuildMeasure {
  readonly seconds: number;
  readonly peakRssBytes: number;
  readonly peakRssFrom: 'GNU time %M' | '/proc VmHWM';
  /** User + system CPU seconds of the build, every thread (GNU time's %U + %S); absent without GNU time. */
  readonly cpuSeconds?: number;
  readonly exitCode: number;
  readonly size: IndexSize;
  readonly counts: Manifest['counts'];
  /** What the CLI printed on stdout (its summary). */
  readonly summary: string;
}

/** The size of an index folder as its manifest records it. */
export function indexSize(dir: string): IndexSize {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const parts: Record<string, number> = {};
  for (const [file, record] of Object.entries(manifest.files)) {
    const part = file.includes('/') ? file.slice(0, file.indexOf('/')) : file;
    parts[part] = (parts[part] ?? 0) + record.bytes;
  }
  parts[MANIFEST_FILE] = statSync(manifestPath).size;
  return { bytes: Object.values(parts).reduce((sum, bytes) => sum + bytes, 0), parts };
}

function gnuTimeWorks(): boolean {
  return spawnSync(GNU_TIME, ['-f', '%M', '-o', '/dev/null', 'true'], { stdio: 'ignore' }).status === 0;
}

/**
 * Builds `corpus` into `out` (both relative to `root`, as the CLI records them in the manifest): everything
 * (--force), or incrementally when `force` is false.
 */
export async function measureBuild(root: string, corpus: string, out: string, force = true, niceness = 0): Promise<BuildMeasure> {
  // Under `nice` (bench/segments.ts --row), so a long build yields to the machine's other work.
  const node = niceness > 0 ? ['nice', '-n', String(niceness), process.execPath] : [process.execPath];
  const cli = [join(root, 'dist', 'indexer', 'cli.js'), '--corpus', corpus, '--out', out, ...(force ? ['--force'] : [])];
  const scratch = mkdtempSync(join(tmpdir(), 'sou-bench-'));
  const timeFile = join(scratch, 'max-rss-kb');
  const viaTime = gnuTimeWorks();
  const [command, args] = viaTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', timeFile, ...node, ...cli]] : [node[0]!, [...node.slice(1), ...cli]];
  try {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-20_000)));
    let polledPeak = 0;
    const poll = viaTime
      ? undefined
      : setInterval(() => {
          polledPeak = Math.max(polledPeak, procStatusBytes(child.pid!, 'VmHWM') ?? 0);
        }, 50);
    const [code] = (await once(child, 'exit')) as [number | null];
    const seconds = (performance.now() - started) / 1000;
    if (poll) clearInterval(poll);
    const exitCode = code ?? -1;
    // 0: built; 3: built, some input skipped (reported, still a build).
    if (exitCode !== 0 && exitCode !== 3) throw new Error(`sou: building ${out} failed (exit ${exitCode})\n${stderr.trim()}`);
    const [maxRssKb, user, system] = viaTime ? readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) : [];
    const peakRssBytes = viaTime ? maxRssKb! * 1024 : polledPeak;
    const manifest = JSON.parse(readFileSync(join(root, out, MANIFEST_FILE), 'utf8')) as Manifest;
    return {
      seconds,
      peakRssBytes,
      peakRssFrom: viaTime ? 'GNU time %M' : '/proc VmHWM',
      ...(viaTime ? { cpuSeconds: user! + system! } : {}),
      exitCode,
      size: indexSize(join(root, out)),
      counts: manifest.counts,
      summary: stdout.trim(),
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
