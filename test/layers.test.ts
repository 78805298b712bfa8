// The layers point one way and nothing imports in a cycle: the project's dependency-cruiser rules
// (.dependency-cruiser.cjs, run by `npm test` before vitest) report an upward import, an engine that reaches
// for HTTP, pages that take more than the engine's result types, a cycle of type-only imports and the document
// readers loaded off their worker threads, in a small tree written for the purpose; and the real tree has none.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProjectRoot } from '../server/project-root.js';

const ROOT = findProjectRoot();
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
  readonly cycle?: readonly { readonly name: string }[];
}

/** The violations dependency-cruiser finds under `folders` of `cwd`, with the project's rules. */
function violations(cwd: string, folders: readonly string[]): Violation[] {
  let output: string;
  try {
    output = execFileSync(process.execPath, [DEPCRUISE, ...folders, '--config', CONFIG, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (error) {
    // It exits with the number of errors, having written its report.
    output = String((error as { stdout?: unknown }).stdout ?? '');
    if (output === '') throw error;
  }
  return (JSON.parse(output) as { summary: { violations: Violation[] } }).summary.violations;
}

const found = (list: readonly Violation[]): string[] => list.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();

describe('the layer rules', () => {
  let tree: string;
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    writeFileSync(path.join(tree, file), text);
  };
  beforeAll(() => {
    tree = mkdtempSync(path.join(tmpdir(), 'sou layers 层-'));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true } }));
    write('indexer/store.ts', "import { LIMITS } from '../server/params.js';\nexport const size = LIMITS.max;\n");
    write('indexer/fine.ts', 'export const fine = 1;\n');
    write('server/params.ts', 'export const LIMITS = { max: 1 };\n');
    write('server/search/types.ts', 'export interface Hit { readonly text: string }\n');
    write('server/search/engine.ts', "import type { Ranked } from './rank.js';\nimport { fine } from '../../indexer/fine.js';\nexport interface Hit { readonly ranked?: Ranked; readonly n: number }\nexport const n = fine;\n");
    write('server/search/rank.ts', "import type { Hit } from './engine.js';\nexport interface Ranked { readonly hit?: Hit }\n");
    write('server/search/serve.ts', "import { createServer } from 'node:http';\nexport const serve = createServer;\n");
    write('server/search/limits.ts', "import { LIMITS } from '../params.js';\nexport const max = LIMITS.max;\n");
    // The server reaching the document readers through the corpus reader: they belong on the pool's workers.
    write('indexer/corpus/formats/readers.ts', 'export const READERS = {};\n');
    write('indexer/corpus/reader.ts', "import { READERS } from './formats/readers.js';\nexport const readers = READERS;\n");
    write('server/main.ts', "import { readers } from '../indexer/corpus/reader.js';\nexport const main = readers;\n");
    write('views/results.ts', "import type { Hit } from '../server/search/types.js';\nimport { LIMITS } from '../server/params.js';\nexport const show = (hit: Hit): string => `${hit.text}${LIMITS.max}`;\n");
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('report an upward import, the engine reaching above itself or for HTTP, views taking more than result types, a type-only cycle, and the document readers off their worker', () => {
    const list = violations(tree, ['indexer', 'server', 'views']);
    expect(found(list)).toEqual(
      [
        'indexer-knows-nothing-above: indexer/store.ts → server/params.ts',
        'engine-imports-only-indexer: server/search/limits.ts → server/params.ts',
        'engine-no-http-or-logging: server/search/serve.ts → http',
        'views-import-only-views-and-result-types: views/results.ts → server/params.ts',
        'no-cycle: server/search/engine.ts → server/search/rank.ts',
        'document-readers-only-on-their-worker: indexer/corpus/reader.ts → indexer/corpus/formats/readers.ts',
        'document-readers-only-on-their-worker: server/main.ts → indexer/corpus/formats/readers.ts',
      ].sort(),
    );
  });

  it('find nothing in the project’s own tree', () => {
    expect(found(violations(ROOT, ['indexer', 'server', 'views', 'bench', 'test']))).toEqual([]);
  });
});
