import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dataplane',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // beforeAll hooks seed DuckDB and open PGlite (cold initdb ~5 s), far slower when the machine is busy.
    hookTimeout: 60_000,
  },
});
