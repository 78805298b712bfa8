// V8's gc() for the tests that measure the heap: a context made after the flag is set has it, so what they
// measure is only what is reachable.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const collectGarbage = runInNewContext('gc') as () => void;
