import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'pipeline',
    root: import.meta.dirname,
    include: ['src/**/*.test.ts'],
  },
});
