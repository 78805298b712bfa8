// Regression (issue 20): `npm start`, `npm run index` and the other scripts compiled every source on every run,
// even with nothing changed. The build command now compiles only when an input is newer than its outputs; it
// is run here, as package.json has it, on a copy of the project's tsconfig.json with two small sources.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

const tempDir = tempDirFactory('compile-once');

/** A project with the real package.json and tsconfig.json, in a path with a dot folder, CJK and a space. */
function smallProject(): string {
  const project = path.join(tempDir(), '.编译 once');
  mkdirSync(path.join(project, 'indexer'), { recursive: true });
  mkdirSync(path.join(project, 'server'));
  for (const file of ['package.json', 'tsconfig.json']) copyFileSync(path.join(ROOT, file), path.join(project, file));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  writeFileSync(path.join(project, 'indexer', 'greeting.ts'), "export const greeting: string = 'first';\n");
  writeFileSync(path.join(project, 'server', 'main.ts'), "import { greeting } from '../indexer/greeting.js';\nexport const line = `${greeting}!`;\n");
  return project;
}

function build(project: string): void {
  const run = spawnSync('npm', ['run', '-s', 'build'], { cwd: project, encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** Dates the files `secondsAgo` in the past. */
function backdate(files: readonly string[], secondsAgo: number): void {
  const when = new Date(Date.now() - secondsAgo * 1000);
  for (const file of files) utimesSync(file, when, when);
}

function mtimes(dist: string): Map<string, bigint> {
  return new Map(filesUnder(dist).map((file) => [file, statSync(path.join(dist, file), { bigint: true }).mtimeNs]));
}

describe('the build command', () => {
  it('is what every script that runs compiled code runs first, except serve (for installs without tsc)', () => {
    const compiling = Object.entries(scripts).filter(([name, command]) => name !== 'serve' && name !== 'build' && command.includes('dist/'));
    expect(compiling.map(([name]) => name)).toEqual(expect.arrayContaining(['index', 'start', 'search']));
    for (const [, command] of compiling) expect(command.startsWith(`${scripts.build} && `)).toBe(true);
    expect(scripts.test!.startsWith(`${scripts.build} && `)).toBe(true);
    expect(scripts.serve).not.toMatch(/tsc|npm run/);
  });

  it('leaves dist/ untouched when nothing changed, and rebuilds a changed source or a missing output', () => {
    const project = smallProject();
    const dist = path.join(project, 'dist');
    build(project);
    expect(filesUnder(dist)).toEqual(expect.arrayContaining(['indexer/greeting.js', 'server/main.js']));
    // The project's own inputs dated well before the outputs, so that none looks as new as them even where the
    // file system's timestamps are coarse (tsc also checks node_modules/@types/node, untouched here).
    backdate(['package.json', 'tsconfig.json', 'indexer/greeting.ts', 'server/main.ts'].map((file) => path.join(project, file)), 7200);
    const before = mtimes(dist);

    build(project);
    expect(mtimes(dist)).toEqual(before);

    writeFileSync(path.join(project, 'indexer', 'greeting.ts'), "export const greeting: string = 'second';\n");
    build(project);
    expect(readFileSync(path.join(dist, 'indexer', 'greeting.js'), 'utf8')).toContain("'second'");
    expect(mtimes(dist).get('indexer/greeting.js')).not.toBe(before.get('indexer/greeting.js'));

    rmSync(path.join(dist, 'server', 'main.js'));
    build(project);
    expect(readFileSync(path.join(dist, 'server', 'main.js'), 'utf8')).toContain('greeting');
  });

  it('still fails on a type error when run again with nothing changed', () => {
    const project = smallProject();
    writeFileSync(path.join(project, 'indexer', 'greeting.ts'), 'export const greeting: string = 1;\n');
    for (let run = 0; run < 2; run++) {
      const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: project, encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).toContain('TS2322');
    }
  });
});
