import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'cdk',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    // One synthesis of the whole stack takes a few seconds on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
