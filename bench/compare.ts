// `npm run bench -- --baseline REV`: this checkout and another commit side by side in one run, on the figures a
// change must not make worse end to end (build time and peak RSS, ready time, serving RSS, uncached HTTP
// requests/s and p99 under load). REV is checked out into a temporary git worktree that borrows this checkout's
// node_modules and is compiled with its own sources; each side builds its own index of the same corpus with its
// own CLI. Runs alternate between the sides (A B, then B A) so that a shared machine's drift falls on both.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { measureBuild, type BuildMeasure } from './build.js';
import { runHttpLoad, type HttpResult } from './http.js';
import { startServer, warmUp } from './serve.js';

/** One checkout that is measured: this one, or the baseline's temporary worktree. */
export interface Side {
  readonly label: string;
  /** The commit, as `git rev-parse --short` names it. */
  readonly commit: string;
  readonly root: string;
}

export interface BaselineCheckout extends Side {
  /** Removes the temporary worktree. */
  remove(): void;
}

function git(root: string, args: readonly string[]): string {
  const run = spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sou: git ${args.join(' ')} failed: ${(run.stderr || run.stdout).trim()}`);
  return run.stdout.trim();
}

export function currentSide(root: string): Side {
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  return { label: 'this checkout', commit: `${git(root, ['rev-parse', '--short', 'HEAD'])}${dirty ? ' (modified)' : ''}`, root };
}

/** Checks `rev` out beside `root` and compiles it; the caller removes it. */
export function checkOutBaseline(root: string, rev: string): BaselineCheckout {
  const commit = git(root, ['rev-parse', '--short', `${rev}^{commit}`]);
  const dir = join(mkdtempSync(join(tmpdir(), 'sou-baseline-')), 'sou');
  git(root, ['worktree', 'add', '--detach', dir, commit]);
  const remove = (): void => {
    spawnSync('git', ['-C', root, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
    rmSync(join(dir, '..'), { recursive: true, force: true });
  };
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: dir, encoding: 'utf8' });
    if (tsc.status !== 0) throw new Error(`sou: compiling the baseline ${commit} failed:\n${(tsc.stdout + tsc.stderr).trim()}`);
  } catch (error) {
    remove();
    throw error;
  }
  return { label: 'baseline', commit, root: dir, remove };
}

export interface ServingRun {
  readonly readySeconds: number;
  readonly servingRssBytes: number;
  readonly http: HttpResult;
}

export interface SideResult {
  readonly side: Side;
  readonly builds: readonly BuildMeasure[];
  readonly servings: readonly ServingRun[];
}

export interface ComparisonOptions {
  /** The corpus file (absolute); each side builds it into its own index under `dataDir`. */
  readonly corpus: string;
  readonly dataDir: string;
  readonly sizeLabel: string;
  readonly warmupQueries: readonly string[];
  readonly mix: readonly string[];
  readonly rounds: number;
  readonly connections: number;
  readonly seconds: number;
  readonly seed: number;
  readonly log: (line: string) => void;
}

/** The sides' order in round r: A B, then B A, and so on. */
const orderOf = <T>(sides: readonly T[], round: number): readonly T[] => (round % 2 === 0 ? sides : [...sides].reverse());

export async function compareSides(sides: readonly Side[], options: ComparisonOptions): Promise<SideResult[]> {
  const indexOf = (side: Side): string => join(options.dataDir, `bench-${options.sizeLabel}-${side.label === 'baseline' ? 'baseline' : 'current'}`);
  const builds = new Map<Side, BuildMeasure[]>(sides.map((side) => [side, []]));
  const servings = new Map<Side, ServingRun[]>(sides.map((side) => [side, []]));
  for (let round = 0; round < options.rounds; round++) {
    for (const side of orderOf(sides, round)) {
      options.log(`${options.sizeLabel}: round ${round + 1}, ${side.label} (${side.commit}): build`);
      builds.get(side)!.push(await measureBuild(side.root, relative(side.root, options.corpus), relative(side.root, indexOf(side))));
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const side of orderOf(sides, round)) {
      options.log(`${options.sizeLabel}: round ${round + 1}, ${side.label} (${side.commit}): serve, HTTP ${options.connections} connections ${options.seconds} s, result cache off`);
      const server = await startServer(side.root, relative(side.root, indexOf(side)), { SOU_RESULT_CACHE: '0' });
      try {
        await warmUp(server, options.warmupQueries);
        const servingRssBytes = server.rss();
        const http = await runHttpLoad({ url: server.url, queries: options.mix, connections: options.connections, seconds: options.seconds, seed: options.seed });
        servings.get(side)!.push({ readySeconds: server.readySeconds, servingRssBytes, http });
      } finally {
        await server.stop();
      }
    }
  }
  return sides.map((side) => ({ side, builds: builds.get(side)!, servings: servings.get(side)! }));
}
