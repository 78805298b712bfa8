// Runs one build of the compiled Sou in a process of its own and prints what it did and which part of jieba's
// dictionary it loaded, as JSON: `node build-once.mjs OPTIONS_JSON`. jieba's dictionary is process-global, so a
// test that needs an update to be the first to load it (jieba-subset.test.ts) starts one of these.
import { runBuild } from '../../dist/indexer/build-command.js';
import { jiebaDictionaryLoaded } from '../../dist/indexer/analyzer/jieba.js';

const quiet = { step() {}, progress() {}, problem() {} };
const outcome = await runBuild(JSON.parse(process.argv[2]), quiet);
process.stdout.write(`${JSON.stringify({ status: outcome.status, update: outcome.update, jieba: jiebaDictionaryLoaded() })}\n`);
