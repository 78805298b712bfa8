// Build progress for people: a bar that redraws itself on a terminal, a few plain lines elsewhere (CI logs).
import type { CorpusProblem, FileTypeSummary } from './corpus/index.js';
import type { BuildReporter } from './build-command.js';

const BAR_WIDTH = 30;

export function problemLine(problem: CorpusProblem): string {
  const reason = problem.reason === undefined ? '' : ` (${problem.reason})`;
  return `${problem.kept === true ? 'warning' : 'skipped'} ${problem.file}${problem.line === undefined ? '' : ` line ${problem.line}`}${reason}: ${problem.message}`;
}

/**
 * The build summary's table: per file type, how many files were indexed, how many skipped and why, and the
 * time their reading took (summed over the threads that read them).
 */
export function fileSummaryLines(summary: readonly FileTypeSummary[]): string[] {
  const width = Math.max(0, ...summary.map((row) => row.type.length));
  return summary.map((row) => {
    const reasons = Object.entries(row.skipped).map(([reason, count]) => `${count} ${reason}`);
    const skippedCount = Object.values(row.skipped).reduce((sum, count) => sum + (count ?? 0), 0);
    const skipped = skippedCount === 0 ? '' : `, ${skippedCount} skipped (${reasons.join(', ')})`;
    const time = row.indexed + skippedCount > 0 && row.seconds > 0 ? `; read in ${row.seconds.toFixed(2)} s` : '';
    return `  ${row.type.padEnd(width)}  ${row.indexed} indexed${skipped}${time}`;
  });
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
