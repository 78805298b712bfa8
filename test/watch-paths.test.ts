// What watch mode looks at (indexer/watch/watch-paths.ts): the files the corpus listing reads, and nothing else.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchPlan } from '../indexer/watch/watch-paths.js';

// A root inside a dot folder and with CJK and spaces: only names below the corpus root are the listing's business.
const ROOT = path.resolve('/srv/.sou data/语料');
const INDEX = path.resolve('/srv/.sou data/语料/index');
const at = (...parts: string[]): string => path.join(ROOT, ...parts);

describe('watch plan', () => {
  const plan = watchPlan([{ path: ROOT, isFolder: true }], INDEX);

  it('watches the folder and what the listing reads under it', () => {
    expect(plan.roots).toEqual([ROOT]);
    for (const file of ['a.txt', 'notes/b.md', 'c.PDF', 'd.docx', 'e.epub', 'f.html', 'g.htm', 'h.markdown']) {
      expect(plan.isWatched(at(file)), file).toBe(true);
      expect(plan.matters(at(file), 'file'), file).toBe(true);
    }
    expect(plan.matters(at('notes'), 'folder')).toBe(true);
    expect(plan.matters(ROOT, 'folder')).toBe(true);
  });

  it('ignores dot-files, dot-folders, the index folder and files of types Sou does not read', () => {
    for (const hidden of ['.a.txt', '.git/x.txt', 'notes/.obsidian/y.md', 'index/manifest.json', 'index/gen-1/store.bin']) {
      expect(plan.isWatched(at(hidden)), hidden).toBe(false);
      expect(plan.matters(at(hidden), 'file'), hidden).toBe(false);
    }
    for (const other of ['a.txt.swp', '4913', 'a.txt~', 'b.tmp']) {
      expect(plan.isWatched(at(other)), other).toBe(true);
      expect(plan.matters(at(other), 'file'), other).toBe(false);
    }
    expect(plan.isWatched(path.resolve('/srv/elsewhere.txt'))).toBe(false);
    expect(plan.isWatched(path.resolve('/srv/.sou data/other/a.txt'))).toBe(false);
  });

  it('watches a single-file input through its folder, and only that file there', () => {
    const file = path.resolve('/srv/data/poems.jsonl');
    const single = watchPlan([{ path: file, isFolder: false }], path.resolve('/srv/data/index'));
    expect(single.roots).toEqual([path.dirname(file)]);
    expect(single.isWatched(path.dirname(file))).toBe(true);
    expect(single.matters(file, 'file')).toBe(true);
    for (const other of ['/srv/data/other.jsonl', '/srv/data/poems.jsonl.tmp', '/srv/data/sub/a.txt']) {
      expect(single.matters(path.resolve(other), 'file'), other).toBe(false);
    }
    expect(single.isWatched(path.resolve('/srv/data/sub'))).toBe(false);
  });
});
