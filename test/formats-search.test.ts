// Documents of every format, searched: the seed article as .md, .html (GBK), .pdf, .docx and .epub answers
// `支付宝 程立` with the same paragraphs in each, highlights on the original (Traditional) characters and a location
// on every hit; a phrase that a PDF breaks across two lines is found by a quoted search.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldString } from '../indexer/analyzer/index.js';
import { readCorpus } from '../indexer/corpus/index.js';
import { pdfTextRuns } from '../indexer/corpus/formats/pdfjs.js';
import { createSearcher, type SearchHit } from '../server/search/engine.js';
import { documentBytes, documentFixture } from './support/document-text.js';
import { buildTestIndex, type TestIndex } from './support/search-index.js';

const formatOf = (hit: SearchHit): string => hit.docId.slice(hit.docId.lastIndexOf('.') + 1);

describe('the seed article in five formats, searched', () => {
  let built: TestIndex;
  beforeAll(async () => {
    const { documents, problems } = await readCorpus([documentFixture('seed')]);
    expect(problems).toEqual([]);
    built = await buildTestIndex(documents);
  });
  afterAll(() => built.cleanup());

  it('finds the same paragraphs for 支付宝 程立 in each, highlighted on the original characters, each with its location', () => {
    const answer = createSearcher(built.index).search('支付宝 程立', { limit: 100, offset: 0 });
    const byFormat = new Map<string, string[]>();
    for (const hit of answer.hits) byFormat.set(formatOf(hit), [...(byFormat.get(formatOf(hit)) ?? []), foldString(hit.text)]);
    expect([...byFormat.keys()].sort()).toEqual(['docx', 'epub', 'html', 'md', 'pdf']);
    const expected = [...byFormat.get('md')!].sort();
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const [format, texts] of byFormat) expect([...texts].sort(), format).toEqual(expected);
    for (const hit of answer.hits) {
      const marked = hit.highlights.map(([start, end]) => hit.text.slice(start, end));
      // The seed is Traditional: the marks cover 支付寶 and 程立 as written, which fold to the query's words.
      expect(marked.some((text) => text === '支付寶'), hit.id).toBe(true);
      expect(marked.every((text) => ['支付宝', '程立'].some((word) => foldString(text).includes(word))), hit.id).toBe(true);
      expect(hit.location, hit.id).not.toBeNull();
    }
    expect(answer.hits.filter((hit) => formatOf(hit) === 'pdf').every((hit) => typeof hit.location?.page === 'number')).toBe(true);
  });
});

describe('a PDF phrase across a line break', () => {
  it('is found by a quoted search', async () => {
    const bytes = documentBytes('samples', 'simplified.pdf');
    const { pages } = await pdfTextRuns(bytes);
    const runs = pages[0]!.runs.filter((run) => run.text !== '');
    const i = runs.findIndex((run, n) => run.endOfLine && /\p{Script=Han}{2}$/u.test(run.text) && /^\p{Script=Han}{2}/u.test(runs[n + 1]?.text ?? ''));
    expect(i).toBeGreaterThanOrEqual(0);
    const phrase = runs[i]!.text.slice(-2) + runs[i + 1]!.text.slice(0, 2);
    const { documents } = await readCorpus([documentFixture('samples', 'simplified.pdf')]);
    const built = await buildTestIndex(documents);
    try {
      const answer = createSearcher(built.index).search(`"${phrase}"`, { limit: 10, offset: 0 });
      expect(answer.total, phrase).toBeGreaterThanOrEqual(1);
      expect(answer.hits.every((hit) => hit.text.includes(phrase))).toBe(true);
    } finally {
      built.cleanup();
    }
  });
});
