// A built index of documents with locations, by the real build command over a folder of committed fixtures (a
// PDF, an EPUB, a DOCX with a heading path, Markdown whose heading and file name are hostile markup, a Big5 .txt) in a path with
// a space, CJK and a dot folder, plus a .jsonl and a .txt given on their own. The original-file, engine, API and page tests
// share its shape; each builds its own copy (they change files under it).
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runBuild } from '../../indexer/build-command.js';
import { loadIndex, type LoadedIndex } from '../../indexer/index/load.js';
import { documentFixture } from './document-text.js';

export const HOSTILE_MD_NAME = '<b>&"x".md';
export const HOSTILE_HEADING = '<script>window.__pwned=1</script>危险标题 & "引号"';
export const JSONL_ID = 'notes/../../etc/passwd';

export interface LocatedCorpus {
  /** The corpus folder (its realpath may differ: tmpdir can be a symlink). */
  readonly corpus: string;
  readonly out: string;
  readonly index: LoadedIndex;
}

export async function buildLocatedCorpus(dir: string): Promise<LocatedCorpus> {
  const corpus = path.join(dir, '.hidden parent', '文档 folder');
  mkdirSync(path.join(corpus, 'sub'), { recursive: true });
  copyFileSync(documentFixture('seed', 'alipay.pdf'), path.join(corpus, 'alipay.pdf'));
  copyFileSync(documentFixture('seed', 'alipay.epub'), path.join(corpus, 'alipay.epub'));
  copyFileSync(documentFixture('samples', 'traditional.docx'), path.join(corpus, 'sub', 'traditional.docx'));
  copyFileSync(documentFixture('seed', 'alipay.html'), path.join(corpus, 'alipay.html'));
  writeFileSync(path.join(corpus, HOSTILE_MD_NAME), `# ${HOSTILE_HEADING}\n\n危险段落在这里。\n`);
  copyFileSync(path.join('test', 'fixtures', 'corpus', 'encodings', 'big5.txt'), path.join(corpus, 'big5.txt'));
  writeFileSync(path.join(corpus, 'plain.txt'), '纯文本的段落，没有位置。\n');
  const jsonl = path.join(dir, 'extra.jsonl');
  writeFileSync(jsonl, `${JSON.stringify({ id: JSONL_ID, title: '笔记', text: '笔记里的段落。' })}\n`);
  const single = path.join(dir, 'single.txt');
  writeFileSync(single, '单独给出的文件。\n');
  const out = path.join(dir, 'index');
  const quiet = { step() {}, progress() {}, problem() {} };
  const outcome = await runBuild({ corpus: [corpus, jsonl, single], out, userDict: null, force: true }, quiet);
  if (outcome.status !== 'built' || outcome.problems.length > 0) throw new Error(`the located corpus did not build cleanly: ${JSON.stringify(outcome)}`);
  return { corpus, out, index: await loadIndex(out) };
}
