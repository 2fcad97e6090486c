import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dataplane',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    // beforeAll hooks seed DuckDB, open PGlite (cold initdb ~5 s) and join Kafka groups: slow on a busy machine.
    hookTimeout: 60_000,
    env: { KAFKA_LOG_LEVEL: 'nothing' },
  },
});
