// Crash safety of an update (issue 22): a build killed (SIGKILL) at each step of writing its commit, and of the
// merge's commit after it, leaves an index that loads and answers as before the update or as after it, never a
// mix; the next build reconciles the index with the folder and removes what the killed build left.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuild, type BuildOptions, type BuildReporter } from '../indexer/build-command.js';
import { MANIFEST_FILE } from '../indexer/index/format.js';
import { loadIndex } from '../indexer/index/load.js';
import type { CommitStep } from '../indexer/index/write.js';
import { answers, indexView } from './support/index-answers.js';
import { SAMPLE_CORPUS } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = path.join(ROOT, 'test', 'support', 'build-killed-at.mjs');
const tempDir = tempDirFactory('commit-crash');
const quiet: BuildReporter = { step() {}, progress() {}, problem() {} };

beforeAll(() => {
  const compiled = path.join(ROOT, 'dist', 'indexer', 'build-command.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` first (npm test does)`);
});

const LINES = readFileSync(SAMPLE_CORPUS, 'utf8').split('\n').filter((line) => line.trim() !== '');

/** Everything an index answers and holds, to compare one with another. */
async function state(dir: string): Promise<unknown> {
  const index = await loadIndex(dir);
  return { view: indexView(index), answers: answers(index) };
}

describe('an update killed while it commits', () => {
  // Each step of a commit; each twice: the update's own commit, then the merge's (the policy merges every time).
  const points: [CommitStep, number][] = (['segment-written', 'generation-written', 'manifest-written', 'manifest-renamed', 'stale-removed'] as const).flatMap(
    (step): [CommitStep, number][] => [
      [step, 1],
      [step, 2],
    ],
  );

  it('leaves the index as before or as after at every step, and the next build reconciles it', async () => {
    const dir = tempDir();
    const folder = path.join(dir, 'notes');
    const jsonl = path.join(dir, 'lines.jsonl');
    mkdirSync(folder);
    for (let i = 0; i < 8; i++) writeFileSync(path.join(folder, `${i}.txt`), (JSON.parse(LINES[i]!) as { text: string }).text);
    writeFileSync(jsonl, LINES.slice(10, 40).join('\n') + '\n');
    const options = (out: string, force = false): BuildOptions => ({ corpus: [folder, jsonl], out, userDict: null, force, mergePolicy: { maxSegments: 1, maxDeletedShare: 1 } });
    const base = path.join(dir, 'base');
    await runBuild(options(base), quiet);
    const before = await state(base);

    // The update: a file changed, one deleted, one added; a line changed, one deleted.
    writeFileSync(path.join(folder, '0.txt'), (JSON.parse(LINES[50]!) as { text: string }).text);
    rmSync(path.join(folder, '1.txt'));
    writeFileSync(path.join(folder, 'new.txt'), (JSON.parse(LINES[51]!) as { text: string }).text);
    writeFileSync(jsonl, [LINES[52]!, ...LINES.slice(11, 30), ...LINES.slice(31, 40)].join('\n') + '\n');
    const fullAfter = path.join(dir, 'full-after');
    await runBuild(options(fullAfter, true), quiet);
    const after = await state(fullAfter);
    expect(after).not.toEqual(before);

    for (const [step, occurrence] of points) {
      const where = `killed at ${step} #${occurrence}`;
      const out = path.join(dir, `killed-${step}-${occurrence}`);
      cpSync(base, out, { recursive: true });
      const child = spawnSync(process.execPath, [CHILD, JSON.stringify(options(out)), step, String(occurrence)], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(child.signal, `${where}: ${child.stdout}${child.stderr}`).toBe('SIGKILL');
      // Up to the rename the manifest is the old one; from the rename on, the new one (the update's, then the merge's).
      const expected = step === 'segment-written' || step === 'generation-written' || step === 'manifest-written' ? (occurrence === 1 ? before : after) : after;
      expect(await state(out), where).toEqual(expected);
      const next = await runBuild(options(out), quiet);
      expect(await state(out), `${where}, then built again`).toEqual(after);
      // What the killed build left (a segment, a generation, a manifest temp file) is gone.
      const manifest = next.manifest;
      expect(readdirSync(out).sort(), where).toEqual([MANIFEST_FILE, manifest.generation, ...manifest.segments.map((segment) => segment.name)].sort());
    }
  }, 240_000);
});
