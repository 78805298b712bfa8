// `npm install`'s postinstall step, after patch-package has applied patches/nodejieba+<version>.patch: compiles
// nodejieba's binding from the patched sources. Plain JavaScript, because it runs before anything is compiled
// and in installs without devDependencies.
//
// Why the patch: stock nodejieba's load() builds jieba's dictionary a second time, for a TextRank keyword
// extractor Sou never calls (the patch builds it on first use), and holds the calling thread meanwhile (the
// patch adds loadAsync, the same load on libuv's thread pool). Figures: BENCHMARKS.md.
//
// Why always from source: nodejieba's own install step downloads a prebuilt stock binary when it can, and
// that binary lacks both changes. A stamp beside the binary records the sources and the binary this step
// made, so a second `npm install` with nothing changed compiles nothing. Any failure exits non-zero with
// the reason rather than leaving a binding in an unknown state.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A line that only the patched binding sources contain, in each of the two files the patch changes. */
export const PATCHED_SOURCE_MARKER = 'sou: loadAsync builds the dictionary on the thread pool';

/** Where the installed nodejieba keeps the patched sources, the compiled binary and this step's stamp. */
export function nodejiebaPaths(root = dirname(require.resolve('nodejieba/package.json'))) {
  const release = join(root, 'build', 'Release');
  return {
    root,
    sources: [join(root, 'lib', 'nodejieba.cpp'), join(root, 'lib', 'nodejieba.h')],
    binary: join(release, 'nodejieba.node'),
    stamp: join(release, 'sou-lean.json'),
  };
}

/** The nodejieba version patches/ has a patch for (the one package.json pins). */
export function patchedVersion(patchDir = join(PROJECT_ROOT, 'patches')) {
  const versions = readdirSync(patchDir).flatMap((name) => /^nodejieba\+(.+)\.patch$/.exec(name)?.[1] ?? []);
  if (versions.length !== 1) throw new Error(`sou: expected one nodejieba patch in ${patchDir}, found ${versions.length}`);
  return versions[0];
}

function sha256(...files) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** What the stamp says after a build: the sources compiled and the binary they gave. */
export function currentStamp(paths) {
  return { sourcesSha256: sha256(...paths.sources), binarySha256: sha256(paths.binary) };
}

/** Null when the binary on disk is the one this step compiled from the sources on disk; else why not. */
export function rebuildReason(paths) {
  if (!existsSync(paths.binary)) return 'no binary';
  if (!existsSync(paths.stamp)) return 'no stamp: the binary is not one this step compiled';
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(paths.stamp, 'utf8'));
  } catch {
    return 'a damaged stamp';
  }
  const current = currentStamp(paths);
  if (stamp?.sourcesSha256 !== current.sourcesSha256) return 'the sources changed since the last build';
  if (stamp?.binarySha256 !== current.binarySha256) return 'the binary changed since the last build';
  return null;
}

function checkPatched(paths) {
  const installed = JSON.parse(readFileSync(join(paths.root, 'package.json'), 'utf8')).version;
  const wanted = patchedVersion();
  if (installed !== wanted) throw new Error(`sou: nodejieba ${installed} is installed, but patches/ is for ${wanted} (package.json pins it)`);
  for (const file of paths.sources) {
    if (!readFileSync(file, 'utf8').includes(PATCHED_SOURCE_MARKER)) {
      throw new Error(`sou: ${file} is not patched: patch-package must apply patches/nodejieba+${wanted}.patch first`);
    }
  }
}

function build() {
  const paths = nodejiebaPaths();
  checkPatched(paths);
  const reason = rebuildReason(paths);
  if (reason === null) {
    console.log("sou: nodejieba's patched binding is already built");
    return;
  }
  console.log(`sou: compiling nodejieba's patched binding (${reason}; about 10 s)`);
  // node-pre-gyp's rebuild always compiles; its install would fetch the stock prebuilt binary when it can.
  // Run under npm, the environment carries npm's settings (nodedir, node_gyp) as nodejieba's own install had.
  const nodePreGyp = require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
  const rebuild = spawnSync(process.execPath, [nodePreGyp, 'rebuild'], { cwd: paths.root, stdio: 'inherit' });
  if (rebuild.error !== undefined) throw new Error(`sou: cannot run node-pre-gyp rebuild for nodejieba: ${rebuild.error.message}`);
  if (rebuild.status !== 0) throw new Error(`sou: compiling nodejieba failed (exit ${rebuild.status}); it needs g++, make and python3`);
  if (!existsSync(paths.binary)) throw new Error(`sou: compiling nodejieba left no binary at ${paths.binary}`);
  writeFileSync(paths.stamp, `${JSON.stringify(currentStamp(paths))}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    build();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
