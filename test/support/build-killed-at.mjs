// Runs one build of the compiled Sou and kills this process (SIGKILL, as a crash or power loss would) when the
// commit reaches a given step for the given time: `node build-killed-at.mjs OPTIONS_JSON STEP OCCURRENCE`.
// commit-crash.test.ts starts it; the hook is runBuild's parameter, not an environment variable.
import { runBuild } from '../../dist/indexer/build-command.js';

const [options, step, occurrence] = [JSON.parse(process.argv[2]), process.argv[3], Number(process.argv[4])];
let seen = 0;
const quiet = { step() {}, progress() {}, problem() {} };
await runBuild(options, quiet, {
  onCommitStep(reached) {
    if (reached === step && ++seen === occurrence) process.kill(process.pid, 'SIGKILL');
  },
});
process.stdout.write('finished without being killed\n');
