import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Several suites drive real processes, a browser and sockets on a shared 2-core machine; one retry absorbs
    // scheduling noise there. A test that fails twice in a row fails the run.
    retry: 1,
  },
});
