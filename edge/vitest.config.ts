import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'edge',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    // Migrations on the stack's PostgreSQL and the ClickHouse test tape, once per run.
    globalSetup: ['src/test-support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
