// The part of jieba's dictionary an update loads (jieba-subset.ts, jieba.ts loadJiebaFor): it cuts the texts it
// was made for, and every piece of them, exactly as the whole dictionary does.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/fold.js';
import { cutWords, jiebaDictionaryLoaded, loadJiebaFor } from '../indexer/analyzer/jieba.js';
import { dictionarySubset, indexDictionary, SUBSET_TEXT_LIMIT } from '../indexer/analyzer/jieba-subset.js';
import { runBuild, type BuildOptions } from '../indexer/build-command.js';
import { loadIndex } from '../indexer/index/load.js';
import { answers, indexView } from './support/index-answers.js';
import { SAMPLE_CORPUS, seededRandom } from './support/search-index.js';
import { tempDirFactory } from './support/temp-dirs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const tempDir = tempDirFactory('jieba-subset');

const TOY = ['北京 300 ns', '北京大学 200 nt', '大学 500 n', '学生 400 n', '生活 100 vn', '活 50 v', '京 7 ns', '大 900 a', '北 60 f', '京剧 20 n', '北京 310 ns', '其他 100000 r'].join('\n');

describe('dictionarySubset', () => {
  it("keeps every line whose word occurs in the texts, in order, and the whole dictionary's sum, smallest and median frequency", () => {
    const whole = indexDictionary(TOY);
    for (const texts of [['活'], ['其他'], ['北京大学生', '活']]) {
      const reread = indexDictionary(dictionarySubset(whole, texts)!);
      expect([reread.sum, reread.min, reread.median], texts.join()).toEqual([whole.sum, whole.min, whole.median]);
    }
    const part = dictionarySubset(whole, ['北京大学生', '活'])!;
    const words = part.split('\n').filter((line) => line !== '' && !line.startsWith('\t'));
    // Grouped by first code point (in the order the texts meet them), each group in the dictionary's order.
    expect(words).toEqual(['北京 300 ns', '北京大学 200 nt', '北 60 f', '北京 310 ns', '京 7 ns', '大学 500 n', '大 900 a', '学生 400 n', '活 50 v']);
    expect(words.filter((line) => line.startsWith('北京 '))).toEqual(['北京 300 ns', '北京 310 ns']); // a word listed twice keeps both lines, in order
    expect(words.some((line) => line.startsWith('生活') || line.startsWith('京剧'))).toBe(false);
    expect(dictionarySubset(whole, ['北'.repeat(SUBSET_TEXT_LIMIT + 1)])).toBeNull();
  });
});

describe('loadJiebaFor', () => {
  // Regression: it wrote the part to the temporary folder unchecked, so an update threw where that folder
  // could not be written. It must answer false (the caller loads the whole dictionary), having loaded nothing.
  it('answers false, loading nothing, when the temporary folder cannot take the part', () => {
    const file = path.join(tempDir(), 'a-file');
    writeFileSync(file, '');
    for (const folder of [path.join(tempDir(), 'missing'), path.join(file, 'below-a-file')]) {
      expect(loadJiebaFor(null, ['云计算和区块链'], folder), folder).toBe(false);
      expect(jiebaDictionaryLoaded()).toBe('none');
    }
  });

  it('cuts the texts it was loaded for, and their pieces, as the whole dictionary does; another text loads the whole dictionary', () => {
    const random = seededRandom(7);
    // Folded paragraphs of a committed text (Traditional, Latin letters and figures among the Chinese), pieces
    // of them, pieces joined across paragraphs, and the words of jieba's own user dictionary (their weight is
    // the median one), up to the part's limit.
    const paragraphs = readFileSync(path.join(import.meta.dirname, '..', 'corpus', 'alipay-15-years.txt'), 'utf8')
      .split(/\n+/)
      .map((line) => foldString(line.trim()))
      .filter((line) => line.length > 1);
    const piece = (): string => {
      const text = paragraphs[Math.floor(random() * paragraphs.length)]!;
      const start = Math.floor(random() * text.length);
      return text.slice(start, start + 1 + Math.floor(random() * 30));
    };
    const texts = ['云计算和区块链', '蓝翔的韩玉鉴赏', 'ceo说云计算'];
    let length = texts.join('\0').length;
    for (const text of [...paragraphs, ...Array.from({ length: 400 }, () => piece() + piece())]) {
      if (length + text.length + 1 > SUBSET_TEXT_LIMIT) break;
      texts.push(text);
      length += text.length + 1;
    }
    expect(texts.length).toBeGreaterThan(300);
    expect(loadJiebaFor(null, texts)).toBe(true);
    expect(jiebaDictionaryLoaded()).toBe('part');
    const asked = [...texts, ...texts.slice(0, 200).map((text) => text.slice(1, -1)).filter((text) => text.length > 1)];
    const byPart = asked.map((text) => cutWords(text));
    expect(jiebaDictionaryLoaded()).toBe('part'); // every text asked was covered
    cutWords('一段不在其中的文字');
    expect(jiebaDictionaryLoaded()).toBe('whole');
    expect(byPart).toEqual(asked.map((text) => cutWords(text)));
  });
});

describe('an update whose temporary folder cannot be written', () => {
  // The update runs in a process of its own with TMPDIR pointing below a file, so that it is the first to load
  // jieba (this process may have loaded it whole already); with a temporary folder it can write, the same
  // update loads only a part, so the test sees which way the update went.
  it('loads the whole dictionary instead of a part, and answers as a full build', async () => {
    const compiled = path.join(ROOT, 'dist', 'indexer', 'build-command.js');
    if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npm run build\` first (npm test does)`);
    const dir = tempDir();
    const lines = readFileSync(SAMPLE_CORPUS, 'utf8').split('\n').filter((line) => line.trim() !== '').slice(0, 30);
    const corpus = path.join(dir, 'lines.jsonl');
    const options = (out: string, force = false): BuildOptions => ({ corpus: [corpus], out, userDict: null, force });
    const blocked = path.join(dir, 'not-a-folder');
    writeFileSync(blocked, '');
    const update = (out: string, temporaryFolder: string): { status: string; update: { analyzed: number; kept: number }; jieba: string } => {
      const child = spawnSync(process.execPath, [path.join(ROOT, 'test', 'support', 'build-once.mjs'), JSON.stringify(options(out))], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TMPDIR: temporaryFolder, TMP: temporaryFolder, TEMP: temporaryFolder },
      });
      expect(child.status, `${child.stdout}${child.stderr}`).toBe(0);
      return JSON.parse(child.stdout) as { status: string; update: { analyzed: number; kept: number }; jieba: string };
    };
    const outcomes: Record<string, unknown> = {};
    for (const [name, temporaryFolder] of [
      ['writable', dir],
      ['unwritable', path.join(blocked, 'tmp')],
    ] as const) {
      const out = path.join(dir, `index-${name}`);
      writeFileSync(corpus, lines.join('\n') + '\n');
      await runBuild(options(out), { step() {}, progress() {}, problem() {} });
      const changed = JSON.parse(lines[12]!) as { id: string; text: string };
      writeFileSync(corpus, [...lines.slice(0, 12), JSON.stringify({ ...changed, text: `${changed.text}云计算` }), ...lines.slice(13)].join('\n') + '\n');
      const done = update(out, temporaryFolder);
      outcomes[name] = { analyzed: done.update.analyzed, kept: done.update.kept, jieba: done.jieba };
      const full = path.join(dir, `full-${name}`);
      await runBuild(options(full, true), { step() {}, progress() {}, problem() {} });
      const [updated, rebuilt] = [await loadIndex(out), await loadIndex(full)];
      expect({ view: indexView(updated), answers: answers(updated) }, name).toEqual({ view: indexView(rebuilt), answers: answers(rebuilt) });
    }
    expect(outcomes).toEqual({ writable: { analyzed: 1, kept: 29, jieba: 'part' }, unwritable: { analyzed: 1, kept: 29, jieba: 'whole' } });
  }, 120_000);
});
