// The growth corpora (bench/growth-corpus.ts, through bench/corpus.ts prepareCorpus): a size beyond the bench
// poems is every poem as it is, then poems recombined line by line from real ones, deterministic, with ids of
// their own, and a smaller size is the start of a larger one.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareCorpus } from '../bench/corpus.js';
import { poemLines, readPoemShapes, recombinedPoems, type PoemShape } from '../bench/growth-corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'sou-growth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const POEMS = [
  { id: 'poem:0', title: '靜夜思', text: '床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。' },
  { id: 'poem:1', title: '登鸛雀樓', text: '白日依山盡，黃河入海流。欲窮千里目，更上一層樓。' },
  { id: 'poem:2', title: '將進酒', text: '君不見黃河之水天上來，奔流到海不復回！君不見高堂明鏡悲白髮，朝如青絲暮成雪？人生得意須盡歡；莫使金樽空對月。' },
  { id: 'poem:3', title: '無題', text: '相見時難別亦難' },
];
const gz = join(dir, 'poems.jsonl.gz');
writeFileSync(gz, gzipSync(`${POEMS.map((poem) => JSON.stringify(poem)).join('\n')}\n`));
const readLines = (path: string): string[] => readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');

describe('poemLines', () => {
  it('cuts after 。！？； and keeps the punctuation', () => {
    expect(poemLines(POEMS[0]!.text)).toEqual(['床前明月光，疑是地上霜。', '舉頭望明月，低頭思故鄉。']);
    expect(poemLines('相見時難別亦難')).toEqual(['相見時難別亦難']);
    expect(poemLines('')).toEqual([]);
  });

  it('gives the text back when its lines are joined, whatever the text', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('月', '光', '，', '。', '！', '？', '；', 'a', ' ') }), (text) => poemLines(text).join('') === text));
  });
});

describe('recombinedPoems', () => {
  it('is the same for the same seed, other for another, with ids counted from `first`', async () => {
    const poems = await readPoemShapes(gz);
    const take = (seed: number, n: number, first = 0) => {
      const out = [];
      for (const document of recombinedPoems(poems, seed, first)) {
        if (out.length === n) break;
        out.push(document);
      }
      return out;
    };
    expect(take(7, 50)).toEqual(take(7, 50));
    expect(take(7, 50).map((d) => d.text)).not.toEqual(take(8, 50).map((d) => d.text));
    expect(take(7, 3, 10).map((d) => d.id)).toEqual(['growth:10', 'growth:11', 'growth:12']);
  });

  it('makes each poem of a real title and real lines, of the lengths of that title poem', async () => {
    const poems: PoemShape[] = await readPoemShapes(gz);
    const realLines = new Set(poems.flatMap((poem) => poem.lines));
    let n = 0;
    let novel = 0;
    for (const { title, text } of recombinedPoems(poems, 3)) {
      if (n++ === 200) break;
      const lines = poemLines(text);
      expect(lines.every((line) => realLines.has(line)), text).toBe(true);
      const template = poems.find((poem) => poem.title === title)!;
      expect(lines.map((line) => line.length)).toEqual(template.lines.map((line) => line.length));
      if (!POEMS.some((poem) => poem.text === text)) novel++;
    }
    // Four poems of two or more lines of the same shapes: most combinations are new.
    expect(novel).toBeGreaterThan(50);
  });
});

describe('prepareCorpus beyond the poems', () => {
  it('writes every poem as it is, then recombined ones, and a smaller size is the start of a larger one', async () => {
    const small = join(dir, 'bench-12.jsonl');
    const large = join(dir, 'bench-30.jsonl');
    expect(await prepareCorpus(gz, { label: '12', lines: 12 }, small)).toEqual({ path: small, lines: 12, reused: false });
    expect(await prepareCorpus(gz, { label: '30', lines: 30 }, large)).toEqual({ path: large, lines: 30, reused: false });
    const smallLines = readLines(small);
    const largeLines = readLines(large);
    expect(smallLines).toHaveLength(12);
    expect(largeLines.slice(0, 12)).toEqual(smallLines);
    expect(largeLines.slice(0, 4)).toEqual(POEMS.map((poem) => JSON.stringify(poem)));
    const documents = largeLines.map((line) => JSON.parse(line) as { id: string; title: string; text: string });
    expect(new Set(documents.map((d) => d.id)).size).toBe(30);
    expect(documents.slice(4).map((d) => d.id)).toEqual(Array.from({ length: 26 }, (_, i) => `growth:${i}`));
    expect((await prepareCorpus(gz, { label: '30', lines: 30 }, large)).reused).toBe(true);
  });
});
