// `npm run bench:recall -- --index DIR [--queries N] [--seed N] [--full-check-up-to N] [--astral N]`: the recall
// guarantee (bench/recall-check.ts, as test/recall.test.ts checks it on the committed corpus) on any built index,
// e.g. a growth corpus of a million paragraphs. Prints what was checked and every failure; exits 1 on a failure.
import { parseArgs } from 'node:util';
import { loadIndex } from '../indexer/index/load.js';
import { createSearcher } from '../server/search/engine.js';
import { seededRandom } from '../server/search/seeded-random.js';
import { astralRecallQueries, recallChecker, sampleRecallQueries } from './recall-check.js';

const USAGE = 'usage: npm run bench:recall -- --index DIR [--queries 2000] [--seed 24301] [--full-check-up-to 5000] [--astral 300]';

function whole(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`sou: --${name} takes a whole number ≥ 0, not ${JSON.stringify(value)}\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { index: { type: 'string' }, queries: { type: 'string' }, seed: { type: 'string' }, 'full-check-up-to': { type: 'string' }, astral: { type: 'string' } },
  });
  if (values.index === undefined) throw new Error(`sou: --index is required\n${USAGE}`);
  const count = whole(values.queries, 2000, 'queries');
  const seed = whole(values.seed, 0x5eed, 'seed');
  const fullCheckUpTo = whole(values['full-check-up-to'], 5_000, 'full-check-up-to');
  const astralLimit = whole(values.astral, 300, 'astral');

  const started = performance.now();
  const index = await loadIndex(values.index);
  const searcher = createSearcher(index);
  // As a server has it: Latin runs may be read as pinyin, hanzi are never read by sound.
  await searcher.prepareVocabulary();
  const texts = Array.from({ length: index.paragraphCount }, (_, id) => index.paragraphText(id));
  const astral = astralRecallQueries(texts);
  // Evenly spaced over the corpus when there are more than the limit.
  const astralChosen = astral.length <= astralLimit ? astral : Array.from({ length: astralLimit }, (_, i) => astral[Math.floor((i * astral.length) / astralLimit)]!);
  const queries = [...sampleRecallQueries(texts, count, seededRandom(seed)), ...astralChosen];
  texts.length = 0;
  const ready = performance.now();

  // One page holds every hit that is checked one by one (test/recall.test.ts checks that pages join up).
  const recall = recallChecker(searcher, index, { pageSize: Math.max(1, fullCheckUpTo), fullCheckUpTo });
  const failures: string[] = [];
  const counts = { bare: 0, phrase: 0, skipped: 0, occur: 0, byCount: 0 };
  const variants = new Map<string, number>();
  for (const [i, query] of queries.entries()) {
    variants.set(query.variant, (variants.get(query.variant) ?? 0) + 1);
    const outcome = recall.check(query);
    failures.push(...outcome.failures);
    if (outcome.bare) counts.bare++;
    if (outcome.phrase) counts.phrase++;
    if (!outcome.bare && !outcome.phrase) counts.skipped++;
    if (outcome.occurs) counts.occur++;
    if (outcome.byCount) counts.byCount++;
    if ((i + 1) % 250 === 0) process.stderr.write(`recall: ${i + 1} of ${queries.length} checked, ${failures.length} failures\n`);
  }
  const seconds = (t: number): string => ((t / 1000).toFixed(1));
  console.log(
    [
      `recall on ${values.index}: ${index.paragraphCount.toLocaleString('en')} paragraphs, ${index.documents.length.toLocaleString('en')} documents`,
      `- ${queries.length} query strings (${[...variants].map(([v, n]) => `${v} ${n}`).join(', ')}; seed ${seed}); ${counts.occur} occur in the corpus`,
      `- ${counts.bare} searched bare, ${counts.phrase} as a "phrase", ${counts.skipped} skipped as pure syntax; ` +
        `${counts.byCount} with more than ${fullCheckUpTo.toLocaleString('en')} paragraphs checked by their count, the rest hit by hit`,
      `- failures: ${failures.length}`,
      ...failures.slice(0, 50).map((failure) => `  - ${failure}`),
      `- load and sample ${seconds(ready - started)} s, check ${seconds(performance.now() - ready)} s`,
    ].join('\n'),
  );
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
});
