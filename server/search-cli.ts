// `npm run search -- "查询" [--json] [--index DIR] [--limit N] [--offset N]`: one query from the shell, answered
// by the same engine as the server.
import { parseArgs } from 'node:util';
import { DEFAULT_INDEX } from '../indexer/defaults.js';
import { IndexLoadError, loadIndex } from '../indexer/index/load.js';
import { wireHit } from './answer-json.js';
import { ParamError, parseSearchParams } from './params.js';
import { createSearcher } from './search/engine.js';
import { formatText } from './search-text.js';

const USAGE = 'usage: npm run search -- "查询" [--json] [--index DIR] [--limit N] [--offset N]';

async function main(): Promise<number> {
  let values;
  let positionals;
  try {
    ({ values, positionals } = parseArgs({
      options: { json: { type: 'boolean', default: false }, index: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`sou: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  let params;
  try {
    params = parseSearchParams({ q: positionals.join(' '), limit: values.limit, offset: values.offset });
  } catch (error) {
    if (!(error instanceof ParamError)) throw error;
    process.stderr.write(`sou: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const searcher = createSearcher(await loadIndex(values.index ?? DEFAULT_INDEX));
  await searcher.prepareVocabulary(); // pinyin and corrections, as the server has them once started
  const response = searcher.search(params.q, params);
  // --json prints what GET /api/search answers (the snippet as markup).
  const json = (): string => JSON.stringify({ ...response, hits: response.hits.map(wireHit) }, null, 2);
  process.stdout.write(values.json ? `${json()}\n` : `${formatText(response, process.stdout.isTTY === true)}\n`);
  return 0;
}

main().then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    const expected = error instanceof IndexLoadError || (error instanceof Error && error.message.startsWith('sou:'));
    process.stderr.write(expected ? `${(error as Error).message}\n` : `sou: search failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  },
);
