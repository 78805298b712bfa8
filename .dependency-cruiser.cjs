// The layers of docs/contract.md, checked by `npm test` (depcruise) so that an upward import or a cycle fails CI.
// Data and calls point one way: indexer/ ← server/search/ (the engine) ← server/ (HTTP) → views/ (HTML).
// The TypeScript parser dependency-cruiser knows stops before TypeScript 7, so sources are parsed with swc,
// which keeps `import type` as an ordinary dependency: type-only imports count for every rule, cycles included.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'document-readers-only-on-their-worker',
      comment:
        'The document readers and their libraries (pdf.js, htmlparser2, fflate) load only on the reader pool\'s worker ' +
        'threads (formats/read-worker.ts): on a main thread they slowed every process that reads a corpus, the server included.',
      severity: 'error',
      from: { path: '^(indexer|server|views|bench)/', pathNot: '^indexer/corpus/formats/(read-worker|readers|html|pdf|pdfjs|docx|epub|markup|zip)[.]ts$' },
      to: { path: ['^indexer/corpus/formats/readers[.]ts$', 'node_modules/(pdfjs-dist|htmlparser2|fflate)/'], reachable: true },
    },
    {
      name: 'no-cycle',
      comment: 'No import cycle anywhere, type-only ones included.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'indexer-knows-nothing-above',
      comment: 'indexer/ (analyzer, corpus readers, index files) imports nothing from server/, views/, bench/ or test/.',
      severity: 'error',
      from: { path: '^indexer/' },
      to: { path: '^(server|views|bench|test)/' },
    },
    {
      name: 'engine-imports-only-indexer',
      comment: 'server/search/ is the engine: pure, over a loaded index; it imports only indexer/ and itself (no HTTP, logging, pages).',
      severity: 'error',
      from: { path: '^server/search/' },
      to: { pathNot: '^(indexer|server/search)/', dependencyTypesNot: ['core'] },
    },
    {
      name: 'engine-no-http-or-logging',
      comment: 'The engine knows nothing of HTTP or logging.',
      severity: 'error',
      from: { path: '^server/search/' },
      to: { path: ['^(node:)?(http|https|http2|net)$', 'node_modules/(express|pino|helmet|htmx[.]org)/'] },
    },
    {
      name: 'views-import-only-views-and-result-types',
      comment: 'views/ turns plain data into escaped HTML: it imports views/ and, for types only, server/search/types.ts.',
      severity: 'error',
      from: { path: '^views/' },
      to: { pathNot: ['^views/', '^server/search/types[.]ts$'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'result-types-are-a-leaf',
      comment: 'server/search/types.ts holds types only and imports nothing, so what views/ take from it is types.',
      severity: 'error',
      from: { path: '^server/search/types[.]ts$' },
      to: {},
    },
    {
      name: 'no-bench-or-test-in-product',
      comment: 'Nothing the product runs imports the benchmarks or the tests.',
      severity: 'error',
      from: { path: '^(indexer|server|views)/' },
      to: { path: '^(bench|test)/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a misspelt path would hide an upward import).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.d.ts'] },
  },
};
