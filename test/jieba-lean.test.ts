// nodejieba's patched binding: the patch file applies, with patch-package, to the pinned version's sources; the
// binding `npm install` left in node_modules was compiled from exactly those patched sources; and the install
// step's stamp makes a second install compile nothing.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { currentStamp, nodejiebaPaths, PATCHED_SOURCE_MARKER, patchedVersion, rebuildReason } from '../scripts/build-nodejieba.mjs';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'nodejieba-3.5.8');
const SOURCES = ['nodejieba.cpp', 'nodejieba.h'] as const;
const require = createRequire(import.meta.url);
const projectPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

const tempDir = tempDirFactory('jieba-lean');

/** A project folder (its path has a space, CJK and a dot folder) holding nodejieba's pristine 3.5.8 sources. */
function projectWithPristineNodejieba(version = '3.5.8'): { project: string; lib: string } {
  const project = path.join(tempDir(), '.安装 test');
  const lib = path.join(project, 'node_modules', 'nodejieba', 'lib');
  mkdirSync(lib, { recursive: true });
  mkdirSync(path.join(project, 'patches'));
  for (const file of SOURCES) copyFileSync(path.join(FIXTURE, file), path.join(lib, file));
  writeFileSync(path.join(lib, '..', 'package.json'), JSON.stringify({ name: 'nodejieba', version }));
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'patch-test', dependencies: { nodejieba: '3.5.8' } }));
  const patchName = `nodejieba+${patchedVersion()}.patch`;
  copyFileSync(path.join(ROOT, 'patches', patchName), path.join(project, 'patches', patchName));
  return { project, lib };
}

/** Runs the project's own patch-package, as postinstall does, in `project`. */
function runPatchPackage(project: string): { status: number | null; output: string } {
  const bin = path.join(path.dirname(require.resolve('patch-package/package.json')), 'index.js');
  const run = spawnSync(process.execPath, [bin, '--error-on-fail', '--error-on-warn'], { cwd: project, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('patches/nodejieba+3.5.8.patch', () => {
  it('is for the nodejieba version package.json pins exactly, and patch-package runs in production installs', () => {
    expect(projectPackage.dependencies.nodejieba).toBe('3.5.8');
    expect(patchedVersion()).toBe('3.5.8');
    expect(projectPackage.dependencies['patch-package']).toBeDefined();
    expect(projectPackage.devDependencies['patch-package']).toBeUndefined();
    // postinstall runs in installs without devDependencies, so it must not need tsc.
    expect(projectPackage.scripts.postinstall).toMatch(/^patch-package --error-on-fail .*&& node scripts\/build-nodejieba\.mjs$/);
    expect(projectPackage.scripts.postinstall).not.toMatch(/tsc|npm run/);
  });

  it('applies with patch-package to the pristine 3.5.8 sources, giving the sources npm install compiled', () => {
    const { project, lib } = projectWithPristineNodejieba();
    for (const file of SOURCES) expect(readFileSync(path.join(lib, file), 'utf8')).not.toContain(PATCHED_SOURCE_MARKER);
    const first = runPatchPackage(project);
    expect(first.output).toContain('nodejieba@3.5.8 ✔');
    expect(first.status).toBe(0);
    const installed = nodejiebaPaths();
    for (const [i, file] of SOURCES.entries()) {
      const patched = readFileSync(path.join(lib, file), 'utf8');
      expect(patched).toContain(PATCHED_SOURCE_MARKER);
      expect(readFileSync(installed.sources[i]!, 'utf8')).toBe(patched);
    }
    // A second install finds the patch applied and leaves the sources alone.
    const again = runPatchPackage(project);
    expect(again.status).toBe(0);
    for (const [i, file] of SOURCES.entries()) expect(readFileSync(path.join(lib, file), 'utf8')).toBe(readFileSync(installed.sources[i]!, 'utf8'));
  });

  it('fails the install, naming the package, when the sources are not the ones it was made for', () => {
    const { project, lib } = projectWithPristineNodejieba();
    const cpp = path.join(lib, 'nodejieba.cpp');
    writeFileSync(cpp, readFileSync(cpp, 'utf8').replace('if( !_text_rank_extractor_handle ){', 'if (!_text_rank_extractor_handle) {'));
    const run = runPatchPackage(project);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('Failed to apply patch for package nodejieba');
  });

  it('fails the install when another nodejieba version is installed, even though the patch would apply', () => {
    const { project } = projectWithPristineNodejieba('3.5.9');
    const run = runPatchPackage(project);
    expect(run.status).not.toBe(0);
    expect(run.output).toContain('version mismatch');
  });
});

describe("the install step's stamp", () => {
  /** A fake nodejieba folder with sources and a binary, as the stamp logic sees one. */
  function fakeNodejieba(): ReturnType<typeof nodejiebaPaths> {
    const root = path.join(tempDir(), 'node_modules', 'nodejieba');
    const paths = nodejiebaPaths(root);
    mkdirSync(path.dirname(paths.binary), { recursive: true });
    mkdirSync(path.dirname(paths.sources[0]!), { recursive: true });
    for (const file of paths.sources) writeFileSync(file, `// ${PATCHED_SOURCE_MARKER}\n`);
    return paths;
  }

  it('asks for a build when there is no binary, or a binary it did not make', () => {
    const paths = fakeNodejieba();
    expect(rebuildReason(paths)).toBe('no binary');
    writeFileSync(paths.binary, 'a prebuilt binary downloaded by node-pre-gyp');
    expect(rebuildReason(paths)).toMatch(/^no stamp/);
    writeFileSync(paths.stamp, '{"binarySha256":');
    expect(rebuildReason(paths)).toBe('a damaged stamp');
  });

  it('asks for nothing after a build, and for a build again when the sources or the binary change', () => {
    const paths = fakeNodejieba();
    writeFileSync(paths.binary, 'compiled');
    writeFileSync(paths.stamp, JSON.stringify(currentStamp(paths)));
    expect(rebuildReason(paths)).toBeNull();
    writeFileSync(paths.sources[1]!, `// ${PATCHED_SOURCE_MARKER}, edited\n`);
    expect(rebuildReason(paths)).toMatch(/sources changed/);
    writeFileSync(paths.stamp, JSON.stringify(currentStamp(paths)));
    writeFileSync(paths.binary, 'the stock prebuilt binary');
    expect(rebuildReason(paths)).toMatch(/binary changed/);
  });
});

describe('the installed binding', () => {
  it('is the one the install step compiled from the patched sources, with loadAsync', () => {
    const paths = nodejiebaPaths();
    expect(rebuildReason(paths)).toBeNull();
    for (const file of paths.sources) expect(readFileSync(file, 'utf8')).toContain(PATCHED_SOURCE_MARKER);
    const binding = require(paths.binary) as { loadAsync?: unknown };
    expect(typeof binding.loadAsync).toBe('function');
  });
});
