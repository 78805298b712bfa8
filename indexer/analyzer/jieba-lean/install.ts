// `npm install`'s postinstall step: patches nodejieba's binding (patch.ts says why) and recompiles it from
// source with the same toolchain its own install used. Idempotent: a stamp beside the binary records the
// binary it made, so a second install with nothing changed does nothing. Any failure exits non-zero with
// the reason, rather than leaving a binding in an unknown state.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchBindingSources } from './patch.js';

export interface LeanBindingPaths {
  readonly root: string;
  readonly cpp: string;
  readonly header: string;
  readonly binary: string;
  readonly stamp: string;
}

/** Where the installed nodejieba keeps its binding sources, its compiled binary and Sou's stamp. */
export function leanBindingPaths(): LeanBindingPaths {
  const root = dirname(createRequire(import.meta.url).resolve('nodejieba/package.json'));
  const release = join(root, 'build', 'Release');
  return {
    root,
    cpp: join(root, 'lib', 'nodejieba.cpp'),
    header: join(root, 'lib', 'nodejieba.h'),
    binary: join(release, 'nodejieba.node'),
    stamp: join(release, 'sou-lean.json'),
  };
}

function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** True when the binary on disk is the one this step compiled from the patched sources. */
export function isLeanBindingInstalled(paths: LeanBindingPaths): boolean {
  if (!existsSync(paths.stamp) || !existsSync(paths.binary)) return false;
  let stamp: { binarySha256?: unknown };
  try {
    stamp = JSON.parse(readFileSync(paths.stamp, 'utf8')) as { binarySha256?: unknown };
  } catch {
    return false; // a damaged stamp: compile again
  }
  return stamp.binarySha256 === fileSha256(paths.binary) && !patchBindingSources(readSources(paths)).changed;
}

function readSources(paths: LeanBindingPaths): { cpp: string; header: string } {
  return { cpp: readFileSync(paths.cpp, 'utf8'), header: readFileSync(paths.header, 'utf8') };
}

function install(): void {
  const paths = leanBindingPaths();
  const patched = patchBindingSources(readSources(paths));
  if (patched.changed) {
    writeFileSync(paths.cpp, patched.cpp);
    writeFileSync(paths.header, patched.header);
  }
  if (!patched.changed && isLeanBindingInstalled(paths)) {
    console.log('sou: nodejieba\'s lean binding is already installed');
    return;
  }
  console.log('sou: recompiling nodejieba so that jieba\'s dictionary is built once, not twice, and can be built on the thread pool (about 10 s)');
  // node-pre-gyp's rebuild always compiles (its install would fetch the stock prebuilt binary when it can).
  // Run under npm, the environment carries npm's settings (nodedir, node_gyp) as its own install had them.
  const nodePreGyp = createRequire(import.meta.url).resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const rebuild = spawnSync(process.execPath, [nodePreGyp, 'rebuild'], { cwd: paths.root, stdio: 'inherit' });
  if (rebuild.error !== undefined) throw new Error(`sou: cannot run node-pre-gyp rebuild for nodejieba: ${rebuild.error.message}`);
  if (rebuild.status !== 0) {
    throw new Error(`sou: compiling nodejieba failed (exit ${rebuild.status}); it needs g++, make and python3`);
  }
  if (!existsSync(paths.binary)) throw new Error(`sou: compiling nodejieba left no binary at ${paths.binary}`);
  writeFileSync(paths.stamp, `${JSON.stringify({ binarySha256: fileSha256(paths.binary), patch: 'lazy TextRank extractor; loadAsync' })}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    install();
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
