import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'stack',
    root: import.meta.dirname,
    include: ['**/*.test.ts'],
    // deploy/ is its own project (vitest.deploy.config.ts).
    exclude: ['deploy/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
