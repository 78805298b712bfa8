// Build progress for people: a bar that redraws itself on a terminal, a few plain lines elsewhere (CI logs).
import type { CorpusProblem } from './corpus/index.js';
import type { BuildReporter } from './build-command.js';

const BAR_WIDTH = 30;

export function problemLine(problem: CorpusProblem): string {
  return `skipped ${problem.file}${problem.line === undefined ? '' : ` line ${problem.line}`}: ${problem.message}`;
}

export function createReporter(stream: NodeJS.WriteStream): BuildReporter {
  const terminal = stream.isTTY === true;
  let barShown = false;
  let lastDecile = -1;
  const endBar = (): void => {
    if (barShown) stream.write('\n');
    barShown = false;
  };
  return {
    step(message) {
      endBar();
      lastDecile = -1;
      stream.write(`${message}\n`);
    },
    progress(done, total, unit) {
      const fraction = total === 0 ? 1 : done / total;
      if (terminal) {
        const filled = Math.round(fraction * BAR_WIDTH);
        const bar = '#'.repeat(filled) + '.'.repeat(BAR_WIDTH - filled);
        stream.write(`\r[${bar}] ${Math.floor(fraction * 100)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}`);
        barShown = true;
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          stream.write(`  ${decile * 10}% (${done}/${total} ${unit})\n`);
        }
      }
    },
    problem(problem) {
      endBar();
      stream.write(`${problemLine(problem)}\n`);
    },
  };
}
