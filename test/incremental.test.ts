// Incremental builds against the oracle of a full build (issue 22): a seeded random sequence of adds, changes,
// deletes, renames and touches of files and of .jsonl lines, each followed by an incremental build; after every
// step the index (documents, texts, lengths, counts) and the answers to a fixed set of queries (hits, order,
// scores, totals) equal those of a full build of the same files. A tiny segment budget and cap and small merge
// limits make the incremental builds write several segments and merge often, and no merge goes over the cap;
// each step's index is loaded with the one before it, so the reuse of loaded segments is checked too.
import { mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuild, type BuildOptions, type BuildReporter } from '../indexer/build-command.js';
import { readCorpus } from '../indexer/corpus/index.js';
import { countCodePoints } from '../indexer/index/build.js';
import { BLOCK_LINES } from '../indexer/index/sources.js';
import { loadedSegments, loadIndex } from '../indexer/index/load.js';
import { seededRandom } from '../server/search/seeded-random.js';
import { answers, indexView } from './support/index-answers.js';
import { SAMPLE_CORPUS } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';

const tempDir = tempDirFactory('incremental');
const quiet: BuildReporter = { step() {}, progress() {}, problem() {} };

/** Sentences of the committed eval sample: the material documents are made of. */
const SENTENCES = readFileSync(SAMPLE_CORPUS, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .flatMap((line) => (JSON.parse(line) as { text: string }).text.split(/(?<=。)/))
  .map((sentence) => sentence.trim())
  .filter((sentence) => sentence.length >= 4 && sentence.length <= 60)
  .slice(0, 400);

interface Line {
  readonly id: string;
  readonly title?: string;
  readonly text: string;
}

describe('incremental builds', () => {
  it('answer as a full build after each of 200 random changes of files and .jsonl lines', async () => {
    const random = seededRandom(22);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const dir = tempDir();
    const folder = path.join(dir, 'notes');
    const jsonl = path.join(dir, 'lines.jsonl');
    mkdirSync(folder);
    const [budget, cap] = [400, 800];
    // The full builds, the oracle, keep the defaults: one segment.
    const options = (out: string, force: boolean): BuildOptions => ({
      corpus: [folder, jsonl],
      out: path.join(dir, out),
      userDict: null,
      force,
      ...(force ? {} : { segmentCharacters: budget, mergePolicy: { maxSegments: 4, maxDeletedShare: 0.4, maxSegmentCharacters: cap } }),
    });
    // Modification times from a clock of the test's own, well in the past: a file's time changes when it is
    // written, never by chance, and no file is within the build's racy window.
    let clock = Date.UTC(2020, 0, 1) / 1000;
    const stamp = (file: string): void => utimesSync(file, clock, ++clock);
    const files = new Map<string, string>(); // relative path → content
    let lines: Line[] = [];
    let serial = 0;
    const text = (): string => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(SENTENCES)).join('\n\n');
    const writeFile = (name: string, content: string): void => {
      const file = path.join(folder, name);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      stamp(file);
      files.set(name, content);
    };
    const writeLines = (): void => {
      writeFileSync(jsonl, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
      stamp(jsonl);
    };
    const newName = (): string => `${pick(['', 'a/', 'b/c/'])}${++serial}${pick(['.txt', '.md'])}`;
    for (let i = 0; i < 12; i++) writeFile(newName(), text());
    lines = Array.from({ length: 12 }, () => ({ id: `j${++serial}`, text: text() }));
    writeLines();

    const operations: Record<string, () => void> = {
      'add file': () => writeFile(newName(), pick(['# 標題\n\n', '']) + text()),
      'change file': () => files.size > 0 && writeFile(pick([...files.keys()]), random() < 0.1 ? '' : text()),
      'delete file': () => {
        if (files.size === 0) return;
        const name = pick([...files.keys()]);
        rmSync(path.join(folder, name));
        files.delete(name);
      },
      'rename file': () => {
        if (files.size === 0) return;
        const name = pick([...files.keys()]);
        const to = newName();
        mkdirSync(path.dirname(path.join(folder, to)), { recursive: true });
        renameSync(path.join(folder, name), path.join(folder, to));
        files.set(to, files.get(name)!);
        files.delete(name);
      },
      'touch file': () => files.size > 0 && stamp(path.join(folder, pick([...files.keys()]))),
      'add line': () => {
        // Now and then with the id of a file: a duplicate, skipped while the file is there.
        const id = random() < 0.15 && files.size > 0 ? pick([...files.keys()]) : `j${++serial}`;
        lines.splice(Math.floor(random() * (lines.length + 1)), 0, { id, ...(random() < 0.3 ? { title: pick(SENTENCES).slice(0, 6) } : {}), text: text() });
        writeLines();
      },
      'change line': () => {
        if (lines.length === 0) return;
        const at = Math.floor(random() * lines.length);
        lines[at] = { ...lines[at]!, text: text() };
        writeLines();
      },
      'delete line': () => {
        if (lines.length === 0) return;
        lines.splice(Math.floor(random() * lines.length), 1);
        writeLines();
      },
      'move line': () => {
        if (lines.length < 2) return;
        const [line] = lines.splice(Math.floor(random() * lines.length), 1);
        lines.splice(Math.floor(random() * (lines.length + 1)), 0, line!);
        writeLines();
      },
      'change several': () => {
        for (let i = 0; i < 3 && lines.length > 0; i++) lines[Math.floor(random() * lines.length)] = { id: `j${++serial}`, text: text() };
        writeLines();
        if (files.size > 0) writeFile(pick([...files.keys()]), text());
      },
    };
    const names = Object.keys(operations);

    await runBuild(options('inc', false), quiet);
    let incremental = await loadIndex(path.join(dir, 'inc'));
    const seen = { merged: 0, incremental: 0, segments: 0, kept: 0, reused: 0 };
    for (let step = 0; step < 200; step++) {
      const name = pick(names);
      operations[name]!();
      const built = await runBuild(options('inc', false), quiet);
      if (built.status === 'built') {
        if (built.update.merged) seen.merged++;
        if (!built.update.full) seen.incremental++;
        seen.segments = Math.max(seen.segments, built.update.segments);
        seen.kept += built.update.kept;
        expect(built.update.full, `step ${step} (${name})`).toBe(false);
      }
      await runBuild(options('full', true), quiet);
      const previous = loadedSegments(incremental);
      incremental = await loadIndex(path.join(dir, 'inc'), incremental); // reusing the segments it still has
      if (loadedSegments(incremental).some((segment) => previous.includes(segment))) seen.reused++;
      const full = await loadIndex(path.join(dir, 'full'));
      const where = `step ${step} (${name})`;
      const [a, b] = [indexView(incremental), indexView(full)];
      for (const key of Object.keys(b)) expect(a[key], `${where}: ${key}`).toEqual(b[key]);
      expect(answers(incremental), where).toEqual(answers(full));
      // No segment holds more than the cap but for its last document (a flush closes a segment with the
      // document that reaches the budget; a merge never goes over the cap).
      for (const segment of loadedSegments(incremental)) {
        const sizes = segment.documents.map((document) => document.paragraphs.reduce((sum, text) => sum + countCodePoints(text), 0));
        expect(sizes.reduce((sum, n) => sum + n, 0) - sizes.at(-1)!, `${where}: ${segment.name}`).toBeLessThan(cap);
      }
    }
    // The sequence exercised what it is for: documents kept across builds, several segments, merges.
    expect(seen.incremental).toBeGreaterThan(190);
    expect(seen.kept).toBeGreaterThan(200 * 10);
    expect(seen.segments).toBeGreaterThan(2);
    expect(seen.merged).toBeGreaterThan(5);
    expect(seen.reused).toBeGreaterThan(100); // a reload kept the segments loaded before, not read again
    // Nothing changed: the next build writes nothing.
    expect((await runBuild(options('inc', false), quiet)).status).toBe('up-to-date');
  }, 300_000);

  it('answer as a full build after random changes of a long .jsonl, whose unchanged blocks of lines are not hashed', async () => {
    // Over several blocks of lines (sources.ts BLOCK_LINES), with blank, bad and duplicate lines among them: a
    // line of an unchanged block keeps the document it had, or is read again when it had none.
    const random = seededRandom(64);
    const dir = tempDir();
    const jsonl = path.join(dir, 'long.jsonl');
    let serial = 0;
    const line = (): string => {
      const roll = random();
      if (roll < 0.05) return '';
      if (roll < 0.08) return '{"id": "bad"';
      if (roll < 0.12 && serial > 0) return JSON.stringify({ id: `k${Math.floor(random() * serial)}`, text: pick() });
      return JSON.stringify({ id: `k${++serial}`, text: pick() });
    };
    const pick = (): string => SENTENCES[Math.floor(random() * SENTENCES.length)]!;
    let lines = Array.from({ length: 300 }, line);
    let clock = Date.UTC(2020, 0, 1) / 1000;
    const write = (): void => {
      writeFileSync(jsonl, lines.join('\n') + '\n');
      utimesSync(jsonl, clock, ++clock);
    };
    const options = (out: string, force: boolean): BuildOptions => ({ corpus: [jsonl], out: path.join(dir, out), userDict: null, force });
    write();
    await runBuild(options('inc', false), quiet);
    for (let step = 0; step < 30; step++) {
      const at = Math.floor(random() * lines.length);
      const roll = random();
      if (roll < 0.4) lines[at] = line();
      else if (roll < 0.6) lines.splice(at, 1);
      else if (roll < 0.8) lines.splice(at, 0, line());
      else lines = lines.map((text, n) => (n % 97 === step % 97 ? line() : text));
      write();
      const built = await runBuild(options('inc', false), quiet);
      expect(built.status === 'built' && built.update.full, `step ${step}`).toBe(false);
      const fullBuild = await runBuild(options('full', true), quiet);
      const [incremental, full] = [await loadIndex(path.join(dir, 'inc')), await loadIndex(path.join(dir, 'full'))];
      const [a, b] = [indexView(incremental), indexView(full)];
      for (const key of Object.keys(b)) expect(a[key], `step ${step}: ${key}`).toEqual(b[key]);
      expect(answers(incremental), `step ${step}`).toEqual(answers(full));
      expect(built.status === 'built' && built.problems, `step ${step}: problems`).toEqual(fullBuild.status === 'built' && fullBuild.problems);
    }
  }, 300_000);

  it('answer as a full build after random changes of a streamed .jsonl, one changed line analyzing one document', async () => {
    // A .jsonl over the reader's threshold for reading a file whole is streamed (a small threshold stands for
    // the real one), with any line ends, lines too long to hold among them; every few steps the same file is
    // read whole instead, so each way reads the records the other wrote.
    const random = seededRandom(256);
    const dir = tempDir();
    const jsonl = path.join(dir, 'streamed.jsonl');
    let serial = 0;
    const pick = (): string => SENTENCES[Math.floor(random() * SENTENCES.length)]!;
    const line = (): string => {
      const roll = random();
      if (roll < 0.05) return '';
      if (roll < 0.08) return '{"id": "bad"';
      if (roll < 0.1) return JSON.stringify({ id: `long${++serial}`, text: pick().repeat(20) });
      if (roll < 0.12) return JSON.stringify({ id: `k${++serial}`, text: pick(), date: 'not a date' }); // kept, with a problem
      if (roll < 0.16 && serial > 0) return JSON.stringify({ id: `k${Math.floor(random() * serial)}`, text: pick() });
      return JSON.stringify({ id: `k${++serial}`, text: pick() });
    };
    let lines = Array.from({ length: 400 }, line);
    let clock = Date.UTC(2020, 0, 1) / 1000;
    const write = (): void => {
      const end = random() < 0.7 ? '\n' : random() < 0.5 ? '\r\n' : '\r';
      writeFileSync(jsonl, lines.join(end) + end);
      utimesSync(jsonl, clock, ++clock);
    };
    const limits = (streamed: boolean): Pick<BuildOptions, 'jsonlWholeBytes' | 'jsonlLineBytes'> => (streamed ? { jsonlWholeBytes: 1000, jsonlLineBytes: 400 } : {});
    const options = (out: string, force: boolean, streamed: boolean): BuildOptions => ({ corpus: [jsonl], out: path.join(dir, out), userDict: null, force, ...limits(streamed) });
    write();
    await runBuild(options('inc', false, true), quiet);
    let oneLine = 0;
    for (let step = 0; step < 40; step++) {
      const streamed = step % 6 !== 5;
      const at = Math.floor(random() * lines.length);
      const roll = random();
      let edited = false;
      if (roll < 0.4) {
        const old = (lines[at]!.endsWith('}') ? JSON.parse(lines[at]!) : {}) as { id?: unknown; text?: unknown };
        // One document's text changed in place: that document alone is analyzed.
        if (typeof old.id === 'string' && typeof old.text === 'string' && !old.id.startsWith('long') && lines.indexOf(lines[at]!) === at && lines.every((other, n) => n >= at || !other.includes(`"${old.id}"`))) {
          lines[at] = JSON.stringify({ id: old.id, text: `${old.text}${pick()}` });
          edited = true;
        } else {
          lines[at] = line();
        }
      } else if (roll < 0.55) lines.splice(at, 1);
      else if (roll < 0.7) lines.splice(at, 0, line());
      else if (roll < 0.85) lines[at] = lines[Math.floor(random() * lines.length)]!; // a line copied: its id twice
      else lines = lines.map((text, n) => (n % 97 === step % 97 ? line() : text));
      write();
      const built = await runBuild(options('inc', false, streamed), quiet);
      expect(built.status === 'built' && built.update.full, `step ${step}`).toBe(false);
      if (edited && streamed && built.status === 'built') {
        expect(built.update.analyzed, `step ${step}: one line changed`).toBe(1);
        // Only the lines of the changed block that held no document of the last version are parsed.
        expect(built.update.linesParsed, `step ${step}: lines parsed`).toBeGreaterThanOrEqual(1);
        expect(built.update.linesParsed, `step ${step}: lines parsed`).toBeLessThanOrEqual(BLOCK_LINES);
        oneLine++;
      }
      const fullBuild = await runBuild(options('full', true, streamed), quiet);
      const [incremental, full] = [await loadIndex(path.join(dir, 'inc')), await loadIndex(path.join(dir, 'full'))];
      const [a, b] = [indexView(incremental), indexView(full)];
      for (const key of Object.keys(b)) expect(a[key], `step ${step}: ${key}`).toEqual(b[key]);
      expect(answers(incremental), `step ${step}`).toEqual(answers(full));
      expect(built.status === 'built' && built.problems, `step ${step}: problems`).toEqual(fullBuild.status === 'built' && fullBuild.problems);
      // The full build's documents and problems are the corpus reader's, streamed or not.
      const read = await readCorpus([jsonl], undefined, limits(streamed));
      expect(incremental.documents.map((document) => document.id), `step ${step}: the reader's documents`).toEqual(read.documents.map((document) => document.id));
      // (The reader lists a file's bad lines before its duplicates; the build, in line order.)
      const sorted = (problems: readonly object[]): string[] => problems.map((problem) => JSON.stringify(problem)).sort();
      expect(sorted(fullBuild.status === 'built' ? fullBuild.problems : []), `step ${step}: the reader's problems`).toEqual(sorted(read.problems));
    }
    expect(oneLine).toBeGreaterThan(5);
  }, 300_000);
});
