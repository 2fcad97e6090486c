import { defineConfig } from 'vitest/config';

// Browser tests: Playwright drives Debian's Chromium against `npm start` on a fresh data directory.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    benchmark: { include: ['e2e/**/*.bench.ts'] },
  },
});
