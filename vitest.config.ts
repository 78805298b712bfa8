import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the seed + eval-sample index once for every suite that searches it (test/support/global-setup.ts).
    globalSetup: ['test/support/global-setup.ts'],
    // Generous: several suites drive real processes, a browser and sockets on a shared machine. No `retry`: a test
    // that fails once fails the run, so a flaky test is fixed at its cause instead of hidden.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll waits for a state (focus after autofocus, a swap): its default 1 s deadline is short for a
    // browser on a busy machine. Generous, as it only bounds a wait for something that normally happens at once.
    expect: { poll: { timeout: 30_000 } },
  },
});
